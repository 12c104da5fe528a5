/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void tray_about_present (GtkApplication *app);

G_END_DECLS
