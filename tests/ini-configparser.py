#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""Print what Python's configparser reads from each INI file given.

test-ini-file runs this with Debian's /usr/bin/python3 and compares the
output with what IniFile reads, so that botomfa reads files the way
botocore (and boto) do. Per file it prints "FILE", then either "ERROR"
or, for each section in order, "S <name>" and "K <key> <value>" lines,
every string hex-encoded UTF-8.

The parser is set up the way botocore uses it (RawConfigParser: no
interpolation, '#' and ';' full-line comments only) with strict=False so
duplicated sections and keys merge, and with a default section name no
file can contain, so that [DEFAULT] is an ordinary section as IniFile
treats it.
"""

import configparser
import sys


def hexed(text):
    return text.encode("utf-8").hex()


def dump(path):
    parser = configparser.RawConfigParser(strict=False,
                                          default_section="\0none\0")
    try:
        # utf-8-sig skips a byte order mark; newline=None (the default)
        # gives the universal newlines botocore's open() gives.
        with open(path, encoding="utf-8-sig") as stream:
            parser.read_file(stream)
    except (configparser.Error, UnicodeDecodeError):
        return ["ERROR"]
    lines = []
    for section in parser.sections():
        lines.append("S " + hexed(section))
        for key, value in parser.items(section, raw=True):
            lines.append("K %s %s" % (hexed(key), hexed(value)))
    return lines


def main():
    for path in sys.argv[1:]:
        print("FILE")
        for line in dump(path):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
