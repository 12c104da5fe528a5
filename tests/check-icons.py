# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""The tray's symbolic state icons: each is a 16x16 SVG drawn with paths,
uses one fill colour at most (so the theme can recolour it), and no two
have the same shape (path data), so states differ by more than colour."""

import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def shape(path):
    root = ET.parse(path).getroot()
    if root.tag != SVG + "svg":
        sys.exit("%s: the root element is not <svg>" % path)
    if root.get("viewBox") != "0 0 16 16":
        sys.exit("%s: the viewBox is not 0 0 16 16" % path)
    fills = {e.get("fill") for e in root.iter() if e.get("fill")}
    if len(fills) > 1:
        sys.exit("%s: more than one colour (%s)" % (path, sorted(fills)))
    data = [" ".join(e.get("d", "").split()) for e in root.iter(SVG + "path")]
    if not any(data):
        sys.exit("%s: no path data" % path)
    return tuple(sorted(data))


def main(paths):
    if len(paths) < 2:
        sys.exit("usage: check-icons.py ICON.svg ICON.svg...")
    seen = {}
    for path in paths:
        key = shape(path)
        if key in seen:
            sys.exit("%s has the same shape as %s" % (path, seen[key]))
        seen[key] = path
    print("%d icons, %d shapes" % (len(paths), len(seen)))


if __name__ == "__main__":
    main(sys.argv[1:])
