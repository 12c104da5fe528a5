#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
#
# keyring-session.sh CMD [ARG...]
#
# Runs CMD with a real, unlocked gnome-keyring on a private session bus and
# a scratch HOME, so tests never see or touch the developer's keyring, files
# or desktop session. Works without a terminal and without a display (as
# root in CI). The exit status is CMD's.
#
# CMD sees:
#   HOME                      the scratch home (removed afterwards)
#   XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_CACHE_HOME   inside HOME
#   XDG_RUNTIME_DIR           HOME/runtime, mode 700
#   DBUS_SESSION_BUS_ADDRESS  the private bus (gnome-keyring owns
#                             org.freedesktop.secrets on it)
#   variables gnome-keyring-daemon prints, if any (with only its secrets
#                             component it prints none)
#   BOTOMFA_TEST_KEYRING_PASSWORD  the password of the "login" keyring
#   BOTOMFA_TEST_DBUS_CONFIG  a copy of tests/dbus-session.conf whose
#                             service directory is ...
#   BOTOMFA_TEST_DBUS_SERVICEDIR  ... this empty directory; a test may put
#                             .service files there
# and no DISPLAY, WAYLAND_DISPLAY or accessibility bus (NO_AT_BRIDGE=1).
# Nothing is activated on the bus unless a test adds a .service file, so no
# prompter can show an unlock prompt: a locked keyring stays locked.
# Python tests use it as a plain wrapper:
#   tests/keyring-session.sh /usr/bin/python3 tests/test_keys.py
set -eu

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARG...]" >&2
  exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/botomfa-keyring-XXXXXX")
status=0
session=
# shellcheck disable=SC2317 # called from the traps
stop_everything () {
  for name in command keyring bus; do
    pid_file="$scratch/runtime/$name.pid"
    if [ -s "$pid_file" ]; then
      kill "$(cat "$pid_file")" 2>/dev/null || :
    fi
  done
  [ -z "$session" ] || kill "$session" 2>/dev/null || :
}
trap 'rm -rf "$scratch" 2>/dev/null || { sleep 0.5; rm -rf "$scratch"; }' EXIT
trap 'stop_everything; exit 130' INT
trap 'stop_everything; exit 143' TERM

export HOME="$scratch"
export XDG_DATA_HOME="$HOME/.local/share"
export XDG_CONFIG_HOME="$HOME/.config"
export XDG_CACHE_HOME="$HOME/.cache"
export XDG_RUNTIME_DIR="$HOME/runtime"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
mkdir -m 700 "$XDG_RUNTIME_DIR"

export BOTOMFA_TEST_DBUS_CONFIG="$XDG_RUNTIME_DIR/dbus-session.conf"
export BOTOMFA_TEST_DBUS_SERVICEDIR="$XDG_RUNTIME_DIR/dbus-services"
cp "$here/dbus-session.conf" "$BOTOMFA_TEST_DBUS_CONFIG"
mkdir "$BOTOMFA_TEST_DBUS_SERVICEDIR"

unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS DBUS_SYSTEM_BUS_ADDRESS
unset GNOME_KEYRING_CONTROL SSH_AUTH_SOCK XAUTHORITY
export NO_AT_BRIDGE=1
export BOTOMFA_TEST_KEYRING_PASSWORD="botomfa-test-keyring"

# Inside the bus: start the keyring in the foreground (it creates and
# unlocks "login" with the password read from stdin; variables it prints, if
# any, are exported), wait until it owns its bus name, run CMD, then stop the
# keyring and the bus before the scratch HOME goes away. The pids are kept for
# the traps, so that an interrupted run leaves no daemon behind either.
# Commands started with & read /dev/null unless stdin is redirected from
# another descriptor, hence fd 3: CMD keeps the caller's stdin.
exec 3<&0
# shellcheck disable=SC2016
dbus-run-session --config-file="$BOTOMFA_TEST_DBUS_CONFIG" -- sh -c '
  set -u
  dbus-send --session --print-reply --dest=org.freedesktop.DBus \
      /org/freedesktop/DBus org.freedesktop.DBus.GetConnectionUnixProcessID \
      string:org.freedesktop.DBus | sed -n "s/.*uint32 //p" \
      >"$XDG_RUNTIME_DIR/bus.pid"
  env_file="$XDG_RUNTIME_DIR/keyring.env"
  # The test settings of G_DEBUG (fatal-criticals) are for our code only.
  printf %s "$BOTOMFA_TEST_KEYRING_PASSWORD" \
    | env -u G_DEBUG gnome-keyring-daemon --foreground --unlock \
        --components=secrets >"$env_file" &
  keyring=$!
  echo $keyring >"$XDG_RUNTIME_DIR/keyring.pid"
  tries=0
  until dbus-send --session --print-reply --dest=org.freedesktop.DBus \
          /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
          string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"
  do
    tries=$((tries + 1))
    if [ $tries -gt 100 ] || ! kill -0 $keyring 2>/dev/null; then
      echo "keyring-session.sh: gnome-keyring-daemon did not start" >&2
      exit 1
    fi
    sleep 0.05
  done
  # Owning the name comes before "login" exists and is unlocked: wait for
  # the default alias too, or a fast test finds no collection.
  until dbus-send --session --print-reply --dest=org.freedesktop.secrets \
          /org/freedesktop/secrets org.freedesktop.Secret.Service.ReadAlias \
          string:default 2>/dev/null | grep -q "object path \"/org/"
  do
    tries=$((tries + 1))
    if [ $tries -gt 200 ] || ! kill -0 $keyring 2>/dev/null; then
      echo "keyring-session.sh: the login keyring did not appear" >&2
      exit 1
    fi
    sleep 0.05
  done
  while IFS= read -r var; do
    case "$var" in
      *=*) export "$var" ;;
    esac
  done <"$env_file"

  status=0
  exec 3<&0
  "$@" <&3 3<&- &
  echo $! >"$XDG_RUNTIME_DIR/command.pid"
  wait $! || status=$?
  kill $keyring
  wait $keyring
  exit $status
' keyring-session "$@" <&3 3<&- &
session=$!
exec 3<&-
wait $session || status=$?
exit $status
