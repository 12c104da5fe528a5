/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TRAY_AUTOSTART_ERROR (tray_autostart_error_quark ())

/**
 * TrayAutostartError:
 * @TRAY_AUTOSTART_ERROR_WRITE: the user's autostart entry could not be
 *   written
 * @TRAY_AUTOSTART_ERROR_REMOVE: it could not be removed
 */
typedef enum {
  TRAY_AUTOSTART_ERROR_WRITE = 1,
  TRAY_AUTOSTART_ERROR_REMOVE = 2,
} TrayAutostartError;

GQuark tray_autostart_error_quark (void);

char *tray_autostart_get_path (void);
gboolean tray_autostart_is_enabled (void);
gboolean tray_autostart_set_enabled (gboolean enabled, GError **error);

G_END_DECLS
