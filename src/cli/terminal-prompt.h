/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TERMINAL_PROMPT_ERROR (terminal_prompt_error_quark ())

typedef enum {
  TERMINAL_PROMPT_ERROR_NO_INPUT = 1,
  TERMINAL_PROMPT_ERROR_INTERRUPTED = 2,
  TERMINAL_PROMPT_ERROR_IO = 3,
  TERMINAL_PROMPT_ERROR_NO_TERMINAL = 4,
} MfaPromptError;

GQuark terminal_prompt_error_quark (void);
char *terminal_prompt_read (const char *prompt, gboolean secret,
                            GError **error);

char *terminal_prompt_read_tty (const char *prompt, GError **error);

G_END_DECLS
