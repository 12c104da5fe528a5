/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gio/gio.h>

#include "credentials.h"

G_BEGIN_DECLS

#define TRAY_CLIENT_ERROR (tray_client_error_quark ())

/**
 * TrayClientError:
 * @TRAY_CLIENT_ERROR_NO_TRAY: no tray runs on the session bus (or it does
 *   not show the profile): ask elsewhere
 * @TRAY_CLIENT_ERROR_CANCELLED: the user closed the tray's MFA dialog
 * @TRAY_CLIENT_ERROR_FAILED: the tray could not get a session
 */
typedef enum {
  TRAY_CLIENT_ERROR_NO_TRAY = 1,
  TRAY_CLIENT_ERROR_CANCELLED = 2,
  TRAY_CLIENT_ERROR_FAILED = 3,
} TrayClientError;

GQuark tray_client_error_quark (void);

Credentials *tray_client_get_session (const char *profile,
                                      guint min_valid_seconds, GError **error);

G_END_DECLS
