# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""`botomfa credential-process` against a running botomfa-tray: the
small `botomfa` front asks the tray's socket for a session it holds in
memory; otherwise the full command line asks over D-Bus
(io.github.botomfa.Sessions1), where the tray asks for the code in its
dialog; with no tray it answers from the keyring cache. Run inside
tests/keyring-session.sh, like test_tray.py, whose fixtures it reuses."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import test_tray  # noqa: E402
from test_tray import clitest, wait_for  # noqa: E402

APP_ID = test_tray.APP_ID
EXPIRATION = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


class SessionsTest(test_tray.TrayTest):

    # The base class's own test runs in tray-gui.
    test_refresh_through_the_tray = None

    def setUp(self):
        super().setUp()
        # The full command line, which the `botomfa` front runs.
        self.full_path = os.path.join(os.path.dirname(self.cli_path),
                                      "botomfa-cli")
        self.socket_path = os.path.join(os.environ["XDG_RUNTIME_DIR"],
                                        "botomfa", "tray.socket")

    def start_cp(self, *args):
        return subprocess.Popen(
            [self.cli_path, "credential-process", "--profile", "default",
             "--debug"] + list(args), env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def ask_socket(self, request):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(5)
            s.connect(self.socket_path)
            s.sendall(request)
            reply = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    return reply.decode()
                reply += chunk

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
        self.focus(window)
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

        # Again: from the tray's memory over its socket, no STS call, no
        # dialog, no D-Bus call.
        status, out, err = self.finish(self.start_cp(), timeout=10)
        self.assertEqual(status, 0, err)
        self.assertEqual(self.check_document(out), first)
        self.assertIn("answered by botomfa-tray", err)
        self.assertEqual(len(self.sessions_asked()), 1)
        self.assertFalse(self.dialog_present())
        self.assertIn("socket: answered for profile default from memory",
                      self.tray_log_text())
        self.assertNotIn("GetSession: answered from memory",
                         self.tray_log_text())

        # The socket speaks only its protocol, and keeps serving after
        # nonsense; a session that must last longer than it does is not
        # handed out.
        self.assertEqual(self.ask_socket(b"HELLO\n"), "- malformed request\n")
        self.assertEqual(self.ask_socket(b"GET 1 " + b"x" * 505),
                         "- request too long\n")
        self.assertIn("does not show",
                      self.ask_socket(b"GET 60 nosuchprofile\n"))
        self.assertIn("no session",
                      self.ask_socket(b"GET 99999999 default\n"))
        self.assertEqual(json.loads(self.ask_socket(b"GET 600 default\n")),
                         first)
        mode = os.stat(os.path.dirname(self.socket_path)).st_mode
        self.assertEqual(mode & 0o077, 0, "the socket's directory is open")

        # The full CLI asks the tray over D-Bus.
        full = subprocess.run(
            [self.full_path, "credential-process", "--profile", "default"],
            env=self.env, capture_output=True, text=True, timeout=30)
        self.assertEqual(full.returncode, 0, full.stderr)
        self.assertEqual(self.check_document(full.stdout), first)
        self.assertEqual(len(self.sessions_asked()), 1)
        self.assertIn("GetSession: answered from memory", self.tray_log_text())

        self.click("_Quit")
        self.assertEqual(self.tray.wait(10), 0)
        self.assertFalse(self.tray_owned())
        self.assertFalse(os.path.exists(self.socket_path),
                         "the tray left its socket behind")

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

    def test_killed_tray_leaves_no_hang(self):
        """A tray killed outright leaves its socket file; the client falls
        back at once, and the next tray takes the file over."""
        self.start_tray()
        self.wait_title("default — no session")
        wait_for("the socket", lambda: os.path.exists(self.socket_path), 10)
        self.tray.send_signal(signal.SIGKILL)
        self.tray.wait(10)
        self.assertTrue(os.path.exists(self.socket_path))

        start = time.monotonic()
        status, out, err = self.finish(self.start_cp(), timeout=30)
        elapsed = time.monotonic() - start
        self.assertEqual(status, 1, err)
        self.assertEqual(out, "")
        self.assertIn("Connection refused", err)
        self.assertLess(elapsed, 10, "the client hung on a dead socket")

        self.start_tray()
        self.wait_title("default — no session")
        wait_for("the socket to answer",
                 lambda: "no session" in self.ask_socket(b"GET 0 default\n"),
                 10)


if __name__ == "__main__":
    test_tray.unittest.main(verbosity=2)
