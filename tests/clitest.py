# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""Shared pieces of the command-line tests: a scratch HOME per test, the
test STS server, and ways to run botomfa through a pipe or a terminal."""

import os
import pty
import select
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import sts_server  # noqa: E402

FIXTURES = os.path.join(HERE, "fixtures")
ALICE_SERIAL = "arn:aws:iam::123456789012:mfa/alice"
ALICE_SECRET = "botomfaTestSecretAlice000000000000000001"


def botomfa_path():
    path = os.environ.get("BOTOMFA")
    if not path:
        raise unittest.SkipTest("BOTOMFA is not set: run through meson test")
    return path


def run_on_terminal(argv, env, prompt, answer, timeout):
    """Runs argv on a pseudo-terminal and types `answer` (with Enter) once
    `prompt` (bytes) shows. Returns (exit status, what the terminal
    showed, decoded)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    shown = b""
    typed = False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
        if answer is not None and not typed and prompt in shown:
            time.sleep(0.2)  # let the program turn echo off first
            os.write(fd, answer.encode() + b"\r")
            typed = True
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode()


class Result:
    def __init__(self, status, stdout, stderr):
        self.status = status
        self.stdout = stdout
        self.stderr = stderr

    def __repr__(self):
        return "exit %d\n--- stdout\n%s--- stderr\n%s" % (
            self.status, self.stdout, self.stderr)


class ServerTestCase(unittest.TestCase):
    """One STS server for the class, a fresh HOME for every test."""

    @classmethod
    def setUpClass(cls):
        cls.server_dir = tempfile.mkdtemp(prefix="botomfa-sts-")
        cls.server = sts_server.StsServer(cls.server_dir)
        cls.server.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        shutil.rmtree(cls.server_dir, ignore_errors=True)

    def setUp(self):
        self.server.control(reset=True, forget_used_codes=True)
        self.home = tempfile.mkdtemp(prefix="botomfa-home-")
        self.addCleanup(shutil.rmtree, self.home, True)
        self.boto = os.path.join(self.home, ".boto")
        self.env = {
            "HOME": self.home,
            "PATH": "/usr/bin:/bin",
            "LC_ALL": "C.UTF-8",
            "USER": "alice",
            "AWS_ACT_NUM": "123456789012",
            "AWS_ENDPOINT_URL_STS": self.server.url,
            "AWS_ENDPOINT_URL_IAM": self.server.url,
            "AWS_CA_BUNDLE": self.server.ca_path,
            "XDG_RUNTIME_DIR": self.home,
        }

    # Files

    def install(self, fixture, path=None):
        path = path or self.boto
        with open(os.path.join(FIXTURES, "boto", fixture), "rb") as src:
            data = src.read()
        with open(path, "wb") as dst:
            dst.write(data)
        os.chmod(path, 0o644)
        return data

    def read(self, path=None):
        with open(path or self.boto, "rb") as f:
            return f.read()

    # Running botomfa

    def run_botomfa(self, *args, stdin=b"", env=None, timeout=60):
        full_env = dict(self.env)
        full_env.update(env or {})
        proc = subprocess.run([botomfa_path()] + list(args), input=stdin,
                              capture_output=True, env=full_env,
                              timeout=timeout)
        return Result(proc.returncode, proc.stdout.decode(),
                      proc.stderr.decode())

    def run_in_terminal(self, *args, answer=None, env=None, timeout=30):
        """Runs botomfa on a pseudo-terminal, typing `answer` once the
        prompt shows. Returns (status, everything the terminal showed)."""
        full_env = dict(self.env)
        full_env.update(env or {})
        return run_on_terminal([botomfa_path()] + list(args), full_env,
                               b"MFA code", answer, timeout)

    def code(self, offset=0):
        return self.server.totp(ALICE_SERIAL, offset)

    def sts_calls(self, action=None):
        return [r for r in self.server.requests()
                if action is None or r["action"] == action]
