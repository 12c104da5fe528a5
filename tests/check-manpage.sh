#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
#
#   check-manpage.sh BOTOMFA PAGE
#
# The manual page PAGE renders without a groff warning, is plain ASCII, and
# documents what the live --help texts of BOTOMFA name: every long option
# of botomfa and of each command (in that command's subsection of
# COMMANDS), every command and keys action, every environment variable (in
# ENVIRONMENT) and every exit status (in EXIT STATUS). Adding an option,
# command or variable to botomfa without documenting it fails here.
set -u

botomfa=$1
page=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export LC_ALL=C.UTF-8 LANGUAGE=
failed=0

fail()
{
  echo "FAIL: $*"
  failed=1
}

if ! command -v groff >/dev/null 2>&1; then
  echo "groff is not installed (apt-get install groff-base): skipped"
  exit 77
fi

# Rendering: no warning at the strictest level, the way man renders it too.
if ! groff -man -Tutf8 -ww -z "$page" 2>"$scratch/warnings" \
   || [ -s "$scratch/warnings" ]; then
  fail "groff -man -Tutf8 -ww warns about $page:"
  cat "$scratch/warnings"
fi
if command -v man >/dev/null 2>&1; then
  if ! MANWIDTH=80 man --warnings -E UTF-8 -l "$page" >/dev/null \
       2>"$scratch/man-warnings" || [ -s "$scratch/man-warnings" ]; then
    fail "man --warnings -l warns about $page:"
    cat "$scratch/man-warnings"
  fi
fi
if LC_ALL=C grep -n '[^[:print:][:space:]]' "$page" >"$scratch/non-ascii"; then
  fail "$page is not plain ASCII:"
  cat "$scratch/non-ascii"
fi

# The page as text, one paragraph a line (no line breaks, no hyphenation),
# so that every name is found whole.
groff -man -Tascii -rLL=5000n -rHY=0 -P-cbou "$page" >"$scratch/page" \
  2>/dev/null

# Prints section $1 of the rendered page (its heading excluded).
section()
{
  awk -v name="$1" '
    /^[A-Z]/ { inside = ($0 == name); next }
    inside' "$scratch/page"
}

# Prints subsection $2 of section $1.
subsection()
{
  section "$1" | awk -v name="   $2" '
    /^   [^ ]/ { inside = ($0 == name); next }
    inside'
}

# Whether the word $1 (an option, a name) occurs in standard input.
has_word()
{
  grep -qE -- "(^|[^-_[:alnum:]])$1([^-_[:alnum:]]|\$)"
}

# The long options a --help text (standard input) lists.
long_options()
{
  sed -nE 's/^ +(-[[:alnum:]], +)?(--[[:alnum:]][-[:alnum:]]*).*/\2/p' | sort -u
}

# The first words of the lines of block "$1:" of a --help text (standard
# input): the commands, or the keys actions.
block_names()
{
  awk -v head="$1:" '
    $0 == head { inside = 1; next }
    /^$/ { inside = 0 }
    inside && /^  [^ ]/ { print $1 }'
}

"$botomfa" --help >"$scratch/help" || fail "botomfa --help failed"
[ -s "$scratch/page" ] || fail "$page renders to nothing"

for name in NAME SYNOPSIS DESCRIPTION COMMANDS "EXIT STATUS" ENVIRONMENT \
            FILES EXAMPLES "SEE ALSO"; do
  grep -qx "$name" "$scratch/page" || fail "no $name section"
done

for option in $(long_options <"$scratch/help"); do
  has_word "$option" <"$scratch/page" \
    || fail "botomfa $option is not documented"
done

commands=$(block_names Commands <"$scratch/help")
[ -n "$commands" ] || fail "no commands found in botomfa --help"
for command in $commands; do
  section SYNOPSIS | has_word "botomfa $command" \
    || fail "SYNOPSIS lacks botomfa $command"
  subsection COMMANDS "$command" >"$scratch/sub"
  if [ ! -s "$scratch/sub" ]; then
    fail "COMMANDS has no subsection $command"
    continue
  fi
  "$botomfa" "$command" --help >"$scratch/command-help" \
    || fail "botomfa $command --help failed"
  options=$(long_options <"$scratch/command-help")
  [ -n "$options" ] || fail "no options found in botomfa $command --help"
  # Each option and action is an entry of its own (a .TP tag).
  for option in $options; do
    [ "$option" = --help ] && continue
    grep -qE -- "^ +(-[[:alnum:]], +)?$option([= ]|\$)" "$scratch/sub" \
      || fail "COMMANDS $command does not document $option"
  done
  for action in $(block_names Commands <"$scratch/command-help"); do
    grep -qE -- "^ +$action( |\$)" "$scratch/sub" \
      || fail "COMMANDS $command does not document $command $action"
  done
done

# The variable column of the Environment block: "  NAME[, NAME...]  text".
variables=$(awk '
    $0 == "Environment:" { inside = 1; next }
    /^$/ { inside = 0 }
    inside && /^  [A-Z]/ {
      sub(/^  /, ""); sub(/  .*/, ""); gsub(/,/, " "); print
    }' "$scratch/help")
[ -n "$variables" ] || fail "no variables found in botomfa --help"
section ENVIRONMENT >"$scratch/environment"
for variable in $variables; do
  has_word "$variable" <"$scratch/environment" \
    || fail "ENVIRONMENT does not document $variable"
done

statuses=$(awk '
    $0 == "Exit status:" { inside = 1; next }
    /^$/ { inside = 0 }
    inside && /^  [0-9]/ { print $1 }' "$scratch/help")
[ -n "$statuses" ] || fail "no exit statuses found in botomfa --help"
section "EXIT STATUS" >"$scratch/exit-status"
for status in $statuses; do
  grep -qE "^ +$status( |\$)" "$scratch/exit-status" \
    || fail "EXIT STATUS does not document $status"
done

if [ "$failed" = 0 ]; then
  # shellcheck disable=SC2086 # one line of words
  echo "$page documents the commands" $commands
  # shellcheck disable=SC2086
  echo "the variables" $variables "and the exit statuses" $statuses
fi
exit "$failed"
