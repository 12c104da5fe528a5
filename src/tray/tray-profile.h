/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gio/gio.h>

#include "profile.h"
#include "tray-state.h"

G_BEGIN_DECLS

#define TRAY_TYPE_PROFILE (tray_profile_get_type ())
G_DECLARE_FINAL_TYPE (TrayProfile, tray_profile, TRAY, PROFILE, GObject)

TrayProfile *tray_profile_new (Profile *profile);
const Profile *tray_profile_get_profile (TrayProfile *self);
gboolean tray_profile_matches (TrayProfile *self, const Profile *profile);
TrayStateKind tray_profile_get_state (TrayProfile *self);
GDateTime *tray_profile_get_expiration (TrayProfile *self);
char *tray_profile_describe (TrayProfile *self);
char *tray_profile_describe_left (TrayProfile *self);
void tray_profile_set_refreshing (TrayProfile *self, gboolean refreshing);
void tray_profile_update (TrayProfile *self);
void tray_profile_remember (TrayProfile *self, const Credentials *session);
void tray_profile_keep (TrayProfile *self, const Credentials *session);
Credentials *tray_profile_get_session (TrayProfile *self,
                                       guint min_valid_seconds);

G_END_DECLS
