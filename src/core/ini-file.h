/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * IniFile: an editor for ~/.boto, ~/.aws/credentials and ~/.aws/config that
 * changes only what it is asked to change.
 *
 * Reading follows Python's configparser.RawConfigParser(strict=False),
 * which botocore and boto use (see the end of this comment), line for line:
 * - lines end with "\n", "\r\n" or a lone "\r" (Python's universal
 *   newlines); a UTF-8 byte order mark is skipped and kept;
 * - "whitespace" is what Python's str.isspace() accepts (ASCII blanks and
 *   the Unicode spaces), and every trim below uses it;
 * - a blank line is whitespace only; a comment line starts, after
 *   whitespace, with '#' or ';' (also inside a continued value);
 * - a line indented deeper than the key line before it (in code points) is
 *   a continuation of that key's value, even if it looks like a key or a
 *   header; blank lines between continuation lines are empty lines of the
 *   value; the joined value is trimmed at its end;
 * - a header is '[' up to the LAST ']' of the trimmed line, so
 *   "[name] ; note" is section "name"; section names are case-sensitive
 *   and are not trimmed inside the brackets; "[DEFAULT]" is an ordinary
 *   section here (no inheritance: botomfa never writes there);
 * - a setting is "key = value" or "key : value", split at the first '=' or
 *   ':'; keys compare case-insensitively (Python lowercases them; here
 *   g_utf8_strdown() does); values are trimmed and inline comments are
 *   part of the value;
 * - sections of the same name merge, and the last occurrence of a key wins.
 *
 * Refused (GError, nothing is built): a NUL byte, invalid UTF-8, a line
 * that is none of the above, a setting before the first header (Python
 * raises MissingSectionHeaderError there too) and a setting with no key
 * ("= value").
 *
 * Editing (every byte outside the touched lines is kept):
 * - ini_file_set_value() on a key that exists rewrites only the value part
 *   of the line a last-wins reader reads (the last occurrence in file
 *   order over all same-named sections), keeping the key's spelling, the
 *   indentation, the spacing around the separator and trailing blanks;
 *   the key's continuation lines (and comments between them) go with the
 *   old value. Every other occurrence of that key in same-named sections
 *   is deleted, so first-wins and last-wins readers agree.
 * - a new key goes right after the last setting of the section's last
 *   occurrence (or after its header when it has none), never after the
 *   blank lines and comments that lead to the next section; it is written
 *   "key = value" ("key =" when empty) with the indentation of the
 *   section's last key so that it cannot turn into, or swallow, a
 *   continuation.
 * - a new section goes at the end, after one blank line unless the file is
 *   empty or already ends with a blank line.
 * - new lines take the file's most frequent line ending (the first one
 *   seen on a tie; "\n" when there is none). A file without a final line
 *   ending keeps lacking one: the former last line gets the ending and the
 *   new last line goes without.
 * - values are written bare, never quoted.
 * - ini_file_remove_key() removes every occurrence with its continuation
 *   lines; ini_file_remove_section() removes every occurrence of the
 *   header up to its last setting and the blank lines after it, keeping
 *   the comments that lead to the next section.
 *
 * The real readers are stricter than this parser: botocore (and boto 2 on
 * Python 3) parse with strict=True, so a file with a duplicated section or
 * key (case-insensitively) is unreadable to them; a byte order mark makes
 * botocore fail on the first header; boto 2 interpolates '%' in values.
 * Setting a key removes its duplicates; duplicated sections, the BOM and
 * '%' are kept: callers that care warn about them.
 */

#define INI_FILE_ERROR (ini_file_error_quark ())

/**
 * IniFileError:
 * @INI_FILE_ERROR_NOT_TEXT: the data holds a NUL byte
 * @INI_FILE_ERROR_INVALID_UTF8: the data is not UTF-8
 * @INI_FILE_ERROR_PARSE: a line is not a section header, a setting, a
 *   comment, a blank line or a continuation; the message names the line
 * @INI_FILE_ERROR_INVALID_VALUE: ini_file_set_value() was given a section,
 *   key or value that cannot be written bare
 */
typedef enum {
  INI_FILE_ERROR_NOT_TEXT = 1,
  INI_FILE_ERROR_INVALID_UTF8 = 2,
  INI_FILE_ERROR_PARSE = 3,
  INI_FILE_ERROR_INVALID_VALUE = 4,
} IniFileError;

GQuark ini_file_error_quark (void);

typedef struct _IniFile IniFile;

IniFile *ini_file_new (void);
IniFile *ini_file_new_from_data (const char *data, gsize len, GError **error);
void ini_file_free (IniFile *ini);

gboolean ini_file_has_section (IniFile *ini, const char *section);
char **ini_file_get_sections (IniFile *ini);
char **ini_file_get_keys (IniFile *ini, const char *section);
char *ini_file_get_value (IniFile *ini, const char *section, const char *key);

gboolean ini_file_set_value (IniFile *ini, const char *section, const char *key,
                             const char *value, GError **error);
gboolean ini_file_remove_key (IniFile *ini, const char *section,
                              const char *key);
gboolean ini_file_remove_section (IniFile *ini, const char *section);

GBytes *ini_file_to_bytes (IniFile *ini);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IniFile, ini_file_free)

G_END_DECLS
