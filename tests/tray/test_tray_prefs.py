# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""botomfa-tray's "About" and "Preferences…" windows, with the harness of
test_tray.py: the menu is clicked over dbusmenu and the preferences are
changed with real key events; profiles.ini is read back."""

import configparser
import os
import shutil
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import test_tray  # noqa: E402
import test_tray_profiles  # noqa: E402
from test_tray import clitest, sts_server, wait_for  # noqa: E402

ABOUT = "About botomfa"
PREFS = "Preferences — default"
KEY = "AWS access key — default"


class TrayPrefsTest(test_tray.TrayTest):

    test_refresh_through_the_tray = None  # test_tray.py runs that one

    def setUp(self):
        super().setUp()
        self.settings = os.path.join(os.environ["XDG_CONFIG_HOME"],
                                     "botomfa", "profiles.ini")
        # The tests share one scratch HOME and keyring: start each clean.
        if os.path.exists(self.settings):
            os.remove(self.settings)
        subprocess.run(["secret-tool", "clear", "xdg:schema",
                        "io.github.botomfa.LongTermKey", "profile",
                        "default"], timeout=20, check=False)

    def window(self, name):
        result = self.xdotool("search", "--sync", "--name", name)
        return result.stdout.split()[0]

    def present(self, name):
        return self.xdotool("search", "--name", name,
                            check=False).returncode == 0

    def keys(self, window, *keys):
        self.focus(window)
        for key in keys:
            self.xdotool("key", "--delay", "30", key)
            time.sleep(0.1)

    def read_settings(self):
        parser = configparser.ConfigParser(interpolation=None)
        if not parser.read(self.settings):
            return None
        return {s: dict(parser[s]) for s in parser.sections()}

    def visible(self, name):
        return self.xdotool("search", "--onlyvisible", "--name", name,
                            check=False).returncode == 0

    def keyring_secret(self):
        result = subprocess.run(
            ["secret-tool", "lookup", "xdg:schema",
             "io.github.botomfa.LongTermKey", "profile", "default"],
            capture_output=True, text=True, timeout=20)
        return result.stdout if result.returncode == 0 else None

    def asked(self, action):
        return [r for r in self.server.requests() if r["action"] == action]

    def open_key_dialog(self):
        """Starts the tray with no key stored and presses "Refresh now…":
        the key dialog opens and the MFA dialog steps aside. Returns the
        key dialog's window."""
        self.start_tray()
        self.wait_title("default — no session")
        self.click("_Refresh now…")
        window = self.window(KEY)
        wait_for("the MFA dialog to step aside",
                 lambda: not self.visible(test_tray.DIALOG), 10)
        return window

    def test_first_run(self):
        os.remove(self.boto)  # no long-term key anywhere
        self.assertIsNone(self.keyring_secret())
        window = self.open_key_dialog()
        time.sleep(0.3)
        self.screenshot("key-dialog")

        # A device that is no ARN is refused, and nothing is stored.
        self.keys(window, "alt+k")
        self.xdotool("type", "--delay", "20", sts_server.ALICE_ACCESS_KEY_ID)
        self.keys(window, "alt+s")
        self.xdotool("type", "--delay", "10",
                     sts_server.ALICE_SECRET_ACCESS_KEY)
        self.keys(window, "alt+d", "ctrl+a", "BackSpace")
        self.xdotool("type", "--delay", "20", "not an arn")
        self.keys(window, "Return")
        time.sleep(1)
        self.screenshot("key-dialog-error")
        self.assertTrue(self.visible(KEY))
        self.assertIsNone(self.keyring_secret())
        self.assertIsNone(self.read_settings())

        # "Find my MFA device" asks IAM with the typed key and fills the
        # field; Enter stores.
        self.keys(window, "alt+d", "ctrl+a", "BackSpace", "alt+f")
        wait_for("ListMFADevices", lambda: self.asked("ListMFADevices"), 20)
        time.sleep(0.5)
        self.keys(window, "alt+d", "Return")
        wait_for("the key dialog to close", lambda: not self.present(KEY), 20)
        self.assertEqual(self.keyring_secret(),
                         sts_server.ALICE_SECRET_ACCESS_KEY)
        self.assertEqual(self.read_settings(), {"default": {
            "mfa_serial": sts_server.ALICE_MFA_SERIAL}})

        # The MFA dialog follows, and the stored key signs the refresh.
        window = wait_for("the MFA dialog",
                          lambda: self.visible(test_tray.DIALOG) and
                          self.window(test_tray.DIALOG), 10)
        time.sleep(0.5)
        self.screenshot("key-dialog-then-mfa")
        self.type_code(window, self.server.totp(clitest.ALICE_SERIAL))
        self.wait_title("default — valid until")
        # The session went to the boto config; the secret stays out.
        self.assertIn("[Credentials]", self.boto_text())
        self.assertNotIn(sts_server.ALICE_SECRET_ACCESS_KEY, self.boto_text())

    def test_first_run_from_the_console_key_file(self):
        """The CSV the AWS console hands out, found in ~/Downloads, fills
        the dialog on request and, once the key is stored, goes to the
        trash when asked to; a file holding another key stays."""
        os.remove(self.boto)  # no long-term key anywhere
        downloads = os.path.join(self.home, "Downloads")
        os.makedirs(downloads, exist_ok=True)
        self.addCleanup(shutil.rmtree, downloads, True)
        older = os.path.join(downloads, "old_accessKeys.csv")
        with open(older, "w") as f:
            f.write("Access key ID,Secret access key\r\n"
                    "AKIAOLDEROLDEROLDER1,%s\r\n" % ("o" * 40))
        os.utime(older, (time.time() - 3600, time.time() - 3600))
        csv = os.path.join(downloads, "alice_accessKeys.csv")
        with open(csv, "w", encoding="utf-8-sig") as f:
            f.write("Access key ID,Secret access key\r\n%s,%s\r\n" % (
                sts_server.ALICE_ACCESS_KEY_ID,
                sts_server.ALICE_SECRET_ACCESS_KEY))
        trash = os.path.join(os.environ["XDG_DATA_HOME"], "Trash", "files")

        window = self.open_key_dialog()
        time.sleep(1)  # the file is looked for in a thread
        self.screenshot("key-dialog-file-found")

        # Store without "Use this key": the typed (empty) key is refused
        # and the file stays where it is.
        self.keys(window, "alt+t")
        time.sleep(0.5)
        self.assertIsNone(self.keyring_secret())
        self.assertTrue(os.path.exists(csv))

        # alt+u takes the newest file's key, alt+m asks for the trash.
        self.keys(window, "alt+u")
        time.sleep(0.3)
        self.keys(window, "alt+m")
        self.keys(window, "alt+d", "ctrl+a", "BackSpace")
        self.xdotool("type", "--delay", "20", sts_server.ALICE_MFA_SERIAL)
        self.keys(window, "Return")
        wait_for("the key dialog to close", lambda: not self.present(KEY), 20)
        self.assertEqual(self.keyring_secret(),
                         sts_server.ALICE_SECRET_ACCESS_KEY)
        self.assertFalse(os.path.exists(csv))
        self.assertTrue(os.path.exists(
            os.path.join(trash, "alice_accessKeys.csv")))
        with open(older) as f:
            self.assertIn("AKIAOLDEROLDEROLDER1", f.read())

        # The stored key signs the refresh that follows.
        window = wait_for("the MFA dialog",
                          lambda: self.visible(test_tray.DIALOG) and
                          self.window(test_tray.DIALOG), 10)
        time.sleep(0.5)
        self.type_code(window, self.server.totp(clitest.ALICE_SERIAL))
        self.wait_title("default — valid until")

    def test_move_the_plaintext_key_into_the_keyring(self):
        """A key read from ~/.boto [long-term] is offered a move: the
        keyring gets it, the file loses the key's two lines and nothing
        else, and the refresh that follows uses the keyring's key."""
        with open(self.boto, "w") as f:
            f.write("# my boto config\n[Boto]\nnum_retries = 3\n\n"
                    + test_tray.LONG_TERM + "region = eu-west-1\n")
        self.assertIsNone(self.keyring_secret())
        self.start_tray()
        self.wait_title("default — no session")
        self.click("_Refresh now…")
        window = self.window(test_tray.DIALOG)
        time.sleep(1)  # the key is read in a thread, then the offer shows
        self.screenshot("dialog-plaintext-key")

        # Alt+M is pressed again until the button, shown once the key is
        # read, takes it; a press that comes too early does nothing.
        def moved():
            self.keys(window, "alt+m")
            try:
                return wait_for("the keyring to hold the key", lambda:
                                self.keyring_secret()
                                == sts_server.ALICE_SECRET_ACCESS_KEY, 3)
            except AssertionError:
                return False
        wait_for("the key in the keyring", moved, 30)
        wait_for("the plaintext key gone",
                 lambda: clitest.ALICE_SECRET not in self.boto_text(), 10)
        self.assertEqual(self.boto_text(),
                         "# my boto config\n[Boto]\nnum_retries = 3\n\n"
                         "[long-term]\nregion = eu-west-1\n")
        time.sleep(0.5)
        self.screenshot("dialog-key-moved")
        self.type_code(window, self.server.totp(clitest.ALICE_SERIAL))
        self.wait_title("default — valid until")
        self.assertIn("[Credentials]", self.boto_text())
        self.assertNotIn(clitest.ALICE_SECRET, self.boto_text())

    def test_about(self):
        self.start_tray()
        self.wait_title("default — no session")
        _, items = self.menu_items()
        self.assertIn("_About", [text for _, text in items])
        self.click("_About")
        window = self.window(ABOUT)
        time.sleep(0.3)
        self.screenshot("about")
        # A second click brings the same window forward.
        self.click("_About")
        time.sleep(0.3)
        found = self.xdotool("search", "--name", ABOUT).stdout.split()
        self.assertEqual(found, [window])
        self.keys(window, "Escape")
        wait_for("Esc to close About", lambda: not self.present(ABOUT), 10)
        self.assertIsNone(self.tray.poll(), "the tray exited")

    def test_preferences(self):
        self.start_tray()
        self.wait_title("default — no session")
        self.click("_Preferences…")
        window = self.window(PREFS)
        time.sleep(0.3)
        self.screenshot("preferences")
        self.assertIsNone(self.read_settings())

        # A command with an open quote is refused; nothing is written.
        self.keys(window, "alt+m")
        self.xdotool("type", "--delay", "20", 'echo "123456')
        self.keys(window, "alt+a")
        time.sleep(0.5)
        self.screenshot("preferences-error")
        self.assertIsNone(self.read_settings())
        self.assertTrue(self.present(PREFS))

        # Warn 15 minutes ahead; the boto config off (Tab, space), the AWS
        # credentials file on (its mnemonic); a valid command; Apply.
        self.keys(window, "ctrl+a", "BackSpace")
        self.xdotool("type", "--delay", "20", "echo 123456")
        self.keys(window, "alt+w", "ctrl+a")
        self.xdotool("type", "--delay", "20", "15")
        self.keys(window, "Tab", "space", "alt+r", "alt+a")
        expected = {"default": {
            "mfa_process": "echo 123456",
            "notify_before": "900",
            "targets": "aws-credentials",
        }}
        # Apply writes one key after another: wait for the last of them,
        # then compare the whole file.
        wait_for("profiles.ini to be written",
                 lambda: "targets" in ((self.read_settings() or {})
                                       .get("default", {})), 10)
        settings = self.read_settings()
        self.screenshot("preferences-saved")
        self.assertEqual(settings, expected)
        self.assertEqual(os.stat(self.settings).st_mode & 0o777, 0o600)

        # Both targets off: botomfa chooses again (the key goes).
        self.keys(window, "alt+r", "alt+a")
        wait_for("targets to be removed",
                 lambda: "targets" not in self.read_settings()["default"],
                 10)

        self.keys(window, "Escape")
        wait_for("Esc to close Preferences",
                 lambda: not self.present(PREFS), 10)
        self.assertEqual(self.read_settings(), {"default": {
            "mfa_process": "echo 123456", "notify_before": "900"}})
        self.click("_Quit")
        self.assertEqual(self.tray.wait(10), 0)

    def test_duration(self):
        """The duration typed in Preferences goes to profiles.ini only once
        changed, is what the next refresh asks STS for, and "Use the
        default" takes it out again."""
        self.start_tray()
        self.wait_title("default — no session")
        self.click("_Preferences…")
        window = self.window(PREFS)
        time.sleep(0.3)
        # Apply without a change writes no duration: the original's 900 s
        # stays the default's, not a setting.
        self.keys(window, "alt+a")
        wait_for("profiles.ini to be written",
                 lambda: "notify_before" in self.profile_settings("default"),
                 10)
        self.assertNotIn("duration", self.profile_settings("default"))

        self.keys(window, "alt+d", "ctrl+a")
        self.xdotool("type", "--delay", "20", "3600")
        self.keys(window, "alt+a")
        wait_for("the duration in profiles.ini",
                 lambda: self.profile_settings("default").get("duration")
                 == "3600", 10)
        time.sleep(0.5)
        self.screenshot("preferences-duration")
        self.keys(window, "Escape")
        wait_for("Esc to close Preferences",
                 lambda: not self.present(PREFS), 10)

        # The tray re-read the file: the refresh asks for an hour.
        self.click("_Refresh now…")
        dialog = self.window(test_tray.DIALOG)
        self.type_code(dialog, self.server.totp(clitest.ALICE_SERIAL))
        self.wait_title("default — valid until")
        asked = [r["params"].get("DurationSeconds")
                 for r in self.sessions_asked() if not r["error_code"]]
        self.assertEqual(asked, ["3600"])

        # "Use the default" (Alt+E), shown for botomfa's own setting only.
        self.click("_Preferences…")
        window = self.window(PREFS)
        time.sleep(0.5)
        self.screenshot("preferences-duration-set")
        # A button activated from the keyboard is "clicked" only once its
        # pressed look has shown for 250 ms (GTK 3): wait before Apply.
        self.keys(window, "alt+e")
        time.sleep(0.5)
        self.screenshot("preferences-duration-default")
        self.keys(window, "alt+a")
        wait_for("the duration to leave profiles.ini",
                 lambda: "duration" not in self.profile_settings("default"),
                 10)
        self.keys(window, "Escape")

    def write_aws_files(self):
        aws = os.path.join(self.home, ".aws")
        self.addCleanup(shutil.rmtree, aws, True)
        os.makedirs(aws, exist_ok=True)
        for name, text in (("config", test_tray_profiles.CONFIG),
                           ("credentials", test_tray_profiles.CREDENTIALS)):
            with open(os.path.join(aws, name), "w") as f:
                f.write(text)
            os.chmod(os.path.join(aws, name), 0o600)

    def profile_settings(self, name):
        return (self.read_settings() or {}).get(name, {})

    def apply_lead_time(self, window, move, profile, minutes):
        """Picks PROFILE in the chooser (Alt+P, then the key MOVE), sets
        its warning lead time and applies; waits for profiles.ini."""
        self.keys(window, "alt+p", move)
        wait_for("the dialog to edit " + profile,
                 lambda: self.present("Preferences — " + profile), 10)
        self.keys(window, "alt+w", "ctrl+a")
        self.xdotool("type", "--delay", "20", str(minutes))
        self.keys(window, "alt+a")
        wait_for(profile + "'s settings",
                 lambda: self.profile_settings(profile).get("notify_before")
                 == str(minutes * 60), 10)

    def test_preferences_of_every_profile(self):
        self.write_aws_files()
        self.start_tray()
        wait_for("a refresh item per profile", lambda: "Refresh ops now…" in
                 [text for _, text in self.menu_items()[1]])
        self.click("_Preferences…")
        window = self.window(PREFS)
        time.sleep(0.3)
        self.screenshot("preferences-profiles")

        # The chooser (Alt+P, then the arrow keys) picks the profile; the
        # title follows it.
        self.apply_lead_time(window, "Down", "dev", 20)
        self.assertNotIn("default", self.read_settings())
        self.apply_lead_time(window, "Down", "ops", 5)
        self.assertEqual(self.profile_settings("dev")["notify_before"],
                         "1200")

        # Back to dev: the dialog shows what the tray resolved from the
        # file since (20 minutes, not the 10 it opened with), so applying
        # another change keeps it.
        self.keys(window, "alt+p", "Up")
        wait_for("the dialog to edit dev again",
                 lambda: self.present("Preferences — dev"), 10)
        self.keys(window, "alt+m")
        self.xdotool("type", "--delay", "20", "echo 123456")
        self.keys(window, "alt+a")
        wait_for("dev's command",
                 lambda: self.profile_settings("dev").get("mfa_process")
                 == "echo 123456", 10)
        time.sleep(1)
        self.assertEqual(self.profile_settings("dev")["notify_before"],
                         "1200")
        self.assertEqual(self.profile_settings("ops")["notify_before"], "300")
        self.assertNotIn("default", self.read_settings())
        self.keys(window, "Escape")
        wait_for("Esc to close Preferences",
                 lambda: not self.present("Preferences"), 10)
        self.assertIsNone(self.tray.poll(), "the tray exited")


if __name__ == "__main__":
    unittest.main(verbosity=2)
