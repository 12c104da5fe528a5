#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""`botomfa credential-process` with no tray running, answering from the
keyring's session cache, against a plain `cat` of the same JSON, in one
run (bench-tray-sessions.py measures the fast way, from a running tray's
memory); and where the time goes:
process start (`botomfa --version`), a D-Bus round trip to the keyring
(`secret-tool lookup`, itself a libsecret client), and the whole call.
Also `botomfa status --json` over 50 profiles against the AWS CLI's own
`aws configure list-profiles`. Runs inside tests/keyring-session.sh.
Measures; asserts nothing about speed."""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import sts_server  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
ALICE = "arn:aws:iam::123456789012:mfa/alice"


def median_ms(argv, env, rounds=ROUNDS, stdin=None):
    times = []
    for _ in range(rounds + 1):
        start = time.perf_counter()
        proc = subprocess.run(argv, env=env, input=stdin,
                              capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
        if proc.returncode != 0:
            sys.exit("%s failed: %s" % (argv, proc.stderr.decode()[-300:]))
    return statistics.median(times[1:]), proc.stdout


def main():
    botomfa = os.environ.get("BOTOMFA") or sys.argv[1]
    if "DBUS_SESSION_BUS_ADDRESS" not in os.environ:
        sys.exit("run inside tests/keyring-session.sh")
    work = tempfile.mkdtemp(prefix="botomfa-bench-cp-")
    aws_dir = os.path.join(work, ".aws")
    os.makedirs(aws_dir)
    with sts_server.StsServer(os.path.join(work, "sts")) as srv:
        env = dict(os.environ, HOME=work, LC_ALL="C.UTF-8",
                   AWS_ENDPOINT_URL_STS=srv.url,
                   AWS_ENDPOINT_URL_IAM=srv.url, AWS_CA_BUNDLE=srv.ca_path)
        with open(os.path.join(aws_dir, "config"), "w") as f:
            f.write("[profile dev]\nmfa_serial = %s\n" % ALICE)
            for i in range(49):
                f.write("[profile p%02d]\nmfa_serial = %s\nregion = "
                        "eu-west-1\n" % (i, ALICE))
        keys = subprocess.run(
            [botomfa, "keys", "set", "--profile", "dev"], env=env,
            input=("%s\n%s\n" % (sts_server.ALICE_ACCESS_KEY_ID,
                                 sts_server.ALICE_SECRET_ACCESS_KEY))
            .encode(), capture_output=True)
        refresh = subprocess.run(
            [botomfa, "--profile", "dev"], env=env,
            input=(srv.totp(ALICE) + "\n").encode(), capture_output=True)
        if keys.returncode or refresh.returncode:
            sys.exit("setup failed: %s %s" % (keys.stderr, refresh.stderr))

        cp, document = median_ms(
            [botomfa, "credential-process", "--profile", "dev"], env)
        json_path = os.path.join(work, "session.json")
        with open(json_path, "wb") as f:
            f.write(document)
        cat, _ = median_ms(["cat", json_path], env)
        start, _ = median_ms([botomfa, "--version"], env)
        lookup, _ = median_ms(["secret-tool", "lookup", "xdg:schema",
                               "io.github.botomfa.Session"], env)
        status, out = median_ms([botomfa, "status", "--json"], env,
                                rounds=10)
        profiles = out.decode().count('"profile"')
        peer = None
        if os.path.exists("/usr/bin/aws"):
            peer, _ = median_ms(["/usr/bin/aws", "configure",
                                 "list-profiles"], env, rounds=5)
    shutil.rmtree(work, ignore_errors=True)

    print("credential-process, no tray (keyring cache): median %.2f ms"
          % cp)
    print("cat of the same JSON:                        median %.2f ms"
          % cat)
    print("ratio credential-process/cat: %.1f (the 3 ms goal is for a "
          "running tray: see tray-sessions-vs-cat)" % (cp / cat))
    print("where the time goes: process start (botomfa --version) %.2f ms,"
          " a libsecret client's D-Bus keyring lookup (secret-tool) %.2f ms"
          % (start, lookup))
    print("botomfa status --json, %d profiles: median %.1f ms" %
          (profiles, status))
    if peer is not None:
        print("aws configure list-profiles: median %.1f ms; ratio "
              "status/aws %.2f" % (peer, status / peer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
