/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The tray's configuration watch, on real files in a scratch directory:
 * a rename over the file counts, a burst is one callback, neighbours do
 * not count, and a directory that appears later is followed into. */

#include "tray-config-watch.h"

#include <glib/gstdio.h>

#define DELAY_MS 100

typedef struct {
  char *dir;
  char *deep; /* DIR/a/b/settings.ini: its directories do not exist yet */
  char *flat; /* DIR/config */
  TrayConfigWatch *watch;
  guint calls;
} Fixture;

static void
on_change (gpointer user_data)
{
  Fixture *fixture = user_data;

  fixture->calls++;
}

static gboolean
wake (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;

  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms milliseconds. */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, wake, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Runs the main loop until there were @calls callbacks, then a while
 * longer, so that an extra callback would be counted. */
static void
settle (Fixture *fixture, guint calls)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;

  while (fixture->calls < calls && g_get_monotonic_time () < deadline)
    run_for (20);
  run_for (3 * DELAY_MS);
}

/* What editors and botomfa do: write beside, rename over. */
static void
replace (const char *path, const char *text)
{
  g_autofree char *temp = g_strconcat (path, ".new", NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (temp, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_rename (temp, path), ==, 0);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const char *paths[3];

  fixture->dir = g_dir_make_tmp ("botomfa-watch-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->deep =
    g_build_filename (fixture->dir, "a", "b", "settings.ini", NULL);
  fixture->flat = g_build_filename (fixture->dir, "config", NULL);
  paths[0] = fixture->deep;
  paths[1] = fixture->flat;
  paths[2] = NULL;
  fixture->watch = tray_config_watch_new (paths, DELAY_MS, on_change, fixture);
  /* Monitors start in GLib's worker thread: let them settle. */
  run_for (2 * DELAY_MS);
  g_assert_cmpuint (fixture->calls, ==, 0);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    remove_tree (child);
  }
  g_assert_cmpint (g_remove (path), ==, 0);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  tray_config_watch_free (fixture->watch);
  remove_tree (fixture->dir);
  g_free (fixture->flat);
  g_free (fixture->deep);
  g_free (fixture->dir);
}

/* Five replacements in a row are one burst: one callback after it. */
static void
test_burst_is_one_call (Fixture *fixture, gconstpointer data)
{
  for (int i = 0; i < 5; i++)
    replace (fixture->flat, "[default]\n");
  settle (fixture, 1);
  g_assert_cmpuint (fixture->calls, ==, 1);

  replace (fixture->flat, "[profile dev]\n");
  settle (fixture, 2);
  g_assert_cmpuint (fixture->calls, ==, 2);

  g_assert_cmpint (g_unlink (fixture->flat), ==, 0);
  settle (fixture, 3);
  g_assert_cmpuint (fixture->calls, ==, 3);
}

/* Another file of the directory, or a leftover temporary, is not ours. */
static void
test_neighbours_do_not_count (Fixture *fixture, gconstpointer data)
{
  g_autofree char *other = g_build_filename (fixture->dir, "other", NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (other, "x", -1, &error);
  g_assert_no_error (error);
  replace (other, "y");
  run_for (5 * DELAY_MS);
  g_assert_cmpuint (fixture->calls, ==, 0);
}

/* Written in place (an editor without backup): the end of the write
 * counts, once. */
static void
test_in_place_write (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FILE *file;

  g_file_set_contents (fixture->flat, "[default]\n", -1, &error);
  g_assert_no_error (error);
  settle (fixture, 1);
  g_assert_cmpuint (fixture->calls, ==, 1);
  file = fopen (fixture->flat, "a");
  g_assert_nonnull (file);
  fputs ("region = eu-west-1\n", file);
  fclose (file);
  settle (fixture, 2);
  g_assert_cmpuint (fixture->calls, ==, 2);
}

/* The settings' directories appear after the watch began; the watch
 * follows them down, one directory at a time (each one counts: GLib,
 * which would only poll for the file, would say nothing), and then sees
 * the file itself change. */
static void
test_directories_appear (Fixture *fixture, gconstpointer data)
{
  g_autofree char *b = g_path_get_dirname (fixture->deep);
  g_autofree char *a = g_path_get_dirname (b);
  guint before;

  g_assert_cmpint (g_mkdir (a, 0700), ==, 0);
  settle (fixture, 1);
  g_assert_cmpuint (fixture->calls, ==, 1);
  g_assert_cmpint (g_mkdir (b, 0700), ==, 0);
  settle (fixture, 2);
  g_assert_cmpuint (fixture->calls, ==, 2);
  before = fixture->calls;

  replace (fixture->deep, "[default]\nnotify_before = 900\n");
  settle (fixture, before + 1);
  g_assert_cmpuint (fixture->calls, ==, before + 1);

  /* Gone and back: watched from above again, then followed down. */
  g_assert_cmpint (g_unlink (fixture->deep), ==, 0);
  g_assert_cmpint (g_rmdir (b), ==, 0);
  settle (fixture, before + 2);
  g_assert_cmpint (g_mkdir (b, 0700), ==, 0);
  settle (fixture, before + 3);
  before = fixture->calls;
  replace (fixture->deep, "[default]\n");
  settle (fixture, before + 1);
  g_assert_cmpuint (fixture->calls, ==, before + 1);
}

/* Freed with a callback due: it never runs. */
static void
test_free_cancels (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("botomfa-watch-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "config", NULL);
  const char *paths[] = { path, NULL };
  Fixture fixture = { 0 };

  g_assert_no_error (error);
  fixture.watch = tray_config_watch_new (paths, DELAY_MS, on_change, &fixture);
  run_for (2 * DELAY_MS);
  replace (path, "[default]\n");
  run_for (DELAY_MS / 4);
  tray_config_watch_free (fixture.watch);
  run_for (3 * DELAY_MS);
  g_assert_cmpuint (fixture.calls, ==, 0);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_default_paths (void)
{
  g_auto (GStrv) paths = NULL;

  g_setenv ("BOTO_CONFIG", "/tmp/botomfa-test-boto", TRUE);
  g_setenv ("AWS_CONFIG_FILE", "/tmp/botomfa-test-config", TRUE);
  paths = tray_config_watch_default_paths ();
  g_assert_true (
    g_strv_contains ((const char *const *) paths, "/tmp/botomfa-test-boto"));
  g_assert_true (
    g_strv_contains ((const char *const *) paths, "/tmp/botomfa-test-config"));
  g_assert_true (g_str_has_suffix (paths[0], "/botomfa/profiles.ini"));
  g_assert_cmpuint (g_strv_length (paths), ==, 4);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/tray-config-watch/burst", Fixture, NULL, fixture_set_up,
              test_burst_is_one_call, fixture_tear_down);
  g_test_add ("/tray-config-watch/neighbours", Fixture, NULL, fixture_set_up,
              test_neighbours_do_not_count, fixture_tear_down);
  g_test_add ("/tray-config-watch/in-place", Fixture, NULL, fixture_set_up,
              test_in_place_write, fixture_tear_down);
  g_test_add ("/tray-config-watch/directories-appear", Fixture, NULL,
              fixture_set_up, test_directories_appear, fixture_tear_down);
  g_test_add_func ("/tray-config-watch/free-cancels", test_free_cancels);
  g_test_add_func ("/tray-config-watch/default-paths", test_default_paths);

  return g_test_run ();
}
