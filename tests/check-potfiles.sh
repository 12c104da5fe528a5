#!/bin/sh
# Every source file with a translatable string is listed in po/POTFILES.in,
# every listed file exists, and the list is sorted (bytewise).
set -eu
cd "${MESON_SOURCE_ROOT:-$(dirname "$0")/..}"
status=0
for file in $(grep -lE '(^|[^A-Za-z0-9_])N?_ ?\("' $(find src -name '*.c') | sort); do
  if ! grep -qx "$file" po/POTFILES.in; then
    echo "translatable strings in $file, which po/POTFILES.in does not list"
    status=1
  fi
done
for file in $(grep -v '^#' po/POTFILES.in); do
  [ -f "$file" ] || { echo "po/POTFILES.in lists missing $file"; status=1; }
done
if ! grep -v '^#' po/POTFILES.in | LC_ALL=C sort -c 2>/dev/null; then
  echo "po/POTFILES.in is not sorted: LC_ALL=C sort its lines"
  status=1
fi
exit $status
