/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include "sigv4.h"

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * Sigv4RequestText:
 * @request: the parsed request; every pointer in it points into this
 *   structure
 *
 * An HTTP/1.1 request written as text, the way AWS's SigV4 test suite
 * writes its request.txt files: a request line, "Name:value" header lines
 * (a line starting with white space continues the previous header and is
 * taken as one more value of it), an empty line, the body.
 */
typedef struct {
  Sigv4Request request;
  /*< private >*/
  char *method;
  char *path;
  char *query;
  GArray *headers;
  GPtrArray *strings;
  GByteArray *body;
} Sigv4RequestText;

Sigv4RequestText *sigv4_request_text_parse (const char *text, gsize len,
                                            GError **error);
const char *sigv4_request_text_get_header (const Sigv4RequestText *text,
                                           const char *name);
gboolean sigv4_request_text_remove_header (Sigv4RequestText *text,
                                           const char *name);
void sigv4_request_text_free (Sigv4RequestText *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sigv4RequestText, sigv4_request_text_free)

G_END_DECLS
