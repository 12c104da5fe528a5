#!/bin/sh
# The layout rule is .clang-format; this fails on any C file that differs.
set -eu
cd "${MESON_SOURCE_ROOT:-$(dirname "$0")/..}"
status=0
for file in $(git ls-files --cached --others --exclude-standard 'src/*.[ch]' 'tests/*.[ch]' 2>/dev/null \
              || find src tests -name '*.[ch]'); do
  if ! clang-format --dry-run --Werror "$file" 2>/dev/null; then
    echo "not formatted: $file (run clang-format -i $file)"
    status=1
  fi
  if awk 'length > 100 { exit 1 }' "$file"; then :; else
    echo "over 100 columns: $file"
    status=1
  fi
done
exit $status
