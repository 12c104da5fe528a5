/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * Credentials:
 * @access_key_id: the access key id (AKIA… long-term, ASIA… temporary)
 * @secret_access_key: the secret access key
 * @session_token: (nullable): the session token of temporary credentials
 * @expiration: (nullable): when temporary credentials expire
 *
 * An AWS credential set. Every string is owned and is wiped when the
 * structure is freed with credentials_free().
 */
typedef struct {
  char *access_key_id;
  char *secret_access_key;
  char *session_token;
  GDateTime *expiration;
} Credentials;

Credentials *credentials_new (const char *access_key_id,
                              const char *secret_access_key,
                              const char *session_token, GDateTime *expiration);
Credentials *credentials_copy (const Credentials *credentials);
void credentials_free (Credentials *credentials);
gboolean credentials_is_temporary (const Credentials *credentials);
GTimeSpan credentials_time_left (const Credentials *credentials,
                                 GDateTime *now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Credentials, credentials_free)

G_END_DECLS
