/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The refresh of one profile: is the stored session still good, get a new
 * one with an MFA code, store it. The CLI runs these steps in order; the
 * tray runs refresh_session_async() from its main loop. */

#define G_LOG_DOMAIN "botomfa-refresh"

#include "config.h"

#include "refresh.h"
#include "credential-file.h"
#include "long-term-key.h"
#include "session-cache.h"
#include "wipe.h"

#include <glib/gi18n-lib.h>
#include <string.h>

GQuark
refresh_error_quark (void)
{
  return g_quark_from_static_string ("refresh-error-quark");
}

typedef struct {
  const char *path;
  const char *section;
  CredentialFileFlavor flavor;
} Target;

/* The profile's targets, the boto config first: the original's place is
 * the one a session is checked in. */
static guint
targets_of (const Profile *profile, Target targets[2])
{
  guint n = 0;

  if (profile->targets & PROFILE_TARGET_BOTO)
    targets[n++] =
      (Target){ profile->boto_config_path, profile->credentials_section,
                CREDENTIAL_FILE_BOTO };
  if ((profile->targets & PROFILE_TARGET_AWS_CREDENTIALS)
      && profile->aws_credentials_path != NULL)
    targets[n++] = (Target){ profile->aws_credentials_path, profile->name,
                             CREDENTIAL_FILE_AWS };
  if (n == 0)
    targets[n++] =
      (Target){ profile->boto_config_path, profile->credentials_section,
                CREDENTIAL_FILE_BOTO };

  return n;
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
 * refresh_peek:
 * @profile: the profile
 * @status: (out): the stored session's state, from the file alone
 * @current: (out) (optional) (transfer full): the stored session, if any
 * @error: return location for a #GError
 *
 * Like refresh_validate() without asking AWS: no network. Blocks on file
 * I/O.
 *
 * Returns: %FALSE when the target cannot be read
 */
gboolean
refresh_peek (const Profile *profile, RefreshStatus *status,
              Credentials **current, GError **error)
{
  g_autoptr (Credentials) stored = NULL;
  g_autoptr (GError) local_error = NULL;
  Target targets[2];

  targets_of (profile, targets);
  stored =
    credential_file_read (targets[0].path, targets[0].section, &local_error);
  *status = local_status (stored);
  if (current != NULL)
    *current = g_steal_pointer (&stored);
  if (local_error != NULL) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }

  return TRUE;
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
  Target targets[2];

  targets_of (profile, targets);
  stored =
    credential_file_read (targets[0].path, targets[0].section, &local_error);
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
 * @timeout_ms: how long to wait for the Secret Service (0: its default)
 * @from_keyring: (out) (optional): whether the key came from the keyring
 * @notice: (out) (transfer full) (nullable): a line for the user when the
 *   key did not come from the keyring
 * @error: return location for a #GError
 *
 * Gets the long-term key: the keyring first, then the plaintext places
 * (see long_term_key_load()). Blocks.
 *
 * Returns: (transfer full): the long-term credentials, or %NULL
 */
Credentials *
refresh_load_long_term (const Profile *profile, guint timeout_ms,
                        gboolean *from_keyring, char **notice, GError **error)
{
  g_autoptr (LongTermKeyPlace) place = NULL;
  Credentials *key;

  key = long_term_key_load (profile, timeout_ms, &place, notice, error);
  if (from_keyring != NULL)
    *from_keyring = key != NULL && place->path == NULL;

  return key;
}

/**
 * refresh_check_target:
 * @profile: the profile
 * @replaceable: (nullable): the long-term key the keyring holds, which may
 *   be overwritten where it also sits in plaintext
 * @error: return location for a #GError
 *
 * Checks that the session could be stored in every target, before the user
 * types a code.
 *
 * Returns: %TRUE when the writes would be accepted
 */
gboolean
refresh_check_target (const Profile *profile, const Credentials *replaceable,
                      GError **error)
{
  Target targets[2];
  guint n = targets_of (profile, targets);

  for (guint i = 0; i < n; i++) {
    if (!credential_file_check_writable (targets[i].path, targets[i].section,
                                         replaceable, error))
      return FALSE;
  }

  return TRUE;
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
 * @replaceable: (nullable): see refresh_check_target()
 * @error: return location for a #GError
 *
 * Writes the session to each of the profile's targets. Blocks.
 *
 * Returns: %TRUE on success
 */
gboolean
refresh_store (const Profile *profile, const Credentials *credentials,
               const Credentials *replaceable, GError **error)
{
  Target targets[2];
  guint n = targets_of (profile, targets);

  for (guint i = 0; i < n; i++) {
    if (!credential_file_write (targets[i].path, targets[i].section,
                                targets[i].flavor, credentials, replaceable,
                                error))
      return FALSE;
  }

  return TRUE;
}

/**
 * refresh_clear:
 * @profile: the profile
 * @error: return location for a #GError
 *
 * Blanks the stored session in every target (--clear).
 *
 * Returns: %TRUE on success
 */
gboolean
refresh_clear (const Profile *profile, GError **error)
{
  Target targets[2];
  guint n = targets_of (profile, targets);

  for (guint i = 0; i < n; i++) {
    if (!credential_file_clear (targets[i].path, targets[i].section,
                                targets[i].flavor, error))
      return FALSE;
  }

  return TRUE;
}

typedef struct {
  const Profile *profile;
  StsClient *client;
  Credentials *long_term;
  Credentials *replaceable;
  char *token_code;
} SessionData;

static void
session_data_free (SessionData *data)
{
  credentials_free (data->long_term);
  credentials_free (data->replaceable);
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
  if (session == NULL
      || !refresh_store (data->profile, session, data->replaceable, &error)) {
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
 * @long_term_from_keyring: whether the keyring holds @long_term, so a
 *   plaintext copy of it in a target may be overwritten
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
                       const Credentials *long_term,
                       gboolean long_term_from_keyring, const char *token_code,
                       GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  SessionData *data = g_new0 (SessionData, 1);

  data->profile = profile;
  data->client = client;
  data->long_term = credentials_copy (long_term);
  if (long_term_from_keyring)
    data->replaceable = credentials_copy (long_term);
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

/* Sessions shared through the keyring's session cache: one per MFA device
 * (GetSessionToken), and one per device and role (AssumeRole made with the
 * device's session), so one code serves every profile of a device. */

/**
 * refresh_lookup_cached:
 * @profile: the profile; its MFA device must be known
 * @min_valid_seconds: how long the session must still be valid
 * @timeout_ms: how long to wait for the Secret Service (0: its default)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the profile's cached session, or
 * %NULL (with @error set only when the keyring cannot be asked)
 */
Credentials *
refresh_lookup_cached (const Profile *profile, guint min_valid_seconds,
                       guint timeout_ms, GError **error)
{
  g_return_val_if_fail (profile->mfa_serial != NULL, NULL);

  return session_cache_lookup (profile->mfa_serial, profile->role_arn,
                               min_valid_seconds, timeout_ms, NULL, error);
}

/**
 * refresh_remember:
 * @profile: the profile
 * @session: its new session
 * @timeout_ms: how long to wait for the Secret Service (0: its default)
 *
 * Puts @session in the session cache, so `botomfa credential-process`
 * does not ask for a code while it is valid. A keyring that cannot be
 * used only costs that; it is logged, not an error.
 */
void
refresh_remember (const Profile *profile, const Credentials *session,
                  guint timeout_ms)
{
  g_autoptr (GError) error = NULL;

  if (profile->mfa_serial == NULL
      || !session_cache_store (profile->mfa_serial, profile->role_arn, session,
                               timeout_ms, NULL, &error))
    g_debug ("%s: the session was not cached: %s", profile->name,
             error ? error->message : "no MFA device");
}

static guint
role_duration (const Profile *profile)
{
  /* A role assumed with a session is role chaining: AWS caps it at 1 h. */
  return MIN (profile->duration, 3600);
}

/**
 * refresh_obtain_shared:
 * @profile: the profile; its MFA device must be known
 * @client: the STS client
 * @long_term: the long-term key
 * @token_code: (nullable): a six-digit code; may be %NULL when
 *   refresh_code_needed() said no code is needed
 * @timeout_ms: how long to wait for the Secret Service (0: its default)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Gets the profile's session through the cache: the device's session from
 * the cache or from GetSessionToken with @token_code, then, for a role,
 * AssumeRole with that session. Both are cached. Blocks.
 *
 * Returns: (transfer full): the session, or %NULL
 */
Credentials *
refresh_obtain_shared (const Profile *profile, StsClient *client,
                       const Credentials *long_term, const char *token_code,
                       guint timeout_ms, GCancellable *cancellable,
                       GError **error)
{
  g_autoptr (Credentials) device = NULL;
  g_autofree char *session_name = NULL;
  Credentials *role;

  device =
    session_cache_lookup (profile->mfa_serial, NULL, REFRESH_SHARED_MIN_VALID,
                          timeout_ms, NULL, NULL);
  if (device == NULL && token_code == NULL) {
    g_set_error_literal (error, REFRESH_ERROR, REFRESH_ERROR_INVALID_CODE,
                         _ ("An MFA code is needed"));
    return NULL;
  }
  if (device == NULL) {
    device = sts_client_get_session_token (
      client, long_term, profile->mfa_serial, token_code,
      profile->role_arn ? PROFILE_DURATION_AWS_DEFAULT : profile->duration,
      cancellable, error);
    if (device == NULL)
      return NULL;
    session_cache_store (profile->mfa_serial, NULL, device, timeout_ms, NULL,
                         NULL);
  }
  if (profile->role_arn == NULL)
    return g_steal_pointer (&device);

  session_name = profile_role_session_name (profile);
  role = sts_client_assume_role (client, device, profile->role_arn,
                                 session_name, NULL, NULL,
                                 role_duration (profile), cancellable, error);
  if (role != NULL)
    refresh_remember (profile, role, timeout_ms);
  return role;
}

/**
 * refresh_code_needed:
 * @profile: the profile; its MFA device must be known
 * @timeout_ms: how long to wait for the Secret Service (0: its default)
 *
 * Returns: %FALSE when refresh_obtain_shared() can do without a code: a
 * role profile whose device has a cached session
 */
gboolean
refresh_code_needed (const Profile *profile, guint timeout_ms)
{
  g_autoptr (Credentials) device = NULL;

  if (profile->role_arn == NULL)
    return TRUE;

  device =
    session_cache_lookup (profile->mfa_serial, NULL, REFRESH_SHARED_MIN_VALID,
                          timeout_ms, NULL, NULL);
  return device == NULL;
}
