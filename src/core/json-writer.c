/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The one JSON string writer: `botomfa status --json` and the
 * credential_process document, which the tray formats too. */

#include "json-writer.h"

/**
 * json_writer_append_string:
 * @out: where to append
 * @value: (nullable): a string, or %NULL for JSON null
 *
 * Appends @value as a JSON string literal.
 */
void
json_writer_append_string (GString *out, const char *value)
{
  if (value == NULL) {
    g_string_append (out, "null");
    return;
  }

  g_string_append_c (out, '"');
  for (const char *p = value; *p; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_c (out, '\\');
    if ((guchar) *p < 0x20)
      g_string_append_printf (out, "\\u%04x", (guchar) *p);
    else
      g_string_append_c (out, *p);
  }
  g_string_append_c (out, '"');
}
