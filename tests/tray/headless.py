# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""What the tray's tests, screenshots and benchmarks share: a private X
server (Xvfb reports its display number on a pipe, so parallel runs never
race for one), the environment a GTK program gets on it, and polling."""

import os
import select
import subprocess
import time


def start_xvfb():
    """Starts Xvfb; returns (process, ":N"). Raises RuntimeError when it
    reports no display within 15 s."""
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24",
         "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    os.close(write_end)
    text = b""
    deadline = time.monotonic() + 15
    while not text.endswith(b"\n") and time.monotonic() < deadline:
        ready, _, _ = select.select([read_end], [], [], 0.5)
        if ready:
            chunk = os.read(read_end, 64)
            if not chunk:
                break
            text += chunk
    os.close(read_end)
    if not text.strip().isdigit():
        stop(proc)
        raise RuntimeError("Xvfb did not report a display")
    return proc, ":" + text.strip().decode()


def stop(proc, timeout=5):
    """Terminates proc if it still runs, killing it after timeout."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def desktop_env(display, base=None):
    """BASE (default os.environ) for a GTK program on DISPLAY: X11 only, no
    GL stack (it would dwarf the figures), no accessibility bus unless a
    test starts one, the C locale in UTF-8 and UTC, and the test user
    alice of the original variables."""
    env = dict(os.environ if base is None else base)
    env.update({
        "DISPLAY": display,
        "GDK_BACKEND": "x11",
        "GDK_GL": "disable",
        "NO_AT_BRIDGE": "1",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        "USER": "alice",
        "MFA_USER": "alice",
        "AWS_ACT_NUM": "123456789012",
    })
    return env


def wait_for(what, predicate, timeout=20.0, interval=0.1,
             error=AssertionError):
    """Polls PREDICATE until it returns something true and returns that;
    raises ERROR naming WHAT after TIMEOUT seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise error("timed out after %.0f s waiting for %s (last: %r)"
                % (timeout, what, last))
