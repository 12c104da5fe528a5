/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#include "aws-config.h"
#include "ini-file.h"
#include "test-util.h"

#include <string.h>

#define PYTHON "/usr/bin/python3"
#define MFA(name) "arn:aws:iam::111122223333:mfa/" name

typedef struct {
  const char *name;
  const char *mfa_serial;
  guint duration_seconds;
  const char *role_arn;
  const char *source_profile;
  const char *region;
  gboolean sts_legacy_endpoint;
  const char *credential_process;
} Expected;

typedef struct {
  const char *fixture;
  Expected profiles[10]; /* up to the first without a name */
} FixtureCase;

/* Written by hand from the fixtures and the rules in aws-config.h. */
static const FixtureCase fixture_cases[] = {
  { "config",
    { { "default", MFA ("alice"), 0, NULL, NULL, "eu-west-1", FALSE, NULL },
      { "dev", MFA ("alice"), 3600, NULL, NULL, "eu-central-1", FALSE, NULL },
      { "prod-admin", MFA ("alice"), 43200,
        "arn:aws:iam::444455556666:role/Admin", "dev", "us-east-1", TRUE,
        NULL },
      { "sso-readonly", NULL, 0, NULL, NULL, "us-west-2", FALSE, NULL },
      { "legacy-sso", NULL, 0, NULL, NULL, "eu-west-1", FALSE, NULL },
      { "tools", NULL, 0, NULL, NULL, NULL, FALSE,
        "/usr/local/bin/get-creds --profile \"tools account\"" },
      { "hardware", "GAHT12345678", 129600, NULL, NULL, NULL, FALSE, NULL } } },
  { "config-crlf",
    { { "default", MFA ("bob"), 0, NULL, NULL, "us-east-1", FALSE, NULL },
      { "win", NULL, 7200, "arn:aws:iam::444455556666:role/Dev", "default",
        "ap-northeast-1", FALSE, NULL } } },
  { "config-quirks",
    { { "spaced", MFA ("spaced"), 1800, NULL, NULL, "ap-southeast-2", FALSE,
        NULL },
      { "tabbed", NULL, 1800, NULL, NULL, "eu-north-1", FALSE, NULL },
      { "my team", NULL, 1800, "arn:aws:iam::111122223333:role/Team", "default",
        "ap-southeast-2", FALSE, NULL },
      { "typo", NULL, 1800, NULL, NULL, "sa-east-1", FALSE, NULL },
      { "override", NULL, 1800, NULL, NULL, "second", FALSE, NULL } } },
  { "config-default-both",
    { { "default", NULL, 0, NULL, NULL, "eu-west-2", FALSE, NULL },
      { "dev", NULL, 0, NULL, NULL, "eu-west-1", FALSE, NULL } } },
  { "config-default-reverse",
    { { "default", NULL, 0, NULL, NULL, "us-east-1", FALSE, NULL },
      { "dev", NULL, 0, NULL, NULL, "eu-west-1", FALSE, NULL } } },
};

static char *
fixture_path (const char *name)
{
  return test_util_fixture_path ("aws-config", name, NULL);
}

static void
assert_profile (const AwsConfigProfile *p, const Expected *e)
{
  g_test_message ("profile %s", e->name);
  g_assert_cmpstr (p->name, ==, e->name);
  g_assert_cmpstr (p->mfa_serial, ==, e->mfa_serial);
  g_assert_cmpuint (p->duration_seconds, ==, e->duration_seconds);
  g_assert_cmpstr (p->role_arn, ==, e->role_arn);
  g_assert_cmpstr (p->source_profile, ==, e->source_profile);
  g_assert_cmpstr (p->region, ==, e->region);
  g_assert_cmpint (p->sts_legacy_endpoint, ==, e->sts_legacy_endpoint);
  g_assert_cmpstr (p->credential_process, ==, e->credential_process);
}

static void
test_fixture (gconstpointer data)
{
  const FixtureCase *c = data;
  g_autofree char *path = fixture_path (c->fixture);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) profiles = aws_config_load (path, &error);
  guint n = 0;

  g_assert_no_error (error);
  g_assert_nonnull (profiles);
  while (n < G_N_ELEMENTS (c->profiles) && c->profiles[n].name != NULL)
    n++;
  g_assert_cmpuint (profiles->len, ==, n);
  for (guint i = 0; i < n; i++) {
    assert_profile (g_ptr_array_index (profiles, i), &c->profiles[i]);
    g_assert_true (aws_config_find (profiles, c->profiles[i].name)
                   == g_ptr_array_index (profiles, i));
  }
  g_assert_null (aws_config_find (profiles, "nonexistent"));
}

/* ----- What botocore reads ----- */

static char *
unhex (const char *hex)
{
  gsize len = strlen (hex) / 2;
  char *text = g_malloc (len + 1);

  for (gsize i = 0; i < len; i++)
    text[i] = g_ascii_xdigit_value (hex[2 * i]) * 16
              + g_ascii_xdigit_value (hex[2 * i + 1]);
  text[len] = '\0';
  return text;
}

typedef struct {
  char *name;
  GHashTable *values; /* key → value, as botocore has them */
} BotoProfile;

static void
boto_profile_free (BotoProfile *p)
{
  g_free (p->name);
  g_hash_table_unref (p->values);
  g_free (p);
}

/* One file of tests/aws-config-botocore.py's output: its P/K or S lines. */
static GPtrArray *
parse_dump (const char *dump)
{
  g_auto (GStrv) lines = g_strsplit (dump, "\n", -1);
  GPtrArray *items =
    g_ptr_array_new_with_free_func ((GDestroyNotify) boto_profile_free);

  for (char **l = lines; *l != NULL && **l != '\0'; l++) {
    g_auto (GStrv) f = g_strsplit (*l, " ", 3);
    BotoProfile *p;

    g_assert_cmpstr (f[0], !=, "ERROR");
    if (g_str_equal (f[0], "K")) {
      p = g_ptr_array_index (items, items->len - 1);
      g_hash_table_insert (p->values, unhex (f[1]), unhex (f[2]));
      continue;
    }
    p = g_new0 (BotoProfile, 1);
    p->name = unhex (f[1]);
    p->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    g_ptr_array_add (items, p);
  }
  return items;
}

static gboolean
have_botocore (void)
{
  const char *argv[] = { PYTHON, "-I", "-c", "import botocore", NULL };
  static int found = -1;
  int status = -1;

  if (found < 0)
    found =
      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
                    NULL, NULL, NULL, NULL, &status, NULL)
      && g_spawn_check_wait_status (status, NULL);
  if (!found)
    g_test_skip ("Debian's " PYTHON " with botocore is needed to compare");
  return found;
}

/* Runs tests/aws-config-botocore.py @mode over @path. */
static GPtrArray *
run_botocore (const char *mode, const char *path)
{
  g_autofree char *script =
    g_test_build_filename (G_TEST_DIST, "aws-config-botocore.py", NULL);
  const char *argv[] = { PYTHON, "-I", script, mode, path, NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  g_assert_true (g_str_has_prefix (out, "FILE\n"));
  return parse_dump (out + strlen ("FILE\n"));
}

/* What botomfa should make of a value botocore read: empty is unset. */
static const char *
boto_value (const BotoProfile *b, const char *key)
{
  const char *value = g_hash_table_lookup (b->values, key);

  return value != NULL && *value != '\0' ? value : NULL;
}

static void
assert_same_as_botocore (const AwsConfigProfile *p, const BotoProfile *b)
{
  const char *duration = boto_value (b, "duration_seconds");

  g_test_message ("profile %s", b->name);
  g_assert_cmpstr (p->name, ==, b->name);
  g_assert_cmpstr (p->mfa_serial, ==, boto_value (b, "mfa_serial"));
  g_assert_cmpstr (p->role_arn, ==, boto_value (b, "role_arn"));
  g_assert_cmpstr (p->source_profile, ==, boto_value (b, "source_profile"));
  g_assert_cmpstr (p->region, ==, boto_value (b, "region"));
  g_assert_cmpstr (p->credential_process, ==,
                   boto_value (b, "credential_process"));
  g_assert_cmpuint (p->duration_seconds, ==,
                    duration ? g_ascii_strtoull (duration, NULL, 10) : 0);
  g_assert_cmpint (
    p->sts_legacy_endpoint, ==,
    g_strcmp0 (boto_value (b, "sts_regional_endpoints"), "legacy") == 0);
}

static void
assert_matches_botocore (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) ours = aws_config_load (path, &error);
  g_autoptr (GPtrArray) theirs = run_botocore ("config", path);

  g_assert_no_error (error);
  g_assert_cmpuint (ours->len, ==, theirs->len);
  for (guint i = 0; i < ours->len; i++)
    assert_same_as_botocore (g_ptr_array_index (ours, i),
                             g_ptr_array_index (theirs, i));
}

static void
test_fixtures_match_botocore (void)
{
  if (!have_botocore ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (fixture_cases); i++) {
    g_autofree char *path = fixture_path (fixture_cases[i].fixture);

    g_test_message ("fixture %s", fixture_cases[i].fixture);
    assert_matches_botocore (path);
  }
}

/* Section names that do or do not name a profile, each in its own
 * section, distinct so that botocore's strict parser reads the file. */
static const char *const headers[] = {
  "profile a",
  "profile  b",
  "profile\tc",
  "profile \"d e\"",
  "profile 'f g'",
  "profile h\\ i",
  "profile \"j\\\"k\"",
  "profile \"l\\\\m\"",
  "profile \"n\\o\"",
  "profile 'p\\q'",
  "profile r\"s t\"u",
  "profile \"\"",
  "profile ''",
  "profile \"",
  "profile '",
  "profile \\",
  "profile v\\",
  "profile  w  ",
  "profilex y",
  "profile z z2",
  "profile",
  "profiles typo",
  "sso-session corp",
  "default",
  "default ",
  "Default",
  "profile café",
  "profile a#b",
  "profile a;b",
  "profile \"a]\"",
  "services s3",
  "profile default",
  "profile 'it''s'",
  "profile \"q\"'r's",
  "  profile lead",
};

static void
test_headers_match_botocore (void)
{
  g_autofree char *dir = test_util_scratch_dir ("test-aws-config");
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *path = NULL;

  if (!have_botocore ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    g_string_append_printf (text, "[%s]\nregion = r%u\n\n", headers[i], i);
  path = test_util_scratch_file (dir, "config", text->str, text->len);
  assert_matches_botocore (path);
  test_util_remove_tree (dir);
}

/* ----- Values botomfa refuses ----- */

typedef struct {
  const char *contents;
  const char *profile;
  const char *key;
  const char *allowed; /* a phrase of the message */
} InvalidCase;

static const InvalidCase invalid_cases[] = {
  { "[profile dev]\nduration_seconds = one hour\n", "dev", "duration_seconds",
    "900 to 129600" },
  { "[default]\nduration_seconds = 899\n", "default", "duration_seconds",
    "900 to 129600" },
  { "[profile x]\nduration_seconds = 129601\n", "x", "duration_seconds",
    "900 to 129600" },
  { "[profile x]\nduration_seconds = -3600\n", "x", "duration_seconds",
    "900 to 129600" },
  { "[profile x]\nduration_seconds = 3600s\n", "x", "duration_seconds",
    "900 to 129600" },
  { "[profile x]\nduration_seconds = 18446744073709555216\n", "x",
    "duration_seconds", "900 to 129600" },
  { "[profile x]\nsts_regional_endpoints = global\n", "x",
    "sts_regional_endpoints", "“regional” or “legacy”" },
  { "[profile x]\nSTS_Regional_Endpoints = Regional\n", "x",
    "sts_regional_endpoints", "“regional” or “legacy”" },
  { "[DEFAULT]\nduration_seconds = 5\n\n[profile y]\nregion = us-east-1\n", "y",
    "duration_seconds", "900 to 129600" },
  { "[profile z]\nregion =\n  us-east-1\n", "z", "region", "one line" },
  { "[profile z]\nmfa_serial = " MFA ("a") "\n  " MFA ("b") "\n", "z",
    "mfa_serial", "one line" },
};

static void
test_invalid (void)
{
  g_autofree char *dir = test_util_scratch_dir ("test-aws-config");

  for (guint i = 0; i < G_N_ELEMENTS (invalid_cases); i++) {
    const InvalidCase *c = &invalid_cases[i];
    g_autofree char *path =
      test_util_scratch_file (dir, "config", c->contents, -1);
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) profiles = aws_config_load (path, &error);
    g_autofree char *quoted = g_strdup_printf ("“%s”", c->profile);

    g_test_message ("%s", c->contents);
    g_assert_error (error, AWS_CONFIG_ERROR, AWS_CONFIG_ERROR_INVALID);
    g_assert_null (profiles);
    g_assert_nonnull (strstr (error->message, path));
    g_assert_nonnull (strstr (error->message, quoted));
    g_assert_nonnull (strstr (error->message, c->key));
    g_assert_nonnull (strstr (error->message, c->allowed));
  }
  test_util_remove_tree (dir);
}

static void
test_missing_and_unparsable (void)
{
  g_autofree char *dir = test_util_scratch_dir ("test-aws-config");
  g_autofree char *missing = g_build_filename (dir, "nothing", NULL);
  g_autofree char *broken =
    test_util_scratch_file (dir, "broken", "region = x\n", -1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) profiles = aws_config_load (missing, &error);
  g_auto (GStrv) sections = aws_config_credentials_sections (missing, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 0);
  g_assert_cmpuint (g_strv_length (sections), ==, 0);

  g_assert_null (aws_config_load (broken, &error));
  g_assert_error (error, INI_FILE_ERROR, INI_FILE_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, broken));
  g_clear_error (&error);
  g_assert_null (aws_config_credentials_sections (broken, &error));
  g_assert_error (error, INI_FILE_ERROR, INI_FILE_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, broken));
  test_util_remove_tree (dir);
}

/* ----- The credentials file's profiles ----- */

static void
test_credentials_sections (void)
{
  static const char *const expected[] = { "default", "dev-long-term", "dev",
                                          "profile odd", NULL };
  g_autofree char *path = fixture_path ("credentials");
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) sections = aws_config_credentials_sections (path, &error);
  g_autoptr (GPtrArray) theirs = NULL;

  g_assert_no_error (error);
  g_assert_cmpstrv (sections, expected);

  if (!have_botocore ())
    return;
  theirs = run_botocore ("credentials", path);
  g_assert_cmpuint (theirs->len, ==, g_strv_length (sections));
  for (guint i = 0; i < theirs->len; i++)
    g_assert_cmpstr (((BotoProfile *) theirs->pdata[i])->name, ==, sections[i]);
}

/* ----- Where the files are ----- */

typedef struct {
  const char *variable;
  char *(*get) (void);
  const char *file;
} PathCase;

/* Sets @c's variable to @value and checks the path; takes @expected. */
static void
expect_path (const PathCase *c, const char *value, char *expected)
{
  g_autofree char *path = NULL;

  g_setenv (c->variable, value, TRUE);
  path = c->get ();
  g_assert_cmpstr (path, ==, expected);
  g_free (expected);
}

static void
check_path_variable (const PathCase *c)
{
  const char *home = g_get_home_dir ();
  g_autofree char *by_default = g_build_filename (home, ".aws", c->file, NULL);
  struct {
    const char *value, *expected;
  } table[] = {
    { "/etc/aws/shared", "/etc/aws/shared" },
    { "relative/file", "relative/file" },
    { "$BOTOMFA_TEST_DIR/f", "/opt/test dir/f" },
    { "${BOTOMFA_TEST_DIR}f", "/opt/test dirf" },
    { "$BOTOMFA_TEST_UNSET/f", "$BOTOMFA_TEST_UNSET/f" },
    { "${BOTOMFA_TEST_DIR/f", "${BOTOMFA_TEST_DIR/f" },
    { "/a$/b$", "/a$/b$" },
    { "~user/f", "~user/f" },
  };

  g_autofree char *path = NULL;

  g_setenv ("BOTOMFA_TEST_DIR", "/opt/test dir", TRUE);
  g_unsetenv ("BOTOMFA_TEST_UNSET");
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    expect_path (c, table[i].value, g_strdup (table[i].expected));

  expect_path (c, "~/elsewhere", g_build_filename (home, "elsewhere", NULL));
  expect_path (c, "~", g_strdup (home));
  expect_path (c, "", g_strdup (by_default));
  g_unsetenv (c->variable);
  path = c->get ();
  g_assert_cmpstr (path, ==, by_default);
}

static void
test_paths (void)
{
  static const PathCase cases[] = {
    { "AWS_CONFIG_FILE", aws_config_path, "config" },
    { "AWS_SHARED_CREDENTIALS_FILE", aws_config_credentials_path,
      "credentials" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    check_path_variable (&cases[i]);
}

/* The variables lead to the files that are read. */
static void
test_paths_honoured (void)
{
  g_autofree char *config = fixture_path ("config-crlf");
  g_autofree char *credentials = fixture_path ("credentials");
  g_autofree char *config_path = NULL;
  g_autofree char *credentials_path = NULL;
  g_autoptr (GPtrArray) profiles = NULL;
  g_auto (GStrv) sections = NULL;
  g_autoptr (GError) error = NULL;

  g_setenv ("AWS_CONFIG_FILE", config, TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", credentials, TRUE);
  config_path = aws_config_path ();
  credentials_path = aws_config_credentials_path ();
  profiles = aws_config_load (config_path, &error);
  g_assert_no_error (error);
  sections = aws_config_credentials_sections (credentials_path, &error);
  g_assert_no_error (error);
  g_unsetenv ("AWS_CONFIG_FILE");
  g_unsetenv ("AWS_SHARED_CREDENTIALS_FILE");

  g_assert_cmpuint (profiles->len, ==, 2);
  g_assert_nonnull (aws_config_find (profiles, "win"));
  g_assert_true (
    g_strv_contains ((const char *const *) sections, "dev-long-term"));
}

/* ----- Writing ----- */

typedef struct {
  const char *fixture;
  const char *profile;
  const char *key;
  const char *value;
  const char *old; /* the only part of the fixture that changes; NULL: */
  const char *new; /* @new is appended */
} SetCase;

static const SetCase set_cases[] = {
  /* A key added after the last setting of the section. */
  { "config", "sso-readonly", "mfa_serial", MFA ("ro"), "output = table\n",
    "output = table\nmfa_serial = " MFA ("ro") "\n" },
  /* A value replaced in place. */
  { "config", "dev", "mfa_serial", MFA ("dev2"),
    "mfa/alice\nduration_seconds = 3600", "mfa/dev2\nduration_seconds = 3600" },
  { "config", "default", "mfa_serial", MFA ("carol"),
    "mfa/alice\n\n[profile dev]", "mfa/carol\n\n[profile dev]" },
  /* The key keeps its spelling. */
  { "config", "prod-admin", "duration_seconds", "3600",
    "Duration_Seconds = 43200", "Duration_Seconds = 3600" },
  /* A missing profile is appended. */
  { "config", "new", "mfa_serial", MFA ("new"), NULL,
    "\n[profile new]\nmfa_serial = " MFA ("new") "\n" },
  /* Whatever spelling names the profile is where it goes. */
  { "config-quirks", "spaced", "mfa_serial", MFA ("spaced2"), "mfa/spaced\n",
    "mfa/spaced2\n" },
  { "config-quirks", "override", "mfa_serial", MFA ("o"), "region = second\n",
    "region = second\nmfa_serial = " MFA ("o") "\n" },
  { "config-quirks", "my team", "region", "eu-west-3",
    "source_profile = default\n",
    "source_profile = default\nregion = eu-west-3\n" },
  /* A bare [dev] is not the profile dev. */
  { "config-quirks", "dev", "mfa_serial", MFA ("dev"), NULL,
    "\n[profile dev]\nmfa_serial = " MFA ("dev") "\n" },
  { "config-quirks", "two words", "region", "eu-west-3", NULL,
    "\n[profile \"two words\"]\nregion = eu-west-3\n" },
  { "config-quirks", "say \"hi\"\\", "region", "eu-west-3", NULL,
    "\n[profile \"say \\\"hi\\\"\\\\\"]\nregion = eu-west-3\n" },
  /* botocore reads the later of [default] and [profile default]. */
  { "config-default-both", "default", "mfa_serial", MFA ("d"),
    "region = eu-west-2\n",
    "region = eu-west-2\nmfa_serial = " MFA ("d") "\n" },
  { "config-crlf", "win", "mfa_serial", MFA ("win"),
    "region = ap-northeast-1\r\n",
    "region = ap-northeast-1\r\nmfa_serial = " MFA ("win") "\r\n" },
  { "config-crlf", "new", "region", "us-east-2", NULL,
    "\r\n[profile new]\r\nregion = us-east-2\r\n" },
};

static char *
expected_after (const SetCase *c, const char *original)
{
  const char *at;

  if (c->old == NULL)
    return g_strconcat (original, c->new, NULL);

  at = strstr (original, c->old);
  g_assert_nonnull (at);
  g_assert_null (strstr (at + 1, c->old));
  return g_strdup_printf ("%.*s%s%s", (int) (at - original), original, c->new,
                          at + strlen (c->old));
}

/* What aws_config_load() now reads for @c->key. */
static void
assert_reads_back (const char *path, const SetCase *c)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) profiles = aws_config_load (path, &error);
  AwsConfigProfile *p;

  g_assert_no_error (error);
  p = aws_config_find (profiles, c->profile);
  g_assert_nonnull (p);
  if (g_ascii_strcasecmp (c->key, "mfa_serial") == 0)
    g_assert_cmpstr (p->mfa_serial, ==, c->value);
  else if (g_ascii_strcasecmp (c->key, "region") == 0)
    g_assert_cmpstr (p->region, ==, c->value);
  else
    g_assert_cmpuint (p->duration_seconds, ==,
                      g_ascii_strtoull (c->value, NULL, 10));
}

static void
test_set (gconstpointer data)
{
  const SetCase *c = data;
  g_autofree char *dir = test_util_scratch_dir ("test-aws-config");
  g_autofree char *source = fixture_path (c->fixture);
  g_autofree char *original = test_util_read_file (source, NULL);
  g_autofree char *path = test_util_scratch_file (dir, "config", original, -1);
  g_autofree char *expected = expected_after (c, original);
  g_autoptr (GError) error = NULL;

  aws_config_set_value (path, c->profile, c->key, c->value, &error);
  g_assert_no_error (error);
  test_util_assert_file_text (path, expected);
  test_util_assert_mode (path, 0600);

  assert_reads_back (path, c);
  if (have_botocore ())
    assert_matches_botocore (path);
  test_util_remove_tree (dir);
}

static void
test_set_new_file (void)
{
  g_autofree char *dir = test_util_scratch_dir ("test-aws-config");
  g_autofree char *path = g_build_filename (dir, "aws", "config", NULL);
  g_autofree char *written = NULL;
  g_autoptr (GError) error = NULL;

  aws_config_set_value (path, "work", "mfa_serial", MFA ("w"), &error);
  g_assert_no_error (error);
  aws_config_set_value (path, "default", "region", "eu-west-1", &error);
  g_assert_no_error (error);
  written = test_util_read_file (path, NULL);
  g_assert_cmpstr (written, ==,
                   "[profile work]\nmfa_serial = " MFA (
                     "w") "\n\n"
                          "[default]\nregion = eu-west-1\n");
  test_util_remove_tree (dir);
}

typedef struct {
  const char *profile;
  const char *key;
  const char *value;
  GQuark domain;
  int code;
} RefusedSet;

static void
test_set_refused (void)
{
  g_autofree char *dir = test_util_scratch_dir ("test-aws-config");
  g_autofree char *source = fixture_path ("config");
  g_autofree char *original = test_util_read_file (source, NULL);
  g_autofree char *path = test_util_scratch_file (dir, "config", original, -1);
  const RefusedSet cases[] = {
    { "dev", "duration_seconds", "forever", AWS_CONFIG_ERROR,
      AWS_CONFIG_ERROR_INVALID },
    { "dev", "DURATION_SECONDS", "600", AWS_CONFIG_ERROR,
      AWS_CONFIG_ERROR_INVALID },
    { "dev", "sts_regional_endpoints", "global", AWS_CONFIG_ERROR,
      AWS_CONFIG_ERROR_INVALID },
    { "", "region", "us-east-1", AWS_CONFIG_ERROR, AWS_CONFIG_ERROR_INVALID },
    { "dev", "bad=key", "x", INI_FILE_ERROR, INI_FILE_ERROR_INVALID_VALUE },
    { "dev", "region", "two\nlines", INI_FILE_ERROR,
      INI_FILE_ERROR_INVALID_VALUE },
    { "a]b", "region", "us-east-1", INI_FILE_ERROR,
      INI_FILE_ERROR_INVALID_VALUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GError) error = NULL;
    g_autofree char *after = NULL;

    g_test_message ("%s %s", cases[i].profile, cases[i].key);
    g_assert_false (aws_config_set_value (path, cases[i].profile, cases[i].key,
                                          cases[i].value, &error));
    g_assert_error (error, cases[i].domain, cases[i].code);
    after = test_util_read_file (path, NULL);
    g_assert_cmpstr (after, ==, original);
  }
  test_util_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fixture_cases); i++) {
    g_autofree char *path =
      g_strdup_printf ("/aws-config/fixture/%s", fixture_cases[i].fixture);

    g_test_add_data_func (path, &fixture_cases[i], test_fixture);
  }
  g_test_add_func ("/aws-config/botocore/fixtures",
                   test_fixtures_match_botocore);
  g_test_add_func ("/aws-config/botocore/headers", test_headers_match_botocore);
  g_test_add_func ("/aws-config/invalid", test_invalid);
  g_test_add_func ("/aws-config/missing-and-unparsable",
                   test_missing_and_unparsable);
  g_test_add_func ("/aws-config/credentials-sections",
                   test_credentials_sections);
  g_test_add_func ("/aws-config/paths", test_paths);
  g_test_add_func ("/aws-config/paths-honoured", test_paths_honoured);
  for (guint i = 0; i < G_N_ELEMENTS (set_cases); i++) {
    g_autofree char *path =
      g_strdup_printf ("/aws-config/set/%u-%s", i, set_cases[i].fixture);

    g_test_add_data_func (path, &set_cases[i], test_set);
  }
  g_test_add_func ("/aws-config/set-new-file", test_set_new_file);
  g_test_add_func ("/aws-config/set-refused", test_set_refused);

  return g_test_run ();
}
