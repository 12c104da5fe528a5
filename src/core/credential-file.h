/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

#include "credentials.h"

G_BEGIN_DECLS

#define CREDENTIAL_FILE_ERROR (credential_file_error_quark ())

typedef enum {
  CREDENTIAL_FILE_ERROR_LONG_TERM_KEY = 1,
  CREDENTIAL_FILE_ERROR_INCOMPLETE = 2,
} CredentialFileError;

GQuark credential_file_error_quark (void);

/**
 * CredentialFileFlavor:
 * @CREDENTIAL_FILE_BOTO: a boto 2 config: the token is
 *   `aws_security_token`
 * @CREDENTIAL_FILE_AWS: an AWS shared credentials file:
 *   `aws_session_token`, plus `aws_security_token` for boto 2 readers
 */
typedef enum {
  CREDENTIAL_FILE_BOTO,
  CREDENTIAL_FILE_AWS,
} CredentialFileFlavor;

Credentials *credential_file_read (const char *path, const char *section,
                                   GError **error);
gboolean credential_file_write (const char *path, const char *section,
                                CredentialFileFlavor flavor,
                                const Credentials *credentials,
                                const Credentials *replaceable, GError **error);
gboolean credential_file_clear (const char *path, const char *section,
                                CredentialFileFlavor flavor, GError **error);
gboolean credential_file_check_writable (const char *path, const char *section,
                                         const Credentials *replaceable,
                                         GError **error);
char *credential_file_format_expiration (GDateTime *expiration);
char *credential_file_format_process (const Credentials *session);

G_END_DECLS
