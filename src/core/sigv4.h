/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Length of a SigV4 signing key (an HMAC-SHA256 output) in bytes. */
#define SIGV4_KEY_LEN 32

/**
 * Sigv4Header:
 * @name: the header name, in any case
 * @value: the header value, untrimmed
 *
 * One header of a request to sign. Several entries may share a name.
 */
typedef struct {
  const char *name;
  const char *value;
} Sigv4Header;

/**
 * Sigv4Request:
 * @method: the HTTP method, e.g. "POST"
 * @path: the path as sent, e.g. "/"
 * @query: (nullable): the raw query string as sent, without the '?'
 * @headers: the headers to sign (host, x-amz-date, content-type,
 *   x-amz-security-token…); exactly these are signed
 * @n_headers: the number of @headers
 * @body: (nullable): the request body
 * @body_len: its length in bytes
 *
 * A request described for signing. Nothing in it is copied or freed.
 */
typedef struct {
  const char *method;
  const char *path;
  const char *query;
  const Sigv4Header *headers;
  gsize n_headers;
  const guint8 *body;
  gsize body_len;
} Sigv4Request;

char *sigv4_format_amz_date (GDateTime *time);
char *sigv4_hex_sha256 (const guint8 *data, gsize len);
char *sigv4_canonical_uri (const char *path);
char *sigv4_canonical_query (const char *query);
char *sigv4_canonical_request (const Sigv4Request *request,
                               char **signed_headers);
char *sigv4_credential_scope (const char *amz_date, const char *region,
                              const char *service);
char *sigv4_string_to_sign (const char *amz_date, const char *scope,
                            const char *canonical_request);
void sigv4_signing_key (const char *secret_access_key, const char *date,
                        const char *region, const char *service,
                        guint8 key[SIGV4_KEY_LEN]);
char *sigv4_signature (const guint8 key[SIGV4_KEY_LEN],
                       const char *string_to_sign);
char *sigv4_authorization (const char *access_key_id, const char *scope,
                           const char *signed_headers, const char *signature);
char *sigv4_sign (const Sigv4Request *request, const char *access_key_id,
                  const char *secret_access_key, const char *region,
                  const char *service, GDateTime *time);

G_END_DECLS
