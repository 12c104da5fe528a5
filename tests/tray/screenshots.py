# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""Pictures of botomfa-tray on a real X server, drawn by real hosts: the
XEmbed panel trayer shows the icon (with no StatusNotifierWatcher on the
bus libayatana-appindicator falls back to an XEmbed icon) and dunst draws
the notifications. Every picture is checked; a missing one fails the run.

Run inside tests/keyring-session.sh (scratch HOME, private bus, unlocked
keyring):

  tests/keyring-session.sh /usr/bin/python3 tests/tray/screenshots.py \\
      --tray _build/src/tray/botomfa-tray --cli _build/src/cli/botomfa \\
      data/screenshots

writes menu.png, dialog.png and notification.png into the directory (and
panel.png with --panel). --tray and --cli default to $BOTOMFA_TRAY and
$BOTOMFA. On failure the whole screen is saved as failed-screen.png."""

import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

import gi  # noqa: E402

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

import sts_server  # noqa: E402
from headless import desktop_env, start_xvfb, stop  # noqa: E402
from headless import wait_for as poll  # noqa: E402

ACCESS_KEY_ID = sts_server.ALICE_ACCESS_KEY_ID
SECRET = sts_server.ALICE_SECRET_ACCESS_KEY
SERIAL = sts_server.ALICE_MFA_SERIAL
DIALOG = "AWS MFA code"
TOOLS = ("Xvfb", "trayer", "dunst", "dunstctl", "xdotool", "import",
         "convert", "compare", "display")
BACKDROP = "#4a6984"
PANEL_HEIGHT = 32
MARGIN = 12
# A drawn widget has text or an outline; a window that shows nothing
# (not drawn yet, or empty) has one colour. Grey levels are 0..1.
MIN_DEVIATION = 0.02
MIN_ICON_PIXELS = 20
# dunst's look: a light popup with a proportional font, in the top right
# corner under the panel; popups stay until closed.
DUNSTRC = """[global]
    font = DejaVu Sans 10
    width = 380
    origin = top-right
    offset = 12x44
    padding = 10
    horizontal_padding = 12
    frame_width = 1
    frame_color = "#6b7b8c"
    separator_height = 0
    format = "<b>%s</b>\\n%b"
    show_indicators = no

[urgency_normal]
    background = "#fafafa"
    foreground = "#2e3436"
    timeout = 0

[urgency_critical]
    background = "#fafafa"
    foreground = "#2e3436"
    frame_color = "#c01c28"
    timeout = 0

# The tray cannot tell that an XEmbed panel shows its icon and says that
# no panel does; keep that notice out of the picture of the warning.
[no_panel_notice]
    body = "*no panel shows tray icons*"
    skip_display = yes
"""


class Failure(Exception):
    """A picture is missing or shows nothing."""


def wait_for(what, predicate, timeout=20.0, interval=0.1):
    """headless.wait_for, failing with Failure."""
    return poll(what, predicate, timeout, interval, error=Failure)


class Desktop:
    """Xvfb, trayer, dunst, the STS server and botomfa-tray, and pictures
    of them."""

    def __init__(self, tray_path, cli_path, work):
        self.tray_path = tray_path
        self.cli_path = cli_path
        self.work = work
        self.procs = []
        self.tray = None
        self.tray_log = os.path.join(work, "tray.log")
        self.server = sts_server.StsServer(os.path.join(work, "sts"))

    # Processes

    def start(self):
        self.server.start()
        xvfb, display = start_xvfb()
        self.procs.append(xvfb)
        self.env = desktop_env(display)
        self.env.pop("LANGUAGE", None)
        self.env.update({
            "AWS_ENDPOINT_URL_STS": self.server.url,
            "AWS_ENDPOINT_URL_IAM": self.server.url,
            "AWS_CA_BUNDLE": self.server.ca_path,
        })
        backdrop = os.path.join(self.work, "backdrop.png")
        self.run("convert", "-size", "8x8", "xc:" + BACKDROP, backdrop)
        # display(1) sets the root background and exits 1 doing so.
        self.run("display", "-window", "root", backdrop, check=False)
        self.start_dunst()
        self.start_trayer()

    def spawn(self, *argv):
        # The tests' G_DEBUG (fatal-criticals) is for our own code only.
        env = dict(self.env)
        env.pop("G_DEBUG", None)
        proc = subprocess.Popen(argv, env=env,
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        self.procs.append(proc)
        return proc

    def start_dunst(self):
        config = os.path.join(self.work, "dunstrc")
        with open(config, "w") as f:
            f.write(DUNSTRC)
        self.spawn("dunst", "-config", config)
        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        name = "org.freedesktop.Notifications"
        wait_for("dunst to own " + name, lambda: self.has_name(bus, name), 15)
        reply = bus.call_sync(
            name, "/org/freedesktop/Notifications", name,
            "GetServerInformation", None, GLib.VariantType("(ssss)"),
            Gio.DBusCallFlags.NONE, 5000, None)
        if reply.unpack()[0] != "dunst":
            raise Failure("%s is %r, not dunst" % (name, reply.unpack()[0]))

    @staticmethod
    def has_name(bus, name):
        reply = bus.call_sync(
            "org.freedesktop.DBus", "/org/freedesktop/DBus",
            "org.freedesktop.DBus", "NameHasOwner", GLib.Variant("(s)",
                                                               (name,)),
            GLib.VariantType("(b)"), Gio.DBusCallFlags.NONE, 5000, None)
        return reply.unpack()[0]

    def start_trayer(self):
        self.trayer = self.spawn(
            "trayer", "--edge", "top", "--align", "right", "--widthtype",
            "percent", "--width", "100", "--height", str(PANEL_HEIGHT),
            "--SetDockType", "true", "--SetPartialStrut", "true",
            "--transparent", "false", "--expand", "true")
        self.panel = wait_for(
            "trayer's panel window",
            lambda: self.visible_windows("--pid", str(self.trayer.pid)), 15)

    def start_tray(self):
        env = dict(self.env)
        # The XEmbed icon logs a harmless Gdk-CRITICAL when it is embedded;
        # the tests' fatal-criticals would abort the tray there.
        env["G_DEBUG"] = "gc-friendly"
        env["G_MESSAGES_DEBUG"] = "botomfa-tray"
        with open(self.tray_log, "w") as log:
            self.tray = subprocess.Popen([self.tray_path], env=env,
                                         stdout=log, stderr=log)

    def stop_all(self):
        stop(self.tray)
        for proc in reversed(self.procs):
            stop(proc)
        self.server.stop()

    def run(self, *argv, input=None, check=True, timeout=30):
        result = subprocess.run(argv, env=self.env, input=input,
                                capture_output=True, text=True,
                                timeout=timeout)
        if check and result.returncode != 0:
            raise Failure("%s exited with %d: %s"
                          % (" ".join(argv[:3]), result.returncode,
                             result.stderr.strip()))
        return result

    # The scratch HOME

    def settings(self):
        """A cursor that does not blink, so that pictures do not depend on
        the moment they are taken."""
        gtk = os.path.join(os.environ["XDG_CONFIG_HOME"], "gtk-3.0")
        os.makedirs(gtk, exist_ok=True)
        with open(os.path.join(gtk, "settings.ini"), "w") as f:
            f.write("[Settings]\ngtk-cursor-blink = false\n")

    def store_key_and_refresh(self):
        self.run(self.cli_path, "keys", "set",
                 input="%s\n%s\n" % (ACCESS_KEY_ID, SECRET))
        config = os.path.join(os.environ["XDG_CONFIG_HOME"], "botomfa")
        os.makedirs(config, exist_ok=True)
        with open(os.path.join(config, "profiles.ini"), "w") as f:
            f.write("[default]\nnotify_before = 600\n")
        self.run(self.cli_path, "--duration", "3600",
                 input=self.server.totp(SERIAL) + "\n")

    def expire_soon(self, seconds):
        """Moves the session's expiry SECONDS ahead, as a refresh by
        another program would, and returns it."""
        boto = os.path.join(os.environ["HOME"], ".boto")
        expiry = (datetime.datetime.now(datetime.timezone.utc)
                  + datetime.timedelta(seconds=seconds))
        with open(boto) as f:
            text = f.read()
        text, count = re.subn(r"(?m)^expiration = .*$",
                              "expiration = "
                              + expiry.strftime("%Y-%m-%dT%H:%M:%SZ"), text)
        if count != 1:
            raise Failure("~/.boto has %d expiration lines, not 1" % count)
        with open(boto + ".new", "w") as f:
            f.write(text)
        os.chmod(boto + ".new", 0o600)
        os.rename(boto + ".new", boto)
        return expiry

    def tray_log_has(self, text):
        with open(self.tray_log) as f:
            return text in f.read()

    # Windows

    def visible_windows(self, *criteria):
        result = self.run("xdotool", "search", "--onlyvisible", *criteria,
                          check=False)
        return result.stdout.split()

    def geometry(self, window):
        """(x, y, width, height) of WINDOW on the screen."""
        out = self.run("xdotool", "getwindowgeometry", "--shell",
                       window).stdout
        values = dict(line.split("=", 1) for line in out.split())
        return tuple(int(values[k]) for k in ("X", "Y", "WIDTH", "HEIGHT"))

    # Pictures

    def grab(self, path, box):
        """Saves the screen's BOX (x, y, width, height) as PATH."""
        x, y, w, h = box
        self.run("import", "-window", "root", "-crop",
                 "%dx%d+%d+%d" % (w, h, x, y), "+repage", path)
        return path

    def deviation(self, path):
        out = self.run("convert", path, "-colorspace", "Gray", "-format",
                       "%[fx:standard_deviation]", "info:").stdout
        return float(out)

    def differing_pixels(self, path, other):
        # compare exits 1 when the pictures differ; AE goes to stderr.
        result = self.run("compare", "-metric", "AE", path, other, "null:",
                          check=False)
        return int(float(result.stderr.split()[0]))

    def settle(self, what, path, box, timeout=10):
        """Grabs BOX until two grabs in a row are the same and not one flat
        colour (the window is drawn and done drawing), then keeps the last
        as PATH. Raises Failure when that does not happen within TIMEOUT."""
        previous = os.path.join(self.work, "previous.png")
        current = os.path.join(self.work, "current.png")
        deadline = time.monotonic() + timeout
        deviation = None
        while time.monotonic() < deadline:
            self.grab(current, box)
            deviation = self.deviation(current)
            if (deviation >= MIN_DEVIATION and os.path.exists(previous)
                    and self.differing_pixels(current, previous) == 0):
                os.remove(previous)
                shutil.move(current, path)
                return path
            os.replace(current, previous)
            time.sleep(0.2)
        raise Failure("%s is not drawn, or never stops changing, after %d s "
                      "(grey level deviation %.4f, at least %.2f expected)"
                      % (what, timeout, deviation, MIN_DEVIATION))


def union(*boxes, margin=0, screen=(1280, 800)):
    left = max(0, min(b[0] for b in boxes) - margin)
    top = max(0, min(b[1] for b in boxes) - margin)
    right = min(screen[0], max(b[0] + b[2] for b in boxes) + margin)
    bottom = min(screen[1], max(b[1] + b[3] for b in boxes) + margin)
    return left, top, right - left, bottom - top


def shoot_panel(desk, out):
    """(a) The panel with the icon, in the valid state. The icon's XEmbed
    window is titled with the tray's title."""
    icon = wait_for(
        "the icon in trayer (a window titled \"default — valid until\")",
        lambda: desk.visible_windows("--name", "^default — valid until"), 20)
    panel = desk.geometry(desk.panel[0])
    ix, iy, iw, ih = desk.icon_box = desk.geometry(icon[0])
    if not (panel[0] <= ix < panel[0] + panel[2] and iy < panel[3]):
        raise Failure("the icon at %d,%d is outside the panel %r"
                      % (ix, iy, panel))
    icon_path = desk.settle("the icon", os.path.join(desk.work, "icon.png"),
                            desk.icon_box)
    blank = desk.grab(os.path.join(desk.work, "blank.png"),
                      (panel[0], iy, iw, ih))
    drawn = desk.differing_pixels(icon_path, blank)
    if drawn < MIN_ICON_PIXELS:
        raise Failure("the icon differs from the empty panel in %d pixels "
                      "only" % drawn)
    width = min(panel[2], 240)
    return desk.grab(os.path.join(out, "panel.png"),
                     (panel[0] + panel[2] - width, panel[1], width,
                      panel[3]))


def tray_windows(desk):
    return desk.visible_windows("--pid", str(desk.tray.pid))


def shoot_menu(desk, out):
    """(b) The panel and the menu a click on the icon opens."""
    before = set(tray_windows(desk))
    x, y, w, h = desk.icon_box
    desk.run("xdotool", "mousemove", "--sync", str(x + w // 2),
             str(y + h // 2), "click", "1")

    # GTK's client leader window (10x10, never drawn) counts as visible.
    def menus():
        return [w for w in tray_windows(desk) if w not in before
                and desk.geometry(w)[2] >= 100
                and desk.geometry(w)[3] >= 3 * PANEL_HEIGHT]

    menu = wait_for("a menu window (new, at least 100x%d)"
                    % (3 * PANEL_HEIGHT), menus, 10)[0]
    box = desk.geometry(menu)
    # The pointer leaves, so that no item is highlighted.
    desk.run("xdotool", "mousemove", "--sync", "20", "400")
    desk.settle("the menu", os.path.join(desk.work, "menu-only.png"), box)
    strip = (box[0], 0, box[2], PANEL_HEIGHT)
    path = desk.settle("the menu and the panel",
                       os.path.join(out, "menu.png"),
                       union(strip, box, desk.icon_box, margin=MARGIN))
    desk.run("xdotool", "key", "Escape")
    wait_for("the menu to close", lambda: menu not in tray_windows(desk), 10)
    return path


def shoot_dialog(desk, out):
    """(c) The MFA dialog that botomfa-tray --refresh opens."""
    desk.run(desk.tray_path, "--refresh")
    dialog = wait_for("the MFA dialog",
                      lambda: desk.visible_windows("--name", DIALOG), 15)[0]
    title = desk.run("xdotool", "getwindowname", dialog).stdout.strip()
    if "default" not in title:
        raise Failure("the dialog's title %r names no profile" % title)
    desk.run("xdotool", "windowfocus", "--sync", dialog)
    box = desk.geometry(dialog)
    desk.settle("the dialog", os.path.join(desk.work, "dialog-only.png"), box)
    path = desk.settle("the dialog on the desktop",
                       os.path.join(out, "dialog.png"),
                       union(box, margin=MARGIN))
    desk.run("xdotool", "key", "Escape")
    wait_for("the dialog to close",
             lambda: not desk.visible_windows("--name", DIALOG), 10)
    return path


def shoot_notification(desk, out):
    """(d) The expiry warning, as dunst draws it."""
    expiry = desk.expire_soon(300)
    warning = ("AWS credentials for default expire at "
               + expiry.strftime("%H:%M"))
    wait_for("the tray to send %r" % warning,
             lambda: desk.tray_log_has(warning), 20)
    popup = wait_for("dunst's window",
                     lambda: desk.visible_windows("--class", "Dunst"), 10)[0]
    shown = desk.run("dunstctl", "count", "displayed").stdout.strip()
    if shown != "1":
        raise Failure("dunst shows %s notifications, not 1" % shown)
    box = desk.geometry(popup)
    desk.settle("dunst's window", os.path.join(desk.work, "popup.png"), box)
    return desk.settle("the notification",
                       os.path.join(out, "notification.png"),
                       union(box, margin=MARGIN))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tray", default=os.environ.get("BOTOMFA_TRAY"),
                        help="botomfa-tray (default: $BOTOMFA_TRAY)")
    parser.add_argument("--cli", default=os.environ.get("BOTOMFA"),
                        help="botomfa (default: $BOTOMFA)")
    parser.add_argument("--panel", action="store_true",
                        help="also save the panel alone as panel.png")
    parser.add_argument("outdir", help="where the pictures go")
    args = parser.parse_args()
    if not args.tray or not args.cli:
        parser.error("give --tray and --cli, or set BOTOMFA_TRAY and BOTOMFA")
    if "DBUS_SESSION_BUS_ADDRESS" not in os.environ:
        parser.error("run inside tests/keyring-session.sh")
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        parser.error("%s not found: apt-get install trayer dunst xvfb "
                     "xdotool imagemagick" % ", ".join(missing))
    return args


def shoot(desk):
    """Takes the four pictures into desk.work; returns their paths."""
    desk.start()
    desk.settings()
    desk.store_key_and_refresh()
    desk.start_tray()
    pictures = [step(desk, desk.work) for step in (
        shoot_panel, shoot_menu, shoot_dialog, shoot_notification)]
    if desk.tray.poll() is not None:
        raise Failure("botomfa-tray exited with %d" % desk.tray.returncode)
    return pictures


def report_failure(desk, outdir, error):
    print("screenshots.py: FAILED: %s" % error, file=sys.stderr)
    screen = os.path.join(outdir, "failed-screen.png")
    try:
        desk.grab(screen, (0, 0, 1280, 800))
        print("screenshots.py: the screen then: %s" % screen, file=sys.stderr)
    except (AttributeError, Failure, subprocess.TimeoutExpired):
        pass
    if os.path.exists(desk.tray_log):
        with open(desk.tray_log) as f:
            sys.stderr.write("--- botomfa-tray log\n" + f.read())


def main():
    args = parse_args()
    outdir = os.path.abspath(args.outdir)
    os.makedirs(outdir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="botomfa-screenshots-")
    desk = Desktop(os.path.abspath(args.tray), os.path.abspath(args.cli),
                   work)
    status = 0
    try:
        pictures = shoot(desk)
        # All pictures or none: a failed run leaves the old ones in place.
        for path in pictures[0 if args.panel else 1:]:
            target = os.path.join(outdir, os.path.basename(path))
            shutil.copyfile(path, target)
            print("%s: %d bytes" % (target, os.path.getsize(target)))
        if os.path.exists(os.path.join(outdir, "failed-screen.png")):
            os.remove(os.path.join(outdir, "failed-screen.png"))
    except (Failure, subprocess.TimeoutExpired) as e:
        report_failure(desk, outdir, e)
        status = 1
    finally:
        desk.stop_all()
        shutil.rmtree(work, True)
    return status


if __name__ == "__main__":
    sys.exit(main())
