/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* Profiles of ~/.aws/config as botocore reads them, and the one edit
 * botomfa makes there (a discovered mfa_serial). See aws-config.h for the
 * rules. */

#define G_LOG_DOMAIN "botomfa-aws-config"

#include "config.h"

#include "aws-config.h"
#include "ini-file.h"
#include "ini-store.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* configparser's default section: its keys apply to every section. */
#define DEFAULT_SECTION "DEFAULT"

GQuark
aws_config_error_quark (void)
{
  return g_quark_from_static_string ("aws-config-error-quark");
}

/**
 * aws_config_profile_free:
 * @profile: (nullable): a profile
 *
 * Frees @profile and its strings.
 */
void
aws_config_profile_free (AwsConfigProfile *profile)
{
  if (profile == NULL)
    return;

  g_free (profile->name);
  g_free (profile->mfa_serial);
  g_free (profile->role_arn);
  g_free (profile->source_profile);
  g_free (profile->region);
  g_free (profile->credential_process);
  g_free (profile);
}

/* ----- Where the files are ----- */

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* The length of the "$NAME" or "${NAME}" at @p, with NAME copied to @name;
 * 0 when @p starts none. */
static gsize
variable_at (const char *p, char **name)
{
  const char *end;

  if (p[1] == '{') {
    end = strchr (p + 2, '}');
    if (end == NULL)
      return 0;
    *name = g_strndup (p + 2, end - p - 2);
    return end - p + 1;
  }
  for (end = p + 1; is_name_char (*end); end++)
    ;
  if (end == p + 1)
    return 0;
  *name = g_strndup (p + 1, end - p - 1);
  return end - p;
}

/* Python's os.path.expandvars(): "$NAME" and "${NAME}" are replaced when
 * NAME is set; anything else stays as written. */
static char *
expand_variables (const char *path)
{
  GString *out = g_string_new (NULL);

  for (const char *p = path; *p != '\0';) {
    g_autofree char *name = NULL;
    gsize len = *p == '$' ? variable_at (p, &name) : 0;
    const char *value = len ? g_getenv (name) : NULL;

    if (value != NULL)
      g_string_append (out, value);
    else
      g_string_append_len (out, p, len ? len : 1);
    p += len ? len : 1;
  }
  return g_string_free (out, FALSE);
}

/* Python's os.path.expanduser() for "~" and "~/…" (not "~user"). */
static char *
expand_home (const char *path)
{
  if (path[0] == '~' && (path[1] == '\0' || path[1] == '/'))
    return g_strconcat (g_get_home_dir (), path + 1, NULL);

  return g_strdup (path);
}

/* botocore expands variables, then "~", in the file names it is given. */
static char *
path_from_environment (const char *variable, const char *file)
{
  const char *value = g_getenv (variable);
  g_autofree char *expanded = NULL;

  if (value == NULL || *value == '\0')
    return g_build_filename (g_get_home_dir (), ".aws", file, NULL);

  expanded = expand_variables (value);
  return expand_home (expanded);
}

/**
 * aws_config_path:
 *
 * The AWS config file: AWS_CONFIG_FILE when set and not empty (with
 * "$VAR", "${VAR}" and a leading "~" expanded, as botocore does), else
 * ~/.aws/config. Does not block.
 *
 * Returns: (transfer full): the path; free with g_free().
 */
char *
aws_config_path (void)
{
  return path_from_environment ("AWS_CONFIG_FILE", "config");
}

/**
 * aws_config_credentials_path:
 *
 * The AWS shared credentials file: AWS_SHARED_CREDENTIALS_FILE when set and
 * not empty (expanded as in aws_config_path()), else ~/.aws/credentials.
 * Does not block.
 *
 * Returns: (transfer full): the path; free with g_free().
 */
char *
aws_config_credentials_path (void)
{
  return path_from_environment ("AWS_SHARED_CREDENTIALS_FILE", "credentials");
}

/* ----- Which sections are profiles ----- */

typedef enum {
  LEX_SPACE,
  LEX_WORD,
  LEX_SINGLE,
  LEX_DOUBLE,
} LexState;

static gboolean
is_lex_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* One character inside "…": '\' escapes only '"' and '\' there. Returns
 * the number of characters consumed, 0 for a '\' at the end. */
static gsize
lex_double (const char *p, GString *word, LexState *state)
{
  if (*p == '"') {
    *state = LEX_WORD;
  } else if (*p == '\\' && (p[1] == '"' || p[1] == '\\')) {
    g_string_append_c (word, p[1]);
    return 2;
  } else if (*p == '\\' && p[1] == '\0') {
    return 0;
  } else {
    g_string_append_c (word, *p);
  }
  return 1;
}

/* One character outside quotes. Returns what lex_double() returns. */
static gsize
lex_plain (const char *p, GString *word, LexState *state, GPtrArray *words)
{
  if (is_lex_space (*p)) {
    if (*state == LEX_WORD)
      g_ptr_array_add (words, g_strndup (word->str, word->len));
    g_string_truncate (word, 0);
    *state = LEX_SPACE;
    return 1;
  }
  *state = LEX_WORD;
  if (*p == '\'') {
    *state = LEX_SINGLE;
  } else if (*p == '"') {
    *state = LEX_DOUBLE;
  } else if (*p == '\\') {
    if (p[1] == '\0')
      return 0;
    g_string_append_c (word, p[1]);
    return 2;
  } else {
    g_string_append_c (word, *p);
  }
  return 1;
}

/* Python's shlex.split() (POSIX mode, no comments). Returns %NULL where it
 * raises ValueError: an unclosed quote or a '\' at the end. */
static char **
shlex_split (const char *text)
{
  g_autoptr (GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) word = g_string_new (NULL);
  LexState state = LEX_SPACE;
  gsize step;

  for (const char *p = text; *p != '\0'; p += step) {
    step = 1;
    if (state == LEX_SINGLE && *p == '\'')
      state = LEX_WORD;
    else if (state == LEX_SINGLE)
      g_string_append_c (word, *p);
    else if (state == LEX_DOUBLE)
      step = lex_double (p, word, &state);
    else
      step = lex_plain (p, word, &state, words);
    if (step == 0)
      return NULL;
  }
  if (state == LEX_SINGLE || state == LEX_DOUBLE)
    return NULL;
  if (state == LEX_WORD)
    g_ptr_array_add (words, g_strndup (word->str, word->len));

  g_ptr_array_add (words, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&words), FALSE);
}

/* botocore's build_profile_map(): the profile a section holds, or %NULL. */
static char *
section_profile (const char *section)
{
  g_auto (GStrv) words = NULL;

  if (g_str_equal (section, "default"))
    return g_strdup ("default");
  if (!g_str_has_prefix (section, "profile"))
    return NULL;

  words = shlex_split (section);
  if (words == NULL || g_strv_length (words) != 2)
    return NULL;
  return g_strdup (words[1]);
}

/* The section that holds @profile for botocore: the last one naming it. */
static char *
find_profile_section (IniFile *ini, const char *profile)
{
  g_auto (GStrv) sections = ini_file_get_sections (ini);
  char *found = NULL;

  for (char **s = sections; *s != NULL; s++) {
    g_autofree char *name = section_profile (*s);

    if (g_strcmp0 (name, profile) == 0) {
      g_free (found);
      found = g_strdup (*s);
    }
  }
  return found;
}

/* ----- Reading values ----- */

typedef struct {
  const char *path;
  IniFile *ini;
  const char *section;
  const char *profile;
} Reader;

static gboolean
set_invalid (GError **error, const Reader *r, const char *key,
             const char *value, const char *allowed)
{
  if (value == NULL)
    g_set_error (error, AWS_CONFIG_ERROR, AWS_CONFIG_ERROR_INVALID,
                 _ ("%s: profile “%s”: the value of %s cannot be used: %s"),
                 r->path, r->profile, key, allowed);
  else
    g_set_error (error, AWS_CONFIG_ERROR, AWS_CONFIG_ERROR_INVALID,
                 _ ("%s: profile “%s”: %s = %s cannot be used: %s"), r->path,
                 r->profile, key, value, allowed);
  return FALSE;
}

/* A key's value as configparser gives it: the section's own, else that of
 * [DEFAULT]. An empty value counts as unset. */
static gboolean
read_line (const Reader *r, const char *key, char **out, GError **error)
{
  g_autofree char *value = ini_file_get_value (r->ini, r->section, key);

  if (value == NULL)
    value = ini_file_get_value (r->ini, DEFAULT_SECTION, key);
  if (value != NULL && strchr (value, '\n') != NULL)
    return set_invalid (error, r, key, NULL,
                        _ ("write it on one line, without indented lines "
                           "after it"));

  *out = value != NULL && *value != '\0' ? g_steal_pointer (&value) : NULL;
  return TRUE;
}

static gboolean
parse_duration (const char *text, guint *seconds)
{
  guint64 n;

  if (strlen (text) > 9 || text[strspn (text, "0123456789")] != '\0')
    return FALSE;
  n = g_ascii_strtoull (text, NULL, 10);
  if (n < AWS_CONFIG_DURATION_MIN || n > AWS_CONFIG_DURATION_MAX)
    return FALSE;

  *seconds = n;
  return TRUE;
}

static gboolean
check_duration (const Reader *r, const char *text, guint *seconds,
                GError **error)
{
  if (parse_duration (text, seconds))
    return TRUE;

  return set_invalid (error, r, "duration_seconds", text,
                      _ ("use a whole number of seconds from 900 to 129600 "
                         "(15 minutes to 36 hours)"));
}

static gboolean
check_regional (const Reader *r, const char *text, gboolean *legacy,
                GError **error)
{
  /* botocore compares these exactly, case included. */
  if (g_str_equal (text, "regional") || g_str_equal (text, "legacy")) {
    *legacy = g_str_equal (text, "legacy");
    return TRUE;
  }

  return set_invalid (error, r, "sts_regional_endpoints", text,
                      _ ("use “regional” or “legacy”"));
}

static gboolean
read_numbers (const Reader *r, AwsConfigProfile *profile, GError **error)
{
  g_autofree char *duration = NULL;
  g_autofree char *regional = NULL;

  if (!read_line (r, "duration_seconds", &duration, error)
      || !read_line (r, "sts_regional_endpoints", &regional, error))
    return FALSE;
  if (duration != NULL
      && !check_duration (r, duration, &profile->duration_seconds, error))
    return FALSE;
  if (regional != NULL
      && !check_regional (r, regional, &profile->sts_legacy_endpoint, error))
    return FALSE;
  return TRUE;
}

static AwsConfigProfile *
read_profile (const Reader *r, GError **error)
{
  g_autoptr (AwsConfigProfile) profile = g_new0 (AwsConfigProfile, 1);

  profile->name = g_strdup (r->profile);
  if (!read_line (r, "mfa_serial", &profile->mfa_serial, error)
      || !read_line (r, "role_arn", &profile->role_arn, error)
      || !read_line (r, "source_profile", &profile->source_profile, error)
      || !read_line (r, "region", &profile->region, error)
      || !read_line (r, "credential_process", &profile->credential_process,
                     error)
      || !read_numbers (r, profile, error))
    return NULL;

  return g_steal_pointer (&profile);
}

static int
index_of (GPtrArray *profiles, const char *name)
{
  for (guint i = 0; i < profiles->len; i++) {
    AwsConfigProfile *p = g_ptr_array_index (profiles, i);

    if (g_str_equal (p->name, name))
      return i;
  }
  return -1;
}

/* A later section of the same profile replaces the earlier one, in place
 * (a Python dict keeps a key's first position). */
static void
put_profile (GPtrArray *profiles, AwsConfigProfile *profile)
{
  int index = index_of (profiles, profile->name);

  if (index < 0) {
    g_ptr_array_add (profiles, profile);
    return;
  }
  aws_config_profile_free (g_ptr_array_index (profiles, index));
  g_ptr_array_index (profiles, index) = profile;
}

/**
 * aws_config_load:
 * @path: the AWS config file, usually aws_config_path()
 * @error: return location for a #GError
 *
 * Reads every profile of @path by the rules in aws-config.h. Blocks on
 * file I/O.
 *
 * Returns: (transfer full) (element-type AwsConfigProfile): the profiles
 * in file order, freed with the array; empty when @path does not exist.
 * %NULL when the file cannot be read or parsed (the INI editor's error,
 * prefixed with @path) or when a value is invalid
 * (%AWS_CONFIG_ERROR_INVALID).
 */
GPtrArray *
aws_config_load (const char *path, GError **error)
{
  g_autoptr (IniFile) ini = NULL;
  g_autoptr (GPtrArray) profiles = NULL;
  g_auto (GStrv) sections = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ini = ini_store_load (path, NULL, error);
  if (ini == NULL)
    return NULL;

  profiles =
    g_ptr_array_new_with_free_func ((GDestroyNotify) aws_config_profile_free);
  sections = ini_file_get_sections (ini);
  for (char **s = sections; *s != NULL; s++) {
    g_autofree char *name = section_profile (*s);
    Reader reader = { path, ini, *s, name };
    AwsConfigProfile *profile;

    if (name == NULL)
      continue;
    profile = read_profile (&reader, error);
    if (profile == NULL)
      return NULL;
    put_profile (profiles, profile);
  }
  return g_steal_pointer (&profiles);
}

/**
 * aws_config_find:
 * @profiles: (element-type AwsConfigProfile): from aws_config_load()
 * @name: a profile name
 *
 * Returns: (transfer none) (nullable): the profile called @name, or %NULL.
 */
AwsConfigProfile *
aws_config_find (GPtrArray *profiles, const char *name)
{
  int index;

  g_return_val_if_fail (profiles != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  index = index_of (profiles, name);
  return index < 0 ? NULL : g_ptr_array_index (profiles, index);
}

/**
 * aws_config_credentials_sections:
 * @path: the shared credentials file, usually
 *   aws_config_credentials_path()
 * @error: return location for a #GError
 *
 * Lists the sections of the shared credentials file, where a profile is a
 * bare [NAME] (also [default]). [DEFAULT], configparser's default section,
 * is left out as botocore leaves it out. Blocks on file I/O.
 *
 * Returns: (transfer full) (array zero-terminated=1): the section names in
 * file order, empty when @path does not exist; %NULL when it cannot be
 * read or parsed (the message names @path). Free with g_strfreev().
 */
char **
aws_config_credentials_sections (const char *path, GError **error)
{
  g_autoptr (IniFile) ini = NULL;
  g_auto (GStrv) sections = NULL;
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ini = ini_store_load (path, NULL, error);
  if (ini == NULL)
    return NULL;

  sections = ini_file_get_sections (ini);
  for (char **s = sections; *s != NULL; s++) {
    if (!g_str_equal (*s, DEFAULT_SECTION))
      g_strv_builder_add (names, *s);
  }
  return g_strv_builder_end (names);
}

/* ----- Writing ----- */

typedef struct {
  const char *path;
  const char *profile;
  const char *key;
  const char *value;
} Edit;

/* The header of a new section for @profile, quoted so that shlex.split()
 * gives the name back as one word. */
static char *
new_section_name (const char *profile)
{
  GString *quoted;

  if (g_str_equal (profile, "default"))
    return g_strdup ("default");
  if (strpbrk (profile, " \t\r\n'\"\\") == NULL)
    return g_strconcat ("profile ", profile, NULL);

  quoted = g_string_new ("profile \"");
  for (const char *p = profile; *p != '\0'; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_c (quoted, '\\');
    g_string_append_c (quoted, *p);
  }
  g_string_append_c (quoted, '"');
  return g_string_free (quoted, FALSE);
}

/* Refuses to write a value that aws_config_load() would refuse. */
static gboolean
check_new_value (const Edit *edit, GError **error)
{
  Reader reader = { edit->path, NULL, NULL, edit->profile };
  g_autofree char *key = NULL;
  guint seconds;
  gboolean legacy;

  /* The INI editor refuses such a key with a better message. */
  if (!g_utf8_validate (edit->key, -1, NULL))
    return TRUE;

  key = g_utf8_strdown (edit->key, -1);
  if (g_str_equal (key, "duration_seconds") && *edit->value != '\0')
    return check_duration (&reader, edit->value, &seconds, error);
  if (g_str_equal (key, "sts_regional_endpoints") && *edit->value != '\0')
    return check_regional (&reader, edit->value, &legacy, error);
  return TRUE;
}

static gboolean
apply_edit (IniFile *ini, gboolean *changed, gpointer user_data, GError **error)
{
  const Edit *edit = user_data;
  g_autofree char *section = find_profile_section (ini, edit->profile);

  if (section == NULL)
    section = new_section_name (edit->profile);
  if (!ini_file_set_value (ini, section, edit->key, edit->value, error)) {
    g_prefix_error (error, _ ("%s was left unchanged: "), edit->path);
    return FALSE;
  }
  return TRUE;
}

/**
 * aws_config_set_value:
 * @path: the AWS config file, usually aws_config_path()
 * @profile: the profile's name ("default" for the default profile)
 * @key: the key, such as "mfa_serial"
 * @value: the value, written bare
 * @error: return location for a #GError
 *
 * Writes `@key = @value` into the section botocore reads for @profile (the
 * last one naming it, however it is spelled), or appends [default] or
 * [profile @profile] when there is none. Every other byte of the file is
 * kept. The file is replaced with private_file_update(), so it ends up
 * owner-only (0600) and a concurrent edit by another program is not lost.
 * duration_seconds and sts_regional_endpoints are checked as
 * aws_config_load() checks them. Blocks on file I/O.
 *
 * Returns: %TRUE on success; %FALSE with @error set (%AWS_CONFIG_ERROR,
 * %INI_FILE_ERROR or %PRIVATE_FILE_ERROR), the file unchanged.
 */
gboolean
aws_config_set_value (const char *path, const char *profile, const char *key,
                      const char *value, GError **error)
{
  Edit edit = { path, profile, key, value };

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (profile != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (*profile == '\0') {
    g_set_error (error, AWS_CONFIG_ERROR, AWS_CONFIG_ERROR_INVALID,
                 _ ("A profile needs a name: %s was left unchanged"), path);
    return FALSE;
  }
  if (!check_new_value (&edit, error))
    return FALSE;

  return ini_store_edit (path, apply_edit, &edit, error);
}
