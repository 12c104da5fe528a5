/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#include "ini-store.h"
#include "private-file.h"
#include "test-util.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

/* A scratch directory; path is dir/config, not created. */
typedef TestUtilScratch Fixture;

/* ----- Loading ----- */

static void
test_load_missing (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (IniFile) ini = NULL;
  g_auto (GStrv) sections = NULL;
  gboolean missing = FALSE;

  ini = ini_store_load (fixture->path, &missing, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ini);
  g_assert_true (missing);
  sections = ini_file_get_sections (ini);
  g_assert_cmpuint (g_strv_length (sections), ==, 0);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  /* @missing is optional. */
  g_clear_pointer (&ini, ini_file_free);
  ini = ini_store_load (fixture->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ini);
}

static void
test_load_existing (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (IniFile) ini = NULL;
  g_autofree char *value = NULL;
  gboolean missing = TRUE;

  test_util_write_file (fixture->path, "[a]\nk = v\n", -1);
  ini = ini_store_load (fixture->path, &missing, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ini);
  g_assert_false (missing);
  value = ini_file_get_value (ini, "a", "k");
  g_assert_cmpstr (value, ==, "v");
}

static void
test_load_unparsable (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *prefix = g_strconcat (fixture->path, ": ", NULL);

  test_util_write_file (fixture->path, "k = before any header\n", -1);
  g_assert_null (ini_store_load (fixture->path, NULL, &error));
  g_assert_error (error, INI_FILE_ERROR, INI_FILE_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, prefix));
}

/* private_file_read()'s error goes through unchanged. */
static void
test_load_not_regular (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (ini_store_load (fixture->dir, NULL, &error));
  g_assert_error (error, PRIVATE_FILE_ERROR, PRIVATE_FILE_ERROR_NOT_REGULAR);
}

/* ----- Editing ----- */

/* An edit that records each IniFile it is given and sets a=N, N being its
 * call number; on its first call it may write the file behind our back. */
typedef struct {
  guint calls;
  gboolean changed;
  GError *fail;
  const char *path;
  const char *interfere;
  GPtrArray *seen; /* the sections of each IniFile, joined by ',' */
} Recorder;

static gboolean
record (IniFile *ini, gboolean *changed, gpointer user_data, GError **error)
{
  Recorder *r = user_data;
  g_auto (GStrv) sections = ini_file_get_sections (ini);
  g_autofree char *value = NULL;

  g_assert_true (*changed);
  r->calls++;
  g_ptr_array_add (r->seen, g_strjoinv (",", sections));
  if (r->interfere != NULL && r->calls == 1)
    test_util_write_file (r->path, r->interfere, -1);
  if (r->fail != NULL) {
    g_propagate_error (error, g_error_copy (r->fail));
    return FALSE;
  }

  value = g_strdup_printf ("%u", r->calls);
  g_assert_true (ini_file_set_value (ini, "ours", "a", value, NULL));
  *changed = r->changed;
  return TRUE;
}

static Recorder *
recorder_new (const char *path)
{
  Recorder *r = g_new0 (Recorder, 1);

  r->changed = TRUE;
  r->path = path;
  r->seen = g_ptr_array_new_with_free_func (g_free);
  return r;
}

static void
recorder_free (Recorder *r)
{
  g_clear_error (&r->fail);
  g_ptr_array_unref (r->seen);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

static void
test_edit_missing (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Recorder) r = recorder_new (fixture->path);
  g_autoptr (GError) error = NULL;

  g_assert_true (ini_store_edit (fixture->path, record, r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r->calls, ==, 1);
  g_assert_cmpstr (r->seen->pdata[0], ==, "");
  test_util_assert_file_text (fixture->path, "[ours]\na = 1\n");
  test_util_assert_mode (fixture->path, 0600);
}

static void
test_edit_keeps_the_rest (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Recorder) r = recorder_new (fixture->path);
  g_autoptr (GError) error = NULL;

  test_util_write_file (fixture->path, "; note\n[x]\nk : v\n\n[ours]\n", -1);
  g_assert_true (ini_store_edit (fixture->path, record, r, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (r->seen->pdata[0], ==, "x,ours");
  test_util_assert_file_text (fixture->path,
                              "; note\n[x]\nk : v\n\n[ours]\na = 1\n");
}

/* An edit that changes nothing writes nothing, not even a missing file. */
static void
test_edit_unchanged (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Recorder) r = recorder_new (fixture->path);
  g_autoptr (GError) error = NULL;

  r->changed = FALSE;
  g_assert_true (ini_store_edit (fixture->path, record, r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r->calls, ==, 1);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  test_util_write_file (fixture->path, "[x]\n", -1);
  g_assert_no_errno (g_chmod (fixture->path, 0644));
  g_assert_true (ini_store_edit (fixture->path, record, r, &error));
  g_assert_no_error (error);
  test_util_assert_file_text (fixture->path, "[x]\n");
  test_util_assert_mode (fixture->path, 0644);
}

static void
test_edit_unparsable (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Recorder) r = recorder_new (fixture->path);
  g_autoptr (GError) error = NULL;
  g_autofree char *prefix =
    g_strconcat (fixture->path, " was left unchanged: ", NULL);

  test_util_write_file (fixture->path, "[x]\n= no key\n", -1);
  g_assert_false (ini_store_edit (fixture->path, record, r, &error));
  g_assert_error (error, INI_FILE_ERROR, INI_FILE_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_cmpuint (r->calls, ==, 0);
  test_util_assert_file_text (fixture->path, "[x]\n= no key\n");
}

/* The edit's own error goes through as it set it. */
static void
test_edit_error (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Recorder) r = recorder_new (fixture->path);
  g_autoptr (GError) error = NULL;

  r->fail = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "refused");
  test_util_write_file (fixture->path, "[x]\n", -1);
  g_assert_false (ini_store_edit (fixture->path, record, r, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==, "refused");
  test_util_assert_file_text (fixture->path, "[x]\n");
}

/* When another program writes the file during the edit, the edit runs
 * again on a fresh parse of what it wrote. */
static void
test_edit_reapplied (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Recorder) r = recorder_new (fixture->path);
  g_autoptr (GError) error = NULL;

  test_util_write_file (fixture->path, "[x]\n", -1);
  r->interfere = "[x]\n[theirs]\nb = 2\n";
  g_assert_true (ini_store_edit (fixture->path, record, r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r->calls, ==, 2);
  g_assert_cmpstr (r->seen->pdata[0], ==, "x");
  g_assert_cmpstr (r->seen->pdata[1], ==, "x,theirs");
  test_util_assert_file_text (fixture->path,
                              "[x]\n[theirs]\nb = 2\n\n[ours]\na = 2\n");
}

static void
add (const char *name, void (*test) (Fixture *, gconstpointer))
{
  g_test_add (name, Fixture, "config", test_util_scratch_set_up, test,
              test_util_scratch_tear_down);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  add ("/ini-store/load/missing", test_load_missing);
  add ("/ini-store/load/existing", test_load_existing);
  add ("/ini-store/load/unparsable", test_load_unparsable);
  add ("/ini-store/load/not-regular", test_load_not_regular);
  add ("/ini-store/edit/missing", test_edit_missing);
  add ("/ini-store/edit/keeps-the-rest", test_edit_keeps_the_rest);
  add ("/ini-store/edit/unchanged", test_edit_unchanged);
  add ("/ini-store/edit/unparsable", test_edit_unparsable);
  add ("/ini-store/edit/error", test_edit_error);
  add ("/ini-store/edit/reapplied", test_edit_reapplied);
  return g_test_run ();
}
