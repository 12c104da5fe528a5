#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""botomfa in the AWS CLI's world: profiles from ~/.aws/config, sessions
written to ~/.aws/credentials, credential_process, the session cache shared
by the profiles of one MFA device, and status. Debian's AWS CLI v2 reads
what botomfa wrote and calls the loopback STS server with it. Runs inside
tests/keyring-session.sh."""

import json
import os
import subprocess
import time
import unittest

from clitest import (ALICE_SECRET, ServerTestCase, botomfa_path,
                     run_on_terminal)
from test_keys import BOB_SECRET, SCHEMA, secret_tool, session_env

AWS = "/usr/bin/aws"
ALICE = "arn:aws:iam::123456789012:mfa/alice"
BOB_PHONE = "arn:aws:iam::123456789012:mfa/bob-phone"


class AwsTestCase(ServerTestCase):

    def setUp(self):
        super().setUp()
        if not os.path.exists(AWS):
            self.skipTest("Debian's awscli is not installed")
        self.env.update(session_env())
        self.env.pop("AWS_ACT_NUM")
        secret_tool("clear", "xdg:schema", SCHEMA)
        secret_tool("clear", "xdg:schema", "io.github.botomfa.Session")
        self.aws_dir = os.path.join(self.home, ".aws")
        os.makedirs(self.aws_dir)
        self.config = os.path.join(self.aws_dir, "config")
        self.credentials = os.path.join(self.aws_dir, "credentials")

    def write(self, path, text):
        with open(path, "w") as f:
            f.write(text)

    def store_key(self, profile, key_id, secret):
        result = self.run_botomfa("keys", "set", "--profile", profile,
                                  stdin=("%s\n%s\n" % (key_id, secret))
                                  .encode())
        self.assertEqual(result.status, 0, result)

    def totp_command(self, serial):
        """An mfa_process command that prints the device's current code:
        the server computes it, as an authenticator would."""
        return ("curl -s --cacert %s %s/_control/totp?serial=%s"
                % (self.server.ca_path, self.server.url, serial))

    def settings(self, text):
        path = os.path.join(self.home, ".config", "botomfa")
        os.makedirs(path, exist_ok=True)
        self.write(os.path.join(path, "profiles.ini"), text)

    def aws(self, *args, env=None):
        full = {"HOME": self.home, "PATH": "/usr/bin:/bin",
                "AWS_CA_BUNDLE": self.server.ca_path,
                "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_DEFAULT_REGION": "us-east-1",
                # For the credential_process botomfa the CLI runs.
                "AWS_ENDPOINT_URL_STS": self.server.url,
                "AWS_PAGER": ""}
        full.update(session_env())
        full.update(env or {})
        return subprocess.run([AWS, "--endpoint-url", self.server.url]
                              + list(args), capture_output=True, text=True,
                              env=full, timeout=120)

    def identity(self, profile):
        result = self.aws("--profile", profile, "sts", "get-caller-identity",
                          "--output", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)["Arn"]


class SharedCredentialsTest(AwsTestCase):

    def test_profile_session_goes_to_aws_credentials(self):
        self.write(self.config, "[default]\nregion = us-east-1\n\n"
                   "[profile work]\nmfa_serial = %s\nregion = us-east-1\n"
                   % BOB_PHONE)
        before = ("# my own notes\n[other]\naws_access_key_id = AKIAX\n"
                  "aws_secret_access_key = y\n")
        self.write(self.credentials, before)
        self.store_key("work", "AKIATESTBOB000000002", BOB_SECRET)
        result = self.run_botomfa("--profile", "work", stdin=(
            self.server.totp(BOB_PHONE) + "\n").encode())
        self.assertEqual(result.status, 0, result)
        self.assertIn("Enter AWS MFA code for user bob-phone:", result.stdout)
        with open(self.credentials) as f:
            after = f.read()
        self.assertTrue(after.startswith(before), after)
        self.assertIn("[work]", after)
        for key in ("aws_session_token", "aws_security_token",
                    "expiration"):
            self.assertIn(key, after)
        self.assertFalse(os.path.exists(os.path.join(self.home, ".boto")))
        # The AWS CLI uses what botomfa wrote.
        self.assertEqual(self.identity("work"),
                         "arn:aws:iam::123456789012:user/bob")
        # The profile's default duration is AWS's own: 12 hours.
        request = [r for r in self.sts_calls("GetSessionToken")][-1]
        self.assertEqual(request["params"]["DurationSeconds"], "43200")

    def test_long_term_key_in_profile_is_kept_until_imported(self):
        self.write(self.config, "[profile work]\nmfa_serial = %s\n"
                   % BOB_PHONE)
        before = ("[work]\naws_access_key_id = AKIATESTBOB000000002\n"
                  "aws_secret_access_key = %s\n" % BOB_SECRET)
        self.write(self.credentials, before)
        result = self.run_botomfa("--profile", "work", stdin=(
            self.server.totp(BOB_PHONE) + "\n").encode())
        self.assertEqual(result.status, 1, result)
        self.assertIn("keys import", result.stderr)
        self.assertNotIn("Enter AWS MFA code", result.stdout)
        with open(self.credentials) as f:
            self.assertEqual(f.read(), before)
        # Once the keyring holds it, the section may carry the session.
        imported = self.run_botomfa("keys", "import", "--profile", "work")
        self.assertEqual(imported.status, 0, imported)
        self.server.control(forget_used_codes=True)
        result = self.run_botomfa("--profile", "work", stdin=(
            self.server.totp(BOB_PHONE) + "\n").encode())
        self.assertEqual(result.status, 0, result)
        self.assertEqual(self.identity("work"),
                         "arn:aws:iam::123456789012:user/bob")


class CredentialProcessTest(AwsTestCase):

    def configure(self, profiles=("dev", "dev2")):
        text = ""
        settings = ""
        for name in profiles:
            text += ("[profile %s]\nmfa_serial = %s\ncredential_process = "
                     "%s credential-process --profile %s\n\n"
                     % (name, ALICE, botomfa_path(), name))
            settings += "[%s]\nmfa_process = %s\n\n" % (
                name, self.totp_command(ALICE))
            self.store_key(name, "AKIATESTALICE0000001", ALICE_SECRET)
        self.write(self.config, text)
        self.settings(settings)

    def test_aws_cli_through_credential_process_one_code_for_two(self):
        self.configure()
        self.assertEqual(self.identity("dev"),
                         "arn:aws:iam::123456789012:user/alice")
        self.assertEqual(self.identity("dev2"),
                         "arn:aws:iam::123456789012:user/alice")
        self.assertEqual(len(self.sts_calls("GetSessionToken")), 1)
        # Nothing secret was written to a file: the cache is the keyring.
        self.assertFalse(os.path.exists(self.credentials))

    def test_code_typed_once_on_the_terminal_serves_both_profiles(self):
        """The "done when": credential_process lines only; the AWS CLI
        runs botomfa, which asks on the terminal; one code, two
        profiles."""
        text = ""
        for name in ("dev", "dev2"):
            text += ("[profile %s]\nmfa_serial = %s\ncredential_process = "
                     "%s credential-process --profile %s\n\n"
                     % (name, ALICE, botomfa_path(), name))
            self.store_key(name, "AKIATESTALICE0000001", ALICE_SECRET)
        self.write(self.config, text)
        env = {"HOME": self.home, "PATH": "/usr/bin:/bin",
               "AWS_CA_BUNDLE": self.server.ca_path,
               "AWS_DEFAULT_REGION": "us-east-1", "AWS_PAGER": "",
               "AWS_ENDPOINT_URL_STS": self.server.url}
        env.update(session_env())
        code = self.code()
        status, shown = run_on_terminal(
            [AWS, "--endpoint-url", self.server.url, "--profile", "dev",
             "sts", "get-caller-identity", "--output", "text", "--query",
             "Arn"], env, b"Enter AWS MFA code for profile dev", code, 90)
        self.assertEqual(status, 0, shown)
        self.assertIn("Enter AWS MFA code for profile dev", shown)
        self.assertIn("arn:aws:iam::123456789012:user/alice", shown)
        self.assertNotIn(code, shown.split("code")[-1])
        # The second profile needs no code and no terminal.
        self.assertEqual(self.identity("dev2"),
                         "arn:aws:iam::123456789012:user/alice")
        self.assertEqual(len(self.sts_calls("GetSessionToken")), 1)

    def test_output_is_the_credential_process_document(self):
        self.configure(("dev",))
        result = self.run_botomfa("credential-process", "--profile", "dev")
        self.assertEqual(result.status, 0, result)
        document = json.loads(result.stdout)
        self.assertEqual(document["Version"], 1)
        self.assertTrue(document["AccessKeyId"].startswith("ASIA"))
        self.assertRegex(document["Expiration"],
                         r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertNotIn(document["SecretAccessKey"], result.stderr)
        again = self.run_botomfa("credential-process", "--profile", "dev")
        self.assertEqual(json.loads(again.stdout)["AccessKeyId"],
                         document["AccessKeyId"])
        self.assertEqual(len(self.sts_calls("GetSessionToken")), 1)

    def test_parallel_calls_make_one_sts_call(self):
        self.configure(("dev",))
        env = dict(self.env)
        procs = [subprocess.Popen([botomfa_path(), "credential-process",
                                   "--profile", "dev"], env=env,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
                 for _ in range(4)]
        outputs = [p.communicate(timeout=120) for p in procs]
        for proc, (out, err) in zip(procs, outputs):
            self.assertEqual(proc.returncode, 0, err)
        keys = {json.loads(out)["AccessKeyId"] for out, _ in outputs}
        self.assertEqual(len(keys), 1)
        self.assertEqual(len(self.sts_calls("GetSessionToken")), 1)

    def test_refresh_by_botomfa_fills_the_cache(self):
        self.write(self.config, "[profile dev]\nmfa_serial = %s\n" % ALICE)
        self.store_key("dev", "AKIATESTALICE0000001", ALICE_SECRET)
        refreshed = self.run_botomfa("--profile", "dev", stdin=(
            self.code() + "\n").encode())
        self.assertEqual(refreshed.status, 0, refreshed)
        # No terminal and no mfa_process: it can only answer from the cache.
        result = subprocess.run(
            [botomfa_path(), "credential-process", "--profile", "dev"],
            capture_output=True, text=True, env=self.env,
            start_new_session=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(self.sts_calls("GetSessionToken")), 1)

    def test_export_lines_work_for_the_aws_cli(self):
        self.configure(("dev",))
        result = self.run_botomfa("export", "--profile", "dev")
        self.assertEqual(result.status, 0, result)
        names = [line.split("=")[0] for line in result.stdout.splitlines()]
        self.assertEqual(names, [
            "export AWS_ACCESS_KEY_ID", "export AWS_SECRET_ACCESS_KEY",
            "export AWS_SESSION_TOKEN", "export AWS_SECURITY_TOKEN",
            "export AWS_CREDENTIAL_EXPIRATION"])
        script = result.stdout + (
            "exec %s --endpoint-url %s sts get-caller-identity "
            "--output text --query Arn\n" % (AWS, self.server.url))
        called = subprocess.run(
            ["bash", "-c", script], capture_output=True, text=True,
            env={"HOME": self.home, "PATH": "/usr/bin:/bin",
                 "AWS_CA_BUNDLE": self.server.ca_path,
                 "AWS_DEFAULT_REGION": "us-east-1"}, timeout=120)
        self.assertEqual(called.returncode, 0, called.stderr)
        self.assertEqual(called.stdout.strip(),
                         "arn:aws:iam::123456789012:user/alice")

    def test_no_terminal_no_session_fails_fast(self):
        self.write(self.config, "[profile dev]\nmfa_serial = %s\n" % ALICE)
        self.store_key("dev", "AKIATESTALICE0000001", ALICE_SECRET)
        started = time.monotonic()
        result = subprocess.run(
            [botomfa_path(), "credential-process", "--profile", "dev"],
            capture_output=True, text=True, env=self.env,
            start_new_session=True, timeout=60)
        self.assertLess(time.monotonic() - started, 5)
        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(result.stdout, "")
        self.assertIn("no terminal", result.stderr)
        self.assertIn("botomfa --profile dev", result.stderr)
        self.assertEqual(self.sts_calls("GetSessionToken"), [])


class DiscoveryTest(AwsTestCase):

    def test_several_devices_without_a_terminal_ask_for_a_choice(self):
        self.store_key("work", "AKIATESTBOB000000002", BOB_SECRET)
        result = self.run_botomfa("--profile", "work", stdin=b"123456\n")
        self.assertNotEqual(result.status, 0, result)
        self.assertIn("2 MFA devices", result.stderr)
        self.assertNotIn("Enter AWS MFA code", result.stdout)
        listed = self.run_botomfa("devices", "--profile", "work")
        self.assertEqual(listed.status, 0, listed)
        self.assertIn("mfa/bob-phone", listed.stdout)
        self.assertIn("mfa/bob-yubikey", listed.stdout)

    def test_device_named_by_mfa_user_is_picked(self):
        self.store_key("work", "AKIATESTBOB000000002", BOB_SECRET)
        yubikey = "arn:aws:iam::123456789012:mfa/bob-yubikey"
        result = self.run_botomfa("--profile", "work", env={
            "USER": "bob-yubikey"}, stdin=(self.server.totp(yubikey)
                                          + "\n").encode())
        self.assertEqual(result.status, 0, result)
        self.assertIn("mfa/bob-yubikey", result.stderr)
        # The choice is remembered: no more discovery next time.
        status = json.loads(self.run_botomfa(
            "status", "--json", "--profile", "work").stdout)
        self.assertEqual(status[0]["mfa_serial"], yubikey)

    def test_listing_denied_explains_what_to_set(self):
        self.store_key("ops", "AKIATESTCAROL0000003",
                       "botomfaTestSecretCarol000000000000000003")
        result = self.run_botomfa("--profile", "ops", stdin=b"123456\n")
        self.assertEqual(result.status, 4, result)
        self.assertIn("iam:ListMFADevices", result.stderr)
        self.assertIn("mfa_serial", result.stderr)


class ZeroDevicesTest(AwsTestCase):
    """A user IAM lets list their devices, who has none."""

    DAVE_SECRET = "botomfaTestSecretDave0000000000000000004"

    @classmethod
    def setUpClass(cls):
        import shutil
        import sts_server
        import tempfile
        cls.server_dir = tempfile.mkdtemp(prefix="botomfa-sts-")
        config = dict(sts_server.DEFAULT_CONFIG)
        config["users"] = [{"name": "dave",
                            "access_key_id": "AKIATESTDAVE00000004",
                            "secret_access_key": cls.DAVE_SECRET,
                            "mfa_devices": [],
                            "list_mfa_devices": "allow"}]
        cls.server = sts_server.StsServer(cls.server_dir, config=config)
        cls.server.__enter__()
        cls.addClassCleanup(shutil.rmtree, cls.server_dir, True)

    def test_no_device_says_how_to_get_one(self):
        self.store_key("ops", "AKIATESTDAVE00000004", self.DAVE_SECRET)
        result = self.run_botomfa("--profile", "ops", stdin=b"123456\n")
        self.assertNotEqual(result.status, 0, result)
        self.assertIn("has no MFA device", result.stderr)
        self.assertIn("IAM console", result.stderr)
        self.assertNotIn("Enter AWS MFA code", result.stdout)
        self.assertEqual([r["action"] for r in self.sts_calls()],
                         ["GetCallerIdentity", "ListMFADevices"])


class StatusTest(AwsTestCase):

    def test_status_json_lists_profiles_with_state_and_targets(self):
        self.write(self.config, "[profile work]\nmfa_serial = %s\n"
                   % BOB_PHONE)
        self.install("original.boto")
        self.store_key("work", "AKIATESTBOB000000002", BOB_SECRET)
        result = self.run_botomfa("status", "--json")
        self.assertEqual(result.status, 0, result)
        profiles = {p["profile"]: p for p in json.loads(result.stdout)}
        self.assertEqual(profiles["default"]["state"], "missing")
        self.assertEqual(profiles["default"]["key_source"], "plaintext")
        self.assertTrue(profiles["default"]["targets"]["boto"])
        self.assertEqual(profiles["work"]["key_source"], "keyring")
        self.assertEqual(profiles["work"]["mfa_serial"], BOB_PHONE)
        self.assertTrue(profiles["work"]["targets"]["aws_credentials"])
        self.assertFalse(profiles["work"]["targets"]["boto"])
        self.assertEqual((profiles["default"]["duration"],
                          profiles["default"]["duration_source"]),
                         (900, "default"))
        self.assertEqual((profiles["work"]["duration"],
                          profiles["work"]["duration_source"]),
                         (43200, "aws-default"))
        self.settings("[work]\nduration = 7200\n")
        work = json.loads(self.run_botomfa(
            "status", "--json", "--profile", "work").stdout)[0]
        self.assertEqual((work["duration"], work["duration_source"]),
                         (7200, "settings"))
        shown = self.run_botomfa("status", "--profile", "work").stdout
        self.assertIn("duration: 7200 s (duration in profiles.ini)", shown)
        self.settings("")
        refreshed = self.run_botomfa("--profile", "work", stdin=(
            self.server.totp(BOB_PHONE) + "\n").encode())
        self.assertEqual(refreshed.status, 0, refreshed)
        after = {p["profile"]: p for p in json.loads(
            self.run_botomfa("status", "--json").stdout)}
        self.assertEqual(after["work"]["state"], "valid")
        self.assertGreater(after["work"]["seconds_left"], 40000)
        self.assertEqual(self.sts_calls("GetCallerIdentity"), [])
        text = self.run_botomfa("status", "--profile", "work")
        self.assertIn("valid, until", text.stdout)
        # --check asks AWS; an expired-on-AWS session shows as rejected.
        self.server.control(expire_sessions=True)
        checked = json.loads(self.run_botomfa(
            "status", "--json", "--check", "--profile", "work").stdout)
        self.assertEqual(checked[0]["state"], "rejected")
        self.assertEqual(len(self.sts_calls("GetCallerIdentity")), 1)
        for secret in (BOB_SECRET, ALICE_SECRET):
            self.assertNotIn(secret, result.stdout + text.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
