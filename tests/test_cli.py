#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""botomfa on the command line, against the loopback STS server: the
original tool's contract, and every error path."""

import configparser
import os
import stat
import unittest

from clitest import ALICE_SECRET, ServerTestCase, botomfa_path

SECRETS_OF_FIXTURES = [
    ALICE_SECRET,
    "botomfaTestSecretBob00000000000000000002",
    "botomfaTestSecretCarol000000000000000003",
]


def sections_except(data, section):
    """The file's bytes with the lines of one section's owned keys removed,
    so the rest can be compared byte for byte."""
    owned = ("aws_access_key_id", "aws_secret_access_key",
             "aws_security_token", "expiration")
    out = []
    current = None
    for line in data.splitlines(keepends=True):
        text = line.decode()
        stripped = text.strip()
        if stripped.startswith("[") and "]" in stripped:
            current = stripped[1:stripped.index("]")]
        elif current == section and stripped.split("=")[0].strip() in owned:
            continue
        out.append(line)
    return b"".join(out)


def read_ini(path):
    parser = configparser.RawConfigParser()
    parser.read(path)
    return parser


class RefreshTest(ServerTestCase):

    def test_refresh_from_pipe_keeps_the_rest_of_the_file(self):
        before = self.install("original.boto")
        result = self.run_botomfa(stdin=(self.code() + "\n").encode())
        self.assertEqual(result.status, 0, result)
        self.assertEqual(result.stdout.splitlines(), [
            "Validating current temporary credentials..",
            "Current temporary creds failed.",
            "Enter AWS MFA code for user alice:",
            "Current temporary credentials success!",
        ])
        after = self.read()
        self.assertEqual(sections_except(after, "Credentials"),
                         sections_except(before, "Credentials"))
        self.assertEqual(stat.S_IMODE(os.stat(self.boto).st_mode), 0o600)
        ini = read_ini(self.boto)
        self.assertTrue(ini.get("Credentials", "aws_access_key_id")
                        .startswith("ASIA"))
        self.assertGreater(len(ini.get("Credentials", "aws_security_token")),
                           100)
        self.assertRegex(ini.get("Credentials", "expiration"),
                         r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(ini.get("long-term", "aws_secret_access_key"),
                         ALICE_SECRET)
        self.assertEqual([r["action"] for r in self.sts_calls()],
                         ["GetSessionToken"])

    def test_second_run_does_not_prompt(self):
        self.install("original.boto")
        first = self.run_botomfa(stdin=(self.code() + "\n").encode())
        self.assertEqual(first.status, 0, first)
        written = self.read()
        self.server.control(reset=True)
        second = self.run_botomfa(stdin=b"")
        self.assertEqual(second.status, 0, second)
        self.assertEqual(second.stdout.splitlines(), [
            "Validating current temporary credentials..",
            "Current temporary credentials success!",
        ])
        self.assertEqual(self.read(), written)
        self.assertEqual([r["action"] for r in self.sts_calls()],
                         ["GetCallerIdentity"])

    def test_terminal_prompt_does_not_echo_the_code(self):
        self.install("original.boto")
        code = self.code()
        status, shown = self.run_in_terminal(answer=code)
        self.assertEqual(status, 0, shown)
        self.assertIn("Enter AWS MFA code for user alice:", shown)
        self.assertNotIn(code, shown)
        self.assertIn("Current temporary credentials success!", shown)

    def test_code_with_spaces_is_accepted(self):
        self.install("original.boto")
        code = self.code()
        result = self.run_botomfa(
            stdin=(" %s %s \n" % (code[:3], code[3:])).encode())
        self.assertEqual(result.status, 0, result)

    def test_duration_flag_and_variable(self):
        self.install("original.boto")
        result = self.run_botomfa("--duration", "3600",
                                  stdin=(self.code() + "\n").encode(),
                                  env={"STS_DURATION": "7200"})
        self.assertEqual(result.status, 0, result)
        ini = read_ini(self.boto)
        self.assertTrue(ini.get("Credentials", "expiration"))

    def test_profile_uses_its_own_sections(self):
        before = self.install("profile.boto")
        result = self.run_botomfa(
            "--profile", "work", "--mfa-device-name", "bob-phone",
            stdin=(self.server.totp("arn:aws:iam::123456789012:mfa/bob-phone")
                   + "\n").encode())
        self.assertEqual(result.status, 0, result)
        self.assertIn("Enter AWS MFA code for user bob-phone:", result.stdout)
        ini = read_ini(self.boto)
        self.assertTrue(ini.get("work", "aws_access_key_id").startswith("ASIA"))
        self.assertFalse(ini.has_section("Credentials"))
        self.assertEqual(sections_except(self.read(), "work"),
                         sections_except(before, "work"))

    def test_crlf_file_without_final_newline(self):
        before = self.install("crlf-no-final-newline.boto")
        result = self.run_botomfa(stdin=(self.code() + "\n").encode())
        self.assertEqual(result.status, 0, result)
        after = self.read()
        self.assertTrue(after.startswith(before))
        added = after[len(before):]
        self.assertNotIn(b"\n", added.replace(b"\r\n", b""))
        self.assertIn(b"\r\n[Credentials]\r\n", added)

    def test_missing_boto_config_is_not_created(self):
        env = {"BOTO_CONFIG": os.path.join(self.home, "cfg", "boto.cfg")}
        result = self.run_botomfa(stdin=(self.code() + "\n").encode(), env=env)
        # No long-term key anywhere: nothing is created, the user is told.
        self.assertEqual(result.status, 1, result)
        self.assertIn("No long-term key for profile default", result.stderr)
        self.assertFalse(os.path.exists(env["BOTO_CONFIG"]))
        self.assertEqual(self.sts_calls(), [])

    def test_symlinked_config_stays_a_link(self):
        target = os.path.join(self.home, "dotfiles-boto")
        self.install("original.boto", target)
        os.symlink(target, self.boto)
        result = self.run_botomfa(stdin=(self.code() + "\n").encode())
        self.assertEqual(result.status, 0, result)
        self.assertTrue(os.path.islink(self.boto))
        self.assertIn(b"ASIA", self.read(target))

    def test_assume_role_with_mfa(self):
        self.install("original.boto")
        result = self.run_botomfa(
            "--assume-role-arn", "arn:aws:iam::123456789012:role/admin",
            stdin=(self.code() + "\n").encode())
        self.assertEqual(result.status, 0, result)
        self.assertEqual(self.sts_calls()[0]["action"], "AssumeRole")

    def test_expired_session_is_refreshed(self):
        self.install("original.boto")
        self.assertEqual(self.run_botomfa(
            stdin=(self.code() + "\n").encode()).status, 0)
        self.server.control(expire_sessions=True)
        result = self.run_botomfa(stdin=(self.code(1) + "\n").encode())
        self.assertEqual(result.status, 0, result)
        self.assertIn("Current temporary creds failed.", result.stdout)
        self.assertIn("Enter AWS MFA code", result.stdout)

    def test_clear_blanks_the_session(self):
        before = self.install("original.boto")
        self.assertEqual(self.run_botomfa(
            stdin=(self.code() + "\n").encode()).status, 0)
        result = self.run_botomfa("--clear")
        self.assertEqual(result.status, 0, result)
        ini = read_ini(self.boto)
        for key in ("aws_access_key_id", "aws_secret_access_key",
                    "aws_security_token"):
            self.assertEqual(ini.get("Credentials", key), "")
        self.assertEqual(sections_except(self.read(), "Credentials"),
                         sections_except(before, "Credentials"))

    def test_debug_output_names_things_but_no_secret(self):
        self.install("original.boto")
        code = self.code()
        result = self.run_botomfa("--debug", stdin=(code + "\n").encode())
        self.assertEqual(result.status, 0, result)
        self.assertIn("GetSessionToken", result.stderr)
        ini = read_ini(self.boto)
        secrets = SECRETS_OF_FIXTURES + [
            ini.get("Credentials", "aws_secret_access_key"),
            ini.get("Credentials", "aws_security_token"), code]
        for secret in secrets:
            self.assertNotIn(secret, result.stderr)
            self.assertNotIn(secret, result.stdout.replace(
                "Enter AWS MFA code", ""))


class ErrorPathTest(ServerTestCase):
    """Every failure: one line on stderr saying what to do, the right exit
    status, and the file untouched."""

    def assert_failed(self, result, status, *phrases):
        self.assertEqual(result.status, status, result)
        # Without a keyring the key comes from ~/.boto, and one line says
        # why; the error is the other line.
        lines = [line for line in result.stderr.strip().splitlines()
                 if "the keyring was not used" not in line]
        self.assertEqual(len(lines), 1, result)
        self.assertTrue(lines[0].startswith("botomfa: "), result)
        for phrase in phrases:
            self.assertIn(phrase, lines[0])
        for secret in SECRETS_OF_FIXTURES:
            self.assertNotIn(secret, result.stderr)

    def refresh_fails(self, status, *phrases, stdin=None, env=None, args=()):
        before = self.install("original.boto")
        if stdin is None:
            stdin = (self.code() + "\n").encode()
        result = self.run_botomfa(*args, stdin=stdin, env=env)
        result.debug = ""
        if "--debug" in args:
            result.debug = result.stderr
            result.stderr = result.stderr.splitlines()[-1] + "\n"
        self.assert_failed(result, status, *phrases)
        self.assertEqual(self.read(), before)
        return result

    def test_wrong_code(self):
        wrong = "%06d" % ((int(self.code()) + 500000) % 1000000)
        self.refresh_fails(4, "wrong or has already been used",
                           "next code", stdin=(wrong + "\n").encode())

    def test_reused_code(self):
        self.install("original.boto")
        code = self.code()
        self.assertEqual(self.run_botomfa(
            stdin=(code + "\n").encode()).status, 0)
        self.server.control(expire_sessions=True)
        written = self.read()
        result = self.run_botomfa(stdin=(code + "\n").encode())
        self.assert_failed(result, 4, "already been used")
        self.assertEqual(self.read(), written)

    def test_malformed_codes_never_reach_aws(self):
        for bad in ["12345", "1234567", "12a456", "", "１２３４５６"]:
            self.refresh_fails(2, "six digits",
                               stdin=(bad + "\n").encode())
        self.assertEqual(self.sts_calls(), [])

    def test_no_code_on_closed_stdin(self):
        self.refresh_fails(1, "No MFA code: Nothing was entered", stdin=b"")
        self.assertEqual(self.sts_calls(), [])

    def test_bad_durations_never_reach_aws(self):
        for args, env in [(("--duration", "899"), None),
                          (("--duration", "129601"), None),
                          (("--duration", "ten"), None),
                          ((), {"STS_DURATION": "60"})]:
            result = self.refresh_fails(2, "900", args=args, env=env)
            self.assertNotIn("Enter AWS MFA code", result.stdout)
        self.assertEqual(self.sts_calls(), [])

    def test_unknown_option(self):
        result = self.run_botomfa("--frobnicate")
        self.assert_failed(result, 2, "--frobnicate")

    def test_without_account_number_the_device_is_discovered(self):
        self.install("original.boto")
        result = self.run_botomfa(stdin=(self.code() + "\n").encode(),
                                  env={"AWS_ACT_NUM": ""})
        self.assertEqual(result.status, 0, result)
        self.assertIn("using MFA device arn:aws:iam::123456789012:mfa/alice",
                      result.stderr)
        self.assertEqual([r["action"] for r in self.sts_calls()],
                         ["GetCallerIdentity", "ListMFADevices",
                          "GetSessionToken"])
        settings = os.path.join(self.home, ".config", "botomfa",
                                "profiles.ini")
        with open(settings) as f:
            self.assertIn("mfa_serial = arn:aws:iam::123456789012:mfa/alice",
                          f.read())

    def test_long_term_key_in_credentials_is_never_overwritten(self):
        before = self.install("long-term-in-credentials.boto")
        result = self.run_botomfa(stdin=(self.code() + "\n").encode())
        self.assert_failed(result, 1, "long-term access key")
        self.assertNotIn("Enter AWS MFA code", result.stdout)
        self.assertEqual(self.read(), before)
        self.assertNotIn("GetSessionToken",
                         [r["action"] for r in self.sts_calls()])

    def test_unparseable_config_is_left_alone(self):
        before = self.install("broken.boto")
        result = self.run_botomfa(stdin=(self.code() + "\n").encode())
        self.assert_failed(result, 1, ".boto")
        self.assertEqual(self.read(), before)
        self.assertEqual(self.sts_calls(), [])

    def test_unknown_access_key(self):
        env = {}
        before = self.install("original.boto")
        with open(self.boto, "wb") as f:
            f.write(before.replace(b"AKIATESTALICE0000001",
                                   b"AKIATESTNOBODY000009"))
        changed = self.read()
        result = self.run_botomfa(stdin=(self.code() + "\n").encode(), env=env)
        self.assert_failed(result, 4, "AKIATESTNOBODY000009", "IAM console")
        self.assertEqual(self.read(), changed)

    def test_wrong_secret(self):
        before = self.install("original.boto")
        with open(self.boto, "wb") as f:
            f.write(before.replace(ALICE_SECRET.encode(), b"x" * 40))
        result = self.run_botomfa(stdin=(self.code() + "\n").encode())
        self.assert_failed(result, 4, "secret access key does not belong")

    def test_clock_skew_says_how_far_off(self):
        self.server.control(clock_offset=20 * 60)
        self.refresh_fails(4, "20 minutes behind", "timedatectl")
        self.server.control(clock_offset=-45 * 60)
        self.refresh_fails(4, "45 minutes ahead")

    def test_throttling_is_retried(self):
        self.install("original.boto")
        self.server.control(faults=[{"kind": "throttle", "count": 2}])
        result = self.run_botomfa(stdin=(self.code() + "\n").encode())
        self.assertEqual(result.status, 0, result)

    def test_persistent_throttling(self):
        self.server.control(faults=[{"kind": "throttle", "count": 10}])
        self.refresh_fails(3, "throttling")

    def test_server_errors_are_retried_then_reported(self):
        self.install("original.boto")
        self.server.control(faults=[{"kind": "500", "count": 1}])
        self.assertEqual(self.run_botomfa(
            stdin=(self.code() + "\n").encode()).status, 0)
        self.server.control(reset=True)
        self.server.control(faults=[{"kind": "500", "count": 10}])
        self.refresh_fails(3, "not available", stdin=(self.code(1) + "\n")
                           .encode())

    def test_dropped_validation_is_retried(self):
        self.install("original.boto")
        self.assertEqual(self.run_botomfa(
            stdin=(self.code() + "\n").encode()).status, 0)
        self.server.control(reset=True)
        self.server.control(faults=[{"kind": "drop", "count": 1}])
        result = self.run_botomfa()
        self.assertEqual(result.status, 0, result)
        self.assertEqual([r["action"] for r in self.sts_calls()],
                         ["GetCallerIdentity", "GetCallerIdentity"])

    def test_broken_connection_never_resends_a_code(self):
        # The code may have reached AWS: resending it would be refused as
        # used and the user told the code was wrong.
        for kind in ("drop", "truncated"):
            self.server.control(reset=True, forget_used_codes=True,
                                faults=[{"kind": kind, "count": 1}])
            self.refresh_fails(3, "may have used the code", "next code")
            self.assertEqual([r["action"] for r in self.sts_calls()],
                             ["GetSessionToken"])

    def test_garbage_answer(self):
        self.server.control(faults=[{"kind": "garbage", "count": 1}])
        self.refresh_fails(3, "cannot read")

    def test_huge_answer_is_capped(self):
        self.server.control(faults=[{"kind": "huge", "count": 1}])
        self.refresh_fails(3, "larger than")

    def test_slow_server_times_out(self):
        self.server.control(faults=[{"kind": "slow", "seconds": 8,
                                     "count": 1}])
        self.refresh_fails(3, "did not answer within 2 seconds",
                           env={"BOTOMFA_STS_TIMEOUT": "2"})

    def test_untrusted_certificate(self):
        self.refresh_fails(3, "AWS_CA_BUNDLE", env={"AWS_CA_BUNDLE": ""})

    def test_unrelated_ca_bundle_falls_back_then_fails(self):
        result = self.refresh_fails(
            3, "AWS_CA_BUNDLE", args=("--debug",),
            env={"AWS_CA_BUNDLE": "/etc/ssl/certs/ca-certificates.crt"})
        self.assertIn("adding the system's CA store", result.debug)

    def test_network_failure_during_validation_does_not_prompt(self):
        self.install("original.boto")
        self.assertEqual(self.run_botomfa(
            stdin=(self.code() + "\n").encode()).status, 0)
        written = self.read()
        # A port nothing listens on: bind one, then close it.
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        result = self.run_botomfa(
            stdin=(self.code(1) + "\n").encode(),
            env={"AWS_ENDPOINT_URL_STS": "https://127.0.0.1:%d" % port})
        self.assert_failed(result, 3, "Could not reach")
        self.assertNotIn("Enter AWS MFA code", result.stdout)
        self.assertNotIn("creds failed", result.stdout)
        self.assertEqual(self.read(), written)


class ShadowTest(ServerTestCase):

    def test_default_in_aws_credentials_is_pointed_out(self):
        self.install("original.boto")
        os.makedirs(os.path.join(self.home, ".aws"))
        with open(os.path.join(self.home, ".aws", "credentials"), "w") as f:
            f.write("[default]\naws_access_key_id = AKIAOTHER00000000000\n"
                    "aws_secret_access_key = other\n")
        result = self.run_botomfa(stdin=(self.code() + "\n").encode())
        self.assertEqual(result.status, 0, result)
        self.assertIn("boto 2 reads [default]", result.stderr)
        self.assertIn(b"ASIA", self.read())


class BotoReaderTest(ServerTestCase):
    """boto 2 itself reads what botomfa wrote and uses it."""

    def run_reader(self):
        import subprocess
        return subprocess.run(
            ["/usr/bin/python3", os.path.join(os.path.dirname(__file__),
                                              "boto2_reader.py"),
             self.server.url, self.server.ca_path],
            capture_output=True, text=True, timeout=60,
            env={"HOME": self.home, "PATH": "/usr/bin:/bin"})

    def test_boto2_uses_the_written_credentials(self):
        self.install("original.boto")
        before = self.run_reader()
        self.assertNotEqual(before.returncode, 0, before)
        result = self.run_botomfa(stdin=(self.code() + "\n").encode())
        self.assertEqual(result.status, 0, result)
        after = self.run_reader()
        self.assertEqual(after.returncode, 0, after)
        self.assertEqual(after.stdout.strip(),
                         "arn:aws:iam::123456789012:user/alice")


class HelpTest(ServerTestCase):

    def test_help_documents_exit_codes_and_environment(self):
        result = self.run_botomfa("--help")
        self.assertEqual(result.status, 0, result)
        for text in ("--duration", "--profile", "--aws-act-num",
                     "--mfa-device-name", "--assume-role-arn", "--clear",
                     "--debug", "--version", "AWS_ACT_NUM", "MFA_USER",
                     "STS_DURATION", "BOTO_CONFIG", "Exit status"):
            self.assertIn(text, result.stdout)

    def test_version(self):
        result = self.run_botomfa("--version")
        self.assertEqual(result.status, 0, result)
        self.assertRegex(result.stdout, r"^botomfa \d+\.\d+\.\d+\n$")


if __name__ == "__main__":
    botomfa_path()
    unittest.main(verbosity=2)
