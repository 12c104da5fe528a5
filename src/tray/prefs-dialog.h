/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gtk/gtk.h>

#include "tray-profile.h"

G_BEGIN_DECLS

#define PREFS_TYPE_DIALOG (prefs_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PrefsDialog, prefs_dialog, PREFS, DIALOG, GtkDialog)

PrefsDialog *prefs_dialog_new (GPtrArray *profiles);
void prefs_dialog_set_profiles (PrefsDialog *self, GPtrArray *profiles);

G_END_DECLS
