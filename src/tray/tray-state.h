/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

#include "refresh.h"

G_BEGIN_DECLS

/**
 * TrayStateKind:
 * @TRAY_STATE_VALID: a session is stored and not close to expiry
 * @TRAY_STATE_EXPIRING: less than the profile's notify_before is left
 * @TRAY_STATE_EXPIRED: the stored session has expired
 * @TRAY_STATE_MISSING: no session is stored
 * @TRAY_STATE_REFRESHING: a refresh is under way
 * @TRAY_STATE_ERROR: the state cannot be known (unreadable file, bad
 *   configuration)
 *
 * What the tray shows for one profile.
 */
typedef enum {
  TRAY_STATE_VALID,
  TRAY_STATE_EXPIRING,
  TRAY_STATE_EXPIRED,
  TRAY_STATE_MISSING,
  TRAY_STATE_REFRESHING,
  TRAY_STATE_ERROR,
} TrayStateKind;

TrayStateKind tray_state_classify (RefreshStatus status, GDateTime *expiration,
                                   GDateTime *now, guint notify_before,
                                   GTimeSpan *next_change);
char *tray_state_describe (const char *profile_name, TrayStateKind kind,
                           GDateTime *expiration, GDateTime *now,
                           const char *error_message);
char *tray_state_describe_left (const char *profile_name, TrayStateKind kind,
                                GDateTime *expiration, GDateTime *now,
                                const char *error_message);
const char *tray_state_icon_name (TrayStateKind kind);
const char *tray_state_icon_description (TrayStateKind kind);

G_END_DECLS
