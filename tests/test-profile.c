/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#include "profile.h"
#include "test-util.h"

static const char *const variables[] = {
  "AWS_ACT_NUM", "MFA_DEVICE_NAME",    "MFA_USER",
  "USER",        "STS_DURATION",       "BOTO_CONFIG",
  "AWS_REGION",  "AWS_DEFAULT_REGION", "AWS_STS_REGIONAL_ENDPOINTS",
};

static void
clear_env (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (variables); i++)
    g_unsetenv (variables[i]);
}

static Profile *
resolve (const ProfileOverrides *overrides, GError **error)
{
  static const ProfileOverrides none = { 0 };

  return profile_resolve_seed (overrides ? overrides : &none, error);
}

static void
test_seed_defaults (void)
{
  g_autoptr (Profile) profile = NULL;
  g_autoptr (GError) error = NULL;

  clear_env ();
  g_setenv ("AWS_ACT_NUM", "123456789012", TRUE);
  g_setenv ("USER", "person", TRUE);
  g_setenv ("HOME", "/home/person", TRUE);
  profile = resolve (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (profile->name, ==, "default");
  g_assert_cmpstr (profile->mfa_serial, ==,
                   "arn:aws:iam::123456789012:mfa/person");
  g_assert_cmpstr (profile->device_name, ==, "person");
  g_assert_cmpuint (profile->duration, ==, 900);
  g_assert_cmpstr (profile->long_term_section, ==, "long-term");
  g_assert_cmpstr (profile->credentials_section, ==, "Credentials");
  g_assert_null (profile->role_arn);
  g_assert_null (profile->region);
}

/* MFA_DEVICE_NAME, then MFA_USER, then USER; the flag above all. */
static void
test_device_precedence (void)
{
  ProfileOverrides flag = { .device_name = "from-flag" };
  g_autoptr (Profile) a = NULL;
  g_autoptr (Profile) b = NULL;
  g_autoptr (Profile) c = NULL;

  clear_env ();
  g_setenv ("AWS_ACT_NUM", "123456789012", TRUE);
  g_setenv ("USER", "from-user", TRUE);
  g_setenv ("MFA_USER", "from-mfa-user", TRUE);
  a = resolve (NULL, NULL);
  g_assert_cmpstr (a->device_name, ==, "from-mfa-user");
  g_setenv ("MFA_DEVICE_NAME", "from-device-name", TRUE);
  b = resolve (NULL, NULL);
  g_assert_cmpstr (b->device_name, ==, "from-device-name");
  c = resolve (&flag, NULL);
  g_assert_cmpstr (c->mfa_serial, ==,
                   "arn:aws:iam::123456789012:mfa/from-flag");
}

static void
test_profile_sections_and_env (void)
{
  ProfileOverrides overrides = { .name = "work",
                                 .account = "210987654321",
                                 .duration = 3600 };
  g_autoptr (Profile) profile = NULL;
  g_autoptr (GError) error = NULL;

  clear_env ();
  g_setenv ("USER", "person", TRUE);
  g_setenv ("AWS_ACT_NUM", "123456789012", TRUE);
  g_setenv ("STS_DURATION", "7200", TRUE);
  g_setenv ("BOTO_CONFIG", "/tmp/boto.cfg", TRUE);
  g_setenv ("AWS_REGION", "cn-north-1", TRUE);
  profile = resolve (&overrides, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (profile->long_term_section, ==, "work-long-term");
  g_assert_cmpstr (profile->credentials_section, ==, "work");
  g_assert_cmpstr (profile->boto_config_path, ==, "/tmp/boto.cfg");
  g_assert_cmpuint (profile->duration, ==, 3600);
  g_assert_cmpstr (profile->mfa_serial, ==,
                   "arn:aws-cn:iam::210987654321:mfa/person");
}

static void
test_duration_from_env (void)
{
  g_autoptr (Profile) profile = NULL;
  g_autoptr (GError) error = NULL;

  clear_env ();
  g_setenv ("USER", "person", TRUE);
  g_setenv ("STS_DURATION", "129600", TRUE);
  profile = resolve (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profile->duration, ==, 129600);
}

static void
test_invalid_inputs (void)
{
  struct {
    const char *variable;
    const char *value;
    int code;
  } cases[] = {
    { "STS_DURATION", "899", PROFILE_ERROR_INVALID_DURATION },
    { "STS_DURATION", "129601", PROFILE_ERROR_INVALID_DURATION },
    { "STS_DURATION", "15m", PROFILE_ERROR_INVALID_DURATION },
    { "STS_DURATION", "-900", PROFILE_ERROR_INVALID_DURATION },
    { "AWS_ACT_NUM", "12345", PROFILE_ERROR_INVALID_ACCOUNT },
    { "AWS_ACT_NUM", "12345678901x", PROFILE_ERROR_INVALID_ACCOUNT },
    { "MFA_DEVICE_NAME", "bad name!", PROFILE_ERROR_INVALID_SERIAL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GError) error = NULL;

    clear_env ();
    g_setenv ("USER", "person", TRUE);
    g_setenv ("AWS_ACT_NUM", "123456789012", TRUE);
    g_setenv (cases[i].variable, cases[i].value, TRUE);
    g_assert_null (resolve (NULL, &error));
    g_assert_error (error, PROFILE_ERROR, cases[i].code);
  }
}

static void
test_account_needed_only_for_a_code (void)
{
  g_autoptr (Profile) profile = NULL;
  g_autoptr (Profile) with_arn = NULL;
  g_autoptr (GError) error = NULL;

  clear_env ();
  g_setenv ("USER", "person", TRUE);
  profile = resolve (NULL, &error);
  g_assert_no_error (error);
  g_assert_null (profile->mfa_serial);
  g_assert_false (profile_require_device (profile, &error));
  g_assert_error (error, PROFILE_ERROR, PROFILE_ERROR_NO_ACCOUNT);

  g_setenv ("MFA_DEVICE_NAME", "arn:aws:iam::123456789012:mfa/my-phone", TRUE);
  with_arn = resolve (NULL, NULL);
  g_assert_cmpstr (with_arn->device_name, ==, "my-phone");
  g_assert_true (profile_require_device (with_arn, NULL));
}

static void
test_device_needed_only_for_a_code (void)
{
  g_autoptr (Profile) profile = NULL;
  g_autoptr (GError) error = NULL;

  clear_env ();
  g_setenv ("AWS_ACT_NUM", "123456789012", TRUE);
  profile = resolve (NULL, &error);
  g_assert_no_error (error);
  g_assert_null (profile->device_name);
  g_assert_false (profile_require_device (profile, &error));
  g_assert_error (error, PROFILE_ERROR, PROFILE_ERROR_NO_DEVICE);
}

static void
test_role_session_name (void)
{
  ProfileOverrides overrides = {
    .role_arn = "arn:aws:iam::123456789012:role/admin",
    .device_name = "jane doe/phone#1",
  };
  g_autoptr (Profile) profile = NULL;
  g_autofree char *name = NULL;

  clear_env ();
  g_setenv ("AWS_ACT_NUM", "123456789012", TRUE);
  profile = resolve (&overrides, NULL);
  /* The device name is invalid as a serial; resolution must refuse it. */
  g_assert_null (profile);

  overrides.device_name = "jane.doe@example.com";
  profile = resolve (&overrides, NULL);
  g_assert_nonnull (profile);
  name = profile_role_session_name (profile);
  g_assert_cmpstr (name, ==, "botomfa-jane.doe@example.com");
}

static char **
list_names (GHashTable *more, GError **error)
{
  g_autoptr (GPtrArray) names = profile_list_names (more, error);

  if (names == NULL)
    return NULL;
  g_ptr_array_add (names, NULL);

  return (char **) g_ptr_array_steal (names, NULL);
}

/* "default" first, then ~/.aws/config, then ~/.aws/credentials without
 * the long-term sections, then the extra names; each name once. */
static void
test_list_names (void)
{
  g_autofree char *dir = test_util_scratch_dir ("profile-names");
  g_autofree char *config = g_build_filename (dir, "config", NULL);
  g_autofree char *credentials = g_build_filename (dir, "credentials", NULL);
  g_autoptr (GHashTable) more = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) names = NULL;

  test_util_write_file (config,
                        "[profile work]\nregion = eu-west-1\n"
                        "[default]\n[profile lab]\n[sso-session corp]\n",
                        -1);
  test_util_write_file (credentials,
                        "[ci]\n[ci-long-term]\n[work]\n[default]\n", -1);
  g_setenv ("AWS_CONFIG_FILE", config, TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", credentials, TRUE);
  g_hash_table_add (more, "lab");
  g_hash_table_add (more, "keyring-only");

  names = list_names (more, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (names,
                    ((const char *const[]){ "default", "work", "lab", "ci",
                                            "keyring-only", NULL }));
  g_clear_pointer (&names, g_strfreev);

  /* No files at all: still "default". */
  g_setenv ("AWS_CONFIG_FILE", "/nonexistent/config", TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", TRUE);
  names = list_names (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (names, ((const char *const[]){ "default", NULL }));
  g_clear_pointer (&names, g_strfreev);

  /* A config that cannot be read is an error, not an empty list. */
  g_setenv ("AWS_CONFIG_FILE", dir, TRUE);
  names = list_names (NULL, &error);
  g_assert_null (names);
  g_assert_nonnull (error);

  g_unsetenv ("AWS_CONFIG_FILE");
  g_unsetenv ("AWS_SHARED_CREDENTIALS_FILE");
  test_util_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/profile/seed-defaults", test_seed_defaults);
  g_test_add_func ("/profile/device-precedence", test_device_precedence);
  g_test_add_func ("/profile/sections-and-env", test_profile_sections_and_env);
  g_test_add_func ("/profile/duration-from-env", test_duration_from_env);
  g_test_add_func ("/profile/invalid-inputs", test_invalid_inputs);
  g_test_add_func ("/profile/account-needed-only-for-a-code",
                   test_account_needed_only_for_a_code);
  g_test_add_func ("/profile/device-needed-only-for-a-code",
                   test_device_needed_only_for_a_code);
  g_test_add_func ("/profile/role-session-name", test_role_session_name);
  g_test_add_func ("/profile/list-names", test_list_names);
  return g_test_run ();
}
