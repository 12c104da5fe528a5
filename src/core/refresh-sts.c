/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The refresh of one profile, its half that asks AWS (STS and, through
 * the client, libcurl and GnuTLS): is the stored session still accepted,
 * and a new session for a code. The CLI and botomfa-sts-worker link it;
 * botomfa-tray does not. */

#define G_LOG_DOMAIN "botomfa-refresh"

#include "config.h"

#include "refresh-sts.h"
#include "session-cache.h"

#include <glib/gi18n-lib.h>

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

  if (!refresh_peek (profile, status, &stored, error))
    return FALSE;

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
