/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void json_writer_append_string (GString *out, const char *value);

G_END_DECLS
