/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#include "ini-file.h"
#include "test-util.h"

#include <glib/gstdio.h>
#include <string.h>

#define PYTHON "/usr/bin/python3"

typedef enum {
  EDIT_END,
  EDIT_SET,
  EDIT_REMOVE_KEY,
  EDIT_REMOVE_SECTION,
} EditOp;

typedef struct {
  EditOp op;
  const char *section;
  const char *key;
  const char *value;
} Edit;

typedef struct {
  const char *name;
  Edit edits[10];
} Scenario;

/* Each fixture NAME.ini, edited so, must give NAME.expected byte for byte.
 * The expected files were written by hand from the rules in ini-file.h. */
static const Scenario scenarios[] = {
  { "boto",
    { { EDIT_SET, "Credentials", "aws_access_key_id", "ASIANEWTEMPORARYKEY2" },
      { EDIT_SET, "Credentials", "aws_secret_access_key",
        "newTemporarySecret1111111111111111111111" },
      { EDIT_SET, "Credentials", "aws_security_token",
        "FQoGZXIvYXdzENEWTOKEN//////////wEaDNEWTOKEN==" },
      { EDIT_SET, "Credentials", "aws_session_token",
        "FQoGZXIvYXdzENEWTOKEN//////////wEaDNEWTOKEN==" },
      { EDIT_SET, "Credentials", "expiration", "2026-06-30T12:00:00Z" },
      { EDIT_REMOVE_KEY, "Boto", "debug" },
      { EDIT_SET, "botomfa", "last_refresh", "2026-06-30T11:00:00Z" } } },
  { "aws-credentials",
    { { EDIT_SET, "work", "aws_access_key_id", "ASIAWORKNEWEXAMPLE02" },
      { EDIT_SET, "work", "aws_secret_access_key", "workNewSecret" },
      { EDIT_SET, "work", "aws_session_token", "workNewToken" },
      { EDIT_SET, "work", "aws_security_token", "workNewToken" },
      { EDIT_SET, "work", "expiration", "2026-06-30T12:00:00Z" },
      { EDIT_REMOVE_KEY, "personal", "region" },
      { EDIT_SET, "default", "region", "us-east-1" },
      { EDIT_REMOVE_SECTION, "work-long-term" } } },
  { "aws-config",
    { { EDIT_SET, "default", "s3", "" },
      { EDIT_SET, "profile dev", "duration_seconds", "3600" },
      { EDIT_REMOVE_KEY, "profile prod", "source_profile" },
      { EDIT_SET, "profile prod", "cli_pager", "less" } } },
  { "crlf",
    { { EDIT_SET, "default", "aws_access_key_id", "ASIACRLF2" },
      { EDIT_SET, "default", "aws_session_token", "tok" },
      { EDIT_REMOVE_KEY, "other", "key" },
      { EDIT_SET, "added", "x", "y" } } },
  { "bom",
    { { EDIT_SET, "default", "region", "us-west-2" },
      { EDIT_SET, "s", "k", "v" } } },
  { "bom-only", { { EDIT_SET, "s", "k", "v" } } },
  { "no-final-newline",
    { { EDIT_SET, "default", "output", "text" },
      { EDIT_SET, "last", "output", "text" },
      { EDIT_SET, "last", "aws_session_token", "tok" },
      { EDIT_SET, "other", "k", "v" } } },
  { "duplicates",
    { { EDIT_SET, "work", "aws_access_key_id", "NEW" },
      { EDIT_SET, "work", "new_key", "v" },
      { EDIT_REMOVE_KEY, "work", "aws_secret_access_key" },
      { EDIT_SET, "other", "aws_access_key_id", "OTHER2" } } },
  { "colon",
    { { EDIT_SET, "default", "aws_access_key_id", "AKIANEW" },
      { EDIT_SET, "default", "aws_secret_access_key", "newSecret" },
      { EDIT_SET, "default", "region", "us-east-1" },
      { EDIT_SET, "default", "url", "https://example.org:8443/" } } },
  { "spacing",
    { { EDIT_SET, "default", "aws_access_key_id", "AKIANEW" },
      { EDIT_SET, "default", "aws_secret_access_key", "newSecret" },
      { EDIT_SET, "default", "empty", "filled" },
      { EDIT_SET, "default", "empty2", "filled2" },
      { EDIT_SET, "default", "new_key", "v" },
      { EDIT_SET, "next", "key2", "v2" },
      { EDIT_SET, "indented", "c", "3" } } },
  { "empty", { { EDIT_SET, "default", "region", "eu-west-1" } } },
  { "comments-only", { { EDIT_SET, "default", "region", "eu-west-1" } } },
  { "mixed-eol", { { EDIT_SET, "a", "w", "4" }, { EDIT_SET, "c", "k", "v" } } },
  { "cr", { { EDIT_SET, "a", "y", "2" } } },
};

static GBytes *
load_fixture (const char *name, const char *suffix)
{
  g_autofree char *file = g_strconcat (name, suffix, NULL);
  g_autofree char *path = test_util_fixture_path ("ini", file, NULL);

  return test_util_read_bytes (path);
}

static IniFile *
parse_bytes (GBytes *bytes)
{
  g_autoptr (GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  IniFile *ini = ini_file_new_from_data (data, len, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ini);
  return ini;
}

static void
apply_edit (IniFile *ini, const Edit *edit)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *value = NULL;

  switch (edit->op) {
    case EDIT_SET:
      g_assert_true (ini_file_set_value (ini, edit->section, edit->key,
                                         edit->value, &error));
      g_assert_no_error (error);
      value = ini_file_get_value (ini, edit->section, edit->key);
      g_assert_cmpstr (value, ==, edit->value);
      break;
    case EDIT_REMOVE_KEY:
      g_assert_true (ini_file_remove_key (ini, edit->section, edit->key));
      g_assert_null (ini_file_get_value (ini, edit->section, edit->key));
      break;
    case EDIT_REMOVE_SECTION:
      g_assert_true (ini_file_remove_section (ini, edit->section));
      g_assert_false (ini_file_has_section (ini, edit->section));
      break;
    case EDIT_END:
    default:
      g_assert_not_reached ();
  }
}

/* Whether no later edit of its scenario touches what @edit set. */
static gboolean
is_final (const Edit *edit)
{
  for (const Edit *later = edit + 1; later->op != EDIT_END; later++) {
    if (g_str_equal (later->section, edit->section)
        && (later->op == EDIT_REMOVE_SECTION
            || g_ascii_strcasecmp (later->key, edit->key) == 0))
      return FALSE;
  }
  return TRUE;
}

static void
test_scenario (gconstpointer data)
{
  const Scenario *scenario = data;
  g_autoptr (GBytes) input = load_fixture (scenario->name, ".ini");
  g_autoptr (GBytes) expected = load_fixture (scenario->name, ".expected");
  g_autoptr (IniFile) ini = parse_bytes (input);
  g_autoptr (GBytes) unchanged = ini_file_to_bytes (ini);
  g_autoptr (GBytes) output = NULL;
  g_autoptr (IniFile) reread = NULL;

  /* Parsing alone must give back every byte. */
  test_util_assert_bytes_equal (unchanged, input);

  for (const Edit *edit = scenario->edits; edit->op != EDIT_END; edit++)
    apply_edit (ini, edit);
  output = ini_file_to_bytes (ini);
  test_util_assert_bytes_equal (output, expected);

  /* What was written reads back as what was last set. */
  reread = parse_bytes (output);
  for (const Edit *edit = scenario->edits; edit->op != EDIT_END; edit++) {
    g_autofree char *value = NULL;

    if (edit->op != EDIT_SET || !is_final (edit))
      continue;
    value = ini_file_get_value (reread, edit->section, edit->key);
    g_assert_cmpstr (value, ==, edit->value);
  }
}

/* ----- What configparser reads ----- */

static void
append_hex (GString *out, const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    g_string_append_printf (out, "%02x", (guchar) *p);
}

/* IniFile's reading in the format tests/ini-configparser.py prints. */
static char *
dump_ini (IniFile *ini)
{
  g_auto (GStrv) sections = ini_file_get_sections (ini);
  GString *out = g_string_new ("");

  for (char **s = sections; *s != NULL; s++) {
    g_auto (GStrv) keys = ini_file_get_keys (ini, *s);

    g_string_append (out, "S ");
    append_hex (out, *s);
    g_string_append_c (out, '\n');
    for (char **k = keys; *k != NULL; k++) {
      g_autofree char *value = ini_file_get_value (ini, *s, *k);

      g_assert_nonnull (value);
      g_string_append (out, "K ");
      append_hex (out, *k);
      g_string_append_c (out, ' ');
      append_hex (out, value);
      g_string_append_c (out, '\n');
    }
  }
  return g_string_free (out, FALSE);
}

/* Runs configparser over @paths; returns one dump per path. */
static GPtrArray *
run_configparser (GPtrArray *paths)
{
  g_autofree char *script =
    g_test_build_filename (G_TEST_DIST, "ini-configparser.py", NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto (GStrv) files = NULL;
  GPtrArray *dumps = g_ptr_array_new_with_free_func (g_free);
  int status = 0;

  g_ptr_array_add (argv, (char *) PYTHON);
  g_ptr_array_add (argv, (char *) "-I");
  g_ptr_array_add (argv, script);
  for (guint i = 0; i < paths->len; i++)
    g_ptr_array_add (argv, paths->pdata[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  g_assert_true (g_str_has_prefix (out, "FILE\n"));
  files = g_strsplit (out + strlen ("FILE\n"), "FILE\n", -1);
  for (char **f = files; *f != NULL; f++)
    g_ptr_array_add (dumps, g_strdup (*f));
  g_assert_cmpuint (dumps->len, ==, paths->len);
  return dumps;
}

static char *
write_scratch (const char *dir, const char *name, GBytes *bytes)
{
  return test_util_scratch_file (dir, name, g_bytes_get_data (bytes, NULL),
                                 g_bytes_get_size (bytes));
}

static gboolean
have_python (void)
{
  if (g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE))
    return TRUE;
  g_test_skip ("Debian's " PYTHON " is needed to compare with configparser");
  return FALSE;
}

/* Reading rules worth checking by hand (test_get_value_semantics) and
 * against configparser. */
static const char semantics_file[] = "[Sec]\n"
                                     "Key = value ; not a comment\n"
                                     "key2=  spaced value  \n"
                                     "KEY3 : colon: and = more\n"
                                     "dup = first\n"
                                     "dup = second\n"
                                     "multi = line one\n"
                                     "  line two\n"
                                     "\n"
                                     "  line three\n"
                                     "  # comment inside\n"
                                     "  line four\n"
                                     "\n"
                                     "after = x\n"
                                     "[sec]\n"
                                     "key = lower-section\n"
                                     "  [not a header] = continuation\n"
                                     "[a] ; see [b]\n"
                                     "k = greedy\n"
                                     "[Sec]\n"
                                     "dup = third\n";

static void
add_reading (GPtrArray *paths, GPtrArray *readings, const char *dir,
             GBytes *bytes)
{
  g_autoptr (IniFile) ini = parse_bytes (bytes);
  g_autofree char *name = g_strdup_printf ("%u.ini", paths->len);

  g_ptr_array_add (paths, write_scratch (dir, name, bytes));
  g_ptr_array_add (readings, dump_ini (ini));
}

/* Every fixture, before and after its edits, and the semantics file read
 * the same in configparser as in IniFile. */
static void
test_fixtures_match_configparser (void)
{
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) dumps = NULL;
  g_autofree char *dir = test_util_scratch_dir ("test-ini");
  g_autoptr (GBytes) semantics =
    g_bytes_new_static (semantics_file, strlen (semantics_file));

  if (!have_python ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++) {
    g_autoptr (GBytes) before = load_fixture (scenarios[i].name, ".ini");
    g_autoptr (GBytes) after = load_fixture (scenarios[i].name, ".expected");

    add_reading (paths, expected, dir, before);
    add_reading (paths, expected, dir, after);
  }
  add_reading (paths, expected, dir, semantics);

  dumps = run_configparser (paths);
  for (guint i = 0; i < paths->len; i++) {
    g_test_message ("%s", i / 2 < G_N_ELEMENTS (scenarios)
                            ? scenarios[i / 2].name
                            : "semantics");
    g_assert_cmpstr (dumps->pdata[i], ==, expected->pdata[i]);
    g_unlink (paths->pdata[i]);
  }
  g_rmdir (dir);
}

/* ----- Random files, read by both ----- */

/* Every character Python's str.isspace() accepts but line breaks, and two
 * that look like spaces but are not (U+200B, U+180E). */
static const char *const spaces[] = {
  " ",
  " ",
  "  ",
  "\t",
  " \t",
  "\x0b",
  "\x0c",
  "\x1c",
  "\x1d",
  "\x1e",
  "\x1f",
  "\xc2\x85",
  "\xc2\xa0",
  "\xe1\x9a\x80",
  "\xe2\x80\x80",
  "\xe2\x80\x83",
  "\xe2\x80\x8a",
  "\xe2\x80\xa8",
  "\xe2\x80\xa9",
  "\xe2\x80\xaf",
  "\xe2\x81\x9f",
  "\xe3\x80\x80",
  "\xe2\x80\x8b",
  "\xe1\xa0\x8e",
};
static const char *const section_names[] = {
  "default",           "Default", "work", "profile dev", "a",
  "\xc3\x89t\xc3\xa9", "DEFAULT", "x]y",  " pad ",
};
static const char *const key_names[] = {
  "aws_access_key_id",
  "AWS_Access_Key_Id",
  "region",
  "k",
  "K",
  "\xc3\x89k",
  "s3",
  "x y",
  "[k",
};
static const char *const values[] = {
  "",
  "v",
  "a=b",
  "x:y",
  "v ; not a comment",
  "# not a comment",
  "[not a header]",
  "\xc3\xbcn\xc3\xaf"
  "c\xc3\xb6"
  "d\xc3\xa9",
  "two  words",
};
static const char *const garbage[] = {
  "garbage", "=v", "[", "[]", ":x", "[]x", "novalue",
};

#define PICK(array) (array[g_test_rand_int_range (0, G_N_ELEMENTS (array))])

static void
append_random_spaces (GString *out, int max)
{
  int n = g_test_rand_int_range (0, max + 1);

  for (int i = 0; i < n; i++)
    g_string_append (out, PICK (spaces));
}

static void
append_random_line (GString *out)
{
  int kind = g_test_rand_int_range (0, 100);

  if (kind < 35 || kind >= 97)
    append_random_spaces (out, 1);
  if (kind < 15) {
    g_string_append_printf (out, "[%s]", PICK (section_names));
    if (g_test_rand_bit ())
      g_string_append (out, g_test_rand_bit () ? " ; note" : "]tail");
  } else if (kind < 55) {
    g_string_append (out, PICK (key_names));
    append_random_spaces (out, 2);
    g_string_append_c (out, g_test_rand_bit () ? '=' : ':');
    append_random_spaces (out, 2);
    g_string_append (out, PICK (values));
  } else if (kind < 70) {
    append_random_spaces (out, 3);
    g_string_append (out, PICK (values));
  } else if (kind < 82) {
    append_random_spaces (out, 3);
  } else if (kind < 97) {
    append_random_spaces (out, 2);
    g_string_append (out, g_test_rand_bit () ? "# comment" : "; comment");
  } else {
    g_string_append (out, PICK (garbage));
  }
  append_random_spaces (out, g_test_rand_int_range (0, 100) < 20 ? 2 : 0);
}

static GBytes *
random_file (void)
{
  static const char *const eols[] = { "\n", "\n", "\n", "\r\n", "\r" };
  GString *out =
    g_string_new (g_test_rand_int_range (0, 10) == 0 ? "\xef\xbb\xbf" : "");
  int lines = g_test_rand_int_range (0, 14);

  if (g_test_rand_int_range (0, 10) > 0)
    g_string_append_printf (out, "[%s]%s", PICK (section_names), PICK (eols));
  for (int i = 0; i < lines; i++) {
    append_random_line (out);
    if (i + 1 < lines || g_test_rand_bit ())
      g_string_append (out, PICK (eols));
  }
  return g_string_free_to_bytes (out);
}

static void
random_edit (IniFile *ini)
{
  const char *section = PICK (section_names);
  const char *key = PICK (key_names);
  const char *value = PICK (values);
  int op = g_test_rand_int_range (0, 10);
  g_autoptr (GError) error = NULL;
  g_autofree char *read = NULL;

  if (op < 7) {
    /* Some names cannot be written; then nothing may change. */
    if (ini_file_set_value (ini, section, key, value, &error)) {
      read = ini_file_get_value (ini, section, key);
      g_assert_cmpstr (read, ==, value);
    } else {
      g_assert_error (error, INI_FILE_ERROR, INI_FILE_ERROR_INVALID_VALUE);
    }
  } else if (op < 9) {
    ini_file_remove_key (ini, section, key);
    g_assert_null (ini_file_get_value (ini, section, key));
  } else {
    /* Refused, changing nothing, when an indented line after the section
     * would become a continuation of an earlier setting. */
    if (ini_file_remove_section (ini, section))
      g_assert_false (ini_file_has_section (ini, section));
  }
}

typedef struct {
  GPtrArray *paths;
  GPtrArray *dumps; /* IniFile's reading, or "ERROR" */
} Batch;

static void
batch_add (Batch *batch, const char *dir, GBytes *bytes, IniFile *ini)
{
  g_autofree char *name = g_strdup_printf ("%u.ini", batch->paths->len);

  g_ptr_array_add (batch->paths, write_scratch (dir, name, bytes));
  g_ptr_array_add (batch->dumps, ini ? dump_ini (ini) : g_strdup ("ERROR\n"));
}

static void
batch_check (Batch *batch)
{
  g_autoptr (GPtrArray) dumps = run_configparser (batch->paths);

  for (guint i = 0; i < dumps->len; i++) {
    if (g_strcmp0 (dumps->pdata[i], batch->dumps->pdata[i]) != 0) {
      g_autofree char *data = NULL;
      g_autofree char *escaped = NULL;

      g_file_get_contents (batch->paths->pdata[i], &data, NULL, NULL);
      escaped = g_strescape (data, "");
      g_test_message ("file %u: \"%s\"", i, escaped);
    }
    g_assert_cmpstr (dumps->pdata[i], ==, batch->dumps->pdata[i]);
    g_unlink (batch->paths->pdata[i]);
  }
}

/* IniFile refuses exactly what configparser refuses, reads what it reads,
 * and still agrees after random edits. */
static void
test_random_match_configparser (void)
{
  g_autofree char *dir = test_util_scratch_dir ("test-ini");
  Batch batch = { g_ptr_array_new_with_free_func (g_free),
                  g_ptr_array_new_with_free_func (g_free) };
  guint parsed = 0;

  if (!have_python ())
    return;
  for (int i = 0; i < 600; i++) {
    g_autoptr (GBytes) bytes = random_file ();
    g_autoptr (IniFile) ini = ini_file_new_from_data (
      g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL);
    g_autoptr (GBytes) edited = NULL;
    g_autoptr (IniFile) reread = NULL;

    batch_add (&batch, dir, bytes, ini);
    if (ini == NULL)
      continue;
    parsed++;
    for (int e = g_test_rand_int_range (1, 6); e > 0; e--)
      random_edit (ini);
    edited = ini_file_to_bytes (ini);
    reread = parse_bytes (edited);
    batch_add (&batch, dir, edited, reread);
  }
  g_test_message ("%u of 600 random files parsed", parsed);
  g_assert_cmpuint (parsed, >, 200);
  g_assert_cmpuint (parsed, <, 600);
  batch_check (&batch);
  g_ptr_array_unref (batch.paths);
  g_ptr_array_unref (batch.dumps);
  g_rmdir (dir);
}

/* ----- Reading semantics, by hand ----- */

static void
test_get_value_semantics (void)
{
  g_autoptr (IniFile) ini = NULL;
  g_auto (GStrv) sections = NULL;
  g_auto (GStrv) keys = NULL;
  const char *const expected_sections[] = { "Sec", "sec", "a] ; see [b", NULL };
  const char *const expected_keys[] = { "key",   "key2",  "key3", "dup",
                                        "multi", "after", NULL };
  const struct {
    const char *section, *key, *value;
  } cases[] = {
    { "Sec", "key", "value ; not a comment" },
    { "Sec", "KEY", "value ; not a comment" },
    { "Sec", "key2", "spaced value" },
    { "Sec", "key3", "colon: and = more" },
    { "Sec", "dup", "third" },
    { "Sec", "multi", "line one\nline two\n\nline three\nline four" },
    { "Sec", "after", "x" },
    { "sec", "key", "lower-section\n[not a header] = continuation" },
    { "a] ; see [b", "k", "greedy" },
    { "SEC", "key", NULL },
    { "Sec", "missing", NULL },
    { "a", "k", NULL },
  };

  ini = ini_file_new_from_data (semantics_file, strlen (semantics_file), NULL);
  g_assert_nonnull (ini);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *value =
      ini_file_get_value (ini, cases[i].section, cases[i].key);

    g_assert_cmpstr (value, ==, cases[i].value);
  }
  sections = ini_file_get_sections (ini);
  g_assert_cmpstrv (sections, expected_sections);
  keys = ini_file_get_keys (ini, "Sec");
  g_assert_cmpstrv (keys, expected_keys);
  g_assert_true (ini_file_has_section (ini, "sec"));
  g_assert_false (ini_file_has_section (ini, "SEC"));
  g_strfreev (keys);
  keys = ini_file_get_keys (ini, "nowhere");
  g_assert_cmpuint (g_strv_length (keys), ==, 0);
}

/* ----- Refusals ----- */

static void
assert_refused (const char *data, gsize len, int code, const char *where)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (IniFile) ini = ini_file_new_from_data (data, len, &error);

  g_assert_null (ini);
  g_assert_error (error, INI_FILE_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, where));
}

#define REFUSED(literal, code, where) \
  assert_refused (literal, sizeof literal - 1, code, where)

static void
test_refusals (void)
{
  REFUSED ("[a]\nx = 1\ny = \0\n", INI_FILE_ERROR_NOT_TEXT, "line 3");
  REFUSED ("[a]\r\nx = 1\r\nsecret = \xff\xfe\r\n", INI_FILE_ERROR_INVALID_UTF8,
           "line 3");
  REFUSED ("[a]\n\xc0\xaf\n", INI_FILE_ERROR_INVALID_UTF8, "line 2");
  REFUSED ("[a]\nk = \xed\xa0\x80\n", INI_FILE_ERROR_INVALID_UTF8, "line 2");
  REFUSED ("[a]\nk = \xe2\x82", INI_FILE_ERROR_INVALID_UTF8, "line 2");
  REFUSED ("[a]\r\nx = 1\r\n\r\ngarbage\r\n", INI_FILE_ERROR_PARSE, "line 4");
  REFUSED ("[a]\rx = 1\r\rgarbage", INI_FILE_ERROR_PARSE, "line 4");
  REFUSED ("# c\nkey = before any section\n[a]\n", INI_FILE_ERROR_PARSE,
           "line 2");
  REFUSED ("  \n[a]\n= no key\n", INI_FILE_ERROR_PARSE, "line 3");
  REFUSED ("[a]\n[\n", INI_FILE_ERROR_PARSE, "line 2");
  REFUSED ("[a]\n[]\n", INI_FILE_ERROR_PARSE, "line 2");
  REFUSED ("[a]\n[b]\n  indented but no key\n", INI_FILE_ERROR_PARSE, "line 3");
}

static void
assert_set_refused (IniFile *ini, const char *section, const char *key,
                    const char *value)
{
  g_autoptr (GBytes) before = ini_file_to_bytes (ini);
  g_autoptr (GBytes) after = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_false (ini_file_set_value (ini, section, key, value, &error));
  g_assert_error (error, INI_FILE_ERROR, INI_FILE_ERROR_INVALID_VALUE);
  /* The value may be a secret: it never reaches a message. */
  if (strlen (value) > 2)
    g_assert_null (strstr (error->message, value));
  after = ini_file_to_bytes (ini);
  test_util_assert_bytes_equal (after, before);
}

static void
test_set_refusals (void)
{
  static const char data[] = "[a]\nk = old\n";
  g_autoptr (IniFile) ini = ini_file_new_from_data (data, strlen (data), NULL);

  assert_set_refused (ini, "a", "k", "sec\nret");
  assert_set_refused (ini, "a", "k", "secret\r");
  assert_set_refused (ini, "a", "k", " secret");
  assert_set_refused (ini, "a", "k", "secret ");
  assert_set_refused (ini, "a", "k", "secret\t");
  assert_set_refused (ini, "a", "k", "sec\x01ret");
  assert_set_refused (ini, "a", "k", "sec\xe2\x80\xa8ret");
  assert_set_refused (ini, "a", "k", "secret\xe3\x80\x80");
  assert_set_refused (ini, "a", "k", "bad\xffutf8");
  assert_set_refused (ini, "a", "k=x", "v");
  assert_set_refused (ini, "a", "k:x", "v");
  assert_set_refused (ini, "a", "", "v");
  assert_set_refused (ini, "a", " k", "v");
  assert_set_refused (ini, "a", "[k", "v");
  assert_set_refused (ini, "a", "#k", "v");
  assert_set_refused (ini, "a", ";k", "v");
  assert_set_refused (ini, "a]", "k", "v");
  assert_set_refused (ini, "[a", "k", "v");
  assert_set_refused (ini, "", "k", "v");
  assert_set_refused (ini, " a", "k", "v");
  assert_set_refused (ini, "a\nb", "k", "v");
}

/* ----- Editing rules not covered by the fixtures ----- */

static char *
edit_text (const char *data, void (*edit) (IniFile *ini))
{
  g_autoptr (IniFile) ini = ini_file_new_from_data (data, strlen (data), NULL);
  g_autoptr (GBytes) bytes = NULL;

  g_assert_nonnull (ini);
  edit (ini);
  bytes = ini_file_to_bytes (ini);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
remove_section_b (IniFile *ini)
{
  ini_file_remove_section (ini, "b");
}

static void
test_remove_section (void)
{
  const struct {
    const char *before, *after;
  } cases[] = {
    /* Blank lines after go with it; a comment leading to the next stays. */
    { "[a]\nx = 1\n\n[b]\n# about y\ny = 2\n\n# about c\n[c]\nz = 3\n",
      "[a]\nx = 1\n\n# about c\n[c]\nz = 3\n" },
    /* At the end, the blank lines before it go instead. */
    { "[a]\nx = 1\n\n\n[b]\ny = 2\n  more\n", "[a]\nx = 1\n" },
    /* Every occurrence, merged where they touch. */
    { "[b]\ny = 1\n\n[b]\ny = 2\n\n[a]\nx = 1\n\n[b]\n", "[a]\nx = 1\n" },
    { "[a]\nx = 1\n", "[a]\nx = 1\n" },
    { "[b]\r\ny = 1\r\n", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *after = edit_text (cases[i].before, remove_section_b);

    g_assert_cmpstr (after, ==, cases[i].after);
  }
}

static void
remove_key_k (IniFile *ini)
{
  g_assert_true (ini_file_remove_key (ini, "s", "K"));
  g_assert_false (ini_file_remove_key (ini, "s", "K"));
}

static void
set_k (IniFile *ini)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (ini_file_set_value (ini, "s", "k", "new", &error));
  g_assert_no_error (error);
}

static void
test_edit_rules (void)
{
  const struct {
    void (*edit) (IniFile *ini);
    const char *before, *after;
  } cases[] = {
    /* Every occurrence, with its continuation and the comment inside it;
     * comments and blank lines around it stay. */
    { remove_key_k,
      "[s]\n# about k\nk = 1\n  more\n  # inside\n  more\n\n# after\n"
      "[t]\nk = 2\n[s]\nK: 3\n",
      "[s]\n# about k\n\n# after\n[t]\nk = 2\n[s]\n" },
    /* A key in a section whose last key is deeper than the next header:
     * the new line copies the key's indentation, or the header would
     * become its continuation. */
    { set_k, "[s]\n    a = 1\n  [t]\n",
      "[s]\n    a = 1\n    k = new\n  [t]\n" },
    /* No key: indented like the next header. */
    { set_k, "[s]\n# c\n  [t]\n", "[s]\n  k = new\n# c\n  [t]\n" },
    /* The last occurrence of the section gets a new key. */
    { set_k, "[s]\na = 1\n\n[s]\nb = 2\n\n[t]\n",
      "[s]\na = 1\n\n[s]\nb = 2\nk = new\n\n[t]\n" },
    /* The occurrence a last-wins reader reads is the one kept, even in an
     * earlier section. */
    { set_k, "[s]\nk = 1\nk = 2\n[s]\nb = 2\n", "[s]\nk = new\n[s]\nb = 2\n" },
    /* Trailing blanks and an inline "comment" (part of the value). */
    { set_k, "[s]\nk = old ; note   \n", "[s]\nk = new   \n" },
    /* A file already ending with a blank line gets no second one. */
    { set_k, "[t]\na = 1\n\n", "[t]\na = 1\n\n[s]\nk = new\n" },
    { set_k, "[t]\na = 1\n  ", "[t]\na = 1\n  \n[s]\nk = new" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *after = edit_text (cases[i].before, cases[i].edit);

    g_assert_cmpstr (after, ==, cases[i].after);
  }
}

static void
test_new_empty (void)
{
  g_autoptr (IniFile) ini = ini_file_new ();
  g_autoptr (GBytes) empty = ini_file_to_bytes (ini);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (g_bytes_get_size (empty), ==, 0);
  g_assert_true (ini_file_set_value (ini, "default", "k", "", &error));
  bytes = ini_file_to_bytes (ini);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   "[default]\nk =\n", 14);
}

/* Found by the fuzzer: without [b]'s header, the indented "[c]" would read
 * as a continuation of a's key, and [c] with its keys would vanish. */
static void
test_remove_section_keeps_indented_header (void)
{
  const char text[] = "[a]\nk = v\n\n[b]\n# note\n\t[c]\nx = 1\n";
  g_autoptr (IniFile) ini = ini_file_new_from_data (text, strlen (text), NULL);
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *x = NULL;

  g_assert_false (ini_file_remove_section (ini, "b"));
  bytes = ini_file_to_bytes (ini);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   text, strlen (text));
  x = ini_file_get_value (ini, "c", "x");
  g_assert_cmpstr (x, ==, "1");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++) {
    g_autofree char *path =
      g_strdup_printf ("/ini-file/fixture/%s", scenarios[i].name);

    g_test_add_data_func (path, &scenarios[i], test_scenario);
  }
  g_test_add_func ("/ini-file/configparser/fixtures",
                   test_fixtures_match_configparser);
  g_test_add_func ("/ini-file/configparser/random",
                   test_random_match_configparser);
  g_test_add_func ("/ini-file/get-value", test_get_value_semantics);
  g_test_add_func ("/ini-file/refusals", test_refusals);
  g_test_add_func ("/ini-file/set-refusals", test_set_refusals);
  g_test_add_func ("/ini-file/remove-section", test_remove_section);
  g_test_add_func ("/ini-file/edit-rules", test_edit_rules);
  g_test_add_func ("/ini-file/new-empty", test_new_empty);

  g_test_add_func ("/ini-file/remove-section-keeps-indented-header",
                   test_remove_section_keeps_indented_header);
  return g_test_run ();
}
