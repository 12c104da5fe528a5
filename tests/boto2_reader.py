#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""A real boto 2 program: loads the boto config the way boto does (HOME or
BOTO_CONFIG), takes [Credentials] from it, and calls GetCallerIdentity on
the endpoint given as argv[1] (https://127.0.0.1:PORT), trusting argv[2].
Prints the caller's ARN; exits non-zero when AWS refused."""

import sys
import urllib.parse

import boto
from boto.regioninfo import RegionInfo
from boto.sts.connection import STSConnection


def main():
    url = urllib.parse.urlparse(sys.argv[1])
    if not boto.config.has_section("Boto"):
        boto.config.add_section("Boto")
    boto.config.set("Boto", "ca_certificates_file", sys.argv[2])
    # boto 2 matches certificates by DNS name only: use localhost.
    conn = STSConnection(region=RegionInfo(name="us-east-1",
                                           endpoint="localhost"),
                         port=url.port)
    # boto 2 derives the signing scope from the host name; a loopback
    # address has none, so name it as boto does for sts.amazonaws.com.
    conn.auth_region_name = "us-east-1"
    conn.auth_service_name = "sts"
    if not conn.provider.security_token:
        print("boto read no aws_security_token", file=sys.stderr)
        return 2
    response = conn.make_request("GetCallerIdentity", {}, "/", "POST")
    body = response.read().decode()
    if response.status != 200:
        print("HTTP %d: %s" % (response.status, body), file=sys.stderr)
        return 1
    start = body.index("<Arn>") + len("<Arn>")
    print(body[start:body.index("</Arn>")].strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
