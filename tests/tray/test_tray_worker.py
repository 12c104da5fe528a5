# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""botomfa-tray's MFA dialog and botomfa-sts-worker, which makes the
tray's STS calls: a worker that is missing or exits without an answer
(BOTOMFA_STS_WORKER, see src/tray/botomfa-sts-worker.c) shows as a clear
message in the dialog, which stays open, while nothing is written and the
tray keeps running; and while a worker runs, no process has the code or
the secret in its argv or environment. Run inside
tests/keyring-session.sh, like test_tray.py."""

import glob
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import test_tray  # noqa: E402
from test_tray import clitest, wait_for  # noqa: E402

WORKER_NAME = "botomfa-sts-worker"


class TrayWorkerTest(test_tray.TrayTest):

    test_refresh_through_the_tray = None  # test_tray.py runs that one

    def failures(self):
        """What the MFA dialog showed for each failed refresh, from the
        tray's debug log (mfa-dialog.c logs "NAME: no session: MESSAGE")."""
        with open(os.path.join(self.work, "tray.log")) as f:
            return [line.split(": no session: ", 1)[1].strip()
                    for line in f if ": no session: " in line]

    def dialog_said(self):
        failures = self.failures()
        return failures[-1] if failures else None

    def refresh_fails(self, worker, *expected):
        self.env["BOTOMFA_STS_WORKER"] = worker
        self.start_tray()
        self.wait_title("default — no session")
        self.click("_Refresh now…")
        window = self.find_dialog()
        self.type_code(window, self.server.totp(clitest.ALICE_SERIAL))
        message = wait_for("the dialog to say why", self.dialog_said, 20)
        for text in expected:
            self.assertIn(text, message)
        self.wait_title("default — no session")
        self.assertTrue(self.dialog_present(), "the dialog closed")
        self.assertIsNone(self.tray.poll(), "the tray ended")
        self.assertEqual(self.boto_text(), test_tray.LONG_TERM)
        self.assertEqual(self.sessions_asked(), [])
        return window

    def test_worker_missing(self):
        missing = os.path.join(self.work, "no-such-worker")
        self.refresh_fails(missing, "could not start its helper", missing,
                           "Reinstall botomfa")
        self.screenshot("dialog-worker-missing")

    def test_worker_exits_without_answer(self):
        window = self.refresh_fails("/bin/false", "/bin/false",
                                    "exited with status 1 without an answer")
        # The entry is ready for another try, which fails the same way.
        self.type_code(window, self.server.totp(clitest.ALICE_SERIAL))
        wait_for("a second failure", lambda: len(self.failures()) == 2, 20)
        self.assertTrue(self.dialog_present())

    def workers(self):
        """{pid: (cmdline, environ)} of the running workers."""
        found = {}
        for exe in glob.glob("/proc/[0-9]*/exe"):
            pid = exe.split("/")[2]
            try:
                if os.path.basename(os.readlink(exe)) != WORKER_NAME:
                    continue
                with open("/proc/%s/cmdline" % pid, "rb") as f:
                    cmdline = f.read()
                with open("/proc/%s/environ" % pid, "rb") as f:
                    environ = f.read()
            except OSError:
                continue
            found[pid] = (cmdline, environ)
        return found

    def test_code_not_in_the_workers_argv(self):
        self.start_tray()
        self.wait_title("default — no session")
        self.server.control(faults=[{"kind": "slow", "seconds": 3,
                                     "count": 1}])
        self.click("_Refresh now…")
        window = self.find_dialog()
        code = self.server.totp(clitest.ALICE_SERIAL)
        self.type_code(window, code)
        seen = {}
        deadline = time.monotonic() + 20
        while "valid until" not in self.title():
            self.assertLess(time.monotonic(), deadline, "no session")
            seen.update(self.workers())
            time.sleep(0.05)
        self.assertGreater(len(seen), 0, "no worker seen while it ran")
        secrets = (code.encode(), clitest.ALICE_SECRET.encode())
        for pid, (cmdline, environ) in seen.items():
            self.assertEqual(cmdline.split(b"\0")[1:], [b""], cmdline)
            for secret in secrets:
                self.assertNotIn(secret, cmdline)
                self.assertNotIn(secret, environ)
        wait_for("the dialog to close", lambda: not self.dialog_present(), 10)


if __name__ == "__main__":
    unittest.main(verbosity=2)
