/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gio/gio.h>

#include "credentials.h"
#include "profile.h"

G_BEGIN_DECLS

#define STS_WORKER_CLIENT_ERROR (sts_worker_client_error_quark ())

/**
 * StsWorkerClientError:
 * @STS_WORKER_CLIENT_ERROR_MISSING: botomfa-sts-worker could not be started
 * @STS_WORKER_CLIENT_ERROR_FAILED: it ended without a reply (crashed,
 *   killed, exited)
 *
 * A worker that replies passes on the error it met instead (an #STS_ERROR,
 * a #DEVICE_DISCOVERY_ERROR …), with its domain and code.
 */
typedef enum {
  STS_WORKER_CLIENT_ERROR_MISSING = 1,
  STS_WORKER_CLIENT_ERROR_FAILED = 2,
} StsWorkerClientError;

GQuark sts_worker_client_error_quark (void);

void sts_worker_client_refresh_async (
  const Profile *profile, const Credentials *long_term,
  gboolean long_term_from_keyring, const char *token_code,
  GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
Credentials *sts_worker_client_refresh_finish (GAsyncResult *result,
                                               GError **error);

void sts_worker_client_list_devices_async (const Profile *profile,
                                           const Credentials *long_term,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data);
GPtrArray *sts_worker_client_list_devices_finish (GAsyncResult *result,
                                                  GError **error);

G_END_DECLS
