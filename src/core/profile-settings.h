/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * botomfa's own per-profile settings: what AWS has no key for. They live
 * in $XDG_CONFIG_HOME/botomfa/profiles.ini (profile_settings_path()), never
 * in the AWS files. The file is created (0600, its directory 0700) only
 * when something is written to it.
 *
 * One section per profile, named exactly as the profile ([default],
 * [work]; no "profile " prefix), read by the INI editor (ini-file.h): keys
 * are case-insensitive and the last value wins. The keys:
 *
 * - `targets`: where this profile's session is written, a comma-separated
 *   list of `boto` (the boto config's section) and `aws-credentials` (the
 *   AWS shared credentials file's [NAME]); case-insensitive, blanks around
 *   the commas allowed. Empty or absent: botomfa chooses (automatic).
 * - `mfa_process`: a command line whose standard output is the MFA code,
 *   e.g. `ykman oath accounts code --single NAME`. One line, with balanced
 *   quotes (g_shell_parse_argv() must split it).
 * - `mfa_serial`: the MFA device chosen during discovery when the user did
 *   not want it written into ~/.aws/config: an ARN
 *   (arn:aws:iam::123456789012:mfa/NAME) or a hardware serial, 9 to 256
 *   characters among letters, digits and _+=/:,.@- (STS's rule).
 * - `notify_before`: how many seconds before the session expires the tray
 *   warns, a whole number from 0 to 129600. Default 600.
 * - `duration`: the session's lifetime in seconds, 900 to 129600; it goes
 *   before `duration_seconds` of ~/.aws/config (which the AWS CLI also
 *   uses for its own role sessions), after --duration and STS_DURATION.
 *
 * An empty value counts as unset. Values span one line. Keys botomfa does
 * not know are kept in the file and ignored, so that a later version can
 * add some.
 */

#define PROFILE_SETTINGS_ERROR (profile_settings_error_quark ())

/**
 * ProfileSettingsError:
 * @PROFILE_SETTINGS_ERROR_INVALID: an unknown key was given to
 *   profile_settings_set(), or a value is invalid; the message names the
 *   file, the profile and the key, and says what is allowed
 */
typedef enum {
  PROFILE_SETTINGS_ERROR_INVALID = 1,
} ProfileSettingsError;

GQuark profile_settings_error_quark (void);

#define PROFILE_SETTINGS_NOTIFY_BEFORE_DEFAULT 600
#define PROFILE_SETTINGS_NOTIFY_BEFORE_MAX 129600

/**
 * ProfileTargets:
 * @PROFILE_TARGET_BOTO: the boto config's section (`boto`)
 * @PROFILE_TARGET_AWS_CREDENTIALS: the AWS shared credentials file's
 *   [NAME] (`aws-credentials`)
 *
 * Where a profile's session is written; 0 means botomfa chooses.
 */
typedef enum {
  PROFILE_TARGET_BOTO = 1 << 0,
  PROFILE_TARGET_AWS_CREDENTIALS = 1 << 1,
} ProfileTargets;

/**
 * ProfileSettings:
 * @name: the profile's name (the section's)
 * @targets: `targets`; 0 for automatic
 * @mfa_process: (nullable): `mfa_process`
 * @mfa_serial: (nullable): `mfa_serial`
 * @notify_before: `notify_before` in seconds; 600 when unset
 * @duration: `duration` in seconds; 0 when unset
 */
typedef struct {
  char *name;
  ProfileTargets targets;
  char *mfa_process;
  char *mfa_serial;
  guint notify_before;
  guint duration;
} ProfileSettings;

void profile_settings_free (ProfileSettings *settings);

char *profile_settings_path (void);
GPtrArray *profile_settings_load (const char *path, GError **error);
ProfileSettings *profile_settings_find (GPtrArray *all, const char *name);
gboolean profile_settings_set (const char *path, const char *profile,
                               const char *key, const char *value,
                               GError **error);

char *profile_targets_to_string (ProfileTargets targets);
gboolean profile_targets_parse (const char *text, ProfileTargets *targets,
                                GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ProfileSettings, profile_settings_free)

G_END_DECLS
