/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gio/gio.h>

#include "credentials.h"

G_BEGIN_DECLS

#define KEYRING_ERROR (keyring_error_quark ())

/**
 * KeyringError:
 * @KEYRING_ERROR_NO_BUS: there is no D-Bus session bus
 * @KEYRING_ERROR_NO_SERVICE: no Secret Service answers on the bus
 * @KEYRING_ERROR_LOCKED: the keyring is locked and could not be unlocked
 *   (no prompt can be shown)
 * @KEYRING_ERROR_DISMISSED: the user dismissed the unlock prompt
 * @KEYRING_ERROR_NOT_FOUND: no key is stored for the profile
 * @KEYRING_ERROR_TIMEOUT: the Secret Service did not answer in time
 * @KEYRING_ERROR_FAILED: any other failure of the Secret Service
 */
typedef enum {
  KEYRING_ERROR_NO_BUS = 1,
  KEYRING_ERROR_NO_SERVICE = 2,
  KEYRING_ERROR_LOCKED = 3,
  KEYRING_ERROR_DISMISSED = 4,
  KEYRING_ERROR_NOT_FOUND = 5,
  KEYRING_ERROR_TIMEOUT = 6,
  KEYRING_ERROR_FAILED = 7,
} KeyringError;

GQuark keyring_error_quark (void);
gboolean keyring_error_is_unavailable (const GError *error);

/**
 * KeyringEntry:
 * @profile: the profile the key belongs to
 * @access_key_id: the key's id (never the secret)
 */
typedef struct {
  char *profile;
  char *access_key_id;
} KeyringEntry;

void keyring_entry_free (KeyringEntry *entry);

/* Blocking calls (for the CLI): each waits at most @timeout_ms for the
 * Secret Service, prompts included; 0 means the defaults (5 s for the
 * service, plus up to 60 s for an unlock prompt; see keyring.c). Failures
 * are KEYRING_ERROR, or G_IO_ERROR_CANCELLED when @cancellable was
 * cancelled. keyring_delete() of a profile without a key is
 * KEYRING_ERROR_NOT_FOUND. */
gboolean keyring_store (const char *profile, const Credentials *long_term,
                        guint timeout_ms, GCancellable *cancellable,
                        GError **error);
Credentials *keyring_lookup (const char *profile, guint timeout_ms,
                             GCancellable *cancellable, GError **error);
gboolean keyring_delete (const char *profile, guint timeout_ms,
                         GCancellable *cancellable, GError **error);
GPtrArray *keyring_list (guint timeout_ms, GCancellable *cancellable,
                         GError **error);

/* Asynchronous calls (for the tray): never block the main loop; cancel
 * with @cancellable; the default timeouts apply. */
void keyring_store_async (const char *profile, const Credentials *long_term,
                          GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data);
gboolean keyring_store_finish (GAsyncResult *result, GError **error);
void keyring_lookup_async (const char *profile, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data);
Credentials *keyring_lookup_finish (GAsyncResult *result, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KeyringEntry, keyring_entry_free)

G_END_DECLS
