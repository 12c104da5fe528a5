/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gio/gio.h>

#include "credentials.h"

G_BEGIN_DECLS

#define SESSION_CACHE_ERROR (session_cache_error_quark ())

/**
 * SessionCacheError:
 * @SESSION_CACHE_ERROR_BUSY: another process holds the refresh lock of the
 *   MFA device and did not let go in time
 * @SESSION_CACHE_ERROR_LOCK_FAILED: the lock directory or file could not be
 *   made or opened
 * @SESSION_CACHE_ERROR_INVALID: the session cannot be cached (it is not a
 *   complete temporary session)
 *
 * Errors of the session cache itself; the keyring's own errors are
 * #KEYRING_ERROR.
 */
typedef enum {
  SESSION_CACHE_ERROR_BUSY = 1,
  SESSION_CACHE_ERROR_LOCK_FAILED = 2,
  SESSION_CACHE_ERROR_INVALID = 3,
} SessionCacheError;

GQuark session_cache_error_quark (void);

/* Sessions are keyed by the MFA device serial and, for role sessions, the
 * role ARN (NULL for GetSessionToken sessions). The blocking calls wait at
 * most @timeout_ms for the Secret Service (0: the default, 5 s) and never
 * show a prompt. */
gboolean session_cache_store (const char *mfa_serial, const char *role_arn,
                              const Credentials *session, guint timeout_ms,
                              GCancellable *cancellable, GError **error);
Credentials *session_cache_lookup (const char *mfa_serial, const char *role_arn,
                                   guint min_valid_seconds, guint timeout_ms,
                                   GCancellable *cancellable, GError **error);
gboolean session_cache_clear (const char *mfa_serial, const char *role_arn,
                              guint timeout_ms, GCancellable *cancellable,
                              GError **error);

/* Asynchronous calls (for the tray), with the default timeout. */
void session_cache_store_async (const char *mfa_serial, const char *role_arn,
                                const Credentials *session,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data);
gboolean session_cache_store_finish (GAsyncResult *result, GError **error);
void session_cache_lookup_async (const char *mfa_serial, const char *role_arn,
                                 guint min_valid_seconds,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data);
Credentials *session_cache_lookup_finish (GAsyncResult *result, GError **error);

typedef struct _SessionLock SessionLock;

SessionLock *session_lock_acquire (const char *mfa_serial, guint timeout_ms,
                                   GError **error);
void session_lock_release (SessionLock *lock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SessionLock, session_lock_release)

G_END_DECLS
