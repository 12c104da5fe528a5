#!/bin/sh
# Every language in po/LINGUAS translates every message that the files of
# po/POTFILES.in hold today: merged with a fresh template, its .po has no
# untranslated and no fuzzy message, and msgfmt --check accepts it.
set -eu
cd "${MESON_SOURCE_ROOT:-$(dirname "$0")/..}"
for tool in xgettext msgmerge msgattrib msgfmt; do
  command -v "$tool" >/dev/null || { echo "$tool not found"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# The keywords and flags of meson's i18n 'glib' preset, as po/meson.build
# uses it. xgettext reads the .desktop.in files itself and the
# .metainfo.xml.in through the ITS rules AppStream installs.
xgettext --package-name=botomfa --files-from=po/POTFILES.in \
  --directory=. --output="$tmp/botomfa.pot" --from-code=UTF-8 \
  --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
  --keyword=NC_:1c,2 --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 \
  --keyword=g_dpgettext2:2c,3 --flag=N_:1:pass-c-format \
  --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format \
  --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format \
  --flag=g_printf:1:c-format --flag=g_fprintf:2:c-format \
  --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
  2>"$tmp/xgettext.err"

# A msgid that stops at a macro such as G_GINT64_FORMAT is never found at
# run time: xgettext cut it short.
if grep "not a valid C format string" "$tmp/xgettext.err"; then
  echo "use a plain conversion (%ld with a cast) in those messages"
  status=1
fi

# A data file that yields no message means xgettext could not read it
# (for the metainfo: AppStream's metainfo.its is missing).
for file in $(grep -v '^#' po/POTFILES.in | grep -v '\.c$'); do
  if ! grep -q "^#: .*$file:" "$tmp/botomfa.pot"; then
    echo "xgettext found no message in $file"
    status=1
  fi
done

# The msgids of a .po, one per line with \n escaped; the header skipped.
msgids() {
  awk '
    function flush() { if (id != "") print id; id = ""; inid = 0 }
    /^msgid / { flush(); inid = 1; id = substr($0, 7); next }
    /^"/ && inid { id = id $0; next }
    { if (inid) flush() }
    END { flush() }
  ' | sed -e 's/^"//' -e 's/"$//' -e 's/""//g' -e '/^$/d'
}

if ! grep -v '^#' po/LINGUAS | LC_ALL=C sort -c 2>/dev/null; then
  echo "po/LINGUAS is not sorted: LC_ALL=C sort its lines"
  status=1
fi
for po in po/*.po; do
  lang=$(basename "$po" .po)
  grep -qx "$lang" po/LINGUAS || { echo "$po is not in po/LINGUAS"; status=1; }
done

for lang in $(grep -v '^#' po/LINGUAS); do
  po="po/$lang.po"
  if [ ! -f "$po" ]; then
    echo "po/LINGUAS lists $lang, but $po is missing"
    status=1
    continue
  fi
  if ! grep -q "^\"Language: $lang\\\\n\"\$" "$po"; then
    echo "$lang: the header of $po does not say \"Language: $lang\""
    status=1
  fi
  if ! msgfmt --check --output-file=/dev/null "$po"; then
    echo "$lang: msgfmt --check rejects $po"
    status=1
  fi
  merged="$tmp/$lang.po"
  msgmerge --quiet --output-file="$merged" "$po" "$tmp/botomfa.pot"
  msgattrib --untranslated --no-obsolete "$merged" | msgids >"$tmp/untranslated"
  msgattrib --only-fuzzy --no-obsolete "$merged" | msgids >"$tmp/fuzzy"
  for kind in untranslated fuzzy; do
    if [ -s "$tmp/$kind" ]; then
      echo "$lang: $(wc -l <"$tmp/$kind") $kind message(s) in $po" \
        "(update it: msgmerge --update --backup=none $po po/botomfa.pot):"
      sed 's/^/    /' "$tmp/$kind"
      status=1
    fi
  done
  if ! msgfmt --check --output-file=/dev/null "$merged"; then
    echo "$lang: msgfmt --check rejects $po merged with the current template"
    status=1
  fi
done
exit $status
