# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""botomfa-tray with several profiles: the original setup ("default", from
~/.boto) plus two ~/.aws/config profiles on alice's MFA device. The harness
is test_tray.py's."""

import os
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import test_tray  # noqa: E402
import test_tray_notify  # noqa: E402
from test_tray import clitest, wait_for  # noqa: E402

NO_PANEL = "no panel shows tray icons here"

CONFIG = ("[profile dev]\nmfa_serial = %s\nregion = us-east-1\n\n"
          "[profile ops]\nmfa_serial = %s\nregion = us-east-1\n"
          % (clitest.ALICE_SERIAL, clitest.ALICE_SERIAL))
CREDENTIALS = "".join(
    "[%s-long-term]\naws_access_key_id = AKIATESTALICE0000001\n"
    "aws_secret_access_key = %s\n\n" % (name, clitest.ALICE_SECRET)
    for name in ("dev", "ops"))


class TrayProfilesTest(test_tray.TrayTest):

    test_refresh_through_the_tray = None  # test_tray.py runs that one

    def setUp(self):
        super().setUp()
        aws = os.path.join(self.home, ".aws")
        os.makedirs(aws, exist_ok=True)
        self.credentials = os.path.join(aws, "credentials")
        for path, text in ((os.path.join(aws, "config"), CONFIG),
                           (self.credentials, CREDENTIALS)):
            with open(path, "w") as f:
                f.write(text)
            os.chmod(path, 0o600)

    def labels(self):
        return [text for _, text in self.menu_items()[1]]

    def line(self, name):
        lines = [t for t in self.labels() if t.startswith(name + " — ")]
        self.assertEqual(len(lines), 1, self.labels())
        return lines[0]

    def credentials_text(self):
        with open(self.credentials) as f:
            return f.read()

    def dialogs(self):
        result = self.xdotool("search", "--name", test_tray.DIALOG,
                              check=False)
        return result.stdout.split()

    def test_every_profile_in_the_menu(self):
        self.start_tray()
        refresh_items = ["Refresh %s now…" % n
                         for n in ("default", "dev", "ops")]
        wait_for("a refresh item per profile",
                 lambda: all(i in self.labels() for i in refresh_items))
        labels = self.labels()
        self.assertNotIn("_Refresh now…", labels)
        for name in ("default", "dev", "ops"):
            self.assertEqual(self.line(name), "%s — no session" % name)

        # Refreshing "dev" through its own item touches only "dev".
        self.click("Refresh dev now…")
        window = test_tray.wait_for(
            "the dialog of dev",
            lambda: self.xdotool("search", "--name",
                                 test_tray.DIALOG + " — dev",
                                 check=False).stdout.split())[0]
        self.type_code(window, self.server.totp(clitest.ALICE_SERIAL))
        wait_for("dev's line to show its session",
                 lambda: self.line("dev").startswith("dev — valid until"))
        text = self.credentials_text()
        self.assertIn("[dev]", text)
        self.assertNotIn("[ops]", text)
        self.assertEqual(self.boto_text(), test_tray.LONG_TERM)
        self.assertEqual(self.line("ops"), "ops — no session")
        self.assertEqual(self.line("default"), "default — no session")
        # The item shows the most urgent state, not the freshest one.
        props = self.wait_title("— no session")
        self.assertEqual(props["IconName"], test_tray.ICON_EXPIRED)
        wait_for("the dialog to close", lambda: not self.dialogs(), 10)

        # One dialog per MFA device: asking for ops and then for default
        # (same device) brings the one dialog forward.
        self.click("Refresh ops now…")
        first = wait_for("the dialog of ops", self.dialogs)
        self.assertEqual(len(first), 1, first)
        name = self.xdotool("getwindowname", first[0]).stdout.strip()
        self.assertEqual(name, test_tray.DIALOG + " — ops")
        self.click("Refresh default now…")
        time.sleep(1)
        self.assertEqual(self.dialogs(), first)
        self.screenshot("profiles-dialog")
        self.focus(first[0])
        self.xdotool("key", "Escape")
        wait_for("Esc to close the dialog", lambda: not self.dialogs(), 10)

        self.click("_Quit")
        self.assertEqual(self.tray.wait(10), 0)

    def test_session_for_any_profile_shown(self):
        self.start_tray()
        wait_for("the profiles", lambda: "Refresh ops now…" in self.labels())
        unknown = self.get_session("nope")
        _, err = unknown.communicate(timeout=30)
        self.assertNotEqual(unknown.returncode, 0)
        self.assertIn("UnknownProfile", err)

        # The keyring's session cache may hold alice's session from an
        # earlier test (same key, same device); else the dialog asks.
        asking = self.get_session("ops")
        wait_for("ops's session or its dialog",
                 lambda: asking.poll() is not None or self.xdotool(
                     "search", "--name", test_tray.DIALOG + " — ops",
                     check=False).stdout.split())
        if asking.poll() is None:
            window = self.find_dialog()
            self.type_code(window, self.server.totp(clitest.ALICE_SERIAL))
        out, err = asking.communicate(timeout=30)
        self.assertEqual(asking.returncode, 0, err)
        self.assertIn("'AccessKeyId': <'ASIA", out)

class NoPanelTest(test_tray_notify.TrayNotifyTest):
    """No StatusNotifierWatcher on the bus: the icon may be nowhere to see,
    and the tray says so in a notification."""

    test_notifications = None  # test_tray_notify.py runs these
    test_start_at_login = None

    def no_panel(self):
        return [c for c in self.calls("Notify") if NO_PANEL in c[4]]

    def test_says_when_no_panel_shows_it(self):
        test_tray.stop(self.watcher)
        self.tray = subprocess.Popen([self.tray_path], env=self.env,
                                     stdout=self.tray_log,
                                     stderr=self.tray_log)
        calls = wait_for("the no-panel notification",
                         lambda: self.no_panel(), 15)
        self.assertEqual(len(calls), 1, calls)
        self.assertEqual(calls[0][3], "botomfa is running")
        self.assertIn("botomfa-tray --refresh", calls[0][4])
        time.sleep(1)
        self.assertEqual(len(self.no_panel()), 1, self.all_calls())
        self.assertIsNone(self.tray.poll())

        # A panel appears: the item registers and the notice is taken back.
        self.watcher = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(test_tray.HERE,
                                              "sni_watcher.py")],
            stdout=subprocess.PIPE, stderr=sys.stderr)
        self.addCleanup(self.watcher.stdout.close)
        self.addCleanup(test_tray.stop, self.watcher)
        self.assertEqual(self.read_watcher(10), "OWNED")
        log = os.path.join(self.work, "tray.log")

        def withdrawn():
            with open(log) as f:
                return "withdrawing notification no-panel" in f.read()

        wait_for("the no-panel notification to be withdrawn", withdrawn, 15)
        self.assertEqual(len(self.no_panel()), 1, self.all_calls())

    def test_silent_when_a_panel_shows_it(self):
        self.start_tray()
        self.wait_title("default — no session")
        time.sleep(4)  # past the tray's grace period
        self.assertEqual(self.no_panel(), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
