/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* Where a profile's long-term key comes from: the keyring first, then the
 * plaintext places people keep it today, which it can be moved out of. */

#define G_LOG_DOMAIN "botomfa-keys"

#include "config.h"

#include "long-term-key.h"
#include "credential-file.h"
#include "ini-file.h"
#include "keyring.h"
#include "private-file.h"
#include "wipe.h"

#include <glib/gi18n-lib.h>
#include <string.h>

GQuark
long_term_key_error_quark (void)
{
  return g_quark_from_static_string ("long-term-key-error-quark");
}

void
long_term_key_place_free (LongTermKeyPlace *place)
{
  if (place == NULL)
    return;

  g_free (place->path);
  g_free (place->section);
  g_free (place);
}

static LongTermKeyPlace *
place_new (const char *path, const char *section)
{
  LongTermKeyPlace *place = g_new0 (LongTermKeyPlace, 1);

  place->path = g_strdup (path);
  place->section = g_strdup (section);

  return place;
}

static gboolean
is_word (const char *text, gsize min, gsize max, gboolean upper_only)
{
  gsize len = strlen (text);

  if (len < min || len > max)
    return FALSE;
  for (const char *p = text; *p; p++) {
    if (upper_only ? !(g_ascii_isupper (*p) || g_ascii_isdigit (*p))
                   : (g_ascii_isspace (*p) || g_ascii_iscntrl (*p)))
      return FALSE;
  }

  return TRUE;
}

/**
 * long_term_key_check:
 * @access_key_id: an access key id
 * @secret_access_key: its secret
 * @error: return location for a #GError
 *
 * Checks the shape of a long-term key before it is stored: an id of 16 to
 * 128 capitals and digits that is not a session's (ASIA…), and a secret
 * without spaces.
 *
 * Returns: %TRUE when the key looks like an IAM user's access key
 */
gboolean
long_term_key_check (const char *access_key_id, const char *secret_access_key,
                     GError **error)
{
  if (!is_word (access_key_id, 16, 128, TRUE)) {
    g_set_error_literal (error, LONG_TERM_KEY_ERROR,
                         LONG_TERM_KEY_ERROR_INVALID,
                         _ ("That is not an AWS access key id: it has 16 to "
                            "128 capital letters and digits, like "
                            "AKIAIOSFODNN7EXAMPLE"));
    return FALSE;
  }
  if (g_str_has_prefix (access_key_id, "ASIA")) {
    g_set_error (error, LONG_TERM_KEY_ERROR, LONG_TERM_KEY_ERROR_NOT_LONG_TERM,
                 _ ("%s is a temporary session key; store your IAM user's "
                    "own access key (AKIA…)"),
                 access_key_id);
    return FALSE;
  }
  if (!is_word (secret_access_key, 16, 128, FALSE)) {
    g_set_error_literal (error, LONG_TERM_KEY_ERROR,
                         LONG_TERM_KEY_ERROR_INVALID,
                         _ ("That is not an AWS secret access key: it has 16 "
                            "to 128 characters and no spaces"));
    return FALSE;
  }

  return TRUE;
}

typedef struct {
  const char *path;
  char *section;
  gboolean only_akia;
} Candidate;

/* The places, in order: the boto config's long-term section (the original
 * botomfa), ~/.aws/credentials [NAME-long-term] (aws-mfa's convention),
 * and a long-term key sitting in ~/.aws/credentials [NAME]. */
static GArray *
candidates (const Profile *profile)
{
  GArray *list = g_array_new (FALSE, FALSE, sizeof (Candidate));
  Candidate boto = { profile->boto_config_path,
                     g_strdup (profile->long_term_section), FALSE };

  g_array_append_val (list, boto);
  if (profile->aws_credentials_path != NULL) {
    Candidate aws_long_term = { profile->aws_credentials_path,
                                g_strconcat (profile->name, "-long-term", NULL),
                                FALSE };
    Candidate aws_profile = { profile->aws_credentials_path,
                              g_strdup (profile->name), TRUE };

    g_array_append_val (list, aws_long_term);
    g_array_append_val (list, aws_profile);
  }

  return list;
}

static void
candidates_free (GArray *list)
{
  for (guint i = 0; i < list->len; i++)
    g_free (g_array_index (list, Candidate, i).section);
  g_array_unref (list);
}

static gboolean
check_plaintext (const Credentials *key, const Candidate *where, GError **error)
{
  if (!credentials_is_temporary (key)
      && !g_str_has_prefix (key->access_key_id, "ASIA"))
    return TRUE;

  g_set_error (error, LONG_TERM_KEY_ERROR, LONG_TERM_KEY_ERROR_NOT_LONG_TERM,
               _ ("[%s] in %s holds temporary credentials (%s); put your IAM "
                  "user's own access key (AKIA…) there"),
               where->section, where->path, key->access_key_id);
  return FALSE;
}

/**
 * long_term_key_find_plaintext:
 * @profile: the profile
 * @place: (out) (transfer full): where the key was found
 * @error: return location for a #GError
 *
 * Looks for the profile's long-term key in the plaintext files: the boto
 * config's long-term section, then `[NAME-long-term]` and a long-term
 * (AKIA…) `[NAME]` in the AWS shared credentials file. Blocks on file I/O.
 *
 * Returns: (transfer full): the key, or %NULL with
 * %LONG_TERM_KEY_ERROR_NOT_FOUND or a file error
 */
Credentials *
long_term_key_find_plaintext (const Profile *profile, LongTermKeyPlace **place,
                              GError **error)
{
  GArray *list = candidates (profile);
  g_autoptr (GError) local_error = NULL;
  Credentials *key = NULL;

  for (guint i = 0; key == NULL && local_error == NULL && i < list->len; i++) {
    const Candidate *where = &g_array_index (list, Candidate, i);

    key = credential_file_read (where->path, where->section, &local_error);
    if (key != NULL && where->only_akia
        && (!g_str_has_prefix (key->access_key_id, "AKIA")
            || credentials_is_temporary (key)))
      g_clear_pointer (&key, credentials_free);
    if (key != NULL && !check_plaintext (key, where, &local_error))
      g_clear_pointer (&key, credentials_free);
    if (key != NULL)
      *place = place_new (where->path, where->section);
  }
  candidates_free (list);

  if (local_error != NULL) {
    g_propagate_error (error, g_steal_pointer (&local_error));
  } else if (key == NULL) {
    g_set_error (error, LONG_TERM_KEY_ERROR, LONG_TERM_KEY_ERROR_NOT_FOUND,
                 _ ("No long-term key for profile %s: store it with "
                    "“botomfa keys set”, or add a [%s] section with "
                    "aws_access_key_id and aws_secret_access_key to %s"),
                 profile->name, profile->long_term_section,
                 profile->boto_config_path);
  }

  return key;
}

typedef struct {
  const LongTermKeyPlace *place;
  const Credentials *expected;
} Removal;

static gboolean
remove_keys (const char *contents, gsize len, GBytes **new_contents,
             gpointer user_data, GError **error)
{
  const Removal *removal = user_data;
  g_autoptr (IniFile) ini = NULL;
  g_autofree char *key_id = NULL;
  g_auto (WipeString) secret = NULL;
  const char *section = removal->place->section;

  ini = contents ? ini_file_new_from_data (contents, len, error) : NULL;
  if (ini == NULL && contents != NULL)
    return FALSE;
  if (ini != NULL) {
    key_id = ini_file_get_value (ini, section, "aws_access_key_id");
    secret = ini_file_get_value (ini, section, "aws_secret_access_key");
  }

  /* Only the very key that was stored and read back may go. */
  if (g_strcmp0 (key_id, removal->expected->access_key_id) != 0
      || g_strcmp0 (secret, removal->expected->secret_access_key) != 0) {
    g_set_error (error, LONG_TERM_KEY_ERROR, LONG_TERM_KEY_ERROR_MISMATCH,
                 _ ("[%s] in %s changed since the key was stored; it was "
                    "left as it is"),
                 section, removal->place->path);
    return FALSE;
  }

  ini_file_remove_key (ini, section, "aws_access_key_id");
  ini_file_remove_key (ini, section, "aws_secret_access_key");
  *new_contents = ini_file_to_bytes (ini);
  return TRUE;
}

/**
 * long_term_key_remove_plaintext:
 * @place: where the plaintext key is
 * @expected: the key that must still be there
 * @error: return location for a #GError
 *
 * Removes `aws_access_key_id` and `aws_secret_access_key` from the place's
 * section, leaving every other byte of the file, and only when they still
 * hold @expected. Blocks on file I/O.
 *
 * Returns: %TRUE when the plaintext key is gone
 */
gboolean
long_term_key_remove_plaintext (const LongTermKeyPlace *place,
                                const Credentials *expected, GError **error)
{
  Removal removal = { place, expected };

  g_return_val_if_fail (place != NULL && place->path != NULL, FALSE);

  return private_file_update (place->path, remove_keys, &removal, error);
}

/**
 * long_term_key_store_verified:
 * @profile_name: the profile
 * @key: the long-term key
 * @timeout_ms: how long to wait for the Secret Service (0: its default)
 * @error: return location for a #GError
 *
 * Stores @key in the keyring, reads it back and compares, so a plaintext
 * copy may be removed afterwards. Blocks.
 *
 * Returns: %TRUE when the keyring holds exactly @key
 */
gboolean
long_term_key_store_verified (const char *profile_name, const Credentials *key,
                              guint timeout_ms, GError **error)
{
  g_autoptr (Credentials) stored = NULL;

  if (!keyring_store (profile_name, key, timeout_ms, NULL, error))
    return FALSE;

  stored = keyring_lookup (profile_name, timeout_ms, NULL, error);
  if (stored == NULL)
    return FALSE;

  if (g_strcmp0 (stored->access_key_id, key->access_key_id) != 0
      || g_strcmp0 (stored->secret_access_key, key->secret_access_key) != 0) {
    g_set_error_literal (error, LONG_TERM_KEY_ERROR,
                         LONG_TERM_KEY_ERROR_MISMATCH,
                         _ ("The keyring gave back a different key than was "
                            "stored; nothing else was changed"));
    return FALSE;
  }

  return TRUE;
}

static char *
import_hint (const Profile *profile, const LongTermKeyPlace *place)
{
  g_autofree char *flag = g_str_equal (profile->name, "default")
                            ? g_strdup ("")
                            : g_strdup_printf (" --profile %s", profile->name);

  return g_strdup_printf (_ ("the long-term key was read from [%s] in %s; "
                             "move it into the keyring with “botomfa keys "
                             "import --remove-plaintext%s”"),
                          place->section, place->path, flag);
}

/**
 * long_term_key_load:
 * @profile: the profile
 * @timeout_ms: how long to wait for the Secret Service (0: its default)
 * @place: (out) (optional) (transfer full): where the key came from
 * @notice: (out) (transfer full) (nullable): one line for the user when
 *   the key did not come from the keyring, saying why and what to do
 * @error: return location for a #GError
 *
 * The keyring first; then the plaintext places, when the keyring holds no
 * key or cannot be used. When there is no key anywhere and the keyring
 * could not be asked, the keyring's state is the error. Blocks.
 *
 * Returns: (transfer full): the long-term key, or %NULL
 */
Credentials *
long_term_key_load (const Profile *profile, guint timeout_ms,
                    LongTermKeyPlace **place, char **notice, GError **error)
{
  g_autoptr (GError) keyring_error = NULL;
  g_autoptr (GError) plaintext_error = NULL;
  g_autoptr (LongTermKeyPlace) found = NULL;
  Credentials *key;

  *notice = NULL;
  key = keyring_lookup (profile->name, timeout_ms, NULL, &keyring_error);
  if (key != NULL) {
    if (place != NULL)
      *place = place_new (NULL, NULL);
    return key;
  }

  g_debug ("%s: no key from the keyring: %s", profile->name,
           keyring_error->message);
  key = long_term_key_find_plaintext (profile, &found, &plaintext_error);
  if (key == NULL) {
    gboolean not_found = g_error_matches (plaintext_error, LONG_TERM_KEY_ERROR,
                                          LONG_TERM_KEY_ERROR_NOT_FOUND);

    if (!not_found
        || g_error_matches (keyring_error, KEYRING_ERROR,
                            KEYRING_ERROR_NOT_FOUND)) {
      g_propagate_error (error, g_steal_pointer (&plaintext_error));
      return NULL;
    }
    /* No key anywhere and the keyring could not be asked: its state is
     * the error, and the user learns the files were looked at too. */
    g_propagate_prefixed_error (
      error, g_steal_pointer (&keyring_error),
      _ ("No long-term key for profile %s in the plaintext files, and the "
         "keyring cannot be asked: "),
      profile->name);
    return NULL;
  }

  if (g_error_matches (keyring_error, KEYRING_ERROR, KEYRING_ERROR_NOT_FOUND))
    *notice = import_hint (profile, found);
  else
    *notice =
      g_strdup_printf (_ ("the keyring was not used (%s); the "
                          "long-term key was read from [%s] in %s"),
                       keyring_error->message, found->section, found->path);
  if (place != NULL)
    *place = g_steal_pointer (&found);
  return key;
}
