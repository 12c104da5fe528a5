/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

#include "credentials.h"

G_BEGIN_DECLS

#define STS_RESPONSE_ERROR (sts_response_error_quark ())

/**
 * StsResponseError:
 * @STS_RESPONSE_ERROR_MALFORMED: the body is not the XML document expected
 *   (not well-formed, another root element, a DTD, a duplicated field, an
 *   unreadable time)
 * @STS_RESPONSE_ERROR_MISSING_FIELD: a required field is absent or empty;
 *   the message names it
 */
typedef enum {
  STS_RESPONSE_ERROR_MALFORMED = 1,
  STS_RESPONSE_ERROR_MISSING_FIELD = 2,
} StsResponseError;

GQuark sts_response_error_quark (void);

/**
 * StsErrorDocument:
 * @type: (nullable): "Sender" or "Receiver"
 * @code: (nullable): the error code, e.g. "AccessDenied"
 * @message: (nullable): AWS's message
 * @request_id: (nullable): the AWS request id
 *
 * An AWS Query API error document. Free with sts_error_document_free().
 */
typedef struct {
  char *type;
  char *code;
  char *message;
  char *request_id;
} StsErrorDocument;

/**
 * StsCallerIdentity:
 * @account: the account id
 * @arn: the caller's ARN
 * @user_id: the caller's unique id
 *
 * What GetCallerIdentity answers. Free with sts_caller_identity_free().
 */
typedef struct {
  char *account;
  char *arn;
  char *user_id;
} StsCallerIdentity;

/**
 * IamMfaDevice:
 * @user_name: (nullable): the IAM user the device belongs to
 * @serial_number: the device's serial number or ARN
 * @enable_date: (nullable): when the device was enabled
 *
 * One entry of ListMFADevices. Free with iam_mfa_device_free().
 */
typedef struct {
  char *user_name;
  char *serial_number;
  GDateTime *enable_date;
} IamMfaDevice;

void sts_error_document_free (StsErrorDocument *doc);
void sts_caller_identity_free (StsCallerIdentity *identity);
void iam_mfa_device_free (IamMfaDevice *device);

gboolean sts_response_parse_credentials (const char *xml, gsize len,
                                         const char *result_element,
                                         Credentials **credentials,
                                         char **request_id, GError **error);
gboolean sts_response_parse_caller_identity (const char *xml, gsize len,
                                             StsCallerIdentity **identity,
                                             GError **error);
gboolean sts_response_parse_mfa_devices (const char *xml, gsize len,
                                         GPtrArray **devices, GError **error);
StsErrorDocument *sts_response_parse_error (const char *xml, gsize len);
GDateTime *sts_response_parse_timestamp (const char *iso8601);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StsErrorDocument, sts_error_document_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StsCallerIdentity, sts_caller_identity_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IamMfaDevice, iam_mfa_device_free)

G_END_DECLS
