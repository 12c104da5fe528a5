/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* profile_resolve(): the seed's variables over ~/.aws/config over
 * botomfa's settings, and where each profile's session goes. One scratch
 * directory holds the files; each case writes them anew. */

#include "profile.h"

#include <string.h>

#include <glib/gstdio.h>

static char *scratch;

typedef struct {
  const char *what;
  const char *name;
  const char *aws_profile;
  const char *boto;
  const char *config;
  const char *credentials;
  const char *settings;
  const char *mfa_user;
  const char *sts_duration;
  /* Expected. */
  ProfileTargets targets;
  guint duration;
  const char *mfa_serial;
  const char *role_arn;
  const char *region;
  const char *key_profile;
  const char *reason_part;
  /* Given last, so that most cases need not: --duration, and where the
   * duration is expected to come from. */
  guint flag_duration;
  ProfileDurationSource duration_source;
} Case;

#define ALICE "arn:aws:iam::123456789012:mfa/alice"
#define PERSON "arn:aws:iam::123456789012:mfa/person"
#define BOTO_ORIGINAL "[long-term]\naws_access_key_id = AKIAX\n[Credentials]\n"
#define BOTH (PROFILE_TARGET_BOTO | PROFILE_TARGET_AWS_CREDENTIALS)

static const Case cases[] = {
  { "the original setup", NULL, NULL, BOTO_ORIGINAL, NULL, NULL, NULL, NULL,
    NULL, PROFILE_TARGET_BOTO, 900, PERSON, NULL, NULL, "default",
    "boto config", 0, PROFILE_DURATION_FROM_SEED_DEFAULT },
  { "an AWS profile", "work", NULL, NULL,
    "[profile work]\nmfa_serial = " ALICE "\nregion = eu-west-1\n", NULL, NULL,
    NULL, NULL, PROFILE_TARGET_AWS_CREDENTIALS, 43200, ALICE, NULL, "eu-west-1",
    "work", "AWS files", 0, PROFILE_DURATION_FROM_AWS_DEFAULT },
  { "AWS_PROFILE selects it", NULL, "work", NULL,
    "[profile work]\nmfa_serial = " ALICE "\n", NULL, NULL, NULL, NULL,
    PROFILE_TARGET_AWS_CREDENTIALS, 43200, ALICE, NULL, NULL, "work",
    "AWS files", 0, PROFILE_DURATION_FROM_AWS_DEFAULT },
  { "both worlds know it", "work", NULL, "[work-long-term]\n",
    "[profile work]\nmfa_serial = " ALICE "\n", NULL, NULL, NULL, NULL, BOTH,
    900, ALICE, NULL, NULL, "work", "both", 0,
    PROFILE_DURATION_FROM_SEED_DEFAULT },
  { "duration_seconds", "work", NULL, NULL,
    "[profile work]\nmfa_serial = " ALICE "\nduration_seconds = 3600\n", NULL,
    NULL, NULL, NULL, PROFILE_TARGET_AWS_CREDENTIALS, 3600, ALICE, NULL, NULL,
    "work", NULL, 0, PROFILE_DURATION_FROM_AWS_CONFIG },
  { "STS_DURATION wins over the file", "work", NULL, NULL,
    "[profile work]\nmfa_serial = " ALICE "\nduration_seconds = 3600\n", NULL,
    NULL, NULL, "7200", PROFILE_TARGET_AWS_CREDENTIALS, 7200, ALICE, NULL, NULL,
    "work", NULL, 0, PROFILE_DURATION_FROM_ENV },
  { "MFA_USER wins over mfa_serial", "work", NULL, NULL,
    "[profile work]\nmfa_serial = " ALICE "\n", NULL, NULL, "person", NULL,
    PROFILE_TARGET_AWS_CREDENTIALS, 43200, PERSON, NULL, NULL, "work", NULL, 0,
    PROFILE_DURATION_FROM_AWS_DEFAULT },
  { "a role signs with its source profile's key", "admin", NULL, NULL,
    "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\n"
    "source_profile = work\nmfa_serial = " ALICE "\n",
    NULL, NULL, NULL, NULL, PROFILE_TARGET_AWS_CREDENTIALS, 43200, ALICE,
    "arn:aws:iam::123456789012:role/admin", NULL, "work", NULL, 0,
    PROFILE_DURATION_FROM_AWS_DEFAULT },
  { "botomfa's settings choose the targets", "work", NULL, NULL,
    "[profile work]\nmfa_serial = " ALICE "\n", NULL,
    "[work]\ntargets = boto\n", NULL, NULL, PROFILE_TARGET_BOTO, 43200, ALICE,
    NULL, NULL, "work", "profiles.ini", 0, PROFILE_DURATION_FROM_AWS_DEFAULT },
  { "a saved device from discovery", "work", NULL, NULL, "[profile work]\n",
    NULL, "[work]\nmfa_serial = " ALICE "\n", NULL, NULL,
    PROFILE_TARGET_AWS_CREDENTIALS, 43200, ALICE, NULL, NULL, "work", NULL, 0,
    PROFILE_DURATION_FROM_AWS_DEFAULT },
  { "an AWS [default] key does not move the original's session", NULL, NULL,
    BOTO_ORIGINAL, NULL,
    "[default]\naws_access_key_id = AKIAY\naws_secret_access_key = s\n", NULL,
    NULL, NULL, PROFILE_TARGET_BOTO, 900, PERSON, NULL, NULL, "default",
    "boto config", 0, PROFILE_DURATION_FROM_SEED_DEFAULT },
  { "[NAME-long-term] in the credentials file", "work", NULL, NULL, NULL,
    "[work-long-term]\naws_access_key_id = AKIAY\n", NULL, NULL, NULL,
    PROFILE_TARGET_AWS_CREDENTIALS, 43200, PERSON, NULL, NULL, "work",
    "AWS files", 0, PROFILE_DURATION_FROM_AWS_DEFAULT },
  { "nobody knows it yet", "fresh", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    PROFILE_TARGET_BOTO, 900, PERSON, NULL, NULL, "fresh", "original", 0,
    PROFILE_DURATION_FROM_SEED_DEFAULT },
  { "botomfa's duration goes before duration_seconds", "work", NULL, NULL,
    "[profile work]\nmfa_serial = " ALICE "\nduration_seconds = 3600\n", NULL,
    "[work]\nduration = 7200\n", NULL, NULL, PROFILE_TARGET_AWS_CREDENTIALS,
    7200, ALICE, NULL, NULL, "work", NULL, 0, PROFILE_DURATION_FROM_SETTINGS },
  { "STS_DURATION goes before botomfa's duration", "work", NULL, NULL,
    "[profile work]\nmfa_serial = " ALICE "\n", NULL,
    "[work]\nduration = 7200\n", NULL, "1800", PROFILE_TARGET_AWS_CREDENTIALS,
    1800, ALICE, NULL, NULL, "work", NULL, 0, PROFILE_DURATION_FROM_ENV },
  { "--duration goes before everything", "work", NULL, NULL,
    "[profile work]\nmfa_serial = " ALICE "\nduration_seconds = 3600\n", NULL,
    "[work]\nduration = 7200\n", NULL, "1800", PROFILE_TARGET_AWS_CREDENTIALS,
    5400, ALICE, NULL, NULL, "work", NULL, 5400, PROFILE_DURATION_FROM_FLAG },
  { "botomfa's duration in the original setup", NULL, NULL, BOTO_ORIGINAL, NULL,
    NULL, "[default]\nduration = 3600\n", NULL, NULL, PROFILE_TARGET_BOTO, 3600,
    PERSON, NULL, NULL, "default", "boto config", 0,
    PROFILE_DURATION_FROM_SETTINGS },
};

static void
put (const char *name, const char *contents)
{
  g_autofree char *path = g_build_filename (scratch, name, NULL);

  if (contents == NULL) {
    g_remove (path);
    return;
  }
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

static void
set_env (const char *variable, const char *value)
{
  if (value != NULL)
    g_setenv (variable, value, TRUE);
  else
    g_unsetenv (variable);
}

static void
prepare (const Case *c)
{
  put ("boto", c->boto);
  put ("config", c->config);
  put ("credentials", c->credentials);
  put ("botomfa/profiles.ini", c->settings);
  set_env ("AWS_PROFILE", c->aws_profile);
  set_env ("MFA_USER", c->mfa_user);
  set_env ("STS_DURATION", c->sts_duration);
}

static void
test_resolution_table (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    const Case *c = &cases[i];
    ProfileOverrides overrides = { .name = c->name,
                                   .duration = c->flag_duration };
    g_autoptr (Profile) profile = NULL;
    g_autoptr (GError) error = NULL;

    g_test_message ("case: %s", c->what);
    prepare (c);
    profile = profile_resolve (&overrides, &error);
    g_assert_no_error (error);
    g_assert_cmpint (profile->targets, ==, c->targets);
    g_assert_cmpuint (profile->duration, ==, c->duration);
    g_assert_cmpint (profile->duration_source, ==, c->duration_source);
    g_assert_cmpstr (profile->mfa_serial, ==, c->mfa_serial);
    g_assert_cmpstr (profile->role_arn, ==, c->role_arn);
    g_assert_cmpstr (profile->region, ==, c->region);
    g_assert_cmpstr (profile->key_profile, ==, c->key_profile);
    if (c->reason_part != NULL)
      g_assert_nonnull (strstr (profile->targets_reason, c->reason_part));
  }
}

static void
test_invalid_config_is_an_error (void)
{
  static const Case bad = { "bad", "work", NULL, NULL,
                            "[profile work]\nduration_seconds = soon\n" };
  ProfileOverrides overrides = { .name = "work" };
  g_autoptr (GError) error = NULL;

  prepare (&bad);
  g_assert_null (profile_resolve (&overrides, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "duration_seconds"));
}

int
main (int argc, char **argv)
{
  g_autofree char *botomfa_dir = NULL;
  g_autofree char *boto = NULL;
  g_autofree char *config = NULL;
  g_autofree char *credentials = NULL;
  int status;

  /* Before GLib caches the user's directories. */
  scratch = g_dir_make_tmp ("botomfa-profile-XXXXXX", NULL);
  g_setenv ("XDG_CONFIG_HOME", scratch, TRUE);
  g_test_init (&argc, &argv, NULL);

  botomfa_dir = g_build_filename (scratch, "botomfa", NULL);
  g_mkdir (botomfa_dir, 0700);
  boto = g_build_filename (scratch, "boto", NULL);
  config = g_build_filename (scratch, "config", NULL);
  credentials = g_build_filename (scratch, "credentials", NULL);
  g_setenv ("BOTO_CONFIG", boto, TRUE);
  g_setenv ("AWS_CONFIG_FILE", config, TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", credentials, TRUE);
  g_setenv ("AWS_ACT_NUM", "123456789012", TRUE);
  g_setenv ("USER", "person", TRUE);
  g_unsetenv ("MFA_DEVICE_NAME");
  g_unsetenv ("AWS_REGION");
  g_unsetenv ("AWS_DEFAULT_REGION");
  g_unsetenv ("AWS_STS_REGIONAL_ENDPOINTS");

  g_test_add_func ("/profile-resolve/table", test_resolution_table);
  g_test_add_func ("/profile-resolve/invalid-config",
                   test_invalid_config_is_an_error);
  status = g_test_run ();

  g_remove (boto);
  g_remove (config);
  g_remove (credentials);
  return status;
}
