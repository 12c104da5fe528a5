/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* Helpers of the tests that run against the real gnome-keyring of
 * tests/keyring-session.sh (test-keyring, test-session-cache). Every helper
 * asserts on failure. */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "keyring.h"

G_BEGIN_DECLS

/* Every state must be answered this fast (a behaviour bound, generous). */
#define KEYRING_TEST_QUICK_US G_USEC_PER_SEC

gboolean keyring_test_in_scratch_session (void);
void keyring_test_refuse (void);
void keyring_test_run_in_subprocess (void);

gint64 keyring_test_elapsed_since (gint64 start);
void keyring_test_report_time (const char *what, gint64 us);
void keyring_test_expect_unavailable (GError *error, KeyringError code,
                                      const char *what, gint64 start);
void keyring_test_expect_timeout (GError *error, gint64 start, gint64 min_us,
                                  gint64 max_us, const char *what);

/**
 * KeyringTestWait:
 * @loop: runs until the result comes
 * @result: the last result, or %NULL
 *
 * Waits for asynchronous results: pass keyring_test_on_done() and the wait
 * to an asynchronous call, then keyring_test_wait_for().
 */
typedef struct {
  GMainLoop *loop;
  GAsyncResult *result;
} KeyringTestWait;

KeyringTestWait keyring_test_wait_new (void);
void keyring_test_wait_clear (KeyringTestWait *wait);
void keyring_test_on_done (GObject *source, GAsyncResult *result,
                           gpointer wait);
GAsyncResult *keyring_test_wait_for (KeyringTestWait *wait);
gboolean keyring_test_cancel_now (gpointer cancellable);

gboolean keyring_test_default_collection_is_locked (void);
void keyring_test_lock_default_collection (void);
void keyring_test_unlock_default_collection (void);

void keyring_test_scan_tree (const char *dir, const char *skip,
                             const char *needle, guint *files, guint *hits);

G_END_DECLS
