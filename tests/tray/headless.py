# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""A private X server for the tray's tests and benchmarks: Xvfb reports
its display number on a pipe, so parallel runs never race for one."""

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
