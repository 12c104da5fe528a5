# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""botomfa-tray on a real X server (Xvfb) with a StatusNotifierWatcher of
our own on the private test bus, the loopback STS server and real key
events. Run inside tests/keyring-session.sh (scratch HOME, private bus,
unlocked gnome-keyring)."""

import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import gi  # noqa: E402

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

import clitest  # noqa: E402
import sts_server  # noqa: E402

sys.path.insert(0, HERE)
from headless import desktop_env, start_xvfb, stop, wait_for  # noqa: E402,F401

SNI = "org.kde.StatusNotifierItem"
APP_ID = "io.github.botomfa.Botomfa"
DIALOG = "AWS MFA code"
ICON_VALID = "io.github.botomfa.Botomfa-valid-symbolic"
ICON_EXPIRED = "io.github.botomfa.Botomfa-expired-symbolic"
A11Y_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
LONG_TERM = ("[long-term]\n"
             "aws_access_key_id = AKIATESTALICE0000001\n"
             "aws_secret_access_key = %s\n" % clitest.ALICE_SECRET)


class TrayTest(unittest.TestCase):

    def setUp(self):
        self.tray_path = os.environ.get("BOTOMFA_TRAY")
        self.cli_path = os.environ.get("BOTOMFA")
        if not self.tray_path or not self.cli_path:
            raise unittest.SkipTest("run through meson test")
        if "DBUS_SESSION_BUS_ADDRESS" not in os.environ:
            raise unittest.SkipTest("run inside tests/keyring-session.sh")
        self.artifacts = os.environ.get("BOTOMFA_TEST_ARTIFACTS",
                                        tempfile.gettempdir())
        os.makedirs(self.artifacts, exist_ok=True)
        self.work = tempfile.mkdtemp(prefix="botomfa-tray-test-")
        self.addCleanup(shutil.rmtree, self.work, True)

        self.server = sts_server.StsServer(os.path.join(self.work, "sts"))
        self.server.start()
        self.addCleanup(self.server.stop)
        self.xvfb, display = start_xvfb()
        self.addCleanup(stop, self.xvfb)
        self.watcher = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(HERE, "sni_watcher.py")],
            stdout=subprocess.PIPE, stderr=sys.stderr)
        self.addCleanup(self.watcher.stdout.close)
        self.addCleanup(stop, self.watcher)
        self.assertEqual(self.read_watcher(10), "OWNED")

        self.home = os.environ["HOME"]
        self.boto = os.path.join(self.home, ".boto")
        with open(self.boto, "w") as f:
            f.write(LONG_TERM)
        os.chmod(self.boto, 0o600)
        self.env = desktop_env(display)
        self.env.update({
            "AWS_ENDPOINT_URL_STS": self.server.url,
            "AWS_ENDPOINT_URL_IAM": self.server.url,
            "AWS_CA_BUNDLE": self.server.ca_path,
            "G_MESSAGES_DEBUG": "botomfa-tray",
        })
        self.bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        self.tray_log = open(os.path.join(self.work, "tray.log"), "w+")
        self.addCleanup(self.tray_log.close)
        self.tray = None
        self.addCleanup(self.stop_tray)

    # Helpers

    def read_watcher(self, timeout):
        fd = self.watcher.stdout.fileno()
        line = b""
        deadline = time.monotonic() + timeout
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("the watcher printed nothing in %d s"
                                     % timeout)
            ready, _, _ = select.select([fd], [], [], remaining)
            if ready:
                chunk = os.read(fd, 1)
                if not chunk:
                    raise AssertionError("the watcher exited")
                line += chunk
        return line.decode().strip()

    def stop_tray(self):
        if self.tray is not None and self.tray.poll() is None:
            self.tray.terminate()
            try:
                self.tray.wait(10)
            except subprocess.TimeoutExpired:
                self.tray.kill()
                self.tray.wait(5)
        self.tray_log.seek(0)
        log = self.tray_log.read()
        if log:
            sys.stderr.write("--- botomfa-tray log\n" + log)

    def call(self, name, path, iface, method, args, reply):
        return self.bus.call_sync(name, path, iface, method, args,
                                  GLib.VariantType(reply) if reply else None,
                                  Gio.DBusCallFlags.NONE, 5000, None)

    def props(self):
        reply = self.call(self.item_name, self.item_path,
                          "org.freedesktop.DBus.Properties", "GetAll",
                          GLib.Variant("(s)", (SNI,)), "(a{sv})")
        return reply.unpack()[0]

    def title(self):
        return self.props().get("Title", "")

    def wait_title(self, text, timeout=20):
        return wait_for("a title with %r" % text,
                        lambda: text in self.title() and self.props(),
                        timeout)

    def menu_items(self):
        menu = self.props()["Menu"]
        reply = self.call(self.item_name, menu, "com.canonical.dbusmenu",
                          "GetLayout",
                          GLib.Variant("(iias)", (0, -1, [])),
                          "(u(ia{sv}av))")
        _, (_, _, children) = reply.unpack()
        return menu, [(c[0], c[1].get("label", "")) for c in children]

    def click(self, label):
        menu, items = self.menu_items()
        ids = [i for i, text in items if text == label]
        self.assertEqual(len(ids), 1, items)
        self.call(self.item_name, menu, "com.canonical.dbusmenu", "Event",
                  GLib.Variant("(isvu)", (ids[0], "clicked",
                                          GLib.Variant("i", 0), 0)),
                  None)

    def xdotool(self, *args, timeout=20, check=True):
        return subprocess.run(["xdotool"] + list(args), env=self.env,
                              capture_output=True, text=True,
                              timeout=timeout, check=check)

    def find_dialog(self):
        result = self.xdotool("search", "--sync", "--name", DIALOG)
        return result.stdout.split()[0]

    def dialog_present(self):
        return self.xdotool("search", "--name", DIALOG,
                            check=False).returncode == 0

    def focus(self, window):
        """Gives WINDOW the keyboard focus. A window xdotool found may not
        be mapped yet (search finds unmapped ones too), and X refuses the
        focus to those: try again until it is shown."""
        wait_for("window %s to take the focus" % window,
                 lambda: self.xdotool("windowfocus", "--sync", window,
                                      check=False).returncode == 0, 10)

    def type_code(self, window, code):
        self.focus(window)
        self.xdotool("type", "--delay", "20", code)

    def screenshot(self, name):
        path = os.path.join(self.artifacts, "tray-%s.png" % name)
        subprocess.run(["import", "-window", "root", path], env=self.env,
                       timeout=20, check=True, capture_output=True)
        return path

    def sessions_asked(self):
        return [r for r in self.server.requests()
                if r["action"] == "GetSessionToken"]

    def boto_text(self):
        with open(self.boto) as f:
            return f.read()

    def get_session(self, name, timeout=60):
        """Starts a Sessions1.GetSession call for profile NAME (a session
        valid for 15 more minutes), as credential-process makes it; the
        tray may answer at once or after its MFA dialog."""
        return subprocess.Popen(
            ["gdbus", "call", "--session", "--timeout", str(timeout),
             "--dest", APP_ID, "--object-path", "/io/github/botomfa/Botomfa",
             "--method", "io.github.botomfa.Sessions1.GetSession",
             name, "900"],
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)

    def start_tray(self, *args):
        self.tray = subprocess.Popen([self.tray_path] + list(args),
                                     env=self.env, stdout=self.tray_log,
                                     stderr=self.tray_log)
        line = self.read_watcher(15)
        self.item_name, self.item_path = line.split()

    # The test

    def test_refresh_through_the_tray(self):
        self.start_tray()
        props = self.wait_title("default — no session")
        self.assertEqual(props["IconName"], ICON_EXPIRED)
        self.assertEqual(props["Status"], "Active")
        _, items = self.menu_items()
        labels = [text for _, text in items]
        self.assertIn("default — no session", labels)
        self.assertIn("_Quit", labels)

        self.click("_Refresh now…")
        window = self.find_dialog()
        self.screenshot("dialog")
        wrong = self.server.totp(clitest.ALICE_SERIAL, 10)
        self.type_code(window, wrong)
        wait_for("STS to refuse the wrong code",
                 lambda: [r for r in self.sessions_asked()
                          if r["error_code"]], 20)
        # The answer is shown once the tray leaves "refreshing".
        self.wait_title("default — no session")
        time.sleep(0.3)
        self.screenshot("dialog-wrong-code")
        self.assertTrue(self.dialog_present(), "the dialog closed")
        self.assertEqual(self.boto_text(), LONG_TERM)

        self.type_code(window, self.server.totp(clitest.ALICE_SERIAL))
        props = self.wait_title("default — valid until")
        self.assertEqual(props["IconName"], ICON_VALID)
        # The title changes only with the state: no clock-driven "N min left".
        self.assertRegex(props["Title"],
                         r"^default — valid until (\w+ )?\d\d:\d\d$")
        text = self.boto_text()
        self.assertIn("[Credentials]", text)
        self.assertRegex(text, r"aws_access_key_id = ASIA")
        self.assertIn("[long-term]", text)
        wait_for("the dialog to close", lambda: not self.dialog_present(), 10)
        self.assertEqual(len(self.sessions_asked()), 2)

        # A second start hands --refresh to the running tray.
        second = subprocess.run([self.tray_path, "--refresh"], env=self.env,
                                capture_output=True, timeout=20)
        self.assertEqual(second.returncode, 0, second)
        window = self.find_dialog()
        self.assertIsNone(self.tray.poll())
        self.focus(window)
        self.xdotool("key", "Escape")
        wait_for("Esc to close the dialog",
                 lambda: not self.dialog_present(), 10)
        self.assertEqual(len(self.sessions_asked()), 2)

        # A middle click opens it too (SNI SecondaryActivate).
        self.call(self.item_name, self.item_path, SNI, "SecondaryActivate",
                  GLib.Variant("(ii)", (0, 0)), None)
        window = self.find_dialog()
        self.focus(window)
        self.xdotool("key", "Escape")
        wait_for("Esc to close the dialog",
                 lambda: not self.dialog_present(), 10)

        # A refresh elsewhere (here: clearing with the CLI) shows at once.
        cleared = subprocess.run([self.cli_path, "--clear"], env=self.env,
                                 capture_output=True, timeout=30)
        self.assertEqual(cleared.returncode, 0, cleared)
        props = self.wait_title("default — no session", timeout=10)
        self.assertEqual(props["IconName"], ICON_EXPIRED)

        self.click("_Quit")
        self.assertEqual(self.tray.wait(10), 0)


class NoDisplayTest(TrayTest):
    """Without a display the tray says so in words and exits 1, instead of
    GTK's bare warning; --help and --version need no display; a running
    tray still takes --refresh from a shell that has none."""

    test_refresh_through_the_tray = None  # TrayTest runs that one

    def run_tray(self, env, *args):
        return subprocess.run([self.tray_path] + list(args), env=env,
                              capture_output=True, text=True, timeout=20)

    def env_without_display(self, **extra):
        env = {k: v for k, v in self.env.items()
               if k not in ("DISPLAY", "WAYLAND_DISPLAY", "GDK_BACKEND")}
        env.update(extra)
        return env

    def assert_explained(self, result, text):
        self.assertEqual(result.returncode, 1, result)
        self.assertIn(text, result.stderr)
        self.assertIn("works without a display", result.stderr)
        self.assertNotIn("Gtk-", result.stderr)
        self.assertNotIn("CRITICAL", result.stderr)
        self.assertEqual(result.stdout, "")

    def test_no_display(self):
        self.assert_explained(self.run_tray(self.env_without_display()),
                              "neither DISPLAY nor WAYLAND_DISPLAY is set")
        unused = next(":%d" % n for n in range(4242, 4342)
                      if not os.path.exists("/tmp/.X11-unix/X%d" % n))
        self.assert_explained(
            self.run_tray(self.env_without_display(DISPLAY=unused)),
            "cannot open the X display “%s”" % unused)
        self.assert_explained(
            self.run_tray(self.env_without_display(), "--display", unused),
            "cannot open the display “%s”" % unused)
        self.assertFalse(self.tray_log.tell())

        helped = self.run_tray(self.env_without_display(), "--help")
        self.assertEqual(helped.returncode, 0, helped)
        self.assertIn("--refresh", helped.stdout)
        self.assertIn("[PROFILE]", helped.stdout)
        version = self.run_tray(self.env_without_display(), "--version")
        self.assertEqual(version.returncode, 0, version)
        self.assertRegex(version.stdout, r"^botomfa-tray \d+\.\d+")

        # A tray on the display takes --refresh from a shell without one.
        self.start_tray()
        self.wait_title("default — no session")
        asked = self.run_tray(self.env_without_display(), "--refresh")
        self.assertEqual(asked.returncode, 0, asked)
        window = self.find_dialog()
        self.focus(window)
        self.xdotool("key", "Escape")
        wait_for("Esc to close the dialog",
                 lambda: not self.dialog_present(), 10)
        self.click("_Quit")
        self.assertEqual(self.tray.wait(10), 0)


class DialogAnswersTest(TrayTest):
    """STS's answers as the MFA dialog shows them, read through the
    accessibility bus (AT-SPI) by the label's accessible name: a wrong code,
    a clock that is off, a connection that breaks, and a code used twice.
    Each time the dialog stays, the entry is empty for the next code, and
    the boto config is untouched."""

    test_refresh_through_the_tray = None  # TrayTest runs that one

    # One accessibility bus for the class: libatspi keeps the connection
    # it made first for the life of this process.
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.launcher = None
        if os.path.exists(A11Y_LAUNCHER) and "DBUS_SESSION_BUS_ADDRESS" in \
                os.environ:
            cls.launcher = subprocess.Popen(
                [A11Y_LAUNCHER, "--launch-immediately"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    @classmethod
    def tearDownClass(cls):
        stop(cls.launcher)
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        try:
            gi.require_version("Atspi", "2.0")
            from gi.repository import Atspi
        except (ImportError, ValueError):
            self.skipTest("gir1.2-atspi-2.0 is not installed")
        if self.launcher is None:
            self.skipTest("at-spi2-core is not installed")
        self.atspi = Atspi
        wait_for("the accessibility bus", self.a11y_bus_is_up, 10)
        self.env = dict(self.env)
        self.env.pop("NO_AT_BRIDGE")

    def a11y_bus_is_up(self):
        reply = self.call("org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "NameHasOwner",
                          GLib.Variant("(s)", ("org.a11y.Bus",)), "(b)")
        return reply.unpack()[0]

    def find_accessible(self, node, role, name, depth=0, prefix=False):
        """The first node under NODE of ROLE named NAME (or, with PREFIX,
        whose name starts with NAME)."""
        if node is None or depth > 30:
            return None
        named = node.get_name() or ""
        if node.get_role_name() == role and (
                named.startswith(name) if prefix else named == name):
            return node
        for i in range(node.get_child_count()):
            found = self.find_accessible(node.get_child_at_index(i), role,
                                         name, depth + 1, prefix)
            if found is not None:
                return found
        return None

    def dialog_widget(self, role, name):
        desktop = self.atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            if app is None or app.get_name() != "botomfa-tray":
                continue
            dialog = self.find_accessible(app, "dialog", DIALOG,
                                          prefix=True)
            if dialog is not None:
                return self.find_accessible(dialog, role, name)
        return None

    def text_of(self, role, name):
        widget = self.dialog_widget(role, name)
        return widget.get_text(0, -1) if widget is not None else None

    def wait_message(self, *parts):
        def shown():
            text = self.text_of("label", "Message") or ""
            return all(part in text for part in parts) and text
        text = wait_for("the dialog to say %r" % (parts,), shown, 20)
        self.assertTrue(self.dialog_present(), "the dialog closed")
        self.assertEqual(self.text_of("text", "MFA code"), "")
        self.assertEqual(self.boto_text(), LONG_TERM)
        return text

    def keyring_lock(self, action):
        locked = subprocess.run(
            ["/usr/bin/python3", os.path.join(os.path.dirname(HERE),
                                              "keyring-lock.py"), action],
            capture_output=True, text=True, timeout=20)
        self.assertEqual(locked.returncode, 0, locked.stderr)

    def test_locked_keyring_shows_in_the_dialog(self):
        """The key is in the keyring only, and the keyring is locked (no
        prompter can ask for its password here): the dialog says it is
        locked, not that no key is stored, and asks for no key. Once the
        keyring is unlocked, the next dialog refreshes."""
        stored = subprocess.run(
            [self.cli_path, "keys", "set"], env=self.env,
            input="AKIATESTALICE0000001\n%s\n" % clitest.ALICE_SECRET,
            capture_output=True, text=True, timeout=30)
        self.assertEqual(stored.returncode, 0, stored)
        self.addCleanup(subprocess.run, [self.cli_path, "keys", "delete"],
                        env=self.env, capture_output=True, timeout=30)
        with open(self.boto, "w") as f:
            f.write("[Boto]\nnum_retries = 3\n")
        self.keyring_lock("lock")
        self.addCleanup(self.keyring_lock, "unlock")
        self.start_tray()
        self.wait_title("default — no session")
        self.click("_Refresh now…")
        self.find_dialog()
        text = wait_for("the dialog to say the keyring is locked",
                        lambda: "locked" in (self.text_of("label", "Message")
                                             or "")
                        and self.text_of("label", "Message"), 20)
        self.assertNotIn("store it", text)
        self.screenshot("answer-keyring-locked")
        self.assertFalse(self.xdotool("search", "--onlyvisible", "--name",
                                      "AWS access key", check=False).stdout)
        self.xdotool("key", "Escape")
        wait_for("Esc to close the dialog",
                 lambda: not self.dialog_present(), 10)

        self.keyring_lock("unlock")
        self.click("_Refresh now…")
        window = self.find_dialog()
        self.type_code(window, self.server.totp(clitest.ALICE_SERIAL))
        self.wait_title("default — valid until")
        self.assertIn("aws_security_token", self.boto_text())

    def paste(self, window, text):
        owner = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(HERE, "clipboard_owner.py")],
            env=self.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True)
        self.addCleanup(stop, owner)
        owner.stdin.write(text)
        owner.stdin.close()
        self.assertEqual(owner.stdout.readline().strip(), "READY")
        self.focus(window)
        self.xdotool("key", "ctrl+v")

    def test_answers_show_in_the_dialog(self):
        self.start_tray()
        self.wait_title("default — no session")
        self.click("_Refresh now…")
        window = self.find_dialog()

        self.type_code(window, self.server.totp(clitest.ALICE_SERIAL, 10))
        self.wait_message("wrong or has already been used",
                          "Wait for the next code")
        self.screenshot("answer-wrong-code")

        self.server.control(clock_offset=20 * 60)
        self.type_code(window, self.server.totp(clitest.ALICE_SERIAL))
        self.wait_message("20 minutes behind", "timedatectl")
        self.screenshot("answer-clock")
        self.server.control(reset=True, forget_used_codes=True)

        self.server.control(faults=[{"kind": "drop", "count": 1}])
        self.type_code(window, self.server.totp(clitest.ALICE_SERIAL))
        self.wait_message("may have used the code", "next code")
        self.screenshot("answer-connection-broken")
        self.server.control(reset=True, forget_used_codes=True)

        # A paste as authenticator apps copy it, "123 456", submits too.
        code = self.server.totp(clitest.ALICE_SERIAL)
        self.paste(window, code[:3] + " " + code[3:])
        self.wait_title("default — valid until")
        wait_for("the dialog to close", lambda: not self.dialog_present(), 10)
        refreshed = self.boto_text()
        self.assertIn("aws_security_token", refreshed)

        # The same code again: AWS refuses a code it has seen.
        asked = subprocess.run([self.tray_path, "--refresh"], env=self.env,
                               capture_output=True, timeout=20)
        self.assertEqual(asked.returncode, 0, asked)
        window = self.find_dialog()
        self.type_code(window, code)

        def refused():
            text = self.text_of("label", "Message") or ""
            return "already been used" in text and text
        wait_for("the dialog to refuse the used code", refused, 20)
        self.assertTrue(self.dialog_present(), "the dialog closed")
        self.assertEqual(self.text_of("text", "MFA code"), "")
        self.assertEqual(self.boto_text(), refreshed)
        self.screenshot("answer-used-code")
        self.focus(window)
        self.xdotool("key", "Escape")
        wait_for("Esc to close the dialog",
                 lambda: not self.dialog_present(), 10)


if __name__ == "__main__":
    unittest.main(verbosity=2)
