/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gio/gio.h>

#include "aws-endpoint.h"
#include "credentials.h"
#include "sts-response.h"

G_BEGIN_DECLS

#define STS_ERROR (sts_error_quark ())

/**
 * StsError:
 * @STS_ERROR_NETWORK: the endpoint could not be reached
 * @STS_ERROR_TLS: the endpoint's certificate is not trusted
 * @STS_ERROR_TIMEOUT: no complete answer within the time limit
 * @STS_ERROR_INVALID_RESPONSE: the answer was not an AWS document
 * @STS_ERROR_SERVICE_UNAVAILABLE: 5xx answers after the retries
 * @STS_ERROR_THROTTLED: AWS throttled every attempt
 * @STS_ERROR_MFA_FAILED: the MFA code was wrong or already used
 * @STS_ERROR_ACCESS_DENIED: any other AccessDenied
 * @STS_ERROR_EXPIRED_TOKEN: the session credentials expired
 * @STS_ERROR_INVALID_CLIENT_TOKEN: the access key id is unknown
 * @STS_ERROR_SIGNATURE_MISMATCH: the secret does not match the key id
 * @STS_ERROR_CLOCK_SKEW: the request time was too far from AWS's
 * @STS_ERROR_VALIDATION: a parameter was refused
 * @STS_ERROR_REGION_DISABLED: STS is not activated in the region
 * @STS_ERROR_SESSION_CREDENTIALS: GetSessionToken called with a session
 * @STS_ERROR_MISSING_AUTHENTICATION: no credentials were sent
 * @STS_ERROR_UNKNOWN: an AWS error code botomfa does not know
 *
 * Errors of the STS and IAM client. Codes up to
 * @STS_ERROR_SERVICE_UNAVAILABLE say nothing about the credentials.
 */
typedef enum {
  STS_ERROR_NETWORK = 1,
  STS_ERROR_TLS = 2,
  STS_ERROR_TIMEOUT = 3,
  STS_ERROR_INVALID_RESPONSE = 4,
  STS_ERROR_SERVICE_UNAVAILABLE = 5,
  STS_ERROR_THROTTLED = 6,
  STS_ERROR_MFA_FAILED = 7,
  STS_ERROR_ACCESS_DENIED = 8,
  STS_ERROR_EXPIRED_TOKEN = 9,
  STS_ERROR_INVALID_CLIENT_TOKEN = 10,
  STS_ERROR_SIGNATURE_MISMATCH = 11,
  STS_ERROR_CLOCK_SKEW = 12,
  STS_ERROR_VALIDATION = 13,
  STS_ERROR_REGION_DISABLED = 14,
  STS_ERROR_SESSION_CREDENTIALS = 15,
  STS_ERROR_MISSING_AUTHENTICATION = 16,
  STS_ERROR_UNKNOWN = 17,
} StsError;

GQuark sts_error_quark (void);
gboolean sts_error_is_transport (const GError *error);

typedef struct _StsClient StsClient;

StsClient *sts_client_new (const char *region, gboolean legacy_global,
                           GError **error);
void sts_client_free (StsClient *client);
const AwsEndpoint *sts_client_get_endpoint (StsClient *client);
void sts_client_set_timeouts (StsClient *client, guint connect_seconds,
                              guint total_seconds);

Credentials *
sts_client_get_session_token (StsClient *client, const Credentials *long_term,
                              const char *serial_number, const char *token_code,
                              guint duration_seconds, GCancellable *cancellable,
                              GError **error);
Credentials *sts_client_assume_role (
  StsClient *client, const Credentials *credentials, const char *role_arn,
  const char *session_name, const char *serial_number, const char *token_code,
  guint duration_seconds, GCancellable *cancellable, GError **error);
StsCallerIdentity *
sts_client_get_caller_identity (StsClient *client,
                                const Credentials *credentials,
                                GCancellable *cancellable, GError **error);

GPtrArray *sts_client_list_mfa_devices (StsClient *client,
                                        const Credentials *credentials,
                                        const char *user_name,
                                        GCancellable *cancellable,
                                        GError **error);

void sts_client_get_session_token_async (
  StsClient *client, const Credentials *long_term, const char *serial_number,
  const char *token_code, guint duration_seconds, GCancellable *cancellable,
  GAsyncReadyCallback callback, gpointer user_data);
void
sts_client_assume_role_async (StsClient *client, const Credentials *credentials,
                              const char *role_arn, const char *session_name,
                              const char *serial_number, const char *token_code,
                              guint duration_seconds, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
Credentials *sts_client_credentials_finish (StsClient *client,
                                            GAsyncResult *result,
                                            GError **error);
void sts_client_get_caller_identity_async (StsClient *client,
                                           const Credentials *credentials,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data);
StsCallerIdentity *sts_client_get_caller_identity_finish (StsClient *client,
                                                          GAsyncResult *result,
                                                          GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StsClient, sts_client_free)

G_END_DECLS
