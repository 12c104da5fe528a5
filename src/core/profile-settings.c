/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* botomfa's own per-profile settings file. See profile-settings.h for the
 * keys and their values. */

#define G_LOG_DOMAIN "botomfa-settings"

#include "config.h"

#include "profile-settings.h"
#include "ini-file.h"
#include "ini-store.h"
#include "profile.h"

#include <glib/gi18n-lib.h>
#include <string.h>

GQuark
profile_settings_error_quark (void)
{
  return g_quark_from_static_string ("profile-settings-error-quark");
}

/**
 * profile_settings_free:
 * @settings: (nullable): settings
 *
 * Frees @settings and its strings.
 */
void
profile_settings_free (ProfileSettings *settings)
{
  if (settings == NULL)
    return;

  g_free (settings->name);
  g_free (settings->mfa_process);
  g_free (settings->mfa_serial);
  g_free (settings);
}

/**
 * profile_settings_path:
 *
 * Returns: (transfer full): $XDG_CONFIG_HOME/botomfa/profiles.ini (from
 * g_get_user_config_dir(), which reads the environment once per process).
 * Does not block.
 */
char *
profile_settings_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "botomfa", "profiles.ini",
                           NULL);
}

/* ----- Targets ----- */

static const struct {
  ProfileTargets target;
  const char *name;
} target_names[] = {
  { PROFILE_TARGET_BOTO, "boto" },
  { PROFILE_TARGET_AWS_CREDENTIALS, "aws-credentials" },
};

/**
 * profile_targets_to_string:
 * @targets: targets
 *
 * Returns: (transfer full): @targets as written in the settings file
 * ("boto, aws-credentials"); "" for 0 (automatic).
 */
char *
profile_targets_to_string (ProfileTargets targets)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (target_names); i++) {
    if ((targets & target_names[i].target) == 0)
      continue;
    if (text->len > 0)
      g_string_append (text, ", ");
    g_string_append (text, target_names[i].name);
  }
  return g_string_free (text, FALSE);
}

static gboolean
parse_target (const char *word, ProfileTargets *targets, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (target_names); i++) {
    if (g_ascii_strcasecmp (word, target_names[i].name) == 0) {
      *targets |= target_names[i].target;
      return TRUE;
    }
  }

  g_set_error (error, PROFILE_SETTINGS_ERROR, PROFILE_SETTINGS_ERROR_INVALID,
               _ ("“%s” is not a target: use “boto”, “aws-credentials” or "
                  "both, separated by a comma, or nothing to let botomfa "
                  "choose"),
               word);
  return FALSE;
}

/**
 * profile_targets_parse:
 * @text: a comma-separated list of `boto` and `aws-credentials`
 *   (case-insensitive, blanks around the names allowed); empty or blank
 *   for automatic
 * @targets: (out): the targets; 0 for automatic
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success; %FALSE with %PROFILE_SETTINGS_ERROR_INVALID
 * naming the word that is not a target (an empty item between commas
 * included), @targets untouched.
 */
gboolean
profile_targets_parse (const char *text, ProfileTargets *targets,
                       GError **error)
{
  g_auto (GStrv) words = NULL;
  ProfileTargets parsed = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (targets != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  words = g_strsplit (text, ",", -1);
  for (char **w = words; *w != NULL; w++) {
    g_strstrip (*w);
    /* "" alone is automatic; an empty item in a list is a typo. */
    if (**w == '\0' && words[1] == NULL)
      break;
    if (!parse_target (*w, &parsed, error))
      return FALSE;
  }

  *targets = parsed;
  return TRUE;
}

/* ----- Values ----- */

typedef gboolean (*CheckFunc) (const char *value, char **canonical,
                               GError **error);

static gboolean
check_targets (const char *value, char **canonical, GError **error)
{
  ProfileTargets targets;

  if (!profile_targets_parse (value, &targets, error))
    return FALSE;

  *canonical = profile_targets_to_string (targets);
  return TRUE;
}

static gboolean
check_mfa_process (const char *value, char **canonical, GError **error)
{
  /* No error of GLib is passed on: its message quotes the command, which
   * may hold a password. */
  if (*value != '\0' && !g_shell_parse_argv (value, NULL, NULL, NULL)) {
    g_set_error_literal (
      error, PROFILE_SETTINGS_ERROR, PROFILE_SETTINGS_ERROR_INVALID,
      _ ("the command cannot be split into words: check its quotes"));
    return FALSE;
  }

  *canonical = g_strdup (value);
  return TRUE;
}

/* STS's SerialNumber: [\w+=/:,.@-]{9,256}. */
static gboolean
check_mfa_serial (const char *value, char **canonical, GError **error)
{
  gsize len = strlen (value);
  gsize valid = 0;

  while (g_ascii_isalnum (value[valid])
         || (value[valid] != '\0' && strchr ("_+=/:,.@-", value[valid])))
    valid++;
  if (len > 0 && (valid != len || len < 9 || len > 256)) {
    g_set_error (
      error, PROFILE_SETTINGS_ERROR, PROFILE_SETTINGS_ERROR_INVALID,
      _ ("“%s” is not an MFA device: use its ARN "
         "(arn:aws:iam::ACCOUNT:mfa/NAME) or a hardware token's serial"),
      g_utf8_validate (value, -1, NULL) ? value : "?");
    return FALSE;
  }

  *canonical = g_strdup (value);
  return TRUE;
}

static gboolean
check_notify_before (const char *value, char **canonical, GError **error)
{
  guint64 seconds;

  if (*value == '\0') {
    *canonical = g_strdup ("");
    return TRUE;
  }
  if (strlen (value) <= 9 && value[strspn (value, "0123456789")] == '\0')
    seconds = g_ascii_strtoull (value, NULL, 10);
  else
    seconds = G_MAXUINT64;
  if (seconds > PROFILE_SETTINGS_NOTIFY_BEFORE_MAX) {
    g_set_error (error, PROFILE_SETTINGS_ERROR, PROFILE_SETTINGS_ERROR_INVALID,
                 _ ("“%s” is not a number of seconds from 0 to 129600"),
                 g_utf8_validate (value, -1, NULL) ? value : "?");
    return FALSE;
  }

  *canonical = g_strdup_printf ("%" G_GUINT64_FORMAT, seconds);
  return TRUE;
}

/* The profile module's own rule and message, under this file's error. */
static gboolean
check_duration (const char *value, char **canonical, GError **error)
{
  g_autoptr (GError) invalid = NULL;
  guint seconds;

  if (*value == '\0') {
    *canonical = g_strdup ("");
    return TRUE;
  }
  if (!profile_parse_duration (value, &seconds, &invalid)) {
    g_set_error_literal (error, PROFILE_SETTINGS_ERROR,
                         PROFILE_SETTINGS_ERROR_INVALID, invalid->message);
    return FALSE;
  }

  *canonical = g_strdup_printf ("%u", seconds);
  return TRUE;
}

enum {
  KEY_TARGETS,
  KEY_MFA_PROCESS,
  KEY_MFA_SERIAL,
  KEY_NOTIFY_BEFORE,
  KEY_DURATION,
  N_KEYS,
};

static const struct {
  const char *key;
  CheckFunc check;
} keys[N_KEYS] = {
  [KEY_TARGETS] = { "targets", check_targets },
  [KEY_MFA_PROCESS] = { "mfa_process", check_mfa_process },
  [KEY_MFA_SERIAL] = { "mfa_serial", check_mfa_serial },
  [KEY_NOTIFY_BEFORE] = { "notify_before", check_notify_before },
  [KEY_DURATION] = { "duration", check_duration },
};

/* Checks @value (trimmed) for @key and gives what is written for it. On
 * error, the message names the file, the profile and the key. */
static gboolean
check_value (const char *path, const char *profile, guint key,
             const char *value, char **canonical, GError **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (value));

  if (strpbrk (trimmed, "\r\n") != NULL)
    g_set_error_literal (error, PROFILE_SETTINGS_ERROR,
                         PROFILE_SETTINGS_ERROR_INVALID,
                         _ ("write the value on one line"));
  else if (keys[key].check (trimmed, canonical, error))
    return TRUE;

  g_prefix_error (error, _ ("%s: profile “%s”: %s: "), path, profile,
                  keys[key].key);
  return FALSE;
}

/* ----- Reading ----- */

/* The checked value of each known key of @section, %NULL when unset. */
static gboolean
read_values (IniFile *ini, const char *path, const char *section,
             char *values[N_KEYS], GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++) {
    g_autofree char *raw = ini_file_get_value (ini, section, keys[i].key);
    g_autofree char *canonical = NULL;

    if (raw == NULL)
      continue;
    if (!check_value (path, section, i, raw, &canonical, error))
      return FALSE;
    values[i] = *canonical != '\0' ? g_steal_pointer (&canonical) : NULL;
  }
  return TRUE;
}

static ProfileSettings *
read_section (IniFile *ini, const char *path, const char *section,
              GError **error)
{
  char *values[N_KEYS] = { NULL };
  ProfileSettings *settings = NULL;

  if (read_values (ini, path, section, values, error)) {
    settings = g_new0 (ProfileSettings, 1);
    settings->name = g_strdup (section);
    /* read_values() checked them: parsing again cannot fail. */
    if (values[KEY_TARGETS] != NULL)
      profile_targets_parse (values[KEY_TARGETS], &settings->targets, NULL);
    settings->mfa_process = g_steal_pointer (&values[KEY_MFA_PROCESS]);
    settings->mfa_serial = g_steal_pointer (&values[KEY_MFA_SERIAL]);
    settings->notify_before =
      values[KEY_NOTIFY_BEFORE] != NULL
        ? g_ascii_strtoull (values[KEY_NOTIFY_BEFORE], NULL, 10)
        : PROFILE_SETTINGS_NOTIFY_BEFORE_DEFAULT;
    if (values[KEY_DURATION] != NULL)
      settings->duration = g_ascii_strtoull (values[KEY_DURATION], NULL, 10);
  }

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_free (values[i]);
  return settings;
}

/**
 * profile_settings_load:
 * @path: the settings file, usually profile_settings_path()
 * @error: return location for a #GError
 *
 * Reads the settings of every profile in @path. Blocks on file I/O.
 *
 * Returns: (transfer full) (element-type ProfileSettings): one entry per
 * section, in file order, freed with the array; empty when @path does not
 * exist. %NULL when it cannot be read or parsed (the message names @path)
 * or a value is invalid (%PROFILE_SETTINGS_ERROR_INVALID).
 */
GPtrArray *
profile_settings_load (const char *path, GError **error)
{
  g_autoptr (IniFile) ini = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_auto (GStrv) sections = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ini = ini_store_load (path, NULL, error);
  if (ini == NULL)
    return NULL;

  all = g_ptr_array_new_with_free_func ((GDestroyNotify) profile_settings_free);
  sections = ini_file_get_sections (ini);
  for (char **s = sections; *s != NULL; s++) {
    ProfileSettings *settings = read_section (ini, path, *s, error);

    if (settings == NULL)
      return NULL;
    g_ptr_array_add (all, settings);
  }
  return g_steal_pointer (&all);
}

/**
 * profile_settings_find:
 * @all: (element-type ProfileSettings): from profile_settings_load()
 * @name: a profile name
 *
 * Returns: (transfer none) (nullable): the settings of @name, or %NULL.
 */
ProfileSettings *
profile_settings_find (GPtrArray *all, const char *name)
{
  g_return_val_if_fail (all != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < all->len; i++) {
    ProfileSettings *settings = g_ptr_array_index (all, i);

    if (g_str_equal (settings->name, name))
      return settings;
  }
  return NULL;
}

/* ----- Writing ----- */

typedef struct {
  const char *path;
  const char *profile;
  const char *key;
  const char *value;
} Edit;

/* Removes @edit's key, and the section when nothing is left in it. */
static gboolean
remove_value (IniFile *ini, const Edit *edit)
{
  g_auto (GStrv) left = NULL;

  if (!ini_file_remove_key (ini, edit->profile, edit->key))
    return FALSE;

  left = ini_file_get_keys (ini, edit->profile);
  if (left[0] == NULL)
    ini_file_remove_section (ini, edit->profile);
  return TRUE;
}

static gboolean
apply_edit (IniFile *ini, gboolean *changed, gpointer user_data, GError **error)
{
  const Edit *edit = user_data;

  if (edit->value == NULL) {
    /* Nothing to remove: leave the file as it is. */
    *changed = remove_value (ini, edit);
  } else if (!ini_file_set_value (ini, edit->profile, edit->key, edit->value,
                                  error)) {
    g_prefix_error (error, _ ("%s was left unchanged: "), edit->path);
    return FALSE;
  }
  return TRUE;
}

static int
find_key (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++) {
    if (g_ascii_strcasecmp (key, keys[i].key) == 0)
      return i;
  }
  return -1;
}

static gboolean
set_unknown_key (const char *path, const char *profile, const char *key,
                 GError **error)
{
  g_set_error (
    error, PROFILE_SETTINGS_ERROR, PROFILE_SETTINGS_ERROR_INVALID,
    _ ("%s: profile “%s”: “%s” is not a setting of botomfa: use "
       "targets, mfa_process, mfa_serial, notify_before or duration"),
    path, profile, g_utf8_validate (key, -1, NULL) ? key : "?");
  return FALSE;
}

/**
 * profile_settings_set:
 * @path: the settings file, usually profile_settings_path()
 * @profile: the profile's name (the section)
 * @key: one of the keys in profile-settings.h (case-insensitive)
 * @value: (nullable): the value (trimmed, checked, and written in its
 *   usual form: "boto, aws-credentials", "600"); %NULL removes the key,
 *   and the section once it holds no key
 * @error: return location for a #GError
 *
 * Changes one setting, keeping every other byte of the file. The file and
 * its directory are created (0600 and 0700) when a value is written;
 * removing from a file that does not exist creates nothing. Blocks on file
 * I/O.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 * (%PROFILE_SETTINGS_ERROR_INVALID for an unknown key or an invalid value,
 * or an %INI_FILE_ERROR or %PRIVATE_FILE_ERROR), the file unchanged.
 */
gboolean
profile_settings_set (const char *path, const char *profile, const char *key,
                      const char *value, GError **error)
{
  g_autofree char *canonical = NULL;
  Edit edit = { path, profile, NULL, NULL };
  int index;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (profile != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  index = find_key (key);
  if (index < 0)
    return set_unknown_key (path, profile, key, error);
  if (value != NULL
      && !check_value (path, profile, index, value, &canonical, error))
    return FALSE;
  if (value == NULL && !g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;

  edit.key = keys[index].key;
  edit.value = canonical;
  return ini_store_edit (path, apply_edit, &edit, error);
}
