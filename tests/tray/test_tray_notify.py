# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""botomfa-tray's notifications and "Start at login", with the harness of
test_tray.py plus a notification daemon from python3-dbusmock on the test
bus. With no org.gtk.Notifications on the bus, GLib's GNotification talks
org.freedesktop.Notifications, which needs no installed .desktop file."""

import datetime
import os
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import test_tray  # noqa: E402
from test_tray import GLib, clitest, wait_for  # noqa: E402

FDO = "org.freedesktop.Notifications"
FDO_PATH = "/org/freedesktop/Notifications"
MOCK = "org.freedesktop.DBus.Mock"
APP_ID = test_tray.APP_ID
# The tray's warning starts notify_before ahead of expiry; a session within
# a minute of expiry counts as expired (REFRESH_EXPIRY_MARGIN).
NOTIFY_BEFORE = 64
MARGIN = 60


class TrayNotifyTest(test_tray.TrayTest):

    test_refresh_through_the_tray = None  # test_tray.py runs that one

    def setUp(self):
        super().setUp()
        self.daemon = subprocess.Popen(
            ["/usr/bin/python3", "-m", "dbusmock", "--template",
             "notification_daemon", "--parameters",
             '{"capabilities": "body actions icon-static"}'],
            stdout=subprocess.DEVNULL, stderr=sys.stderr)
        self.addCleanup(test_tray.stop, self.daemon)
        wait_for("the mock notification daemon", self.daemon_running, 15)
        # The template declares CloseNotification(i); the specification
        # and GLib say (u), which the mock would refuse unrecorded.
        self.call(FDO, FDO_PATH, MOCK, "AddMethod",
                  GLib.Variant("(sssss)", (
                      FDO, "CloseNotification", "u", "",
                      'self.EmitSignal("", "NotificationClosed", "uu", '
                      '[args[0], 3])')), None)
        self.config = os.path.join(os.environ["XDG_CONFIG_HOME"], "botomfa")
        self.autostart = os.path.join(os.environ["XDG_CONFIG_HOME"],
                                      "autostart", APP_ID + ".desktop")

    def daemon_running(self):
        reply = self.call("org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "NameHasOwner",
                          GLib.Variant("(s)", (FDO,)), "(b)")
        return reply.unpack()[0]

    def calls(self, method):
        reply = self.call(FDO, FDO_PATH, MOCK, "GetMethodCalls",
                          GLib.Variant("(s)", (method,)), "(a(tav))")
        return [args for _, args in reply.unpack()[0]]

    def all_calls(self):
        reply = self.call(FDO, FDO_PATH, MOCK, "GetCalls", None,
                          "(a(tsav))")
        return [(m, a) for _, m, a in reply.unpack()[0]]

    def closed_at_daemon(self, daemon_id):
        return [daemon_id] in [list(args)
                               for args in self.calls("CloseNotification")]

    # The tray's log says which notification it withdrew; the daemon sees
    # a CloseNotification only while GLib still tracks the notification,
    # which it stops doing once one of its actions was invoked (servers
    # close those themselves).
    def withdrawn(self, notification_id):
        self.tray_log.flush()
        with open(self.tray_log.name) as f:
            log = f.read()
        return "withdrawing notification %s\n" % notification_id in log

    def assertWithdrawn(self, notification_id):
        self.assertTrue(self.withdrawn(notification_id), self.all_calls())

    def notified(self, text):
        return [c for c in self.calls("Notify") if text in c[3]]

    def write_expiring_session(self, seconds_left):
        os.makedirs(self.config, exist_ok=True)
        path = os.path.join(self.config, "profiles.ini")
        with open(path, "w") as f:
            f.write("[default]\nnotify_before = %d\n" % NOTIFY_BEFORE)
        self.addCleanup(os.unlink, path)
        expiry = (datetime.datetime.now(datetime.timezone.utc)
                  + datetime.timedelta(seconds=seconds_left))
        with open(self.boto, "a") as f:
            f.write("\n[Credentials]\n"
                    "aws_access_key_id = ASIATESTSESSION00001\n"
                    "aws_secret_access_key = c2Vzc2lvbiBzZWNyZXQ\n"
                    "aws_session_token = dGVzdCBzZXNzaW9uIHRva2Vu\n"
                    "expiration = %s\n"
                    % expiry.strftime("%Y-%m-%dT%H:%M:%SZ"))
        return expiry

    def test_notifications(self):
        expiry = self.write_expiring_session(NOTIFY_BEFORE + 6)
        self.start_tray()
        self.wait_title("default — valid until")
        self.assertEqual(self.calls("Notify"), [])

        # At expiry − notify_before: "expire at HH:MM" with a Refresh button.
        sent = wait_for("the expiry warning",
                        lambda: self.notified("expire at"), 20)
        warning = sent[0]
        self.assertEqual(warning[3], "AWS credentials for default expire at "
                         + expiry.strftime("%H:%M"))
        actions = list(warning[5])
        self.assertIn("Refresh", actions)
        key = actions[actions.index("Refresh") - 1]
        props = self.wait_title("default — expires at")
        self.assertEqual(props["IconName"], APP_ID + "-expiring-symbolic")

        # Its button opens the MFA dialog (the ids count from 1).
        warning_id = 1
        self.call(FDO, FDO_PATH, MOCK, "EmitSignal",
                  GLib.Variant("(sssav)", (
                      FDO, "ActionInvoked", "us",
                      [GLib.Variant("u", warning_id),
                       GLib.Variant("s", key)])), None)
        window = self.find_dialog()
        time.sleep(0.3)
        self.screenshot("dialog-from-notification")
        self.focus(window)
        self.xdotool("key", "Escape")
        wait_for("Esc to close the dialog",
                 lambda: not self.dialog_present(), 10)

        # At expiry: "have expired"; the warning no longer holds.
        wait_for("the expiry notification",
                 lambda: self.notified("have expired"), 20)
        self.assertWithdrawn("expiring:default")
        self.assertEqual(len(self.notified("expire at")), 1)
        self.assertEqual(len(self.notified("have expired")), 1)

        # A refresh by the CLI withdraws it.
        done = subprocess.run(
            [self.cli_path],
            input=(self.server.totp(clitest.ALICE_SERIAL) + "\n").encode(),
            env=self.env, capture_output=True, timeout=30)
        self.assertEqual(done.returncode, 0, done)
        self.wait_title("default — valid until", timeout=10)
        wait_for("the expiry notification to be withdrawn",
                 lambda: self.withdrawn("expired:default"), 10)
        self.assertEqual(len(self.calls("Notify")), 2)
        # The daemon gave it the id 2; its warning (1) was closed by the
        # daemon when its button was pressed.
        wait_for("CloseNotification at the daemon",
                 lambda: self.closed_at_daemon(2), 10)
        self.assertFalse(self.closed_at_daemon(1), self.all_calls())

        self.click("_Quit")
        self.assertEqual(self.tray.wait(10), 0)

    def check_item(self, label):
        menu = self.props()["Menu"]
        reply = self.call(self.item_name, menu, "com.canonical.dbusmenu",
                          "GetLayout", GLib.Variant("(iias)", (0, -1, [])),
                          "(u(ia{sv}av))")
        _, (_, _, children) = reply.unpack()
        found = [c[1] for c in children if c[1].get("label") == label]
        self.assertEqual(len(found), 1, children)
        self.assertEqual(found[0].get("toggle-type"), "checkmark")
        return found[0].get("toggle-state")

    def test_start_at_login(self):
        self.assertFalse(os.path.exists(self.autostart))
        self.start_tray()
        self.wait_title("default — no session")
        self.assertEqual(self.check_item("_Start at login"), 0)

        self.click("_Start at login")
        wait_for("the autostart entry", lambda: os.path.exists(self.autostart))
        with open(self.autostart) as f:
            text = f.read()
        self.assertIn("Exec=botomfa-tray\n", text)
        self.assertIn("X-GNOME-Autostart-enabled=true\n", text)
        self.assertNotIn("Hidden", text)
        wait_for("the item to be checked",
                 lambda: self.check_item("_Start at login") == 1, 5)

        self.click("_Start at login")
        wait_for("the autostart entry to go",
                 lambda: not os.path.exists(self.autostart))
        wait_for("the item to be unchecked",
                 lambda: self.check_item("_Start at login") == 0, 5)

        # A restarted tray shows what the file says.
        self.click("_Quit")
        self.assertEqual(self.tray.wait(10), 0)
        with open(self.autostart + ".tmp", "w") as f:
            f.write(text)
        os.rename(self.autostart + ".tmp", self.autostart)
        self.addCleanup(os.unlink, self.autostart)
        self.start_tray()
        self.wait_title("default — no session")
        self.assertEqual(self.check_item("_Start at login"), 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
