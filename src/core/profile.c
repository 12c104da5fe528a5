/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* Profile resolution the way the original botomfa did it: the boto config
 * and the seed's environment variables, with the command line on top. */

#define G_LOG_DOMAIN "botomfa-profile"

#include "config.h"

#include "profile.h"
#include "aws-config.h"
#include "aws-endpoint.h"
#include "credential-file.h"
#include "ini-file.h"
#include "ini-store.h"

#include <glib/gi18n-lib.h>
#include <string.h>

GQuark
profile_error_quark (void)
{
  return g_quark_from_static_string ("profile-error-quark");
}

/* The first of @n candidates that is set and not empty, or %NULL. */
static const char *
first_set (gsize n, const char *const *candidates)
{
  for (gsize i = 0; i < n; i++) {
    if (candidates[i] != NULL && *candidates[i] != '\0')
      return candidates[i];
  }

  return NULL;
}

#define FIRST_SET(...)                                         \
  first_set (G_N_ELEMENTS (((const char *[]){ __VA_ARGS__ })), \
             (const char *[]){ __VA_ARGS__ })

static const char *
env (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? value : NULL;
}

/**
 * profile_check_duration:
 * @duration: a session lifetime in seconds
 * @error: return location for a #GError
 *
 * Returns: %TRUE when @duration is within what GetSessionToken accepts.
 */
gboolean
profile_check_duration (guint64 duration, GError **error)
{
  if (duration >= PROFILE_DURATION_MIN && duration <= PROFILE_DURATION_MAX)
    return TRUE;

  g_set_error (error, PROFILE_ERROR, PROFILE_ERROR_INVALID_DURATION,
               _ ("The duration must be between %d and %d seconds (15 minutes "
                  "to 36 hours; 3600 at most for the root user)"),
               PROFILE_DURATION_MIN, PROFILE_DURATION_MAX);
  return FALSE;
}

/**
 * profile_parse_duration:
 * @text: a duration in seconds as text
 * @duration: (out): the parsed duration
 * @error: return location for a #GError
 *
 * Returns: %TRUE when @text is a whole number of seconds in range.
 */
gboolean
profile_parse_duration (const char *text, guint *duration, GError **error)
{
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &value, NULL)) {
    g_set_error (error, PROFILE_ERROR, PROFILE_ERROR_INVALID_DURATION,
                 _ ("“%s” is not a duration: give a whole number of seconds "
                    "between %d and %d"),
                 text, PROFILE_DURATION_MIN, PROFILE_DURATION_MAX);
    return FALSE;
  }
  if (!profile_check_duration (value, error))
    return FALSE;

  *duration = (guint) value;
  return TRUE;
}

static gboolean
resolve_duration (const ProfileOverrides *overrides, Profile *profile,
                  GError **error)
{
  const char *text = env ("STS_DURATION");

  if (overrides->duration != 0) {
    if (!profile_check_duration (overrides->duration, error))
      return FALSE;
    profile->duration = overrides->duration;
    profile->duration_source = PROFILE_DURATION_FROM_FLAG;
    return TRUE;
  }
  if (text == NULL) {
    profile->duration = PROFILE_DURATION_SEED_DEFAULT;
    profile->duration_source = PROFILE_DURATION_FROM_SEED_DEFAULT;
    return TRUE;
  }
  profile->duration_source = PROFILE_DURATION_FROM_ENV;
  if (!profile_parse_duration (text, &profile->duration, error)) {
    g_prefix_error (error, _ ("STS_DURATION: "));
    return FALSE;
  }

  return TRUE;
}

/* AWS's SerialNumber: 9..256 characters of [\w+=/:,.@-]. */
static gboolean
serial_is_valid (const char *serial)
{
  gsize len = strlen (serial);

  if (len < 9 || len > 256)
    return FALSE;
  for (const char *p = serial; *p; p++) {
    if (!g_ascii_isalnum (*p) && strchr ("_+=/:,.@-", *p) == NULL)
      return FALSE;
  }

  return TRUE;
}

static gboolean
account_is_valid (const char *account)
{
  if (strlen (account) != 12)
    return FALSE;
  for (const char *p = account; *p; p++) {
    if (!g_ascii_isdigit (*p))
      return FALSE;
  }

  return TRUE;
}

static gboolean
resolve_device_arn (Profile *profile, const char *account, const char *device,
                    GError **error)
{
  const char *partition = aws_endpoint_partition_for_region (profile->region);

  /* Checking or clearing a session needs no device: a missing account
   * number is reported by profile_require_device() when a code is due. */
  profile->device_name = g_strdup (device);
  if (account == NULL)
    return TRUE;
  if (!account_is_valid (account)) {
    g_set_error (error, PROFILE_ERROR, PROFILE_ERROR_INVALID_ACCOUNT,
                 _ ("“%s” is not an AWS account number: it has twelve digits "
                    "(check AWS_ACT_NUM or --aws-act-num)"),
                 account);
    return FALSE;
  }

  profile->mfa_serial =
    g_strdup_printf ("arn:%s:iam::%s:mfa/%s", partition, account, device);
  return TRUE;
}

static gboolean
resolve_device (Profile *profile, const ProfileOverrides *overrides,
                GError **error)
{
  const char *account = FIRST_SET (overrides->account, env ("AWS_ACT_NUM"));
  const char *device =
    FIRST_SET (overrides->device_name, env ("MFA_DEVICE_NAME"),
               env ("MFA_USER"), env ("USER"));

  /* Like a missing account number, a missing device only matters once a
   * code is due: profile_require_device() says so then. */
  if (device == NULL)
    return TRUE;

  if (g_str_has_prefix (device, "arn:")) {
    const char *slash = strrchr (device, '/');

    profile->mfa_serial = g_strdup (device);
    profile->device_name = g_strdup (slash ? slash + 1 : device);
  } else if (!resolve_device_arn (profile, account, device, error)) {
    return FALSE;
  }

  if (profile->mfa_serial != NULL && !serial_is_valid (profile->mfa_serial)) {
    g_set_error (error, PROFILE_ERROR, PROFILE_ERROR_INVALID_SERIAL,
                 _ ("“%s” is not a valid MFA device serial: check "
                    "MFA_DEVICE_NAME, MFA_USER or --mfa-device-name"),
                 profile->mfa_serial);
    return FALSE;
  }

  return TRUE;
}

static gboolean
name_is_valid (const char *name)
{
  if (*name == '\0' || strlen (name) > 128)
    return FALSE;
  for (const char *p = name; *p; p++) {
    if (g_ascii_iscntrl (*p) || *p == '[' || *p == ']')
      return FALSE;
  }

  return !g_ascii_isspace (name[0])
         && !g_ascii_isspace (name[strlen (name) - 1]);
}

static gboolean
resolve_boto_config (Profile *profile, const char *name, GError **error)
{
  const char *path = env ("BOTO_CONFIG");
  const char *home = g_get_home_dir ();

  if (path != NULL) {
    profile->boto_config_path = g_strdup (path);
  } else if (home != NULL && *home != '\0') {
    profile->boto_config_path = g_build_filename (home, ".boto", NULL);
  } else {
    g_set_error_literal (error, PROFILE_ERROR, PROFILE_ERROR_NO_HOME,
                         _ ("botomfa cannot find the boto config: set "
                            "BOTO_CONFIG or HOME"));
    return FALSE;
  }

  path = env ("AWS_SHARED_CREDENTIALS_FILE");
  if (path != NULL)
    profile->aws_credentials_path = g_strdup (path);
  else if (home != NULL && *home != '\0')
    profile->aws_credentials_path =
      g_build_filename (home, ".aws", "credentials", NULL);

  if (name == NULL) {
    profile->long_term_section = g_strdup ("long-term");
    profile->credentials_section = g_strdup ("Credentials");
  } else {
    profile->long_term_section = g_strconcat (name, "-long-term", NULL);
    profile->credentials_section = g_strdup (name);
  }

  return TRUE;
}

static void
resolve_region (Profile *profile)
{
  const char *endpoints = env ("AWS_STS_REGIONAL_ENDPOINTS");

  profile->region =
    g_strdup (FIRST_SET (env ("AWS_REGION"), env ("AWS_DEFAULT_REGION")));
  profile->legacy_global = g_strcmp0 (endpoints, "legacy") == 0;
}

/**
 * profile_resolve_seed:
 * @overrides: what the command line says
 * @error: return location for a #GError
 *
 * Resolves a profile the way the original botomfa did: the boto config
 * (BOTO_CONFIG or ~/.boto) with `[long-term]` and `[Credentials]` (or
 * `[NAME-long-term]` and `[NAME]`), the MFA device from AWS_ACT_NUM and
 * MFA_DEVICE_NAME / MFA_USER / USER, the duration from STS_DURATION or 900
 * seconds; @overrides win. Reads only the environment; does not block.
 *
 * Returns: (transfer full): the profile, or %NULL with @error set
 */
Profile *
profile_resolve_seed (const ProfileOverrides *overrides, GError **error)
{
  g_autoptr (Profile) profile = g_new0 (Profile, 1);
  const char *boto_name = overrides->name;

  g_return_val_if_fail (overrides != NULL, NULL);

  if (overrides->name != NULL && !name_is_valid (overrides->name)) {
    g_set_error (error, PROFILE_ERROR, PROFILE_ERROR_INVALID_NAME,
                 _ ("“%s” cannot be a profile name: it may not be empty, "
                    "contain brackets or control characters, or start or end "
                    "with a space"),
                 overrides->name);
    return NULL;
  }
  if (overrides->role_arn != NULL
      && !g_str_has_prefix (overrides->role_arn, "arn:")) {
    g_set_error (error, PROFILE_ERROR, PROFILE_ERROR_INVALID_ROLE,
                 _ ("“%s” is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)"),
                 overrides->role_arn);
    return NULL;
  }

  profile->name = g_strdup (overrides->name ? overrides->name : "default");
  /* The default profile's boto sections are the original's, however it
   * was named. */
  if (g_strcmp0 (overrides->name, "default") == 0)
    boto_name = NULL;
  profile->key_profile = g_strdup (profile->name);
  profile->role_arn = g_strdup (overrides->role_arn);
  profile->targets = PROFILE_TARGET_BOTO;
  profile->notify_before = 600;
  resolve_region (profile);
  if (!resolve_duration (overrides, profile, error)
      || !resolve_device (profile, overrides, error)
      || !resolve_boto_config (profile, boto_name, error))
    return NULL;

  return g_steal_pointer (&profile);
}

/**
 * profile_require_device:
 * @profile: a #Profile
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the profile names its MFA device completely; else
 * says what to set (the device's name, or the account number).
 */
gboolean
profile_require_device (const Profile *profile, GError **error)
{
  if (profile->mfa_serial != NULL)
    return TRUE;

  if (profile->device_name == NULL) {
    g_set_error_literal (error, PROFILE_ERROR, PROFILE_ERROR_NO_DEVICE,
                         _ ("botomfa cannot tell which MFA device to use: set "
                            "MFA_DEVICE_NAME or pass --mfa-device-name"));
    return FALSE;
  }

  g_set_error_literal (error, PROFILE_ERROR, PROFILE_ERROR_NO_ACCOUNT,
                       _ ("botomfa needs your AWS account number to name the "
                          "MFA device: set AWS_ACT_NUM or pass --aws-act-num "
                          "(or set MFA_DEVICE_NAME to the device's full ARN)"));
  return FALSE;
}

/**
 * profile_role_session_name:
 * @profile: a #Profile
 *
 * Returns: (transfer full): an AssumeRole session name that says who and
 * what made the session: "botomfa-DEVICE", restricted to [\w+=,.@-] and
 * 64 characters.
 */
char *
profile_role_session_name (const Profile *profile)
{
  GString *name = g_string_new ("botomfa-");

  for (const char *p = profile->device_name ? profile->device_name : "";
       *p && name->len < 64; p++) {
    if (g_ascii_isalnum (*p) || strchr ("_+=,.@-", *p) != NULL)
      g_string_append_c (name, *p);
    else
      g_string_append_c (name, '-');
  }

  return g_string_free (name, FALSE);
}

void
profile_free (Profile *profile)
{
  if (profile == NULL)
    return;

  g_free (profile->name);
  g_free (profile->mfa_serial);
  g_free (profile->device_name);
  g_free (profile->role_arn);
  g_free (profile->region);
  g_free (profile->boto_config_path);
  g_free (profile->long_term_section);
  g_free (profile->credentials_section);
  g_free (profile->aws_credentials_path);
  g_free (profile->aws_config_path);
  g_free (profile->key_profile);
  g_free (profile->targets_reason);
  g_free (profile->mfa_process);
  g_free (profile);
}

/* Profiles of the AWS CLI and SDKs: ~/.aws/config, ~/.aws/credentials and
 * botomfa's own settings, layered under the seed's variables and flags. */

static gboolean
boto_config_has (const Profile *profile)
{
  g_autoptr (IniFile) ini =
    ini_store_load (profile->boto_config_path, NULL, NULL);

  return ini != NULL
         && (ini_file_has_section (ini, profile->long_term_section)
             || ini_file_has_section (ini, profile->credentials_section));
}

/* How strongly the AWS files say the profile is an MFA profile of theirs:
 * 2 for an mfa_serial, a role, a [NAME-long-term] or a session in [NAME];
 * 1 for a profile they merely know; 0 for none. */
static int
aws_evidence (const Profile *profile, const AwsConfigProfile *aws,
              GError **error)
{
  g_autofree char *long_term = g_strconcat (profile->name, "-long-term", NULL);
  g_auto (GStrv) sections = NULL;
  g_autoptr (Credentials) stored = NULL;

  if (aws != NULL && (aws->mfa_serial != NULL || aws->role_arn != NULL))
    return 2;
  if (profile->aws_credentials_path == NULL)
    return aws != NULL ? 1 : 0;

  sections =
    aws_config_credentials_sections (profile->aws_credentials_path, error);
  if (sections == NULL)
    return -1;
  if (g_strv_contains ((const char *const *) sections, long_term))
    return 2;
  if (!g_strv_contains ((const char *const *) sections, profile->name))
    return aws != NULL ? 1 : 0;

  stored =
    credential_file_read (profile->aws_credentials_path, profile->name, NULL);
  return stored != NULL && credentials_is_temporary (stored) ? 2 : 1;
}

static gboolean
device_from_seed (const ProfileOverrides *overrides)
{
  return overrides->device_name != NULL || overrides->account != NULL
         || env ("MFA_DEVICE_NAME") != NULL || env ("MFA_USER") != NULL;
}

static void
set_serial (Profile *profile, const char *serial)
{
  const char *slash = strrchr (serial, '/');

  g_free (profile->mfa_serial);
  g_free (profile->device_name);
  profile->mfa_serial = g_strdup (serial);
  profile->device_name = g_strdup (slash ? slash + 1 : serial);
}

static void
apply_aws (Profile *profile, const ProfileOverrides *overrides,
           const AwsConfigProfile *aws, const ProfileSettings *settings)
{
  gboolean seed_device = device_from_seed (overrides);

  if (!seed_device && aws != NULL && aws->mfa_serial != NULL)
    set_serial (profile, aws->mfa_serial);
  else if (!seed_device && settings != NULL && settings->mfa_serial != NULL)
    set_serial (profile, settings->mfa_serial);

  /* The flag and STS_DURATION were applied by profile_resolve_seed(). */
  if (profile->duration_source == PROFILE_DURATION_FROM_SEED_DEFAULT) {
    if (settings != NULL && settings->duration != 0) {
      profile->duration = settings->duration;
      profile->duration_source = PROFILE_DURATION_FROM_SETTINGS;
    } else if (aws != NULL && aws->duration_seconds != 0) {
      profile->duration = aws->duration_seconds;
      profile->duration_source = PROFILE_DURATION_FROM_AWS_CONFIG;
    } else if (profile->in_aws_files && !profile->in_boto_config) {
      profile->duration = PROFILE_DURATION_AWS_DEFAULT;
      profile->duration_source = PROFILE_DURATION_FROM_AWS_DEFAULT;
    }
  }

  if (aws == NULL)
    return;
  if (overrides->role_arn == NULL && aws->role_arn != NULL)
    profile->role_arn = g_strdup (aws->role_arn);
  if (profile->region == NULL)
    profile->region = g_strdup (aws->region);
  if (env ("AWS_STS_REGIONAL_ENDPOINTS") == NULL)
    profile->legacy_global = aws->sts_legacy_endpoint;
  if (profile->role_arn != NULL && aws->source_profile != NULL) {
    g_free (profile->key_profile);
    profile->key_profile = g_strdup (aws->source_profile);
  }
}

static void
choose_targets (Profile *profile, int evidence, const ProfileSettings *settings,
                const char *settings_path)
{
  ProfileTargets targets = 0;
  const char *reason;

  if (settings != NULL && settings->targets != 0) {
    profile->targets = settings->targets;
    profile->targets_reason = g_strdup_printf (_ ("set in %s"), settings_path);
    return;
  }

  if (profile->in_boto_config)
    targets |= PROFILE_TARGET_BOTO;
  if (evidence == 2 || (evidence == 1 && !profile->in_boto_config))
    targets |= PROFILE_TARGET_AWS_CREDENTIALS;

  if (targets == (PROFILE_TARGET_BOTO | PROFILE_TARGET_AWS_CREDENTIALS))
    reason = _ ("both the boto config and the AWS files have the profile");
  else if (targets == PROFILE_TARGET_AWS_CREDENTIALS)
    reason = _ ("the AWS files have the profile");
  else if (profile->in_boto_config)
    reason = _ ("the boto config has the profile's sections");
  else
    reason = _ ("no file has the profile yet: the original botomfa's place");

  profile->targets = targets ? targets : PROFILE_TARGET_BOTO;
  profile->targets_reason = g_strdup (reason);
}

static gboolean
load_aws_world (Profile *profile, GPtrArray **aws_profiles,
                GPtrArray **settings, char **settings_path, GError **error)
{
  profile->aws_config_path = aws_config_path ();
  *settings_path = profile_settings_path ();
  *aws_profiles = aws_config_load (profile->aws_config_path, error);
  if (*aws_profiles == NULL)
    return FALSE;

  *settings = profile_settings_load (*settings_path, error);
  return *settings != NULL;
}

/**
 * profile_resolve:
 * @overrides: what the command line says
 * @error: return location for a #GError
 *
 * Resolves a profile from every place botomfa understands: the seed's
 * variables and flags (profile_resolve_seed()) on top, then ~/.aws/config
 * (`[default]`, `[profile NAME]`: mfa_serial, duration_seconds, role_arn,
 * source_profile, region, sts_regional_endpoints), then botomfa's own
 * settings; botomfa's own `duration` goes before `duration_seconds`. The name
 * is --profile, else AWS_PROFILE, else "default". Blocks on file I/O.
 *
 * Returns: (transfer full): the profile, or %NULL with @error set
 */
Profile *
profile_resolve (const ProfileOverrides *overrides, GError **error)
{
  ProfileOverrides named = *overrides;
  g_autoptr (Profile) profile = NULL;
  g_autoptr (GPtrArray) aws_profiles = NULL;
  g_autoptr (GPtrArray) settings = NULL;
  g_autofree char *settings_path = NULL;
  const AwsConfigProfile *aws;
  const ProfileSettings *own;
  int evidence;

  if (named.name == NULL)
    named.name = env ("AWS_PROFILE");
  profile = profile_resolve_seed (&named, error);
  if (profile == NULL
      || !load_aws_world (profile, &aws_profiles, &settings, &settings_path,
                          error))
    return NULL;

  aws = aws_config_find (aws_profiles, profile->name);
  own = profile_settings_find (settings, profile->name);
  profile->in_boto_config = boto_config_has (profile);
  evidence = aws_evidence (profile, aws, error);
  if (evidence < 0)
    return NULL;

  profile->in_aws_files = evidence > 0;
  apply_aws (profile, &named, aws, own);
  if (own != NULL) {
    profile->mfa_process = g_strdup (own->mfa_process);
    profile->notify_before = own->notify_before;
  }
  choose_targets (profile, evidence, own, settings_path);

  return g_steal_pointer (&profile);
}

/**
 * profile_boto_shadowed:
 * @profile: a resolved profile
 *
 * boto 2 reads `[default]` of ~/.aws/credentials before the boto config's
 * `[Credentials]`. Blocks on file I/O.
 *
 * Returns: %TRUE when that `[default]` exists and hides the session
 * botomfa writes to the boto config
 */
gboolean
profile_boto_shadowed (const Profile *profile)
{
  g_auto (GStrv) sections = NULL;

  if (!(profile->targets & PROFILE_TARGET_BOTO)
      || (profile->targets & PROFILE_TARGET_AWS_CREDENTIALS)
      || g_strcmp0 (profile->credentials_section, "Credentials") != 0
      || profile->aws_credentials_path == NULL)
    return FALSE;

  sections =
    aws_config_credentials_sections (profile->aws_credentials_path, NULL);
  return sections != NULL
         && g_strv_contains ((const char *const *) sections, "default");
}

static void
add_name (GPtrArray *names, const char *name)
{
  if (name != NULL
      && !g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
    g_ptr_array_add (names, g_strdup (name));
}

/**
 * profile_list_names:
 * @more: (nullable): a set whose keys are further profile names (for
 *   example the profiles the keyring holds a key for)
 * @error: return location for an error
 *
 * Lists every profile botomfa knows: "default" first, then the profiles of
 * ~/.aws/config, the sections of ~/.aws/credentials that are not a
 * "-long-term" key, then the keys of @more; each once. Reads files: blocks.
 *
 * Returns: (transfer full) (element-type utf8): the names, or %NULL when a
 *   file cannot be read
 */
GPtrArray *
profile_list_names (GHashTable *more, GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *config_path = aws_config_path ();
  g_autofree char *credentials_path = aws_config_credentials_path ();
  g_autoptr (GPtrArray) profiles = aws_config_load (config_path, error);
  g_auto (GStrv) sections = NULL;
  GHashTableIter iter;
  gpointer name;

  if (profiles == NULL)
    return NULL;
  sections = aws_config_credentials_sections (credentials_path, error);
  if (sections == NULL)
    return NULL;
  add_name (names, "default");
  for (guint i = 0; i < profiles->len; i++)
    add_name (names, ((AwsConfigProfile *) profiles->pdata[i])->name);
  for (char **s = sections; *s; s++) {
    if (!g_str_has_suffix (*s, "-long-term"))
      add_name (names, *s);
  }
  if (more == NULL)
    return g_steal_pointer (&names);
  g_hash_table_iter_init (&iter, more);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    add_name (names, name);

  return g_steal_pointer (&names);
}
