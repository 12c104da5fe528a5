#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""Print what botocore reads from AWS config and credentials files.

test-aws-config runs this with Debian's /usr/bin/python3 and compares the
output with what aws_config_load() and aws_config_credentials_sections()
read. Usage: aws-config-botocore.py config|credentials FILE...

Per file it prints "FILE", then "ERROR" when botocore refuses the file, or:
- config: for each profile of botocore.configloader.load_config() in
  order, "P <name>", then "K <key> <value>" for each of its string values
  (nested blocks such as "s3 =" are left out);
- credentials: "S <name>" for each section of raw_config_parse(), as
  botocore's session collects the profile names of that file.
Every string is hex-encoded UTF-8.
"""

import sys

import botocore.configloader
import botocore.exceptions


def hexed(text):
    return text.encode("utf-8").hex()


def dump_config(path):
    config = botocore.configloader.load_config(path)
    lines = []
    for name, values in config["profiles"].items():
        lines.append("P " + hexed(name))
        for key, value in values.items():
            if isinstance(value, str):
                lines.append("K %s %s" % (hexed(key), hexed(value)))
    return lines


def dump_credentials(path):
    sections = botocore.configloader.raw_config_parse(path)
    return ["S " + hexed(name) for name in sections]


def main():
    dump = {"config": dump_config, "credentials": dump_credentials}[sys.argv[1]]
    for path in sys.argv[2:]:
        print("FILE")
        try:
            lines = dump(path)
        except botocore.exceptions.BotoCoreError:
            lines = ["ERROR"]
        for line in lines:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
