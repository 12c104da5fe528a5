/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#include "credentials.h"

int credential_process_command_run (int argc, char **argv);
Credentials *credential_process_get_session (const char *profile_name,
                                             GError **error);

G_END_DECLS
