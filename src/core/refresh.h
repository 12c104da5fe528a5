/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gio/gio.h>

#include "credentials.h"
#include "profile.h"

G_BEGIN_DECLS

/* What a refresh does without the network; refresh-sts.h adds what asks
 * AWS. */

#define REFRESH_ERROR (refresh_error_quark ())

typedef enum {
  REFRESH_ERROR_INVALID_CODE = 2,
} RefreshError;

GQuark refresh_error_quark (void);

/**
 * RefreshStatus:
 * @REFRESH_STATUS_VALID: AWS accepts the stored session
 * @REFRESH_STATUS_MISSING: no session is stored
 * @REFRESH_STATUS_EXPIRED: the stored session's expiry has passed
 * @REFRESH_STATUS_REJECTED: AWS refused the stored session
 */
typedef enum {
  REFRESH_STATUS_VALID,
  REFRESH_STATUS_MISSING,
  REFRESH_STATUS_EXPIRED,
  REFRESH_STATUS_REJECTED,
} RefreshStatus;

/* Sessions this close to expiry count as expired: a tool that starts now
 * should not be handed credentials that die under it. */
#define REFRESH_EXPIRY_MARGIN (60 * G_TIME_SPAN_SECOND)

gboolean refresh_peek (const Profile *profile, RefreshStatus *status,
                       Credentials **current, GError **error);
Credentials *refresh_load_long_term (const Profile *profile, guint timeout_ms,
                                     gboolean *from_keyring, char **notice,
                                     GError **error);
gboolean refresh_check_target (const Profile *profile,
                               const Credentials *replaceable, GError **error);
char *refresh_normalize_code (const char *input, GError **error);
gboolean refresh_store (const Profile *profile, const Credentials *credentials,
                        const Credentials *replaceable, GError **error);
gboolean refresh_clear (const Profile *profile, GError **error);

/* A device session handed out must outlive the role session made from it
 * and the SDK's own caching (which refreshes ~5-15 min before expiry). */
#define REFRESH_SHARED_MIN_VALID (15 * 60)

Credentials *refresh_lookup_cached (const Profile *profile,
                                    guint min_valid_seconds, guint timeout_ms,
                                    GError **error);
void refresh_remember (const Profile *profile, const Credentials *session,
                       guint timeout_ms);
gboolean refresh_code_needed (const Profile *profile, guint timeout_ms);

G_END_DECLS
