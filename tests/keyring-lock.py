#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""keyring-lock.py lock|unlock: locks the default keyring collection as a
screen lock would, or unlocks it again with the test password
($BOTOMFA_TEST_KEYRING_PASSWORD) through gnome-keyring's own interface for
unlocking without a prompt. (Debian 12's `secret-tool lock` crashes.)"""

import os
import sys

import gi

gi.require_version("Secret", "1")
from gi.repository import Gio, GLib, Secret  # noqa: E402

SECRETS = "org.freedesktop.secrets"
ROOT = "/org/freedesktop/secrets"


def default_collection():
    service = Secret.Service.get_sync(Secret.ServiceFlags.NONE, None)
    collection = Secret.Collection.for_alias_sync(
        service, Secret.COLLECTION_DEFAULT, Secret.CollectionFlags.NONE, None)
    if collection is None:
        sys.exit("no default collection")
    return service, collection


def unlock(service, collection):
    bus = service.get_connection()
    opened = bus.call_sync(
        SECRETS, ROOT, "org.freedesktop.Secret.Service", "OpenSession",
        GLib.Variant("(sv)", ("plain", GLib.Variant("s", ""))),
        GLib.VariantType("(vo)"), Gio.DBusCallFlags.NONE, -1, None)
    session = opened.unpack()[1]
    password = os.environ["BOTOMFA_TEST_KEYRING_PASSWORD"].encode()
    secret = (session, b"", password, "text/plain")
    bus.call_sync(
        SECRETS, ROOT,
        "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
        "UnlockWithMasterPassword",
        GLib.Variant("(o(oayays))", (collection.get_object_path(), secret)),
        None, Gio.DBusCallFlags.NONE, -1, None)


def main():
    service, collection = default_collection()
    if sys.argv[1:] == ["lock"]:
        service.lock_sync([collection], None)
        want_locked = True
    elif sys.argv[1:] == ["unlock"]:
        unlock(service, collection)
        want_locked = False
    else:
        sys.exit("usage: keyring-lock.py lock|unlock")
    collection.refresh()
    _, fresh = default_collection()
    if fresh.get_locked() != want_locked:
        sys.exit("the collection is %slocked" % ("not " if want_locked
                                                   else "still "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
