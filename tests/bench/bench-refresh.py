#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""A full `botomfa` refresh (code on stdin) against a bare signed `curl`
POST of the same GetSessionToken, both against the loopback STS server in
one run. Prints medians, the ratio (goal: at most 1.5) and peak memory.
Measures; asserts nothing about speed."""

import base64
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import sts_server  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
ACCOUNT = "123456789012"
KEY_ID = "AKIATESTBENCH0000001"
SECRET = "botomfaTestSecretBench00000000000000001x"


def bench_config():
    """One user with a device per measured call: every call needs a code
    that was never used, and a device yields at most three per 30 s."""
    devices = []
    for i in range(2 * ROUNDS + 4):
        seed = base64.b32encode(secrets.token_bytes(10)).decode()
        devices.append({"serial": "arn:aws:iam::%s:mfa/bench-%d"
                        % (ACCOUNT, i), "seed": seed})
    return {"account": ACCOUNT, "roles": [],
            "users": [{"name": "bench", "access_key_id": KEY_ID,
                       "secret_access_key": SECRET, "mfa_devices": devices,
                       "list_mfa_devices": "allow"}]}


def timed(argv, env=None, stdin=None):
    """Wall time in ms and the output of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate(stdin)
    elapsed = (time.perf_counter() - start) * 1000
    if proc.returncode != 0:
        sys.exit("%s failed (%d): %s" % (argv[0], proc.returncode,
                                         err.decode()[-400:]))
    return elapsed, out


def rss_kib(argv, env=None, stdin=None):
    """Peak RSS of one process, measured by GNU time: a small C parent, so
    the figure is the program's own and not a copy of this interpreter."""
    proc = subprocess.run(["/usr/bin/time", "-f", "RSS %M"] + argv, env=env,
                          input=stdin or b"", capture_output=True)
    if proc.returncode != 0:
        sys.exit("%s failed: %s" % (argv[0], proc.stderr.decode()[-400:]))
    last = proc.stderr.decode().strip().splitlines()[-1]
    return int(last.split()[1])


def main():
    botomfa = os.environ.get("BOTOMFA") or sys.argv[1]
    curl = shutil.which("curl")
    if curl is None:
        sys.exit("curl is needed as the peer of this benchmark")
    work = tempfile.mkdtemp(prefix="botomfa-bench-")
    config_path = os.path.join(work, "config.json")
    config = bench_config()
    with open(config_path, "w") as f:
        json.dump(config, f)
    devices = [d["serial"] for d in config["users"][0]["mfa_devices"]]
    boto_text = ("[long-term]\naws_access_key_id = %s\n"
                 "aws_secret_access_key = %s\n\n[Credentials]\n"
                 % (KEY_ID, SECRET))
    botomfa_ms, curl_ms, botomfa_rss, curl_rss = [], [], [], []
    with sts_server.StsServer(os.path.join(work, "sts"),
                              config=config_path) as srv:
        env = {"HOME": work, "PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8",
               "AWS_ENDPOINT_URL_STS": srv.url,
               "AWS_CA_BUNDLE": srv.ca_path}
        for i in range(ROUNDS + 1):
            serial = devices[2 * i]
            with open(os.path.join(work, ".boto"), "w") as f:
                f.write(boto_text)
            run_env = dict(env, MFA_DEVICE_NAME=serial)
            code = (srv.totp(serial) + "\n").encode()
            ms, _ = timed([botomfa], run_env, code)
            peer_serial = devices[2 * i + 1]
            body = ("Action=GetSessionToken&Version=2011-06-15"
                    "&DurationSeconds=900&SerialNumber=%s&TokenCode=%s"
                    % (urllib.parse.quote(peer_serial, safe=""),
                       srv.totp(peer_serial)))
            cms, out = timed([curl, "-sS", "--fail-with-body",
                              "--aws-sigv4", "aws:amz:us-east-1:sts",
                              "--user", "%s:%s" % (KEY_ID, SECRET),
                              "--cacert", srv.ca_path, "--data", body,
                              srv.url + "/"], env)
            if b"<SessionToken>" not in out:
                sys.exit("curl did not get a session: %r" % out[:300])
            if i == 0:
                continue  # warm-up: page cache, server's first requests
            botomfa_ms.append(ms)
            curl_ms.append(cms)
        # Memory, measured on separate runs with fresh devices' codes.
        spare = devices[-2:]
        with open(os.path.join(work, ".boto"), "w") as f:
            f.write(boto_text)
        botomfa_rss.append(rss_kib([botomfa],
                                   dict(env, MFA_DEVICE_NAME=spare[0]),
                                   (srv.totp(spare[0]) + "\n").encode()))
        curl_rss.append(rss_kib([curl, "-sS", "--cacert", srv.ca_path,
                                 srv.url + "/_control/requests"], env))
    shutil.rmtree(work, ignore_errors=True)

    b, c = statistics.median(botomfa_ms), statistics.median(curl_ms)
    print("rounds: %d (after one warm-up)" % ROUNDS)
    print("botomfa full refresh: median %.1f ms (min %.1f, max %.1f)"
          % (b, min(botomfa_ms), max(botomfa_ms)))
    print("curl signed POST:     median %.1f ms (min %.1f, max %.1f)"
          % (c, min(curl_ms), max(curl_ms)))
    print("ratio botomfa/curl: %.2f (goal <= 1.5)" % (b / c))
    print("peak RSS: botomfa %d KiB, curl %d KiB"
          % (botomfa_rss[0], curl_rss[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
