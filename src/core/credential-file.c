/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* Credentials in INI files: the boto config's [Credentials] and the AWS
 * shared credentials file. Edits go through the INI editor and the private
 * file replacement, so nothing outside the keys we own changes. */

#define G_LOG_DOMAIN "botomfa-store"

#include "config.h"

#include "credential-file.h"
#include "ini-file.h"
#include "ini-store.h"
#include "json-writer.h"
#include "sts-response.h"
#include "wipe.h"

#include <glib/gi18n-lib.h>

GQuark
credential_file_error_quark (void)
{
  return g_quark_from_static_string ("credential-file-error-quark");
}

static char *
nonempty (char *value)
{
  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);

  return value;
}

/**
 * credential_file_read:
 * @path: the file
 * @section: the section holding the keys
 * @error: return location for a #GError
 *
 * Reads `aws_access_key_id`, `aws_secret_access_key`, the session token
 * (`aws_session_token`, else `aws_security_token`) and `expiration`. Blocks
 * on file I/O.
 *
 * Returns: (transfer full) (nullable): the credentials; %NULL without an
 * error when the file, the section or its keys are missing or blank.
 */
Credentials *
credential_file_read (const char *path, const char *section, GError **error)
{
  g_autoptr (IniFile) ini = NULL;
  g_auto (WipeString) key_id = NULL;
  g_auto (WipeString) secret = NULL;
  g_auto (WipeString) token = NULL;
  g_autofree char *expiration = NULL;
  g_autoptr (GDateTime) expires = NULL;

  ini = ini_store_load (path, NULL, error);
  if (ini == NULL)
    return NULL;

  key_id = nonempty (ini_file_get_value (ini, section, "aws_access_key_id"));
  secret =
    nonempty (ini_file_get_value (ini, section, "aws_secret_access_key"));
  token = nonempty (ini_file_get_value (ini, section, "aws_session_token"));
  if (token == NULL)
    token = nonempty (ini_file_get_value (ini, section, "aws_security_token"));
  expiration = nonempty (ini_file_get_value (ini, section, "expiration"));
  if (key_id == NULL || secret == NULL)
    return NULL;

  if (expiration != NULL)
    expires = sts_response_parse_timestamp (expiration);

  return credentials_new (key_id, secret, token, expires);
}

/**
 * credential_file_format_expiration:
 * @expiration: a time
 *
 * Returns: (transfer full): @expiration in UTC as ISO 8601, the way STS
 * and the original botomfa write it ("2026-12-03T18:33:12Z").
 */
char *
credential_file_format_expiration (GDateTime *expiration)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (expiration);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static void
append_member (GString *out, const char *key, const char *value, gboolean last)
{
  g_string_append_printf (out, "  \"%s\": ", key);
  json_writer_append_string (out, value);
  g_string_append (out, last ? "\n" : ",\n");
}

/**
 * credential_file_format_process:
 * @session: a session with its expiration
 *
 * Formats @session as the AWS credential_process document, Version 1.
 *
 * Returns: (transfer full): the document, ending in a newline; it holds
 *   secrets, so free it with wipe_string_free()
 */
char *
credential_file_format_process (const Credentials *session)
{
  g_autofree char *expiration =
    credential_file_format_expiration (session->expiration);
  /* Sized for a session token, so that no growing leaves a copy behind. */
  GString *out = g_string_sized_new (4096);

  g_string_append (out, "{\n  \"Version\": 1,\n");
  append_member (out, "AccessKeyId", session->access_key_id, FALSE);
  append_member (out, "SecretAccessKey", session->secret_access_key, FALSE);
  append_member (out, "SessionToken", session->session_token, FALSE);
  append_member (out, "Expiration", expiration, TRUE);
  g_string_append (out, "}\n");

  return g_string_free (out, FALSE);
}

typedef struct {
  const char *path;
  const char *section;
  CredentialFileFlavor flavor;
  const Credentials *credentials;
  const Credentials *replaceable;
} Edit;

/* A long-term key must never be replaced by a session: the user would lose
 * it. It moves to the keyring first. */
static gboolean
check_not_long_term (IniFile *ini, const char *path, const char *section,
                     const Credentials *replaceable, GError **error)
{
  g_autofree char *key_id =
    ini_file_get_value (ini, section, "aws_access_key_id");
  g_auto (WipeString) secret = NULL;
  g_auto (WipeString) token = NULL;

  if (key_id == NULL || !g_str_has_prefix (key_id, "AKIA"))
    return TRUE;

  /* The very key the keyring holds may go: it is safe there. */
  secret = ini_file_get_value (ini, section, "aws_secret_access_key");
  if (replaceable != NULL && g_strcmp0 (key_id, replaceable->access_key_id) == 0
      && g_strcmp0 (secret, replaceable->secret_access_key) == 0)
    return TRUE;

  token = nonempty (ini_file_get_value (ini, section, "aws_session_token"));
  if (token == NULL)
    token = nonempty (ini_file_get_value (ini, section, "aws_security_token"));
  if (token != NULL)
    return TRUE;

  g_set_error (error, CREDENTIAL_FILE_ERROR,
               CREDENTIAL_FILE_ERROR_LONG_TERM_KEY,
               _ ("[%s] in %s holds a long-term access key (%s). botomfa will "
                  "not overwrite it: move it into the keyring first with "
                  "“botomfa keys import”"),
               section, path, key_id);
  return FALSE;
}

static gboolean
set_values (IniFile *ini, const Edit *edit, GError **error)
{
  const Credentials *c = edit->credentials;
  g_autofree char *expiration = NULL;
  const char *token = c ? c->session_token : "";
  gboolean ok;

  if (c != NULL && c->expiration != NULL)
    expiration = credential_file_format_expiration (c->expiration);

  ok = ini_file_set_value (ini, edit->section, "aws_access_key_id",
                           c ? c->access_key_id : "", error)
       && ini_file_set_value (ini, edit->section, "aws_secret_access_key",
                              c ? c->secret_access_key : "", error);
  if (ok && edit->flavor == CREDENTIAL_FILE_AWS)
    ok = ini_file_set_value (ini, edit->section, "aws_session_token",
                             token ? token : "", error);
  if (ok)
    ok = ini_file_set_value (ini, edit->section, "aws_security_token",
                             token ? token : "", error)
         && ini_file_set_value (ini, edit->section, "expiration",
                                expiration ? expiration : "", error);

  return ok;
}

static gboolean
apply_edit (IniFile *ini, gboolean *changed, gpointer user_data, GError **error)
{
  const Edit *edit = user_data;

  return check_not_long_term (ini, edit->path, edit->section, edit->replaceable,
                              error)
         && set_values (ini, edit, error);
}

/**
 * credential_file_write:
 * @path: the file; created 0600 when missing
 * @section: the section to write
 * @flavor: which token keys to write
 * @credentials: temporary credentials
 * @replaceable: (nullable): a long-term key that may be overwritten,
 *   because the keyring holds it
 * @error: return location for a #GError
 *
 * Writes @credentials into @section, changing no other byte of the file,
 * replacing it atomically. Refuses when @section holds a long-term key
 * other than @replaceable.
 * Blocks on file I/O.
 *
 * Returns: %TRUE on success
 */
gboolean
credential_file_write (const char *path, const char *section,
                       CredentialFileFlavor flavor,
                       const Credentials *credentials,
                       const Credentials *replaceable, GError **error)
{
  Edit edit = { path, section, flavor, credentials, replaceable };

  g_return_val_if_fail (credentials != NULL, FALSE);
  g_return_val_if_fail (credentials_is_temporary (credentials), FALSE);

  return ini_store_edit (path, apply_edit, &edit, error);
}

/**
 * credential_file_clear:
 * @path: the file
 * @section: the section to blank
 * @flavor: which token keys to blank
 * @error: return location for a #GError
 *
 * Blanks the temporary credentials in @section (the keys stay, empty, as
 * the original botomfa left them). A missing file is left missing. Refuses
 * when @section holds a long-term key.
 *
 * Returns: %TRUE on success
 */
gboolean
credential_file_clear (const char *path, const char *section,
                       CredentialFileFlavor flavor, GError **error)
{
  Edit edit = { path, section, flavor, NULL, NULL };
  g_autoptr (IniFile) ini = NULL;
  gboolean missing;

  ini = ini_store_load (path, &missing, error);
  if (ini == NULL)
    return FALSE;
  if (missing)
    return TRUE;
  if (!check_not_long_term (ini, path, section, NULL, error))
    return FALSE;

  return ini_store_edit (path, apply_edit, &edit, error);
}

/**
 * credential_file_check_writable:
 * @path: the file
 * @section: the section a refresh would write
 * @replaceable: (nullable): a long-term key that may be overwritten
 * @error: return location for a #GError
 *
 * Checks, before any prompt or network call, that a refresh could write
 * @section: the file parses and the section holds no long-term key.
 *
 * Returns: %TRUE when a write would be accepted
 */
gboolean
credential_file_check_writable (const char *path, const char *section,
                                const Credentials *replaceable, GError **error)
{
  g_autoptr (IniFile) ini = NULL;

  ini = ini_store_load (path, NULL, error);
  if (ini == NULL)
    return FALSE;

  return check_not_long_term (ini, path, section, replaceable, error);
}
