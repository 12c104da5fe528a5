# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""botomfa-tray keeping up without a restart and without a timer: the
menu's state lines say the time left as of the moment the panel opens the
menu (com.canonical.dbusmenu AboutToShow, or the "opened" event), and a
change to profiles.ini, ~/.aws/config or the boto config shows at once.
The harness is test_tray.py's."""

import datetime
import os
import re
import shutil
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import test_tray  # noqa: E402
import test_tray_notify  # noqa: E402
from test_tray import GLib, clitest, wait_for  # noqa: E402

DBUSMENU = "com.canonical.dbusmenu"
ICON_EXPIRING = "io.github.botomfa.Botomfa-expiring-symbolic"
SESSION = ("aws_access_key_id = ASIATESTSESSION00001\n"
           "aws_secret_access_key = c2Vzc2lvbiBzZWNyZXQ\n"
           "aws_session_token = dGVzdCBzZXNzaW9uIHRva2Vu\n"
           "expiration = %s\n")
DEV = ("[profile dev]\nmfa_serial = %s\nregion = us-east-1\n"
       % clitest.ALICE_SERIAL)
DEV_KEY = ("[dev-long-term]\naws_access_key_id = AKIATESTALICE0000001\n"
           "aws_secret_access_key = %s\n" % clitest.ALICE_SECRET)
OPS = DEV.replace("dev", "ops")
OPS_KEY = DEV_KEY.replace("dev", "ops")


def stamp(epoch):
    return datetime.datetime.fromtimestamp(
        epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def minutes_left(line):
    match = re.search(r", (\d+) min left$", line)
    return int(match.group(1)) if match else None


class TrayChangesTest(test_tray.TrayTest):

    test_refresh_through_the_tray = None  # test_tray.py runs that one

    def setUp(self):
        super().setUp()
        self.aws = os.path.join(self.home, ".aws")
        self.config = os.path.join(self.aws, "config")
        self.credentials = os.path.join(self.aws, "credentials")
        self.settings = os.path.join(os.environ["XDG_CONFIG_HOME"],
                                     "botomfa", "profiles.ini")
        # The tests share one scratch HOME: each starts without these.
        shutil.rmtree(self.aws, ignore_errors=True)
        if os.path.exists(self.settings):
            os.remove(self.settings)
        subprocess.run(["secret-tool", "clear", "xdg:schema",
                        "io.github.botomfa.Session"], timeout=20,
                       check=False)

    # Helpers

    def write(self, path, text):
        """Writes beside PATH and renames over it, as editors do."""
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path + ".tmp", "w") as f:
            f.write(text)
        os.chmod(path + ".tmp", 0o600)
        os.rename(path + ".tmp", path)

    def layout(self):
        menu = self.props()["Menu"]
        reply = self.call(self.item_name, menu, DBUSMENU, "GetLayout",
                          GLib.Variant("(iias)", (0, -1, [])),
                          "(u(ia{sv}av))")
        _, (_, _, children) = reply.unpack()
        return [c[1].get("label", "") for c in children]

    def line(self, name):
        lines = [t for t in self.layout() if t.startswith(name + " — ")]
        self.assertEqual(len(lines), 1, self.layout())
        return lines[0]

    def about_to_show(self):
        menu = self.props()["Menu"]
        self.call(self.item_name, menu, DBUSMENU, "AboutToShow",
                  GLib.Variant("(i)", (0,)), "(b)")

    def opened(self):
        menu = self.props()["Menu"]
        self.call(self.item_name, menu, DBUSMENU, "Event",
                  GLib.Variant("(isvu)", (0, "opened",
                                          GLib.Variant("i", 0), 0)), None)

    def resolved(self):
        """How often the tray has shown freshly resolved profiles."""
        with open(self.tray_log.name) as f:
            return f.read().count("profiles resolved:")

    def write_and_wait(self, path, text):
        """Writes PATH and waits for the tray to resolve its profiles."""
        before = self.resolved()
        self.write(path, text)
        wait_for("the tray to read %s again" % path,
                 lambda: self.resolved() > before, 10)

    def wait_until(self, epoch):
        delay = epoch - time.time()
        if delay > 0:
            time.sleep(delay)

    def boto_session(self, expiry):
        with open(self.boto, "w") as f:
            f.write(test_tray.LONG_TERM + "\n[Credentials]\n"
                    + SESSION % stamp(expiry))

    # The tests

    def test_time_left_when_the_menu_opens(self):
        # Two sessions whose "N min left" drops from 21 to 20 a few
        # seconds after the start, "default" first, "dev" a little later;
        # nothing changes their state in between.
        start = int(time.time())
        default_expiry = start + 20 * 60 + 12
        dev_expiry = start + 20 * 60 + 24
        self.boto_session(default_expiry)
        self.write(self.config, DEV)
        self.write(self.credentials, DEV_KEY + "\n[dev]\n"
                   + SESSION % stamp(dev_expiry))
        self.start_tray()
        self.wait_title("— valid until")
        wait_for("dev's line", lambda: any(
            t.startswith("dev — valid until") for t in self.layout()))
        first = self.line("default")
        self.assertRegex(first, r"^default — valid until (\w+ )?\d\d:\d\d, "
                         r"2[01] min left$")
        # The title changes only with the state: no time left in it.
        self.assertNotIn("left", self.title())

        # Past default's minute: the lines stay as they were (nothing woke
        # the tray), until the panel is about to show the menu.
        self.wait_until(default_expiry - 20 * 60 + 1)
        self.assertEqual(self.line("default"), first)
        self.about_to_show()
        self.assertEqual(minutes_left(self.line("default")), 20)
        self.assertEqual(minutes_left(self.line("dev")), 21)
        dev_before = self.line("dev")

        # Past dev's minute: the "opened" event serves as well.
        self.wait_until(dev_expiry - 20 * 60 + 1)
        self.assertEqual(self.line("dev"), dev_before)
        self.opened()
        wait_for("dev's line to follow the clock",
                 lambda: minutes_left(self.line("dev")) == 20, 5)
        self.assertEqual(minutes_left(self.line("default")), 20)

        # A session written meanwhile (by the CLI, by hand) shows at once,
        # with its own time left.
        later = int(time.time()) + 45 * 60 + 30
        self.boto_session(later)
        wait_for("the new session's line",
                 lambda: minutes_left(self.line("default")) in (45, 46), 10)
        self.about_to_show()
        self.assertIn(minutes_left(self.line("default")),
                      (45, 46), self.line("default"))

    def test_settings_take_effect_at_once(self):
        expiry = int(time.time()) + 20 * 60
        self.boto_session(expiry)
        self.start_tray()
        props = self.wait_title("default — valid until")
        self.assertEqual(props["IconName"], test_tray.ICON_VALID)

        # A lead time of 30 minutes, written by hand: 20 minutes left are
        # "expiring" now, and the line says so.
        self.write(self.settings, "[default]\nnotify_before = 1800\n")
        props = self.wait_title("default — expires at", 10)
        self.assertEqual(props["IconName"], ICON_EXPIRING)
        self.about_to_show()
        self.assertRegex(self.line("default"),
                         r"^default — expires at .*, (19|20) min left$")
        # And back, in place this time (an editor without a backup file).
        with open(self.settings, "w") as f:
            f.write("[default]\nnotify_before = 600\n")
        self.wait_title("default — valid until", 10)

        # Profiles added to ~/.aws/config (whose directory did not exist
        # when the tray started) get their lines and refresh items.
        self.write(self.credentials, DEV_KEY + "\n" + OPS_KEY)
        self.write(self.config, DEV + "\n" + OPS)
        wait_for("dev and ops in the menu",
                 lambda: "Refresh ops now…" in self.layout(), 10)
        self.assertEqual(self.line("dev"), "dev — no session")
        self.assertEqual(self.line("ops"), "ops — no session")
        self.assertIn("Refresh default now…", self.layout())
        self.assertNotIn("_Refresh now…", self.layout())

        # Its duration is the one of the next refresh.
        dev = DEV + "duration_seconds = 1800\n"
        self.write_and_wait(self.config, dev + "\n" + OPS)
        self.refresh_dev()
        self.assertEqual(self.durations(), ["1800"])
        dev = DEV + "duration_seconds = 2700\n"
        self.write_and_wait(self.config, dev + "\n" + OPS)
        self.refresh_dev()
        self.assertEqual(self.durations(), ["1800", "2700"])

        # Gone from the files, gone from the menu.
        with open(self.credentials) as f:
            credentials = f.read()
        self.assertIn(OPS_KEY, credentials)
        self.write(self.credentials, credentials.replace(OPS_KEY, ""))
        self.write(self.config, dev)
        wait_for("ops to leave the menu",
                 lambda: "Refresh ops now…" not in self.layout(), 10)
        self.assertEqual([t for t in self.layout() if t.startswith("ops")],
                         [])
        self.assertTrue(self.line("dev").startswith("dev — valid until"))
        self.assertIsNone(self.tray.poll())
        self.click("_Quit")
        self.assertEqual(self.tray.wait(10), 0)

    def durations(self):
        return [r["params"].get("DurationSeconds") for r in
                self.sessions_asked() if not r["error_code"]]

    def refresh_dev(self):
        asked = len(self.sessions_asked())
        self.click("Refresh dev now…")
        window = wait_for("the dialog of dev", lambda: self.xdotool(
            "search", "--name", test_tray.DIALOG + " — dev",
            check=False).stdout.split())[0]
        self.type_code(window, self.server.totp(clitest.ALICE_SERIAL))
        wait_for("dev's session",
                 lambda: len(self.sessions_asked()) > asked
                 and self.line("dev").startswith("dev — valid until"), 20)
        wait_for("the dialog to close",
                 lambda: not self.dialog_present(), 10)
        # A code counts once; the next refresh may type the same one.
        self.server.control(forget_used_codes=True)

    def test_time_left_in_the_xembed_menu(self):
        """No StatusNotifierWatcher: the icon sits in an XEmbed panel
        (trayer) and a click pops the GtkMenu itself up."""
        test_tray.stop(self.watcher)
        trayer = subprocess.Popen(
            ["trayer", "--edge", "top", "--align", "right", "--widthtype",
             "percent", "--width", "100", "--height", "24"],
            env=self.env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        self.addCleanup(test_tray.stop, trayer)
        start = int(time.time())
        expiry = start + 20 * 60 + 12
        self.boto_session(expiry)
        env = dict(self.env)
        # Embedding the icon logs a harmless Gdk-CRITICAL.
        env["G_DEBUG"] = "gc-friendly"
        self.tray = subprocess.Popen([self.tray_path], env=env,
                                     stdout=self.tray_log,
                                     stderr=self.tray_log)
        icon = wait_for("the icon in trayer", lambda: self.xdotool(
            "search", "--onlyvisible", "--name", "^default — valid until",
            check=False).stdout.split(), 20)[0]
        self.assertEqual(self.logged("21 min left"), 1)

        self.wait_until(expiry - 20 * 60 + 1)
        self.assertEqual(self.logged("20 min left"), 0)
        shown = self.logged("menu about to show (GtkMenu)")
        geometry = dict(line.split("=", 1) for line in self.xdotool(
            "getwindowgeometry", "--shell", icon).stdout.split())
        self.xdotool("mousemove", "--sync",
                     str(int(geometry["X"]) + int(geometry["WIDTH"]) // 2),
                     str(int(geometry["Y"]) + int(geometry["HEIGHT"]) // 2),
                     "click", "1")
        wait_for("the menu to show 20 min left",
                 lambda: self.logged("20 min left") == 1, 10)
        self.assertEqual(self.logged("menu about to show (GtkMenu)"),
                         shown + 1)
        self.xdotool("key", "Escape")
        self.assertIsNone(self.tray.poll())

    def logged(self, text):
        with open(self.tray_log.name) as f:
            return f.read().count(text)

    def test_waiting_call_survives_a_change(self):
        # The keyring of this test file holds no session for "ops": the
        # call waits for its MFA dialog.
        self.write(self.credentials, OPS_KEY)
        self.write(self.config, OPS)
        self.start_tray()
        wait_for("ops in the menu",
                 lambda: "Refresh ops now…" in self.layout(), 10)
        asking = self.get_session("ops", timeout=90)
        window = wait_for("the dialog of ops", lambda: self.xdotool(
            "search", "--name", test_tray.DIALOG + " — ops",
            check=False).stdout.split())[0]

        # ops's settings change while the dialog is open: the tray shows a
        # new profile, and the dialog and the call carry on with theirs.
        self.write_and_wait(self.settings, "[ops]\nnotify_before = 120\n")
        self.assertTrue(self.dialog_present())
        self.assertIsNone(asking.poll())
        self.type_code(window, self.server.totp(clitest.ALICE_SERIAL))
        out, err = asking.communicate(timeout=60)
        self.assertEqual(asking.returncode, 0, err)
        self.assertIn("'AccessKeyId': <'ASIA", out)
        wait_for("ops's line", lambda: self.line("ops").startswith(
            "ops — valid until"), 10)

        # The profile shown now has the session in memory too: a second
        # call is answered without a dialog.
        again = self.get_session("ops", timeout=90)
        out, err = again.communicate(timeout=30)
        self.assertEqual(again.returncode, 0, err)
        self.assertIn("'AccessKeyId': <'ASIA", out)
        self.assertFalse(self.dialog_present())
        self.assertIsNone(self.tray.poll())


if __name__ == "__main__":
    unittest.main(verbosity=2)
