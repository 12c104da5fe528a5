/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gio/gio.h>

#include "credentials.h"
#include "profile.h"

G_BEGIN_DECLS

#define STS_JOB_ERROR (sts_job_error_quark ())

/**
 * StsJobError:
 * @STS_JOB_ERROR_INVALID_REQUEST: the bytes are not a request
 * @STS_JOB_ERROR_INVALID_REPLY: the bytes are not a reply to the request
 */
typedef enum {
  STS_JOB_ERROR_INVALID_REQUEST = 1,
  STS_JOB_ERROR_INVALID_REPLY = 2,
} StsJobError;

GQuark sts_job_error_quark (void);

/* No request or reply is larger: a reader stops there. */
#define STS_JOB_MAX_SIZE (64 * 1024)

/**
 * StsJobKind:
 * @STS_JOB_SESSION: GetSessionToken, or AssumeRole with MFA when the job
 *   names a role (refresh_obtain())
 * @STS_JOB_DEVICES: GetCallerIdentity then iam:ListMFADevices
 *   (device_discovery_list())
 */
typedef enum {
  STS_JOB_SESSION = 1,
  STS_JOB_DEVICES = 2,
} StsJobKind;

/**
 * StsJob:
 * @kind: what to ask
 * @region: (nullable): the region whose endpoint to use
 * @legacy_global: AWS_STS_REGIONAL_ENDPOINTS=legacy
 * @key: the long-term key that signs
 * @mfa_serial: (nullable): the MFA device (%STS_JOB_SESSION)
 * @token_code: (nullable): its six-digit code (%STS_JOB_SESSION)
 * @role_arn: (nullable): the role to assume instead of GetSessionToken
 * @session_name: (nullable): the role session's name, with @role_arn
 * @duration: the session's lifetime in seconds (%STS_JOB_SESSION)
 *
 * One STS or IAM call, described as data so that another process can make
 * it. Free with sts_job_free(), which wipes the key and the code.
 */
typedef struct {
  StsJobKind kind;
  char *region;
  gboolean legacy_global;
  Credentials *key;
  char *mfa_serial;
  char *token_code;
  char *role_arn;
  char *session_name;
  guint duration;
} StsJob;

StsJob *sts_job_new_session (const Profile *profile, const Credentials *key,
                             const char *token_code);
StsJob *sts_job_new_devices (const Profile *profile, const Credentials *key);
void sts_job_free (StsJob *job);

GBytes *sts_job_to_bytes (const StsJob *job);
StsJob *sts_job_from_bytes (GBytes *bytes, GError **error);

GBytes *sts_job_reply_session (const Credentials *session);
GBytes *sts_job_reply_devices (GPtrArray *devices);
GBytes *sts_job_reply_error (const GError *error);
Credentials *sts_job_read_session (GBytes *reply, GError **error);
GPtrArray *sts_job_read_devices (GBytes *reply, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StsJob, sts_job_free)

G_END_DECLS
