/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void wipe_memory (void *data, gsize len);
void wipe_string_free (char *str);
void wipe_gstring_free (GString *str);
void wipe_byte_array_free (GByteArray *array);
GBytes *wipe_bytes_new_take (gpointer data, gsize len);

/* For g_autoptr-style cleanup of secret strings:
 *   g_auto (WipeString) secret = g_strdup (...);
 */
typedef char *WipeString;
static inline void
wipe_string_clear (WipeString *str)
{
  wipe_string_free (*str);
  *str = NULL;
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WipeString, wipe_string_clear)

G_END_DECLS
