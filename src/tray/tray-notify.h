/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gio/gio.h>

#include "tray-profile.h"

G_BEGIN_DECLS

/* Desktop notifications for one profile: before expiry and at expiry. */
typedef struct _TrayNotify TrayNotify;

TrayNotify *tray_notify_new (GApplication *app, TrayProfile *profile);
void tray_notify_free (TrayNotify *notify);
char *tray_notify_id (const char *profile_name, TrayStateKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrayNotify, tray_notify_free)

G_END_DECLS
