#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""Long-term keys in a real gnome-keyring: botomfa keys set, import, list
and delete, and refresh taking the key from the keyring. Runs inside
tests/keyring-session.sh (a private bus with an unlocked keyring)."""

import os
import subprocess
import time
import unittest

from clitest import ALICE_SECRET, FIXTURES, ServerTestCase

BOB_SECRET = "botomfaTestSecretBob00000000000000000002"
SCHEMA = "io.github.botomfa.LongTermKey"


def session_env():
    keep = ("DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "XDG_DATA_HOME",
            "GNOME_KEYRING_CONTROL")
    missing = [k for k in keep[:2] if k not in os.environ]
    if missing:
        raise unittest.SkipTest("run inside tests/keyring-session.sh")
    return {k: os.environ[k] for k in keep if k in os.environ}


def secret_tool(*args, stdin=None):
    return subprocess.run(["secret-tool"] + list(args), input=stdin,
                          capture_output=True, text=True, timeout=20)


class KeyringTestCase(ServerTestCase):

    def setUp(self):
        super().setUp()
        self.env.update(session_env())
        secret_tool("clear", "xdg:schema", SCHEMA)
        self.assertEqual(self.keys("list").stdout.strip(),
                         "No long-term keys are stored in the keyring.")

    def keys(self, *args, stdin=b"", env=None):
        return self.run_botomfa("keys", *args, stdin=stdin, env=env)

    def install_aws(self, fixture):
        path = os.path.join(self.home, ".aws", "credentials")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(os.path.join(FIXTURES, "aws", fixture), "rb") as src:
            data = src.read()
        with open(path, "wb") as dst:
            dst.write(data)
        return path, data

    def assert_secret_nowhere(self, secret, *outputs):
        for output in outputs:
            self.assertNotIn(secret, output)
        keyrings = os.path.join(os.environ.get("XDG_DATA_HOME", ""),
                                "keyrings")
        for root in (self.home, os.environ.get("HOME", self.home)):
            for folder, _, files in os.walk(root):
                if folder.startswith(keyrings):
                    continue
                for name in files:
                    path = os.path.join(folder, name)
                    try:
                        with open(path, "rb") as f:
                            data = f.read()
                    except OSError:
                        continue
                    self.assertNotIn(secret.encode(), data, path)


class KeysCommandTest(KeyringTestCase):

    def test_set_from_stdin_then_list_and_delete(self):
        result = self.keys("set", "--profile", "work", stdin=(
            "AKIATESTBOB000000002\n%s\n" % BOB_SECRET).encode())
        self.assertEqual(result.status, 0, result)
        listed = self.keys("list")
        self.assertEqual(listed.status, 0, listed)
        self.assertIn("work", listed.stdout)
        self.assertIn("AKIATESTBOB000000002", listed.stdout)
        self.assert_secret_nowhere(BOB_SECRET, result.stdout, result.stderr,
                                   listed.stdout)
        # The keyring holds the secret under our schema.
        looked_up = secret_tool("lookup", "xdg:schema", SCHEMA,
                                "profile", "work")
        self.assertEqual(looked_up.stdout, BOB_SECRET)
        deleted = self.keys("delete", "--profile", "work")
        self.assertEqual(deleted.status, 0, deleted)
        self.assertIn("No long-term keys", self.keys("list").stdout)
        again = self.keys("delete", "--profile", "work")
        self.assertEqual(again.status, 1, again)
        self.assertIn("work", again.stderr)

    def test_set_replaces_the_profiles_key(self):
        for key_id, secret in (("AKIATESTBOB000000002", BOB_SECRET),
                               ("AKIATESTALICE0000001", ALICE_SECRET)):
            self.assertEqual(self.keys("set", stdin=(
                "%s\n%s\n" % (key_id, secret)).encode()).status, 0)
        listed = self.keys("list").stdout.splitlines()
        self.assertEqual(len(listed), 2, listed)  # header + one profile
        self.assertIn("AKIATESTALICE0000001", listed[1])

    def test_set_refuses_malformed_and_session_keys(self):
        for text in ("not-a-key\n%s\n" % BOB_SECRET,
                     "ASIATESTBOB000000002\n%s\n" % BOB_SECRET,
                     "AKIATESTBOB000000002\nshort\n",
                     "AKIATESTBOB000000002\n"):
            result = self.keys("set", stdin=text.encode())
            self.assertIn(result.status, (1, 2), result)
            self.assertEqual(len(result.stderr.strip().splitlines()), 1,
                             result)
            self.assertNotIn(BOB_SECRET, result.stderr)
        self.assertIn("No long-term keys", self.keys("list").stdout)

    def test_usage_errors(self):
        for args in ((), ("frobnicate",), ("list", "extra")):
            result = self.keys(*args)
            self.assertEqual(result.status, 2, result)


class ImportTest(KeyringTestCase):

    def test_import_keeps_plaintext_unless_asked(self):
        before = self.install("original.boto")
        result = self.keys("import")
        self.assertEqual(result.status, 0, result)
        self.assertIn("still there", result.stdout)
        self.assertEqual(self.read(), before)
        self.assertIn("AKIATESTALICE0000001", self.keys("list").stdout)

    def test_import_remove_plaintext_from_boto_then_refresh(self):
        before = self.install("original.boto")
        result = self.keys("import", "--remove-plaintext")
        self.assertEqual(result.status, 0, result)
        after = self.read()
        expected = before.replace(
            b"aws_access_key_id = AKIATESTALICE0000001\n", b"").replace(
            ("aws_secret_access_key = %s\n" % ALICE_SECRET).encode(), b"")
        self.assertEqual(after, expected)
        self.assert_secret_nowhere(ALICE_SECRET, result.stdout,
                                   result.stderr)
        # The "done when": botomfa refreshes [Credentials] as before.
        refreshed = self.run_botomfa("--debug",
                                     stdin=(self.code() + "\n").encode())
        self.assertEqual(refreshed.status, 0, refreshed)
        self.assertIn("Current temporary credentials success!",
                      refreshed.stdout)
        self.assertNotIn("keys import", refreshed.stderr)
        self.assertIn(b"ASIA", self.read())
        self.assert_secret_nowhere(ALICE_SECRET, refreshed.stdout,
                                   refreshed.stderr)

    def test_import_from_aws_credentials_long_term_section(self):
        path, before = self.install_aws("credentials-long-term")
        result = self.keys("import", "--profile", "work",
                           "--remove-plaintext")
        self.assertEqual(result.status, 0, result)
        self.assertIn("[work-long-term]", result.stdout)
        with open(path, "rb") as f:
            after = f.read()
        self.assertEqual(after, before.replace(
            b"aws_access_key_id = AKIATESTBOB000000002\n", b"").replace(
            ("aws_secret_access_key = %s\n" % BOB_SECRET).encode(), b""))
        self.assertIn("AKIATESTBOB000000002", self.keys("list").stdout)

    def test_import_long_term_key_from_aws_profile_section(self):
        path, before = self.install_aws("credentials-akia-profile")
        result = self.keys("import", "--profile", "work",
                           "--remove-plaintext")
        self.assertEqual(result.status, 0, result)
        with open(path, "rb") as f:
            after = f.read()
        self.assertEqual(after, before.replace(
            b"aws_access_key_id=AKIATESTBOB000000002\r\n", b"").replace(
            ("aws_secret_access_key=%s\r\n" % BOB_SECRET).encode(), b""))

    def test_import_with_nothing_to_import(self):
        result = self.keys("import", "--profile", "nobody")
        self.assertEqual(result.status, 1, result)
        self.assertIn("No long-term key for profile nobody", result.stderr)


class RefreshKeySourceTest(KeyringTestCase):

    def test_plaintext_key_works_and_suggests_import(self):
        self.install("original.boto")
        result = self.run_botomfa(stdin=(self.code() + "\n").encode())
        self.assertEqual(result.status, 0, result)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result)
        self.assertIn("botomfa keys import --remove-plaintext", lines[0])

    def test_keyring_key_wins_over_plaintext(self):
        self.install("profile.boto")  # [long-term] holds carol's key
        self.assertEqual(self.keys("set", stdin=(
            "AKIATESTALICE0000001\n%s\n" % ALICE_SECRET).encode()).status, 0)
        result = self.run_botomfa(stdin=(self.code() + "\n").encode())
        self.assertEqual(result.status, 0, result)
        self.assertEqual(result.stderr, "")
        self.assertEqual(self.sts_calls()[-1]["access_key_id"],
                         "AKIATESTALICE0000001")

    def test_no_bus_falls_back_to_plaintext_with_a_note(self):
        self.install("original.boto")
        for bus in ("unix:path=/nonexistent/bus", None):
            env = dict(self.env)
            if bus is None:
                env.pop("DBUS_SESSION_BUS_ADDRESS")
            else:
                env["DBUS_SESSION_BUS_ADDRESS"] = bus
            self.server.control(forget_used_codes=True)
            saved, self.env = self.env, env
            try:
                started = time.monotonic()
                result = self.run_botomfa(stdin=(self.code() + "\n").encode())
                took = time.monotonic() - started
            finally:
                self.env = saved
            self.assertEqual(result.status, 0, result)
            self.assertIn("keyring was not used", result.stderr)
            self.assertLess(took, 5)
            os.unlink(self.boto)
            self.install("original.boto")

    def test_no_key_anywhere_and_no_bus_reports_the_keyring(self):
        env = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"}
        started = time.monotonic()
        result = self.run_botomfa(env=env)
        self.assertLess(time.monotonic() - started, 1.5)
        self.assertEqual(result.status, 1, result)
        self.assertIn("bus", result.stderr.lower())
        self.assertNotIn("Enter AWS MFA code", result.stdout)


class ArgvTest(KeyringTestCase):

    def test_secrets_never_reach_a_command_line(self):
        """While botomfa stores a key and refreshes with it, no process
        of the machine has the secret, the token or the code in its
        argv."""
        import glob
        self.install("original.boto")
        code = self.code()
        seen = []

        def scan():
            for path in glob.glob("/proc/[0-9]*/cmdline"):
                try:
                    with open(path, "rb") as f:
                        seen.append(f.read())
                except OSError:
                    pass

        for args, stdin in ((("keys", "import"), b""),
                            ((), (code + "\n").encode())):
            proc = subprocess.Popen(
                [os.environ["BOTOMFA"]] + list(args), env=self.env,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE)
            proc.stdin.write(stdin)
            proc.stdin.close()
            while proc.poll() is None:
                scan()
            self.assertEqual(proc.wait(), 0, proc.stderr.read())
        written = self.read()
        token = written.split(b"aws_security_token = ")[1].split(b"\n")[0]
        self.assertGreater(len(seen), 0)
        for cmdline in seen:
            for secret in (ALICE_SECRET.encode(), token, code.encode()):
                self.assertNotIn(secret, cmdline)


class LockedKeyringTest(KeyringTestCase):

    def keyring_lock(self, action):
        return subprocess.run(
            ["/usr/bin/python3", os.path.join(os.path.dirname(
                os.path.abspath(__file__)), "keyring-lock.py"), action],
            capture_output=True, text=True, timeout=20)

    def tearDown(self):
        unlocked = self.keyring_lock("unlock")
        self.assertEqual(unlocked.returncode, 0, unlocked.stderr)

    def test_locked_keyring_is_not_reported_as_missing(self):
        self.assertEqual(self.keys("set", stdin=(
            "AKIATESTALICE0000001\n%s\n" % ALICE_SECRET).encode()).status, 0)
        locked = self.keyring_lock("lock")
        self.assertEqual(locked.returncode, 0, locked.stderr)
        started = time.monotonic()
        result = self.run_botomfa(stdin=(self.code() + "\n").encode())
        self.assertLess(time.monotonic() - started, 1.5)
        self.assertEqual(result.status, 1, result)
        self.assertIn("locked", result.stderr)
        # Not the "nothing stored" answer: the key is there, behind a lock.
        self.assertNotIn("store it with", result.stderr)
        self.assertNotIn("Enter AWS MFA code", result.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
