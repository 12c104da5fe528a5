/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gtk/gtk.h>

#include "tray-profile.h"

G_BEGIN_DECLS

#define MFA_TYPE_DIALOG (mfa_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MfaDialog, mfa_dialog, MFA, DIALOG, GtkDialog)

MfaDialog *mfa_dialog_new (TrayProfile *profile);
TrayProfile *mfa_dialog_get_profile (MfaDialog *self);
gboolean mfa_dialog_get_refreshed (MfaDialog *self);

G_END_DECLS
