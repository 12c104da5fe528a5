/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#include "test-util.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>

/**
 * test_util_scratch_dir:
 * @prefix: the start of the directory's name, such as "test-ini"
 *
 * Creates a new directory "@prefix-XXXXXX" under the temporary directory.
 *
 * Returns: (transfer full): its path; remove it with
 * test_util_remove_tree() and free with g_free().
 */
char *
test_util_scratch_dir (const char *prefix)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *template = g_strconcat (prefix, "-XXXXXX", NULL);
  char *dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  g_assert_nonnull (dir);
  return dir;
}

/**
 * test_util_remove_tree:
 * @path: a file or directory; nothing happens when it does not exist
 *
 * Removes @path and everything below it. Symbolic links are removed, not
 * followed.
 */
void
test_util_remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);
    GStatBuf st;

    if (g_lstat (child, &st) == 0 && S_ISDIR (st.st_mode))
      test_util_remove_tree (child);
    else
      g_unlink (child);
  }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

/**
 * test_util_scratch_set_up:
 * @scratch: the fixture
 * @file_name: (type utf8): the name of the file in the scratch directory
 *
 * Creates @scratch's directory, as test_util_scratch_dir() does.
 */
void
test_util_scratch_set_up (TestUtilScratch *scratch, gconstpointer file_name)
{
  g_autofree char *program = g_path_get_basename (g_get_prgname ());

  scratch->dir = test_util_scratch_dir (program);
  scratch->path = g_build_filename (scratch->dir, file_name, NULL);
}

/**
 * test_util_scratch_tear_down:
 * @scratch: the fixture
 * @file_name: unused
 *
 * Removes @scratch's directory with everything in it.
 */
void
test_util_scratch_tear_down (TestUtilScratch *scratch, gconstpointer file_name)
{
  test_util_remove_tree (scratch->dir);
  g_free (scratch->dir);
  g_free (scratch->path);
}

/**
 * test_util_fixture_path:
 * @first_element: the first element below tests/fixtures
 * @...: more elements, then %NULL
 *
 * Returns: (transfer full): the path of a fixture in the source tree
 * (G_TEST_DIST); free with g_free().
 */
char *
test_util_fixture_path (const char *first_element, ...)
{
  g_autofree char *fixtures =
    g_test_build_filename (G_TEST_DIST, "fixtures", NULL);
  g_autofree char *below = NULL;
  va_list args;

  va_start (args, first_element);
  below = g_build_filename_valist (first_element, &args);
  va_end (args);

  return g_build_filename (fixtures, below, NULL);
}

/**
 * test_util_read_file:
 * @path: a file that must exist
 * @len: (out) (optional): its length
 *
 * Returns: (transfer full): the contents of @path, NUL-terminated; free
 * with g_free().
 */
char *
test_util_read_file (const char *path, gsize *len)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, len, &error);
  g_assert_no_error (error);
  return contents;
}

/**
 * test_util_read_bytes:
 * @path: a file that must exist
 *
 * Returns: (transfer full): the contents of @path; free with
 * g_bytes_unref().
 */
GBytes *
test_util_read_bytes (const char *path)
{
  gsize len = 0;
  char *contents = test_util_read_file (path, &len);

  return g_bytes_new_take (contents, len);
}

/**
 * test_util_write_file:
 * @path: the file to write
 * @contents: what to write
 * @len: the length of @contents, or -1 when it is NUL-terminated
 *
 * Replaces @path with @contents, as g_file_set_contents() does.
 */
void
test_util_write_file (const char *path, const char *contents, gssize len)
{
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
}

/**
 * test_util_scratch_file:
 * @dir: a scratch directory
 * @name: the file's name in @dir
 * @contents: what to write
 * @len: the length of @contents, or -1 when it is NUL-terminated
 *
 * Writes @contents to @dir/@name.
 *
 * Returns: (transfer full): the file's path; free with g_free().
 */
char *
test_util_scratch_file (const char *dir, const char *name, const char *contents,
                        gssize len)
{
  char *path = g_build_filename (dir, name, NULL);

  test_util_write_file (path, contents, len);
  return path;
}

/**
 * test_util_assert_bytes_equal:
 * @actual: what the code gave
 * @expected: what it should have given
 *
 * Asserts that both hold the same bytes; when they differ, both are
 * logged with escapes first, which reads better than a memory dump.
 */
void
test_util_assert_bytes_equal (GBytes *actual, GBytes *expected)
{
  if (!g_bytes_equal (actual, expected)) {
    g_autofree char *a = g_strescape (g_bytes_get_data (actual, NULL), "");
    g_autofree char *e = g_strescape (g_bytes_get_data (expected, NULL), "");

    g_test_message ("expected: \"%s\"", e);
    g_test_message ("actual:   \"%s\"", a);
  }
  g_assert_cmpmem (g_bytes_get_data (actual, NULL), g_bytes_get_size (actual),
                   g_bytes_get_data (expected, NULL),
                   g_bytes_get_size (expected));
}

/**
 * test_util_assert_file_text:
 * @path: a file that must exist
 * @expected: its expected contents
 *
 * Asserts that @path holds exactly @expected.
 */
void
test_util_assert_file_text (const char *path, const char *expected)
{
  g_autofree char *contents = test_util_read_file (path, NULL);

  g_assert_cmpstr (contents, ==, expected);
}

/**
 * test_util_assert_mode:
 * @path: a file or directory that must exist
 * @mode: its expected permission bits (such as 0600)
 *
 * Asserts that the permission bits of @path, links followed, are @mode.
 */
void
test_util_assert_mode (const char *path, guint mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, mode);
}

/* A failed assertion aborts the test: the server goes with it, or it
 * would keep meson waiting on its stderr. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/**
 * test_util_sts_server_start:
 * @state_dir: where the server keeps its CA and state (created)
 *
 * Starts tests/sts_server.py (found through G_TEST_SRCDIR) with Debian's
 * Python and waits until it answers.
 *
 * Returns: (transfer full): the server; stop it with
 * test_util_sts_server_stop()
 */
TestUtilStsServer *
test_util_sts_server_start (const char *state_dir)
{
  g_autofree char *script =
    g_test_build_filename (G_TEST_DIST, "sts_server.py", NULL);
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  TestUtilStsServer *server = g_new0 (TestUtilStsServer, 1);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process =
    g_subprocess_launcher_spawn (launcher, &error, "/usr/bin/python3", script,
                                 "--state-dir", state_dir, NULL);
  g_assert_no_error (error);
  lines =
    g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "READY "));
  server->url = g_strdup (line + strlen ("READY "));
  server->ca_path = g_build_filename (state_dir, "ca.pem", NULL);

  return server;
}

/**
 * test_util_sts_server_get:
 * @server: the server
 * @path: a control path such as "/_control/totp?serial=…"
 * @data: (nullable): a body to POST, or %NULL for a GET
 *
 * Returns: (transfer full): what the server answered, trimmed
 */
char *
test_util_sts_server_get (const TestUtilStsServer *server, const char *path,
                          const char *data)
{
  g_autofree char *url = g_strconcat (server->url, path, NULL);
  const char *argv[] = { "curl",     "-sS",
                         "--cacert", server->ca_path,
                         url,        data ? "--data" : NULL,
                         data,       NULL };
  g_autofree char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH,
                               NULL, NULL, &out, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_strstrip (g_steal_pointer (&out));
}

/**
 * test_util_sts_server_control:
 * @server: the server
 * @json: the control document, such as `{"reset": true}`
 *
 * Changes the server's state: faults, clock, used codes.
 */
void
test_util_sts_server_control (const TestUtilStsServer *server, const char *json)
{
  g_free (test_util_sts_server_get (server, "/_control", json));
}

/**
 * test_util_sts_server_stop:
 * @server: (transfer full): the server
 *
 * Stops the server and frees @server.
 */
void
test_util_sts_server_stop (TestUtilStsServer *server)
{
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, NULL);
  g_object_unref (server->process);
  g_free (server->url);
  g_free (server->ca_path);
  g_free (server);
}

/**
 * test_util_waiter_done:
 * @source: the call's source object
 * @result: its result
 * @waiter: the #TestUtilWaiter
 *
 * The #GAsyncReadyCallback to pass to the call.
 */
void
test_util_waiter_done (GObject *source, GAsyncResult *result, gpointer waiter)
{
  TestUtilWaiter *self = waiter;

  self->result = g_object_ref (result);
  g_main_loop_quit (self->loop);
}

/**
 * test_util_waiter_wait:
 * @waiter: a waiter whose callback was passed to a call
 *
 * Returns: (transfer full): the call's result, after running the main loop
 * until it came
 */
GAsyncResult *
test_util_waiter_wait (TestUtilWaiter *waiter)
{
  if (waiter->result == NULL)
    g_main_loop_run (waiter->loop);
  g_clear_pointer (&waiter->loop, g_main_loop_unref);
  return waiter->result;
}
