/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MFA_PROMPT_ERROR (mfa_prompt_error_quark ())

typedef enum {
  MFA_PROMPT_ERROR_NO_INPUT = 1,
  MFA_PROMPT_ERROR_INTERRUPTED = 2,
  MFA_PROMPT_ERROR_IO = 3,
} MfaPromptError;

GQuark mfa_prompt_error_quark (void);
char *mfa_prompt_read (const char *prompt, GError **error);

G_END_DECLS
