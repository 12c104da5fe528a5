/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#include "ini-file.h"
#include "wipe.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#define UTF8_BOM "\xef\xbb\xbf"

GQuark
ini_file_error_quark (void)
{
  return g_quark_from_static_string ("ini-file-error-quark");
}

typedef enum {
  LINE_BLANK,
  LINE_COMMENT,
  LINE_SECTION,
  LINE_KEY,
  LINE_CONTINUATION,
} LineKind;

typedef struct _IniLine IniLine;

/* One physical line. Everything below @eol is derived from @text by
 * classify_lines() and recomputed after every edit. */
struct _IniLine {
  char *text; /* without its line ending, NUL-terminated */
  gsize len;
  const char *eol; /* static: "", "\n", "\r\n" or "\r" */

  LineKind kind;
  gsize start, end; /* the line with Python whitespace trimmed */
  gsize name_end;   /* SECTION: the last ']'; KEY: end of the trimmed key */
  gsize delim;      /* KEY: the '=' or ':' */
  gsize value_start;
  char *folded;     /* KEY: the key as Python's optionxform() sees it */
  IniLine *section; /* the header this line is under, or NULL */
  IniLine *owner;   /* CONTINUATION: the key it continues */
};

struct _IniFile {
  GPtrArray *lines;
  gboolean bom;
};

typedef struct {
  guint first, last; /* a range of line indexes, both included */
} LineRange;

/* Python's str.isspace(), which is also what re's \s matches: the
 * characters configparser trims and measures indentation with. */
static gboolean
py_isspace (gunichar c)
{
  switch (c) {
    case '\t':
    case '\n':
    case 0x0b:
    case 0x0c:
    case '\r':
    case 0x1c:
    case 0x1d:
    case 0x1e:
    case 0x1f:
    case ' ':
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return TRUE;
    default:
      return c >= 0x2000 && c <= 0x200a;
  }
}

static gsize
skip_space (const char *text, gsize pos, gsize end)
{
  while (pos < end && py_isspace (g_utf8_get_char (text + pos)))
    pos = g_utf8_next_char (text + pos) - text;
  return pos;
}

static gsize
trim_space_end (const char *text, gsize start, gsize end)
{
  while (end > start) {
    const char *prev = g_utf8_prev_char (text + end);

    if (!py_isspace (g_utf8_get_char (prev)))
      break;
    end = prev - text;
  }
  return end;
}

static void
ini_line_free (IniLine *line)
{
  wipe_memory (line->text, line->len);
  g_free (line->text);
  g_free (line->folded);
  g_free (line);
}

static IniLine *
ini_line_new (char *text, gsize len, const char *eol)
{
  IniLine *line = g_new0 (IniLine, 1);

  line->text = text;
  line->len = len;
  line->eol = eol;
  return line;
}

static IniLine *
line_at (IniFile *ini, guint index)
{
  return g_ptr_array_index (ini->lines, index);
}

static gboolean
section_is (const IniLine *header, const char *name)
{
  gsize len = header->name_end - header->start - 1;

  return strlen (name) == len
         && memcmp (header->text + header->start + 1, name, len) == 0;
}

static gboolean
key_is (const IniLine *line, const char *section, const char *folded)
{
  return line->kind == LINE_KEY && section_is (line->section, section)
         && strcmp (line->folded, folded) == 0;
}

/**
 * ini_file_new:
 *
 * Returns: (transfer full): an empty #IniFile; free with ini_file_free().
 */
IniFile *
ini_file_new (void)
{
  IniFile *ini = g_new0 (IniFile, 1);

  ini->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) ini_line_free);
  return ini;
}

/**
 * ini_file_free:
 * @ini: (nullable) (transfer full): an #IniFile
 *
 * Wipes every line (the file may hold secret keys) and frees @ini.
 */
void
ini_file_free (IniFile *ini)
{
  if (ini == NULL)
    return;

  g_ptr_array_unref (ini->lines);
  g_free (ini);
}

/* Line numbers count line endings the way the parser does, so that an
 * error names the line a text editor shows. */
static guint
line_number_at (const char *data, gsize offset)
{
  guint number = 1;

  for (gsize i = 0; i < offset; i++) {
    if (data[i] == '\n'
        || (data[i] == '\r' && (i + 1 >= offset || data[i + 1] != '\n')))
      number++;
  }
  return number;
}

static gboolean
check_text (const char *data, gsize len, GError **error)
{
  const char *nul = memchr (data, '\0', len);
  const char *bad = NULL;

  if (nul != NULL) {
    g_set_error (error, INI_FILE_ERROR, INI_FILE_ERROR_NOT_TEXT,
                 _ ("line %u contains a NUL byte: this is not a text "
                    "configuration file"),
                 line_number_at (data, nul - data));
    return FALSE;
  }
  if (!g_utf8_validate_len (data, len, &bad)) {
    g_set_error (error, INI_FILE_ERROR, INI_FILE_ERROR_INVALID_UTF8,
                 _ ("line %u is not valid UTF-8 text; convert the file to "
                    "UTF-8 and try again"),
                 line_number_at (data, bad - data));
    return FALSE;
  }
  return TRUE;
}

static void
split_lines (IniFile *ini, const char *data, gsize len)
{
  gsize start = 0;

  while (start < len) {
    gsize end = start;
    const char *eol = "";

    while (end < len && data[end] != '\n' && data[end] != '\r')
      end++;
    if (end < len && data[end] == '\n')
      eol = "\n";
    else if (end + 1 < len && data[end + 1] == '\n')
      eol = "\r\n";
    else if (end < len)
      eol = "\r";
    g_ptr_array_add (
      ini->lines,
      ini_line_new (g_strndup (data + start, end - start), end - start, eol));
    start = end + strlen (eol);
  }
}

static void
clear_classification (IniLine *line)
{
  g_clear_pointer (&line->folded, g_free);
  line->section = NULL;
  line->owner = NULL;
  line->name_end = line->delim = line->value_start = 0;
}

static gboolean
parse_header (IniLine *line)
{
  /* configparser's SECTCRE is "\[(?P<header>.+)\]" matched from the
   * start of the trimmed line: greedy, so the name runs to the last ']'
   * and anything after it is ignored. */
  if (line->text[line->start] != '[')
    return FALSE;
  for (gsize i = line->end; i > line->start + 2; i--) {
    if (line->text[i - 1] == ']') {
      line->name_end = i - 1;
      line->kind = LINE_SECTION;
      return TRUE;
    }
  }
  return FALSE;
}

static gboolean
parse_setting (IniLine *line)
{
  gsize delim = line->start;
  gsize key_end;

  while (delim < line->end && line->text[delim] != '='
         && line->text[delim] != ':')
    delim++;
  if (delim == line->end || delim == line->start)
    return FALSE;

  key_end = trim_space_end (line->text, line->start, delim);
  line->kind = LINE_KEY;
  line->name_end = key_end;
  line->delim = delim;
  line->value_start = skip_space (line->text, delim + 1, line->end);
  line->folded =
    g_utf8_strdown (line->text + line->start, key_end - line->start);
  return TRUE;
}

typedef struct {
  IniLine *section;
  IniLine *key;
  glong indent_level;
} ClassifyState;

static gboolean
classify_significant (IniLine *line, guint number, ClassifyState *state,
                      GError **error)
{
  glong indent = g_utf8_strlen (line->text, line->start);

  if (state->key != NULL && indent > state->indent_level) {
    line->kind = LINE_CONTINUATION;
    line->owner = state->key;
    return TRUE;
  }
  state->indent_level = indent;
  if (parse_header (line)) {
    state->section = line->section = line;
    state->key = NULL;
    return TRUE;
  }
  if (state->section == NULL) {
    g_set_error (error, INI_FILE_ERROR, INI_FILE_ERROR_PARSE,
                 _ ("line %u holds text before the first [section] header; "
                    "move it under a section or remove it"),
                 number);
    return FALSE;
  }
  if (!parse_setting (line)) {
    g_set_error (error, INI_FILE_ERROR, INI_FILE_ERROR_PARSE,
                 _ ("line %u is neither a [section] header, a “key = value” "
                    "setting, a comment nor an indented continuation; fix "
                    "it by hand and try again"),
                 number);
    return FALSE;
  }
  state->key = line;
  return TRUE;
}

static gboolean
classify_lines (IniFile *ini, GError **error)
{
  ClassifyState state = { NULL, NULL, 0 };

  for (guint i = 0; i < ini->lines->len; i++) {
    IniLine *line = line_at (ini, i);
    char first;

    clear_classification (line);
    line->start = skip_space (line->text, 0, line->len);
    line->end = trim_space_end (line->text, line->start, line->len);
    line->section = state.section;
    first = line->text[line->start];
    if (line->start == line->end)
      line->kind = LINE_BLANK;
    else if (first == '#' || first == ';')
      line->kind = LINE_COMMENT;
    else if (!classify_significant (line, i + 1, &state, error))
      return FALSE;
  }
  return TRUE;
}

static void
reclassify (IniFile *ini)
{
  gboolean ok;

  /* Edits only write lines that parse and keep every other line's role,
   * so this cannot fail; the fuzz target checks it. */
  ok = classify_lines (ini, NULL);
  g_assert (ok);
}

/**
 * ini_file_new_from_data:
 * @data: (array length=len) (nullable): the file's contents
 * @len: length of @data in bytes
 * @error: return location for an #INI_FILE_ERROR
 *
 * Parses @data without losing a byte of it: ini_file_to_bytes() on the
 * result gives back @data exactly. Does not block.
 *
 * Returns: (transfer full) (nullable): a new #IniFile, or %NULL with
 * @error set when the data is not a file configparser would read.
 */
IniFile *
ini_file_new_from_data (const char *data, gsize len, GError **error)
{
  g_autoptr (IniFile) ini = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_text (data, len, error))
    return NULL;

  ini = ini_file_new ();
  if (len >= 3 && memcmp (data, UTF8_BOM, 3) == 0) {
    ini->bom = TRUE;
    data += 3;
    len -= 3;
  }
  split_lines (ini, data, len);
  if (!classify_lines (ini, error))
    return NULL;

  return g_steal_pointer (&ini);
}

/**
 * ini_file_has_section:
 * @ini: an #IniFile
 * @section: a section name (case-sensitive)
 *
 * Returns: whether a `[@section]` header is present.
 */
gboolean
ini_file_has_section (IniFile *ini, const char *section)
{
  g_return_val_if_fail (ini != NULL, FALSE);
  g_return_val_if_fail (section != NULL, FALSE);

  for (guint i = 0; i < ini->lines->len; i++) {
    IniLine *line = line_at (ini, i);

    if (line->kind == LINE_SECTION && section_is (line, section))
      return TRUE;
  }
  return FALSE;
}

static void
add_distinct (GPtrArray *names, GHashTable *seen, char *name)
{
  if (g_hash_table_contains (seen, name)) {
    g_free (name);
    return;
  }
  g_hash_table_add (seen, name);
  g_ptr_array_add (names, name);
}

/**
 * ini_file_get_sections:
 * @ini: an #IniFile
 *
 * Returns: (transfer full) (array zero-terminated=1): the distinct section
 * names in order of first appearance; free with g_strfreev().
 */
char **
ini_file_get_sections (IniFile *ini)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *names = g_ptr_array_new ();

  g_return_val_if_fail (ini != NULL, NULL);

  for (guint i = 0; i < ini->lines->len; i++) {
    IniLine *line = line_at (ini, i);

    if (line->kind == LINE_SECTION)
      add_distinct (names, seen,
                    g_strndup (line->text + line->start + 1,
                               line->name_end - line->start - 1));
  }
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

/**
 * ini_file_get_keys:
 * @ini: an #IniFile
 * @section: a section name (case-sensitive)
 *
 * Lists the keys of every `[@section]` occurrence as a last-wins reader
 * such as configparser sees them: each key once, lowercased the way
 * configparser stores option names, in order of first appearance.
 *
 * Returns: (transfer full) (array zero-terminated=1): the keys, empty when
 * the section is absent; free with g_strfreev().
 */
char **
ini_file_get_keys (IniFile *ini, const char *section)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *names = g_ptr_array_new ();

  g_return_val_if_fail (ini != NULL, NULL);
  g_return_val_if_fail (section != NULL, NULL);

  for (guint i = 0; i < ini->lines->len; i++) {
    IniLine *line = line_at (ini, i);

    if (line->kind == LINE_KEY && section_is (line->section, section))
      add_distinct (names, seen, g_strdup (line->folded));
  }
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

static int
find_last_key (IniFile *ini, const char *section, const char *folded)
{
  for (guint i = ini->lines->len; i > 0; i--) {
    if (key_is (line_at (ini, i - 1), section, folded))
      return i - 1;
  }
  return -1;
}

/* The index of the last line of a key's value: the key line itself or its
 * last continuation line. Blank lines and comments after that are not
 * part of it. */
static guint
key_extent_end (IniFile *ini, guint key_index)
{
  guint last = key_index;

  for (guint i = key_index + 1; i < ini->lines->len; i++) {
    IniLine *line = line_at (ini, i);

    if (line->kind == LINE_SECTION || line->kind == LINE_KEY)
      break;
    if (line->kind == LINE_CONTINUATION)
      last = i;
  }
  return last;
}

static char *
key_value (IniFile *ini, guint key_index)
{
  IniLine *key = line_at (ini, key_index);
  guint last = key_extent_end (ini, key_index);
  gsize bound = 1;
  GString *value;

  /* Sized once so that the buffer holding the secret never moves. */
  for (guint i = key_index; i <= last; i++)
    bound += line_at (ini, i)->len + 1;
  value = g_string_sized_new (bound);
  g_string_append_len (value, key->text + key->value_start,
                       key->end - key->value_start);

  /* configparser joins the value's lines with '\n': blank lines count as
   * empty lines, comments are skipped, and the result is trimmed. */
  for (guint i = key_index + 1; i <= last; i++) {
    IniLine *line = line_at (ini, i);

    if (line->kind == LINE_COMMENT)
      continue;
    g_string_append_c (value, '\n');
    if (line->kind == LINE_CONTINUATION)
      g_string_append_len (value, line->text + line->start,
                           line->end - line->start);
  }
  g_string_truncate (value, trim_space_end (value->str, 0, value->len));
  return g_string_free (value, FALSE);
}

/**
 * ini_file_get_value:
 * @ini: an #IniFile
 * @section: a section name (case-sensitive)
 * @key: a key (case-insensitive)
 *
 * Reads what configparser would read: the last occurrence of @key over
 * every `[@section]`, trimmed, continuation lines joined with '\n',
 * inline comments included.
 *
 * Returns: (transfer full) (nullable): the value, or %NULL when absent.
 * It may be a secret: free it with wipe_string_free().
 */
char *
ini_file_get_value (IniFile *ini, const char *section, const char *key)
{
  g_autofree char *folded = NULL;
  int index;

  g_return_val_if_fail (ini != NULL, NULL);
  g_return_val_if_fail (section != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  /* The file is valid UTF-8, so no key of it can match one that is not. */
  if (!g_utf8_validate (key, -1, NULL))
    return NULL;
  folded = g_utf8_strdown (key, -1);
  index = find_last_key (ini, section, folded);
  if (index < 0)
    return NULL;

  return key_value (ini, index);
}

static gboolean
has_bad_character (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    /* Controls other than tab could end the line for some reader. */
    if ((c < 0x20 && c != '\t') || c == 0x7f || c == 0x85 || c == 0x2028
        || c == 0x2029)
      return TRUE;
  }
  return FALSE;
}

static gboolean
is_bare (const char *text)
{
  gsize len = strlen (text);

  return g_utf8_validate (text, len, NULL) && !has_bad_character (text)
         && skip_space (text, 0, len) == 0
         && trim_space_end (text, 0, len) == len;
}

static gboolean
check_names (const char *section, const char *key, GError **error)
{
  if (*section == '\0' || !is_bare (section) || strpbrk (section, "[]")) {
    g_set_error (error, INI_FILE_ERROR, INI_FILE_ERROR_INVALID_VALUE,
                 _ ("“%s” cannot be written as a section name: it must not be "
                    "empty, hold brackets, line breaks or control characters, "
                    "nor start or end with a space"),
                 g_utf8_validate (section, -1, NULL) ? section : "?");
    return FALSE;
  }
  if (*key == '\0' || !is_bare (key) || strpbrk (key, "=:")
      || strchr ("[#;", *key)) {
    g_set_error (error, INI_FILE_ERROR, INI_FILE_ERROR_INVALID_VALUE,
                 _ ("“%s” cannot be written as a key: it must not be empty, "
                    "hold “=”, “:”, line breaks or control characters, start "
                    "with “[”, “#” or “;”, nor start or end with a space"),
                 g_utf8_validate (key, -1, NULL) ? key : "?");
    return FALSE;
  }
  return TRUE;
}

static gboolean
check_value (const char *key, const char *value, GError **error)
{
  /* The message names the key only: the value may be a secret. */
  if (!is_bare (value)) {
    g_set_error (error, INI_FILE_ERROR, INI_FILE_ERROR_INVALID_VALUE,
                 _ ("the value for “%s” cannot be written to an INI file: it "
                    "holds a line break, a control character or invalid "
                    "UTF-8, or starts or ends with a space"),
                 key);
    return FALSE;
  }
  return TRUE;
}

static void
line_set_text (IniLine *line, GString *text)
{
  wipe_memory (line->text, line->len);
  g_free (line->text);
  line->len = text->len;
  line->text = g_string_free (text, FALSE);
}

static void
replace_value (IniFile *ini, guint key_index, const char *value)
{
  IniLine *line = line_at (ini, key_index);
  gsize value_len = strlen (value);
  GString *text = g_string_sized_new (2 * line->len + value_len + 1);
  guint last = key_extent_end (ini, key_index);

  g_string_append_len (text, line->text, line->value_start);
  /* "key =" given a value becomes "key = value", mirroring the spacing
   * before the separator. */
  if (line->value_start == line->end && line->end == line->delim + 1
      && value_len > 0)
    g_string_append_len (text, line->text + line->name_end,
                         line->delim - line->name_end);
  g_string_append_len (text, value, value_len);
  g_string_append_len (text, line->text + line->end, line->len - line->end);
  line_set_text (line, text);

  if (last > key_index)
    g_ptr_array_remove_range (ini->lines, key_index + 1, last - key_index);
}

static GPtrArray *
key_ranges (IniFile *ini, const char *section, const char *folded, int except)
{
  GPtrArray *ranges = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < ini->lines->len; i++) {
    LineRange *range;

    if ((int) i == except || !key_is (line_at (ini, i), section, folded))
      continue;
    range = g_new (LineRange, 1);
    range->first = i;
    range->last = key_extent_end (ini, i);
    g_ptr_array_add (ranges, range);
  }
  return ranges;
}

/* Ranges are in file order and do not overlap. */
static gboolean
remove_ranges (IniFile *ini, GPtrArray *ranges)
{
  for (guint i = ranges->len; i > 0; i--) {
    LineRange *range = g_ptr_array_index (ranges, i - 1);

    g_ptr_array_remove_range (ini->lines, range->first,
                              range->last - range->first + 1);
  }
  return ranges->len > 0;
}

static const char *
file_eol (IniFile *ini)
{
  static const char *const endings[] = { "\n", "\r\n", "\r" };
  guint counts[G_N_ELEMENTS (endings)] = { 0 };
  guint first_seen[G_N_ELEMENTS (endings)] = { 0 };
  int best = -1;

  for (guint i = 0; i < ini->lines->len; i++) {
    const char *eol = line_at (ini, i)->eol;

    for (guint e = 0; e < G_N_ELEMENTS (endings); e++) {
      if (strcmp (eol, endings[e]) == 0 && counts[e]++ == 0)
        first_seen[e] = i;
    }
  }
  /* The most frequent ending; on a tie, the one seen first. */
  for (guint e = 0; e < G_N_ELEMENTS (endings); e++) {
    if (counts[e] > 0
        && (best < 0 || counts[e] > counts[best]
            || (counts[e] == counts[best] && first_seen[e] < first_seen[best])))
      best = e;
  }
  return best < 0 ? "\n" : endings[best];
}

/* Inserts @text as a new line at @index. A file that lacked a final line
 * ending keeps lacking one: the line before takes the ending instead. */
static void
insert_line (IniFile *ini, guint index, GString *text, const char *eol)
{
  IniLine *line = ini_line_new (NULL, 0, eol);
  IniLine *before = index > 0 ? line_at (ini, index - 1) : NULL;

  line_set_text (line, text);
  if (before != NULL && *before->eol == '\0') {
    before->eol = eol;
    line->eol = "";
  }
  g_ptr_array_insert (ini->lines, index, line);
}

static GString *
setting_text (const char *indent, gsize indent_len, const char *key,
              const char *value)
{
  GString *text =
    g_string_sized_new (indent_len + strlen (key) + strlen (value) + 4);

  g_string_append_len (text, indent, indent_len);
  g_string_append (text, key);
  g_string_append (text, *value != '\0' ? " = " : " =");
  g_string_append (text, value);
  return text;
}

static int
last_header (IniFile *ini, const char *section)
{
  for (guint i = ini->lines->len; i > 0; i--) {
    IniLine *line = line_at (ini, i - 1);

    if (line->kind == LINE_SECTION && section_is (line, section))
      return i - 1;
  }
  return -1;
}

static void
insert_key (IniFile *ini, guint header_index, const char *key,
            const char *value)
{
  guint after = header_index;
  IniLine *model = NULL;

  for (guint i = header_index + 1; i < ini->lines->len; i++) {
    IniLine *line = line_at (ini, i);

    if (line->kind == LINE_SECTION) {
      model = model != NULL ? model : line;
      break;
    }
    if (line->kind == LINE_KEY || line->kind == LINE_CONTINUATION)
      after = i;
    if (line->kind == LINE_KEY)
      model = line;
  }
  /* The new line is indented like the section's last key (or, with no
   * key, like the next header): any shallower and the lines after it
   * could become its continuation, any deeper and it would continue the
   * key before it. */
  insert_line (ini, after + 1,
               setting_text (model ? model->text : "", model ? model->start : 0,
                             key, value),
               file_eol (ini));
}

static void
append_section (IniFile *ini, const char *section, const char *key,
                const char *value)
{
  const char *eol = file_eol (ini);
  guint n = ini->lines->len;
  GString *header = g_string_new ("[");

  if (n > 0 && line_at (ini, n - 1)->kind != LINE_BLANK)
    insert_line (ini, n++, g_string_new (""), eol);
  g_string_append (header, section);
  g_string_append_c (header, ']');
  insert_line (ini, n, header, eol);
  insert_line (ini, n + 1, setting_text ("", 0, key, value), eol);
}

/**
 * ini_file_set_value:
 * @ini: an #IniFile
 * @section: the section name (case-sensitive)
 * @key: the key (matched case-insensitively; a new key is written as
 *   spelled here)
 * @value: the value, written bare; may be empty
 * @error: return location for an #INI_FILE_ERROR_INVALID_VALUE
 *
 * Sets @key so that every reader, first-wins or last-wins, reads @value;
 * see the top of ini-file.h for where the line goes and what else is
 * removed. Nothing changes on error. Does not block.
 *
 * Returns: %TRUE on success; %FALSE if @section, @key or @value cannot be
 * written bare (a line break, a control character, invalid UTF-8, a space
 * at either end; brackets in a section; '=', ':' in a key...).
 */
gboolean
ini_file_set_value (IniFile *ini, const char *section, const char *key,
                    const char *value, GError **error)
{
  g_autofree char *folded = NULL;
  int index;

  g_return_val_if_fail (ini != NULL, FALSE);
  g_return_val_if_fail (section != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_names (section, key, error) || !check_value (key, value, error))
    return FALSE;

  folded = g_utf8_strdown (key, -1);
  index = find_last_key (ini, section, folded);
  if (index >= 0) {
    g_autoptr (GPtrArray) others = NULL;

    /* The line rewritten is the last occurrence, so removing the
     * others, all before it, does not move it. */
    replace_value (ini, index, value);
    reclassify (ini);
    others = key_ranges (ini, section, folded, index);
    remove_ranges (ini, others);
  } else if ((index = last_header (ini, section)) >= 0) {
    insert_key (ini, index, key, value);
  } else {
    append_section (ini, section, key, value);
  }
  reclassify (ini);
  return TRUE;
}

/**
 * ini_file_remove_key:
 * @ini: an #IniFile
 * @section: the section name (case-sensitive)
 * @key: the key (case-insensitive)
 *
 * Removes every occurrence of @key in every `[@section]`, each with its
 * continuation lines (and the comments between them). Comments and blank
 * lines around the key stay. Does not block.
 *
 * Returns: %TRUE if something was removed.
 */
gboolean
ini_file_remove_key (IniFile *ini, const char *section, const char *key)
{
  g_autofree char *folded = NULL;
  g_autoptr (GPtrArray) ranges = NULL;
  gboolean removed;

  g_return_val_if_fail (ini != NULL, FALSE);
  g_return_val_if_fail (section != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!g_utf8_validate (key, -1, NULL))
    return FALSE;
  folded = g_utf8_strdown (key, -1);
  ranges = key_ranges (ini, section, folded, -1);
  removed = remove_ranges (ini, ranges);
  reclassify (ini);
  return removed;
}

static void
section_range (IniFile *ini, guint header_index, LineRange *range)
{
  guint n = ini->lines->len;

  range->first = range->last = header_index;
  for (guint i = header_index + 1; i < n; i++) {
    LineKind kind = line_at (ini, i)->kind;

    if (kind == LINE_SECTION)
      break;
    if (kind == LINE_KEY || kind == LINE_CONTINUATION)
      range->last = i;
  }
  while (range->last + 1 < n
         && line_at (ini, range->last + 1)->kind == LINE_BLANK)
    range->last++;
  /* At the end of the file, the blank lines that separated the section
   * from the one before go too, so none dangles at the end. */
  if (range->last + 1 == n) {
    while (range->first > 0
           && line_at (ini, range->first - 1)->kind == LINE_BLANK)
      range->first--;
  }
}

/* Whether removing @range would change how the file reads after it: an
 * indented line that follows (past blank lines and comments) reads as its
 * own header or setting only because the removed header stands before it;
 * without it, configparser would take it as a continuation of the setting
 * before the range. */
static gboolean
range_shields_indented_line (IniFile *ini, const LineRange *range)
{
  for (guint i = range->last + 1; i < ini->lines->len; i++) {
    IniLine *line = line_at (ini, i);

    if (line->kind == LINE_BLANK || line->kind == LINE_COMMENT)
      continue;
    return line->start > 0;
  }

  return FALSE;
}

/**
 * ini_file_remove_section:
 * @ini: an #IniFile
 * @section: the section name (case-sensitive)
 *
 * Removes every `[@section]` occurrence: its header, every line up to and
 * including its last setting (so comments and blank lines between its
 * settings go too), and the blank lines right after. Comments after the
 * last setting stay, since they usually introduce the next section; at
 * the end of the file the blank lines before the header go instead. When
 * an indented line after a removed block would then read as a
 * continuation of an earlier setting, nothing is removed. Does not block.
 *
 * Returns: %TRUE if something was removed.
 */
gboolean
ini_file_remove_section (IniFile *ini, const char *section)
{
  g_autoptr (GPtrArray) ranges = g_ptr_array_new_with_free_func (g_free);
  gboolean removed;

  g_return_val_if_fail (ini != NULL, FALSE);
  g_return_val_if_fail (section != NULL, FALSE);

  for (guint i = 0; i < ini->lines->len; i++) {
    IniLine *line = line_at (ini, i);
    LineRange *range, *previous;

    if (line->kind != LINE_SECTION || !section_is (line, section))
      continue;
    range = g_new (LineRange, 1);
    section_range (ini, i, range);
    if (range_shields_indented_line (ini, range)) {
      g_free (range);
      return FALSE;
    }
    previous = ranges->len ? g_ptr_array_index (ranges, ranges->len - 1) : NULL;
    if (previous != NULL && range->first <= previous->last + 1) {
      previous->last = range->last;
      g_free (range);
    } else {
      g_ptr_array_add (ranges, range);
    }
  }
  removed = remove_ranges (ini, ranges);
  reclassify (ini);
  return removed;
}

static void
wipe_gstring_notify (gpointer data)
{
  wipe_gstring_free (data);
}

/**
 * ini_file_to_bytes:
 * @ini: an #IniFile
 *
 * Serialises @ini: the original bytes with the edits applied.
 *
 * Returns: (transfer full): the file's contents. They may hold secrets:
 * the buffer is wiped when the last reference is dropped, so do not copy
 * it out without wiping the copy.
 */
GBytes *
ini_file_to_bytes (IniFile *ini)
{
  gsize total = 3;
  GString *out;

  g_return_val_if_fail (ini != NULL, NULL);

  for (guint i = 0; i < ini->lines->len; i++)
    total += line_at (ini, i)->len + 2;
  out = g_string_sized_new (total);
  if (ini->bom)
    g_string_append (out, UTF8_BOM);
  for (guint i = 0; i < ini->lines->len; i++) {
    IniLine *line = line_at (ini, i);

    g_string_append_len (out, line->text, line->len);
    g_string_append (out, line->eol);
  }
  return g_bytes_new_with_free_func (out->str, out->len, wipe_gstring_notify,
                                     out);
}
