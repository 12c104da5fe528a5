/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The refresh of one profile: is the stored session still good, get a new
 * one with an MFA code, store it. The CLI runs these steps in order; the
 * tray runs refresh_session_async() from its main loop. */

#define G_LOG_DOMAIN "botomfa-refresh"

#include "config.h"

#include "refresh.h"
#include "credential-file.h"
#include "wipe.h"

#include <glib/gi18n-lib.h>
#include <string.h>

GQuark
refresh_error_quark (void)
{
  return g_quark_from_static_string ("refresh-error-quark");
}

static gboolean
is_rejection (const GError *error)
{
  return error->domain == STS_ERROR
         && (error->code == STS_ERROR_EXPIRED_TOKEN
             || error->code == STS_ERROR_INVALID_CLIENT_TOKEN
             || error->code == STS_ERROR_SIGNATURE_MISMATCH
             || error->code == STS_ERROR_ACCESS_DENIED
             || error->code == STS_ERROR_MISSING_AUTHENTICATION);
}

/* AWS access key ids are 16 to 128 word characters; anything else (the
 * original README's "<POPULATED_BY_SCRIPT>", say) is no session at all and
 * is not worth a round trip. */
static gboolean
looks_like_key_id (const char *key_id)
{
  gsize len = strlen (key_id);

  if (len < 16 || len > 128)
    return FALSE;
  for (const char *p = key_id; *p; p++) {
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  }

  return TRUE;
}

static RefreshStatus
local_status (const Credentials *current)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  if (current == NULL || !credentials_is_temporary (current)
      || !looks_like_key_id (current->access_key_id))
    return REFRESH_STATUS_MISSING;
  if (current->expiration != NULL
      && credentials_time_left (current, now) <= REFRESH_EXPIRY_MARGIN)
    return REFRESH_STATUS_EXPIRED;

  return REFRESH_STATUS_VALID;
}

/**
 * refresh_validate:
 * @profile: the profile
 * @client: the STS client
 * @status: (out): what state the stored session is in
 * @current: (out) (optional) (transfer full): the stored session, if any
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Checks the stored session: locally first (missing, expired), then with
 * GetCallerIdentity. Blocks.
 *
 * Returns: %FALSE only when the answer is unknown: the file cannot be read
 * or AWS cannot be reached. A session AWS refuses is not an error.
 */
gboolean
refresh_validate (const Profile *profile, StsClient *client,
                  RefreshStatus *status, Credentials **current,
                  GCancellable *cancellable, GError **error)
{
  g_autoptr (Credentials) stored = NULL;
  g_autoptr (StsCallerIdentity) identity = NULL;
  g_autoptr (GError) local_error = NULL;

  stored = credential_file_read (profile->boto_config_path,
                                 profile->credentials_section, &local_error);
  if (local_error != NULL) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }

  *status = local_status (stored);
  if (*status == REFRESH_STATUS_VALID) {
    identity = sts_client_get_caller_identity (client, stored, cancellable,
                                               &local_error);
    if (identity == NULL && !is_rejection (local_error)) {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
    if (identity == NULL) {
      g_debug ("%s: AWS refused the stored session: %s", profile->name,
               local_error->message);
      *status = REFRESH_STATUS_REJECTED;
    }
  }

  if (current != NULL)
    *current = g_steal_pointer (&stored);
  return TRUE;
}

/**
 * refresh_load_long_term:
 * @profile: the profile
 * @error: return location for a #GError
 *
 * Reads the long-term key from the profile's long-term section. Blocks.
 *
 * Returns: (transfer full): the long-term credentials, or %NULL
 */
Credentials *
refresh_load_long_term (const Profile *profile, GError **error)
{
  g_autoptr (Credentials) long_term = NULL;
  g_autoptr (GError) local_error = NULL;

  long_term = credential_file_read (profile->boto_config_path,
                                    profile->long_term_section, &local_error);
  if (local_error != NULL) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return NULL;
  }
  if (long_term == NULL) {
    g_set_error (error, REFRESH_ERROR, REFRESH_ERROR_NO_LONG_TERM_KEY,
                 _ ("No long-term key found: add a [%s] section with "
                    "aws_access_key_id and aws_secret_access_key to %s"),
                 profile->long_term_section, profile->boto_config_path);
    return NULL;
  }
  if (credentials_is_temporary (long_term)
      || g_str_has_prefix (long_term->access_key_id, "ASIA")) {
    g_set_error (error, REFRESH_ERROR, REFRESH_ERROR_NOT_LONG_TERM,
                 _ ("[%s] in %s holds temporary credentials (%s); put your "
                    "IAM user's own access key (AKIA…) there"),
                 profile->long_term_section, profile->boto_config_path,
                 long_term->access_key_id);
    return NULL;
  }

  return g_steal_pointer (&long_term);
}

/**
 * refresh_check_target:
 * @profile: the profile
 * @error: return location for a #GError
 *
 * Checks that the session could be stored, before the user types a code.
 *
 * Returns: %TRUE when a write would be accepted
 */
gboolean
refresh_check_target (const Profile *profile, GError **error)
{
  return credential_file_check_writable (profile->boto_config_path,
                                         profile->credentials_section, error);
}

/**
 * refresh_normalize_code:
 * @input: what the user typed or pasted
 * @error: return location for a #GError
 *
 * Removes spaces (authenticator apps show "123 456") and checks that six
 * digits remain.
 *
 * Returns: (transfer full): the six digits, or %NULL with @error set; the
 * result should be freed with wipe_string_free()
 */
char *
refresh_normalize_code (const char *input, GError **error)
{
  g_auto (WipeString) code = g_malloc0 (7);
  gsize n = 0;

  for (const char *p = input; *p; p++) {
    if (g_ascii_isspace (*p))
      continue;
    if (!g_ascii_isdigit (*p) || n == 6) {
      n = 7;
      break;
    }
    code[n++] = *p;
  }

  if (n != 6) {
    g_set_error_literal (error, REFRESH_ERROR, REFRESH_ERROR_INVALID_CODE,
                         _ ("The MFA code must be six digits, as shown by "
                            "your authenticator"));
    return NULL;
  }

  return g_steal_pointer (&code);
}

/**
 * refresh_obtain:
 * @profile: the profile
 * @client: the STS client
 * @long_term: the long-term key
 * @token_code: a six-digit code
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Gets a session: GetSessionToken, or AssumeRole with MFA when the profile
 * names a role. Writes nothing. Blocks.
 *
 * Returns: (transfer full): the new session, or %NULL
 */
Credentials *
refresh_obtain (const Profile *profile, StsClient *client,
                const Credentials *long_term, const char *token_code,
                GCancellable *cancellable, GError **error)
{
  g_autofree char *session_name = NULL;

  if (profile->role_arn == NULL)
    return sts_client_get_session_token (client, long_term, profile->mfa_serial,
                                         token_code, profile->duration,
                                         cancellable, error);

  session_name = profile_role_session_name (profile);
  return sts_client_assume_role (client, long_term, profile->role_arn,
                                 session_name, profile->mfa_serial, token_code,
                                 profile->duration, cancellable, error);
}

/**
 * refresh_store:
 * @profile: the profile
 * @credentials: the new session
 * @error: return location for a #GError
 *
 * Writes the session to the profile's target. Blocks.
 *
 * Returns: %TRUE on success
 */
gboolean
refresh_store (const Profile *profile, const Credentials *credentials,
               GError **error)
{
  return credential_file_write (profile->boto_config_path,
                                profile->credentials_section,
                                CREDENTIAL_FILE_BOTO, credentials, error);
}

/**
 * refresh_clear:
 * @profile: the profile
 * @error: return location for a #GError
 *
 * Blanks the stored session (--clear).
 *
 * Returns: %TRUE on success
 */
gboolean
refresh_clear (const Profile *profile, GError **error)
{
  return credential_file_clear (profile->boto_config_path,
                                profile->credentials_section,
                                CREDENTIAL_FILE_BOTO, error);
}

typedef struct {
  const Profile *profile;
  StsClient *client;
  Credentials *long_term;
  char *token_code;
} SessionData;

static void
session_data_free (SessionData *data)
{
  credentials_free (data->long_term);
  wipe_string_free (data->token_code);
  g_free (data);
}

static void
run_session (GTask *task, gpointer source, gpointer task_data,
             GCancellable *cancellable)
{
  SessionData *data = task_data;
  g_autoptr (Credentials) session = NULL;
  GError *error = NULL;

  session = refresh_obtain (data->profile, data->client, data->long_term,
                            data->token_code, cancellable, &error);
  if (session == NULL || !refresh_store (data->profile, session, &error)) {
    g_task_return_error (task, error);
    return;
  }

  g_task_return_pointer (task, g_steal_pointer (&session),
                         (GDestroyNotify) credentials_free);
}

/**
 * refresh_session_async:
 * @profile: the profile; kept alive by the caller until the callback
 * @client: the STS client; kept alive by the caller until the callback
 * @long_term: the long-term key (copied)
 * @token_code: the six-digit code (copied, wiped)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the caller's main context when done
 * @user_data: data for @callback
 *
 * refresh_obtain() then refresh_store() in a worker thread. A cancelled or
 * failed refresh writes nothing.
 */
void
refresh_session_async (const Profile *profile, StsClient *client,
                       const Credentials *long_term, const char *token_code,
                       GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  SessionData *data = g_new0 (SessionData, 1);

  data->profile = profile;
  data->client = client;
  data->long_term = credentials_copy (long_term);
  data->token_code = g_strdup (token_code);
  g_task_set_source_tag (task, refresh_session_async);
  g_task_set_task_data (task, data, (GDestroyNotify) session_data_free);
  g_task_run_in_thread (task, run_session);
}

/**
 * refresh_session_finish:
 *
 * Returns: (transfer full): the stored session, or %NULL with @error set
 */
Credentials *
refresh_session_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
