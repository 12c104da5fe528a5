/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MFA_PROCESS_ERROR (mfa_process_error_quark ())

typedef enum {
  MFA_PROCESS_ERROR_INVALID = 1,
  MFA_PROCESS_ERROR_FAILED = 2,
  MFA_PROCESS_ERROR_TIMEOUT = 3,
} MfaProcessError;

GQuark mfa_process_error_quark (void);
char *mfa_process_run (const char *command, guint timeout_ms, GError **error);

G_END_DECLS
