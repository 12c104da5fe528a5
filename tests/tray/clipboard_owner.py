# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""Owns the X CLIPBOARD with the text read from stdin (a code is never put
in argv), prints "READY" once it does, and serves pastes until killed.
For the tray tests' paste into the MFA dialog."""

import sys

import gi

gi.require_version("Gdk", "3.0")
gi.require_version("Gtk", "3.0")
from gi.repository import Gdk, Gtk  # noqa: E402


def main():
    text = sys.stdin.read()
    clipboard = Gtk.Clipboard.get(Gdk.SELECTION_CLIPBOARD)
    clipboard.set_text(text, -1)
    clipboard.store()
    print("READY", flush=True)
    Gtk.main()


if __name__ == "__main__":
    main()
