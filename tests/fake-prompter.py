# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""A stand-in for the person in front of gnome-keyring's unlock prompt.

gnome-keyring asks the "system prompter" (gcr-prompter, or GNOME Shell) on
the session bus to show its prompts. This program owns that bus name and
answers every password prompt the way the test asks, so the keyring's real
prompt path can be tested without a display:

    fake-prompter.py password DELAY_MS   types $BOTOMFA_TEST_KEYRING_PASSWORD
    fake-prompter.py dismiss DELAY_MS    presses Cancel
    fake-prompter.py silent 0            never answers

It prints "ready" once it owns the name, then one line per event
("prompt password", "answer yes", "stop"), for the test to check.

The password travels as gcr's secret exchange "sx-aes-1" expects it: DH in
the 1536-bit MODP group of RFC 3526, HKDF-SHA256 (no salt, no info) to a
128-bit key, AES-128-CBC with PKCS#7 padding, all base64 in a key file.
Runs with Debian's /usr/bin/python3 (python3-gi, python3-cryptography).
"""

import base64
import configparser
import os
import secrets
import sys

from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from gi.repository import Gio, GLib

MODP_1536 = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D"
    "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D"
    "670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF",
    16,
)
PRIME_BYTES = 192

PROMPTER_NAMES = ("org.gnome.keyring.SystemPrompter",
                  "org.gnome.keyring.PrivatePrompter")
PROMPTER_PATH = "/org/gnome/keyring/Prompter"
CALLBACK_INTERFACE = "org.gnome.keyring.internal.Prompter.Callback"
INTROSPECTION = """
<node>
  <interface name="org.gnome.keyring.internal.Prompter">
    <method name="BeginPrompting">
      <arg name="callback" type="o" direction="in"/>
    </method>
    <method name="PerformPrompt">
      <arg name="callback" type="o" direction="in"/>
      <arg name="type" type="s" direction="in"/>
      <arg name="properties" type="a{sv}" direction="in"/>
      <arg name="exchange" type="s" direction="in"/>
    </method>
    <method name="StopPrompting">
      <arg name="callback" type="o" direction="in"/>
    </method>
  </interface>
</node>
"""


def event(text):
    print(text, flush=True)


class Exchange:
    """Our side of one secret exchange."""

    def __init__(self):
        self.private = secrets.randbelow(MODP_1536 - 3) + 2
        self.public = pow(2, self.private, MODP_1536)
        self.key = None

    def _public_line(self):
        raw = self.public.to_bytes(PRIME_BYTES, "big").lstrip(b"\0")
        return "public=" + base64.b64encode(raw).decode()

    def begin(self):
        return "[sx-aes-1]\n" + self._public_line() + "\n"

    def receive(self, text):
        parser = configparser.ConfigParser(interpolation=None)
        parser.read_string(text)
        peer = int.from_bytes(base64.b64decode(parser["sx-aes-1"]["public"]),
                              "big")
        shared = pow(peer, self.private, MODP_1536).to_bytes(PRIME_BYTES,
                                                             "big")
        self.key = HKDF(algorithm=hashes.SHA256(), length=16, salt=None,
                        info=b"").derive(shared)

    def send(self, secret=None):
        lines = ["[sx-aes-1]", self._public_line()]
        if secret is not None:
            iv = os.urandom(16)
            padder = padding.PKCS7(128).padder()
            padded = padder.update(secret.encode()) + padder.finalize()
            encryptor = Cipher(algorithms.AES(self.key), modes.CBC(iv)).encryptor()
            sealed = encryptor.update(padded) + encryptor.finalize()
            lines.append("secret=" + base64.b64encode(sealed).decode())
            lines.append("iv=" + base64.b64encode(iv).decode())
        return "\n".join(lines) + "\n"


class Prompter:
    def __init__(self, connection, mode, delay_ms):
        self.connection = connection
        self.mode = mode
        self.delay_ms = delay_ms
        self.exchanges = {}

    def call_back(self, sender, path, method, parameters):
        self.connection.call(sender, path, CALLBACK_INTERFACE, method,
                             parameters, None, Gio.DBusCallFlags.NO_AUTO_START,
                             -1, None, None)

    def ready(self, sender, path, reply, exchange):
        event("answer " + (reply or "ready"))
        self.call_back(sender, path, "PromptReady",
                       GLib.Variant("(sa{sv}s)", (reply, {}, exchange)))

    def answer(self, sender, path, kind):
        exchange = self.exchanges[(sender, path)]
        if self.mode == "password" and kind == "password":
            password = os.environ["BOTOMFA_TEST_KEYRING_PASSWORD"]
            self.ready(sender, path, "yes", exchange.send(password))
        elif self.mode == "password":
            self.ready(sender, path, "yes", exchange.send())
        else:
            self.ready(sender, path, "no", exchange.send())
        return GLib.SOURCE_REMOVE

    def on_call(self, connection, sender, path, interface, method, parameters,
                invocation):
        invocation.return_value(None)
        callback = parameters[0]
        key = (sender, callback)
        if method == "BeginPrompting":
            self.exchanges[key] = Exchange()
            self.ready(sender, callback, "", self.exchanges[key].begin())
        elif method == "PerformPrompt":
            kind = parameters[1]
            event("prompt " + kind)
            self.exchanges[key].receive(parameters[3])
            if self.mode != "silent":
                GLib.timeout_add(self.delay_ms, self.answer, sender, callback,
                                 kind)
        elif method == "StopPrompting":
            event("stop")
            self.exchanges.pop(key, None)
            self.call_back(sender, callback, "PromptDone", None)


def main():
    mode, delay_ms = sys.argv[1], int(sys.argv[2])
    connection = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    prompter = Prompter(connection, mode, delay_ms)
    node = Gio.DBusNodeInfo.new_for_xml(INTROSPECTION)
    connection.register_object(PROMPTER_PATH, node.interfaces[0],
                               prompter.on_call, None, None)
    for name in PROMPTER_NAMES:
        reply = connection.call_sync(
            "org.freedesktop.DBus", "/org/freedesktop/DBus",
            "org.freedesktop.DBus", "RequestName",
            GLib.Variant("(su)", (name, 4)), GLib.VariantType("(u)"),
            Gio.DBusCallFlags.NONE, -1, None)
        if reply[0] != 1:
            sys.exit(f"fake-prompter: cannot own {name}")
    event("ready")
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
