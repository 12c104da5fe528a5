/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#include "access-key-csv.h"
#include "test-util.h"

#include <glib/gstdio.h>
#include <sys/time.h>

#define KEY_ID "AKIAIOSFODNN7EXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

typedef struct {
  const char *name;
  const char *contents;
} GoodCase;

/* The console's file, its new-user variant, and what editors make of
 * them. */
static const GoodCase good_cases[] = {
  { "console", "Access key ID,Secret access key\r\n" KEY_ID "," SECRET "\r\n" },
  { "no final newline", "Access key ID,Secret access key\n" KEY_ID "," SECRET },
  { "bom and new user",
    "\xef\xbb\xbfUser name,Password,Access key ID,Secret access key,"
    "Console login link\nalice,,"
    "" KEY_ID "," SECRET ",https://123456789012.signin.aws.amazon.com/"
    "console\n" },
  { "quoted and spaced", "\"Access key ID\", \"Secret access key\"\n\n"
                         "\"" KEY_ID "\" , \"" SECRET "\"\n" },
  { "columns swapped",
    "secret access key,access key id\n" SECRET "," KEY_ID "\n" },
};

static void
test_good (gconstpointer data)
{
  const GoodCase *c = data;
  g_autofree char *dir = test_util_scratch_dir ("access-key-csv");
  g_autofree char *path = g_build_filename (dir, "k.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (Credentials) key = NULL;

  test_util_write_file (path, c->contents, -1);
  key = access_key_csv_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key->access_key_id, ==, KEY_ID);
  g_assert_cmpstr (key->secret_access_key, ==, SECRET);
  g_assert_null (key->session_token);
  g_assert_null (key->expiration);
  test_util_remove_tree (dir);
}

typedef struct {
  const char *name;
  const char *contents;
  int code;
} BadCase;

static const BadCase bad_cases[] = {
  { "no secret column", "Access key ID,Password\n" KEY_ID ",x\n",
    ACCESS_KEY_CSV_ERROR_FORMAT },
  { "no values", "Access key ID,Secret access key\r\n\r\n",
    ACCESS_KEY_CSV_ERROR_FORMAT },
  { "short line", "Access key ID,Secret access key\n" KEY_ID "\n",
    ACCESS_KEY_CSV_ERROR_FORMAT },
  { "empty", "", ACCESS_KEY_CSV_ERROR_FORMAT },
  { "session key",
    "Access key ID,Secret access key\nASIAIOSFODNN7EXAMPLE,"
    "" SECRET "\n",
    ACCESS_KEY_CSV_ERROR_KEY },
  { "spaces in secret",
    "Access key ID,Secret access key\n" KEY_ID ",not a secret at all\n",
    ACCESS_KEY_CSV_ERROR_KEY },
};

static void
test_bad (gconstpointer data)
{
  const BadCase *c = data;
  g_autofree char *dir = test_util_scratch_dir ("access-key-csv");
  g_autofree char *path = g_build_filename (dir, "k.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (Credentials) key = NULL;

  test_util_write_file (path, c->contents, -1);
  key = access_key_csv_read (path, &error);
  g_assert_null (key);
  g_assert_error (error, ACCESS_KEY_CSV_ERROR, c->code);
  g_assert_nonnull (strstr (error->message, path));
  /* Whatever went wrong, the message never shows the secret. */
  g_assert_null (strstr (error->message, SECRET));
  test_util_remove_tree (dir);
}

static void
test_unreadable (void)
{
  g_autofree char *dir = test_util_scratch_dir ("access-key-csv");
  g_autofree char *missing = g_build_filename (dir, "missing.csv", NULL);
  g_autofree char *large = g_build_filename (dir, "large.csv", NULL);
  g_autoptr (GString) big =
    g_string_new ("Access key ID,Secret access key\n" KEY_ID "," SECRET "\n");
  g_autoptr (GError) error = NULL;

  g_assert_null (access_key_csv_read (missing, &error));
  g_assert_error (error, ACCESS_KEY_CSV_ERROR, ACCESS_KEY_CSV_ERROR_READ);
  g_clear_error (&error);

  while (big->len <= 64 * 1024)
    g_string_append (big, "# padding padding padding padding padding\n");
  test_util_write_file (large, big->str, big->len);
  g_assert_null (access_key_csv_read (large, &error));
  g_assert_error (error, ACCESS_KEY_CSV_ERROR, ACCESS_KEY_CSV_ERROR_FORMAT);
  test_util_remove_tree (dir);
}

static void
write_aged (const char *dir, const char *name, const char *contents,
            long age_seconds)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  struct timeval times[2];

  test_util_write_file (path, contents, -1);
  gettimeofday (&times[0], NULL);
  times[0].tv_sec -= age_seconds;
  times[1] = times[0];
  g_assert_cmpint (utimes (path, times), ==, 0);
}

/* The newest file named like the console's that holds a usable key. */
static void
test_find (void)
{
  g_autofree char *dir = test_util_scratch_dir ("access-key-csv");
  g_autofree char *found = NULL;
  g_autofree char *expected =
    g_build_filename (dir, "bob_accessKeys.csv", NULL);
  const char *good = "Access key ID,Secret access key\n" KEY_ID "," SECRET "\n";

  g_assert_null (access_key_csv_find (dir));
  g_assert_null (access_key_csv_find ("/nonexistent/downloads"));

  write_aged (dir, "alice_accessKeys.csv", good, 3000);
  write_aged (dir, "bob_accessKeys.csv", good, 2000);
  write_aged (dir, "notes.csv", good, 10);
  write_aged (dir, "new_credentials.csv", "User name,Password\nbob,x\n", 10);
  write_aged (dir, "photo_accessKeys.csv.jpg", good, 10);
  found = access_key_csv_find (dir);
  g_assert_cmpstr (found, ==, expected);
  test_util_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (good_cases); i++) {
    g_autofree char *name =
      g_strdup_printf ("/access-key-csv/good/%s", good_cases[i].name);
    g_test_add_data_func (name, &good_cases[i], test_good);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++) {
    g_autofree char *name =
      g_strdup_printf ("/access-key-csv/bad/%s", bad_cases[i].name);
    g_test_add_data_func (name, &bad_cases[i], test_bad);
  }
  g_test_add_func ("/access-key-csv/unreadable", test_unreadable);
  g_test_add_func ("/access-key-csv/find", test_find);
  return g_test_run ();
}
