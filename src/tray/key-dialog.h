/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gtk/gtk.h>

#include "tray-profile.h"

G_BEGIN_DECLS

#define KEY_TYPE_DIALOG (key_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KeyDialog, key_dialog, KEY, DIALOG, GtkDialog)

KeyDialog *key_dialog_new (TrayProfile *profile);
gboolean key_dialog_get_stored (KeyDialog *self);

G_END_DECLS
