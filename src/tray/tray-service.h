/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gtk/gtk.h>

#include "tray-profile.h"

G_BEGIN_DECLS

#define TRAY_SERVICE_INTERFACE "io.github.botomfa.Sessions1"
#define TRAY_SERVICE_ERROR_CANCELLED TRAY_SERVICE_INTERFACE ".Error.Cancelled"
#define TRAY_SERVICE_ERROR_FAILED TRAY_SERVICE_INTERFACE ".Error.Failed"
#define TRAY_SERVICE_ERROR_UNKNOWN_PROFILE \
  TRAY_SERVICE_INTERFACE ".Error.UnknownProfile"

/* Opens (or brings forward) the MFA dialog of @profile. */
typedef GtkWidget *(*TrayServiceOpenDialog) (TrayProfile *profile,
                                             gpointer user_data);

typedef struct _TrayService TrayService;

TrayService *tray_service_new (TrayServiceOpenDialog open_dialog,
                               gpointer user_data);
gboolean tray_service_export (TrayService *self, GDBusConnection *connection,
                              const char *object_path, GError **error);
void tray_service_set_profiles (TrayService *self, GPtrArray *profiles,
                                const char *resolve_error);
void tray_service_free (TrayService *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrayService, tray_service_free)

G_END_DECLS
