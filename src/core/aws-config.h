/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Profiles of the AWS config file (~/.aws/config), read the way botocore
 * reads them. The rules follow Debian's python3-botocore 1.29
 * (botocore/configloader.py load_config() and build_profile_map(), and
 * session.py):
 *
 * - The file is parsed by the INI editor (ini-file.h): keys are
 *   case-insensitive and the last value of a key wins.
 * - A section whose name starts with "profile" is split like Python's
 *   shlex.split(): whitespace (space, tab) separates words, '…' and "…"
 *   quote, '\' escapes. When that gives exactly two words the second is
 *   the profile's name: [profile dev], [profile   dev], [profile "my dev"]
 *   (name "my dev"). Anything else ([profile], [profile a b], an unclosed
 *   quote) is not a profile. botocore does not check the first word, so
 *   [profiles dev] is profile "dev" too; so it is here.
 * - [default] is the default profile, and so is [profile default]. When
 *   several sections name the same profile (both of those, or
 *   [profile dev] and [profile "dev"]), the one that comes LAST in the
 *   file is the profile, whole: its keys are not merged with the earlier
 *   section's. The profile keeps the place of the first one in the list.
 * - Any other section ([dev], [sso-session x], [plugins], [preview]) is
 *   not a profile and is ignored.
 * - Keys of a [DEFAULT] section apply to every profile that lacks them
 *   (configparser's default section, which botocore keeps).
 *
 * Where botomfa differs on purpose: botocore refuses a file with a section
 * or key written twice (configparser's strict mode), botomfa reads it with
 * the last value winning; botocore ignores a duration_seconds it cannot
 * read, botomfa reports it. A key written with an empty value
 * ("region =") counts as unset. The values botomfa uses are single lines:
 * a continued or nested value ("region =" followed by indented lines) of
 * one of those keys is refused.
 */

#define AWS_CONFIG_ERROR (aws_config_error_quark ())

/**
 * AwsConfigError:
 * @AWS_CONFIG_ERROR_INVALID: a value botomfa cannot use; the message names
 *   the file, the profile, the key and what is allowed
 */
typedef enum {
  AWS_CONFIG_ERROR_INVALID = 1,
} AwsConfigError;

GQuark aws_config_error_quark (void);

#define AWS_CONFIG_DURATION_MIN 900
#define AWS_CONFIG_DURATION_MAX 129600

/**
 * AwsConfigProfile:
 * @name: the profile's name: "default" for [default] and
 *   [profile default], NAME for [profile NAME]
 * @mfa_serial: (nullable): `mfa_serial`, the MFA device's ARN or serial
 * @duration_seconds: `duration_seconds`; 0 when unset, else from
 *   %AWS_CONFIG_DURATION_MIN to %AWS_CONFIG_DURATION_MAX
 * @role_arn: (nullable): `role_arn`, a role to assume
 * @source_profile: (nullable): `source_profile`, whose credentials assume
 *   the role
 * @region: (nullable): `region`
 * @sts_legacy_endpoint: `sts_regional_endpoints = legacy`; %FALSE for
 *   `regional` and when unset
 * @credential_process: (nullable): `credential_process`, the command line
 *   as written
 *
 * One profile as botocore sees it. A role profile may carry mfa_serial and
 * source_profile as well: they are reported as they are.
 */
typedef struct {
  char *name;
  char *mfa_serial;
  guint duration_seconds;
  char *role_arn;
  char *source_profile;
  char *region;
  gboolean sts_legacy_endpoint;
  char *credential_process;
} AwsConfigProfile;

void aws_config_profile_free (AwsConfigProfile *profile);

char *aws_config_path (void);
char *aws_config_credentials_path (void);

GPtrArray *aws_config_load (const char *path, GError **error);
AwsConfigProfile *aws_config_find (GPtrArray *profiles, const char *name);
char **aws_config_credentials_sections (const char *path, GError **error);
gboolean aws_config_set_value (const char *path, const char *profile,
                               const char *key, const char *value,
                               GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwsConfigProfile, aws_config_profile_free)

G_END_DECLS
