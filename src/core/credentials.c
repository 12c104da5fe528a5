/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#include "credentials.h"
#include "wipe.h"

/**
 * credentials_new:
 * @access_key_id: the access key id
 * @secret_access_key: the secret access key
 * @session_token: (nullable): the session token, for temporary credentials
 * @expiration: (nullable): the expiry of temporary credentials
 *
 * Returns: (transfer full): a new #Credentials holding copies of the
 * arguments; free with credentials_free().
 */
Credentials *
credentials_new (const char *access_key_id, const char *secret_access_key,
                 const char *session_token, GDateTime *expiration)
{
  Credentials *credentials;

  g_return_val_if_fail (access_key_id != NULL, NULL);
  g_return_val_if_fail (secret_access_key != NULL, NULL);

  credentials = g_new0 (Credentials, 1);
  credentials->access_key_id = g_strdup (access_key_id);
  credentials->secret_access_key = g_strdup (secret_access_key);
  credentials->session_token = g_strdup (session_token);
  credentials->expiration = expiration ? g_date_time_ref (expiration) : NULL;

  return credentials;
}

/**
 * credentials_copy:
 * @credentials: a #Credentials
 *
 * Returns: (transfer full): a deep copy of @credentials.
 */
Credentials *
credentials_copy (const Credentials *credentials)
{
  g_return_val_if_fail (credentials != NULL, NULL);

  return credentials_new (credentials->access_key_id,
                          credentials->secret_access_key,
                          credentials->session_token, credentials->expiration);
}

/**
 * credentials_free:
 * @credentials: (nullable) (transfer full): a #Credentials
 *
 * Wipes every string of @credentials and frees it.
 */
void
credentials_free (Credentials *credentials)
{
  if (credentials == NULL)
    return;

  wipe_string_free (credentials->access_key_id);
  wipe_string_free (credentials->secret_access_key);
  wipe_string_free (credentials->session_token);
  g_clear_pointer (&credentials->expiration, g_date_time_unref);
  g_free (credentials);
}

/**
 * credentials_is_temporary:
 * @credentials: a #Credentials
 *
 * Returns: %TRUE when @credentials carry a session token.
 */
gboolean
credentials_is_temporary (const Credentials *credentials)
{
  g_return_val_if_fail (credentials != NULL, FALSE);

  return credentials->session_token != NULL
         && credentials->session_token[0] != '\0';
}

/**
 * credentials_time_left:
 * @credentials: a #Credentials
 * @now: the current time
 *
 * Returns: the time until @credentials expire (negative once expired), or
 * 0 when they carry no expiry.
 */
GTimeSpan
credentials_time_left (const Credentials *credentials, GDateTime *now)
{
  g_return_val_if_fail (credentials != NULL, 0);
  g_return_val_if_fail (now != NULL, 0);

  if (credentials->expiration == NULL)
    return 0;

  return g_date_time_difference (credentials->expiration, now);
}
