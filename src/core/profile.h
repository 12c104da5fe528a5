/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

#include "profile-settings.h"

G_BEGIN_DECLS

#define PROFILE_ERROR (profile_error_quark ())

typedef enum {
  PROFILE_ERROR_NO_ACCOUNT = 1,
  PROFILE_ERROR_INVALID_ACCOUNT = 2,
  PROFILE_ERROR_NO_DEVICE = 3,
  PROFILE_ERROR_INVALID_SERIAL = 4,
  PROFILE_ERROR_INVALID_DURATION = 5,
  PROFILE_ERROR_INVALID_NAME = 6,
  PROFILE_ERROR_INVALID_ROLE = 7,
  PROFILE_ERROR_NO_HOME = 8,
} ProfileError;

GQuark profile_error_quark (void);

#define PROFILE_DURATION_MIN 900
#define PROFILE_DURATION_MAX 129600
#define PROFILE_DURATION_SEED_DEFAULT 900
#define PROFILE_DURATION_AWS_DEFAULT 43200

/**
 * ProfileDurationSource:
 * @PROFILE_DURATION_FROM_FLAG: --duration
 * @PROFILE_DURATION_FROM_ENV: STS_DURATION
 * @PROFILE_DURATION_FROM_SETTINGS: `duration` in botomfa's profiles.ini
 * @PROFILE_DURATION_FROM_AWS_CONFIG: `duration_seconds` in ~/.aws/config
 * @PROFILE_DURATION_FROM_SEED_DEFAULT: the original's 900 seconds
 * @PROFILE_DURATION_FROM_AWS_DEFAULT: AWS's 12 hours, for profiles that live in
 *   the AWS files only
 *
 * Where a profile's duration came from, first to last in precedence.
 */
typedef enum {
  PROFILE_DURATION_FROM_FLAG,
  PROFILE_DURATION_FROM_ENV,
  PROFILE_DURATION_FROM_SETTINGS,
  PROFILE_DURATION_FROM_AWS_CONFIG,
  PROFILE_DURATION_FROM_SEED_DEFAULT,
  PROFILE_DURATION_FROM_AWS_DEFAULT,
} ProfileDurationSource;

/**
 * ProfileOverrides:
 * @name: (nullable): --profile
 * @account: (nullable): --aws-act-num
 * @device_name: (nullable): --mfa-device-name (a name or a full ARN)
 * @duration: --duration, or 0 when not given
 * @role_arn: (nullable): --assume-role-arn
 *
 * What the command line says; it wins over the environment.
 */
typedef struct {
  const char *name;
  const char *account;
  const char *device_name;
  guint duration;
  const char *role_arn;
} ProfileOverrides;

/**
 * Profile:
 * @name: the profile's name ("default" when none was given)
 * @mfa_serial: (nullable): the MFA device's ARN or serial; %NULL when
 *   the account number is unknown (see profile_require_device())
 * @device_name: (nullable): the name the user knows the device by (the
 *   prompt's NAME); %NULL when nothing names it
 * @duration: the session's lifetime in seconds
 * @duration_source: where @duration came from
 * @role_arn: (nullable): the role to assume with MFA instead of
 *   GetSessionToken
 * @region: (nullable): the region whose STS endpoint to use
 * @legacy_global: AWS_STS_REGIONAL_ENDPOINTS=legacy
 * @boto_config_path: the boto config file
 * @long_term_section: where the long-term key is ("long-term",
 *   "NAME-long-term")
 * @credentials_section: where the session goes ("Credentials", "NAME")
 * @aws_credentials_path: the AWS shared credentials file
 *   (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials)
 * @aws_config_path: the AWS config file (AWS_CONFIG_FILE, else
 *   ~/.aws/config); set by profile_resolve()
 * @key_profile: whose long-term key signs: the profile itself, or its
 *   source_profile
 * @in_boto_config: the boto config has the profile's sections
 * @in_aws_files: ~/.aws/config or ~/.aws/credentials knows the profile
 * @targets: where the session is written
 * @targets_reason: why those targets, in words
 * @mfa_process: (nullable): a command that prints the MFA code
 * @notify_before: seconds before expiry the tray warns
 *
 * Everything a refresh needs to know, resolved once.
 */
typedef struct {
  char *name;
  char *mfa_serial;
  char *device_name;
  guint duration;
  ProfileDurationSource duration_source;
  char *role_arn;
  char *region;
  gboolean legacy_global;
  char *boto_config_path;
  char *long_term_section;
  char *credentials_section;
  char *aws_credentials_path;
  char *aws_config_path;
  char *key_profile;
  gboolean in_boto_config;
  gboolean in_aws_files;
  ProfileTargets targets;
  char *targets_reason;
  char *mfa_process;
  guint notify_before;
} Profile;

Profile *profile_resolve_seed (const ProfileOverrides *overrides,
                               GError **error);
Profile *profile_resolve (const ProfileOverrides *overrides, GError **error);
gboolean profile_boto_shadowed (const Profile *profile);
gboolean profile_check_duration (guint64 duration, GError **error);
gboolean profile_parse_duration (const char *text, guint *duration,
                                 GError **error);
gboolean profile_require_device (const Profile *profile, GError **error);
char *profile_role_session_name (const Profile *profile);
GPtrArray *profile_list_names (GHashTable *more, GError **error);
void profile_free (Profile *profile);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Profile, profile_free)

G_END_DECLS
