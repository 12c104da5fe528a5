/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#include "profile-settings.h"
#include "ini-file.h"
#include "test-util.h"

#include <string.h>

#define B PROFILE_TARGET_BOTO
#define A PROFILE_TARGET_AWS_CREDENTIALS
#define ARN "arn:aws:iam::111122223333:mfa/alice"

/* The scratch XDG_CONFIG_HOME, set before anything asks GLib for it. */
static char *config_home;

static char *
scratch_file (const char *dir, const char *contents)
{
  return test_util_scratch_file (dir, "profiles.ini", contents, -1);
}

/* ----- Targets ----- */

typedef struct {
  const char *text;
  gboolean ok;
  ProfileTargets targets;
} TargetsCase;

static const TargetsCase targets_cases[] = {
  { "", TRUE, 0 },
  { "   ", TRUE, 0 },
  { "boto", TRUE, B },
  { "aws-credentials", TRUE, A },
  { " boto , aws-credentials ", TRUE, B | A },
  { "aws-credentials,boto", TRUE, B | A },
  { "BOTO", TRUE, B },
  { "boto,boto", TRUE, B },
  { "boto,", FALSE },
  { ",", FALSE },
  { ",boto", FALSE },
  { "s3", FALSE },
  { "boto aws-credentials", FALSE },
  { "boto;aws-credentials", FALSE },
  { "aws_credentials", FALSE },
};

static void
test_targets_parse (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (targets_cases); i++) {
    const TargetsCase *c = &targets_cases[i];
    g_autoptr (GError) error = NULL;
    ProfileTargets targets = 1 << 7;

    g_test_message ("“%s”", c->text);
    g_assert_cmpint (profile_targets_parse (c->text, &targets, &error), ==,
                     c->ok);
    if (c->ok) {
      g_assert_no_error (error);
      g_assert_cmpint (targets, ==, c->targets);
    } else {
      g_assert_error (error, PROFILE_SETTINGS_ERROR,
                      PROFILE_SETTINGS_ERROR_INVALID);
      g_assert_cmpint (targets, ==, 1 << 7);
    }
  }
}

static void
test_targets_to_string (void)
{
  static const struct {
    ProfileTargets targets;
    const char *text;
  } cases[] = {
    { 0, "" },
    { B, "boto" },
    { A, "aws-credentials" },
    { B | A, "boto, aws-credentials" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *text = profile_targets_to_string (cases[i].targets);
    g_autoptr (GError) error = NULL;
    ProfileTargets back = 1 << 7;

    g_assert_cmpstr (text, ==, cases[i].text);
    g_assert_true (profile_targets_parse (text, &back, &error));
    g_assert_no_error (error);
    g_assert_cmpint (back, ==, cases[i].targets);
  }
}

/* ----- Reading ----- */

typedef struct {
  const char *name;
  ProfileTargets targets;
  const char *mfa_process;
  const char *mfa_serial;
  guint notify_before;
  guint duration;
} Expected;

/* tests/fixtures/profile-settings/profiles.ini, read by hand. */
static const Expected fixture_expected[] = {
  { "default", B, NULL, NULL, 300 },
  { "work", B | A, "ykman oath accounts code --single \"AWS work\"", ARN, 600,
    3600 },
  { "yubi", A, "ykman oath accounts code --single yubi", NULL, 0 },
  { "empty", 0, NULL, NULL, 600 },
  { "blanks", 0, NULL, NULL, 600 },
};

static void
assert_settings (const ProfileSettings *s, const Expected *e)
{
  g_test_message ("profile %s", e->name);
  g_assert_cmpstr (s->name, ==, e->name);
  g_assert_cmpint (s->targets, ==, e->targets);
  g_assert_cmpstr (s->mfa_process, ==, e->mfa_process);
  g_assert_cmpstr (s->mfa_serial, ==, e->mfa_serial);
  g_assert_cmpuint (s->notify_before, ==, e->notify_before);
  g_assert_cmpuint (s->duration, ==, e->duration);
}

static void
test_load_fixture (void)
{
  g_autofree char *path =
    test_util_fixture_path ("profile-settings", "profiles.ini", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = profile_settings_load (path, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, G_N_ELEMENTS (fixture_expected));
  for (guint i = 0; i < all->len; i++) {
    assert_settings (g_ptr_array_index (all, i), &fixture_expected[i]);
    g_assert_true (profile_settings_find (all, fixture_expected[i].name)
                   == g_ptr_array_index (all, i));
  }
  g_assert_null (profile_settings_find (all, "nonexistent"));
}

static void
test_load_missing (void)
{
  g_autofree char *dir = test_util_scratch_dir ("test-settings");
  g_autofree char *path = g_build_filename (dir, "none", "profiles.ini", NULL);
  g_autofree char *broken = scratch_file (dir, "targets = boto\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = profile_settings_load (path, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 0);

  g_assert_null (profile_settings_load (broken, &error));
  g_assert_error (error, INI_FILE_ERROR, INI_FILE_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, broken));
  test_util_remove_tree (dir);
}

typedef struct {
  const char *contents;
  const char *key;
  const char *phrase; /* a part of the message */
} InvalidCase;

static const InvalidCase invalid_cases[] = {
  { "targets = s3", "targets", "“s3” is not a target" },
  { "targets = boto,, aws-credentials", "targets", "“” is not a target" },
  { "notify_before = soon", "notify_before", "0 to 129600" },
  { "notify_before = -1", "notify_before", "0 to 129600" },
  { "notify_before = 129601", "notify_before", "0 to 129600" },
  { "Notify_Before = 99999999999999999999", "notify_before", "0 to 129600" },
  { "duration = 899", "duration", "between 900 and 129600" },
  { "duration = 129601", "duration", "between 900 and 129600" },
  { "duration = 12h", "duration", "“12h” is not a duration" },
  { "mfa_serial = short", "mfa_serial", "is not an MFA device" },
  { "mfa_serial = arn:aws:iam::111122223333:mfa/a b", "mfa_serial",
    "is not an MFA device" },
  { "mfa_process = ykman --password \"hunter2", "mfa_process", "quotes" },
  { "mfa_process = ykman oath\n  accounts code", "mfa_process", "one line" },
};

static void
test_load_invalid (void)
{
  g_autofree char *dir = test_util_scratch_dir ("test-settings");

  for (guint i = 0; i < G_N_ELEMENTS (invalid_cases); i++) {
    const InvalidCase *c = &invalid_cases[i];
    g_autofree char *text =
      g_strdup_printf ("[ok]\ntargets = boto\n\n[bad one]\n%s\n", c->contents);
    g_autofree char *path = scratch_file (dir, text);
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) all = profile_settings_load (path, &error);

    g_test_message ("%s", c->contents);
    g_assert_null (all);
    g_assert_error (error, PROFILE_SETTINGS_ERROR,
                    PROFILE_SETTINGS_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, path));
    g_assert_nonnull (strstr (error->message, "“bad one”"));
    g_assert_nonnull (strstr (error->message, c->key));
    g_assert_nonnull (strstr (error->message, c->phrase));
    /* A command may hold a password: it is never quoted. */
    g_assert_null (strstr (error->message, "hunter2"));
  }
  test_util_remove_tree (dir);
}

/* ----- Writing ----- */

static void
set_ok (const char *path, const char *profile, const char *key,
        const char *value)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (profile_settings_set (path, profile, key, value, &error));
  g_assert_no_error (error);
}

/* Through the real default path, under the scratch XDG_CONFIG_HOME. */
static void
test_set_round_trip (void)
{
  g_autofree char *path = profile_settings_path ();
  g_autofree char *dir = g_build_filename (config_home, "botomfa", NULL);
  g_autofree char *expected_path = g_build_filename (dir, "profiles.ini", NULL);
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpstr (path, ==, expected_path);
  g_assert_false (g_file_test (config_home, G_FILE_TEST_EXISTS));

  /* Removing creates nothing. */
  set_ok (path, "work", "targets", NULL);
  g_assert_false (g_file_test (config_home, G_FILE_TEST_EXISTS));

  set_ok (path, "work", "targets", " aws-credentials , BOTO ");
  test_util_assert_mode (dir, 0700);
  test_util_assert_mode (path, 0600);
  set_ok (path, "work", "Notify_Before", "120");
  set_ok (path, "work", "mfa_process",
          "  ykman oath accounts code --single w ");
  set_ok (path, "work", "mfa_serial", ARN);
  set_ok (path, "other", "targets", "boto");
  set_ok (path, "work", "notify_before", "0900");
  set_ok (path, "work", "duration", " 07200 ");
  test_util_assert_file_text (
    path, "[work]\n"
          "targets = boto, aws-credentials\n"
          "notify_before = 900\n"
          "mfa_process = ykman oath accounts code --single w\n"
          "mfa_serial = " ARN "\n"
          "duration = 7200\n"
          "\n"
          "[other]\n"
          "targets = boto\n");

  all = profile_settings_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  assert_settings (all->pdata[0],
                   &(Expected){ "work", B | A,
                                "ykman oath accounts code --single w", ARN, 900,
                                7200 });
  assert_settings (all->pdata[1], &(Expected){ "other", B, NULL, NULL, 600 });

  /* Removing the last key removes the section. */
  set_ok (path, "work", "targets", NULL);
  set_ok (path, "work", "mfa_process", NULL);
  set_ok (path, "work", "mfa_serial", NULL);
  set_ok (path, "work", "duration", NULL);
  test_util_assert_file_text (
    path, "[work]\nnotify_before = 900\n\n[other]\ntargets = boto\n");
  set_ok (path, "work", "notify_before", NULL);
  test_util_assert_file_text (path, "[other]\ntargets = boto\n");
  set_ok (path, "other", "targets", NULL);
  test_util_assert_file_text (path, "");
  test_util_assert_mode (path, 0600);
}

/* Keys a later botomfa may add, and comments, stay. */
static void
test_set_keeps_the_rest (void)
{
  g_autofree char *source =
    test_util_fixture_path ("profile-settings", "profiles.ini", NULL);
  g_autofree char *original = test_util_read_file (source, NULL);
  g_autofree char *dir = test_util_scratch_dir ("test-settings");
  g_autofree char *path = scratch_file (dir, original);
  g_autoptr (GString) expected = g_string_new (original);

  set_ok (path, "work", "notify_before", "900");
  g_string_replace (expected, "colour = blue\n",
                    "colour = blue\nnotify_before = 900\n", 1);
  test_util_assert_file_text (path, expected->str);

  set_ok (path, "work", "mfa_process", NULL);
  g_string_replace (expected,
                    "mfa_process = ykman oath accounts code --single \"AWS "
                    "work\"\n",
                    "", 1);
  test_util_assert_file_text (path, expected->str);

  set_ok (path, "yubi", "targets", "boto,aws-credentials");
  g_string_replace (expected, "Targets = AWS-Credentials",
                    "Targets = boto, aws-credentials", 1);
  test_util_assert_file_text (path, expected->str);

  /* Nothing to remove: the file is left as it is. */
  set_ok (path, "empty", "mfa_serial", NULL);
  test_util_assert_file_text (path, expected->str);
  test_util_remove_tree (dir);
}

typedef struct {
  const char *key;
  const char *value;
  const char *phrase;
} RefusedCase;

static const RefusedCase refused_cases[] = {
  { "colour", "red", "“colour” is not a setting" },
  { "mfa-serial", ARN, "“mfa-serial” is not a setting" },
  { "targets", "boto, s3", "“s3” is not a target" },
  { "notify_before", "10m", "0 to 129600" },
  { "duration", "600", "between 900 and 129600" },
  { "mfa_serial", "arn:aws:iam::1:mfa/\u00e9t\u00e9", "is not an MFA device" },
  { "mfa_process", "echo 'hunter2", "quotes" },
  { "mfa_process", "echo\nhunter2", "one line" },
};

static void
test_set_refused (void)
{
  g_autofree char *dir = test_util_scratch_dir ("test-settings");
  g_autofree char *path = scratch_file (dir, "[p]\ntargets = boto\n");
  g_autofree char *missing = g_build_filename (dir, "sub", "x.ini", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (refused_cases); i++) {
    const RefusedCase *c = &refused_cases[i];
    g_autoptr (GError) error = NULL;

    g_test_message ("%s = %s", c->key, c->value);
    g_assert_false (profile_settings_set (path, "p", c->key, c->value, &error));
    g_assert_error (error, PROFILE_SETTINGS_ERROR,
                    PROFILE_SETTINGS_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, path));
    g_assert_nonnull (strstr (error->message, "“p”"));
    g_assert_nonnull (strstr (error->message, c->key));
    g_assert_nonnull (strstr (error->message, c->phrase));
    g_assert_null (strstr (error->message, "hunter2"));
    test_util_assert_file_text (path, "[p]\ntargets = boto\n");

    g_clear_error (&error);
    g_assert_false (
      profile_settings_set (missing, "p", c->key, c->value, &error));
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
  test_util_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_autofree char *scratch = NULL;
  int status;

  /* g_get_user_config_dir() reads XDG_CONFIG_HOME once: set it first. It
   * does not exist yet, so the test sees botomfa create it. */
  scratch = test_util_scratch_dir ("test-settings-home");
  config_home = g_build_filename (scratch, "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/profile-settings/targets/parse", test_targets_parse);
  g_test_add_func ("/profile-settings/targets/to-string",
                   test_targets_to_string);
  g_test_add_func ("/profile-settings/load/fixture", test_load_fixture);
  g_test_add_func ("/profile-settings/load/missing", test_load_missing);
  g_test_add_func ("/profile-settings/load/invalid", test_load_invalid);
  g_test_add_func ("/profile-settings/set/round-trip", test_set_round_trip);
  g_test_add_func ("/profile-settings/set/keeps-the-rest",
                   test_set_keeps_the_rest);
  g_test_add_func ("/profile-settings/set/refused", test_set_refused);

  status = g_test_run ();
  test_util_remove_tree (scratch);
  g_free (config_home);
  return status;
}
