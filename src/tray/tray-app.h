/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TRAY_APP_ID "io.github.botomfa.Botomfa"

#define TRAY_TYPE_APP (tray_app_get_type ())
G_DECLARE_FINAL_TYPE (TrayApp, tray_app, TRAY, APP, GtkApplication)

TrayApp *tray_app_new (void);

G_END_DECLS
