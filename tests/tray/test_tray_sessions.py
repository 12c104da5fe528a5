# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""botomfa-credential-process against a running botomfa-tray
(io.github.botomfa.Sessions1): the tray asks for the code in its dialog
and keeps the session in memory; with no tray the small client runs
`botomfa credential-process`. Run inside tests/keyring-session.sh, like
test_tray.py, whose fixtures it reuses."""

import json
import os
import re
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import test_tray  # noqa: E402
from test_tray import clitest, wait_for  # noqa: E402

APP_ID = "io.github.botomfa.Botomfa"
EXPIRATION = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


class SessionsTest(test_tray.TrayTest):

    # The base class's own test runs in tray-gui.
    test_refresh_through_the_tray = None

    def setUp(self):
        self.cp_path = os.environ.get("BOTOMFA_CREDENTIAL_PROCESS")
        if not self.cp_path:
            raise unittest.SkipTest("run through meson test")
        super().setUp()

    def start_cp(self):
        return subprocess.Popen(
            [self.cp_path, "--profile", "default"], env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def finish(self, proc, timeout=30):
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise
        return proc.returncode, out, err

    def check_document(self, text):
        doc = json.loads(text)
        self.assertEqual(doc["Version"], 1)
        self.assertRegex(doc["AccessKeyId"], r"^ASIA")
        self.assertTrue(doc["SecretAccessKey"])
        self.assertTrue(doc["SessionToken"])
        self.assertRegex(doc["Expiration"], EXPIRATION)
        return doc

    def tray_log_text(self):
        self.tray_log.flush()
        with open(self.tray_log.name) as f:
            return f.read()

    def tray_owned(self):
        reply = self.call("org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "NameHasOwner",
                          test_tray.GLib.Variant("(s)", (APP_ID,)),
                          "(b)")
        return reply.unpack()[0]

    def test_session_from_the_tray(self):
        self.start_tray()
        self.wait_title("default — no session")

        # Esc in the dialog: the waiting client fails, saying why.
        proc = self.start_cp()
        window = self.find_dialog()
        self.assertIsNone(proc.poll(), "the client did not wait")
        self.xdotool("windowfocus", "--sync", window)
        self.xdotool("key", "Escape")
        status, out, err = self.finish(proc)
        self.assertEqual(status, 1, err)
        self.assertEqual(out, "")
        self.assertIn("closed without a code", err)
        self.assertEqual(self.sessions_asked(), [])

        # The code typed in the dialog answers the waiting client.
        proc = self.start_cp()
        window = self.find_dialog()
        code = self.server.totp(clitest.ALICE_SERIAL)
        self.type_code(window, code)
        status, out, err = self.finish(proc)
        self.assertEqual(status, 0, err)
        first = self.check_document(out)
        self.assertNotIn(code, err + self.tray_log_text())
        self.assertNotIn(first["SecretAccessKey"], err + self.tray_log_text())
        self.assertEqual(len(self.sessions_asked()), 1)
        wait_for("the dialog to close", lambda: not self.dialog_present(), 10)

        # Again: from the tray's memory, no STS call, no dialog.
        status, out, err = self.finish(self.start_cp(), timeout=10)
        self.assertEqual(status, 0, err)
        self.assertEqual(self.check_document(out), first)
        self.assertEqual(len(self.sessions_asked()), 1)
        self.assertFalse(self.dialog_present())
        self.assertIn("answered from memory", self.tray_log_text())

        # The full CLI asks the tray first too.
        full = subprocess.run(
            [self.cli_path, "credential-process", "--profile", "default"],
            env=self.env, capture_output=True, text=True, timeout=30)
        self.assertEqual(full.returncode, 0, full.stderr)
        self.assertEqual(self.check_document(full.stdout), first)
        self.assertEqual(len(self.sessions_asked()), 1)

        self.click("_Quit")
        self.assertEqual(self.tray.wait(10), 0)
        self.assertFalse(self.tray_owned())

        # No tray: the small client runs `botomfa credential-process`, which
        # answers from the keyring cache that a new `botomfa` refresh filled.
        self.server.control(forget_used_codes=True)
        cleared = subprocess.run([self.cli_path, "--clear"], env=self.env,
                                 capture_output=True, timeout=30)
        self.assertEqual(cleared.returncode, 0, cleared)
        refresh = subprocess.run(
            [self.cli_path, "--profile", "default"], env=self.env,
            input=self.server.totp(clitest.ALICE_SERIAL) + "\n",
            capture_output=True, text=True, timeout=60)
        self.assertEqual(refresh.returncode, 0, refresh.stderr)
        self.assertEqual(len(self.sessions_asked()), 2)
        status, out, err = self.finish(self.start_cp(), timeout=30)
        self.assertEqual(status, 0, err)
        fallback = self.check_document(out)
        self.assertNotEqual(fallback["AccessKeyId"], first["AccessKeyId"])
        self.assertEqual(len(self.sessions_asked()), 2)
        self.assertFalse(self.dialog_present())


if __name__ == "__main__":
    test_tray.unittest.main(verbosity=2)
