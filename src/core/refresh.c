/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The refresh of one profile, its local half: what the stored session is
 * worth, the long-term key, the targets, the session cache. Asking AWS is
 * refresh-sts.c's half; botomfa-tray links only this one and leaves its
 * STS calls to botomfa-sts-worker. */

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
