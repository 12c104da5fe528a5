/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#include "private-file.h"
#include "test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

/* A scratch directory; path is dir/credentials. */
typedef TestUtilScratch Fixture;

static void
write_file (const char *path, const char *contents, mode_t mode)
{
  test_util_write_file (path, contents, -1);
  g_assert_no_errno (chmod (path, mode));
}

static guint
count_temp_files (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    count += strstr (name, ".botomfa-") != NULL;
  return count;
}

/* An edit that appends a line, counting its calls. */
typedef struct {
  guint calls;
  gboolean saw_missing;
  void (*interfere) (const char *path, guint call);
  const char *path;
} Append;

static gboolean
append_line (const char *contents, gsize len, GBytes **new_contents,
             gpointer user_data, GError **error)
{
  Append *append = user_data;
  GString *text = g_string_new_len (contents, len);

  append->calls++;
  append->saw_missing = contents == NULL;
  g_assert_true (contents == NULL || contents[len] == '\0');
  g_string_append (text, "botomfa = yes\n");
  *new_contents = g_string_free_to_bytes (text);
  if (append->interfere != NULL)
    append->interfere (append->path, append->calls);
  return TRUE;
}

static void
update_appending (const char *path, Append *append)
{
  g_autoptr (GError) error = NULL;

  append->path = path;
  g_assert_true (private_file_update (path, append_line, append, &error));
  g_assert_no_error (error);
}

static void
test_read_missing (Fixture *fixture, gconstpointer data)
{
  g_autofree char *deep = g_build_filename (fixture->dir, "no", "such", NULL);
  g_autoptr (GError) error = NULL;
  char *contents = (char *) "unset";
  gsize len = 42;

  g_assert_true (private_file_read (fixture->path, &contents, &len, &error));
  g_assert_no_error (error);
  g_assert_null (contents);
  g_assert_cmpuint (len, ==, 0);
  g_assert_true (private_file_read (deep, &contents, &len, &error));
  g_assert_null (contents);

  write_file (fixture->path, "[a]\nk = v\n", 0600);
  g_assert_true (private_file_read (fixture->path, &contents, &len, &error));
  g_assert_cmpmem (contents, len, "[a]\nk = v\n", 10);
  private_file_free_contents (contents, len);
}

static void
assert_not_regular (const char *path)
{
  g_autoptr (GError) error = NULL;
  Append append = { 0 };
  char *contents = NULL;
  gsize len = 0;

  g_assert_false (private_file_read (path, &contents, &len, &error));
  g_assert_error (error, PRIVATE_FILE_ERROR, PRIVATE_FILE_ERROR_NOT_REGULAR);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_false (private_file_update (path, append_line, &append, &error));
  g_assert_error (error, PRIVATE_FILE_ERROR, PRIVATE_FILE_ERROR_NOT_REGULAR);
  g_assert_cmpuint (append.calls, ==, 0);
}

static void
test_not_regular (Fixture *fixture, gconstpointer data)
{
  g_autofree char *fifo = g_build_filename (fixture->dir, "fifo", NULL);

  g_assert_no_errno (g_mkdir (fixture->path, 0700));
  assert_not_regular (fixture->path);
  /* A FIFO must be refused, not block the open. */
  g_assert_no_errno (mkfifo (fifo, 0600));
  assert_not_regular (fifo);
}

static void
test_mode_0600 (Fixture *fixture, gconstpointer data)
{
  g_autofree char *contents = NULL;
  Append append = { 0 };
  struct stat st;

  write_file (fixture->path, "[a]\n", 0644);
  update_appending (fixture->path, &append);

  contents = test_util_read_file (fixture->path, NULL);
  g_assert_cmpstr (contents, ==, "[a]\nbotomfa = yes\n");
  g_assert_no_errno (stat (fixture->path, &st));
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_cmpuint (append.calls, ==, 1);
  g_assert_cmpuint (count_temp_files (fixture->dir), ==, 0);
}

static void
test_symlink (Fixture *fixture, gconstpointer data)
{
  g_autofree char *real_dir = g_build_filename (fixture->dir, "dotfiles", NULL);
  g_autofree char *real = g_build_filename (real_dir, "creds", NULL);
  g_autofree char *middle = g_build_filename (fixture->dir, "middle", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *target = NULL;
  Append append = { 0 };
  struct stat st;

  /* credentials -> middle -> dotfiles/creds, the first link relative. */
  g_assert_no_errno (g_mkdir (real_dir, 0700));
  write_file (real, "[a]\n", 0644);
  g_assert_no_errno (symlink (real, middle));
  g_assert_no_errno (symlink ("middle", fixture->path));
  update_appending (fixture->path, &append);

  g_assert_no_errno (lstat (fixture->path, &st));
  g_assert_true (S_ISLNK (st.st_mode));
  target = g_file_read_link (fixture->path, NULL);
  g_assert_cmpstr (target, ==, "middle");
  g_assert_no_errno (lstat (middle, &st));
  g_assert_true (S_ISLNK (st.st_mode));
  contents = test_util_read_file (real, NULL);
  g_assert_cmpstr (contents, ==, "[a]\nbotomfa = yes\n");
  g_assert_no_errno (stat (real, &st));
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_cmpuint (count_temp_files (real_dir), ==, 0);
  g_assert_cmpuint (count_temp_files (fixture->dir), ==, 0);
}

static void
test_create_missing (Fixture *fixture, gconstpointer data)
{
  g_autofree char *aws = g_build_filename (fixture->dir, "home", ".aws", NULL);
  g_autofree char *path = g_build_filename (aws, "credentials", NULL);
  g_autofree char *home = g_path_get_dirname (aws);
  g_autofree char *contents = NULL;
  Append append = { 0 };
  struct stat st;

  update_appending (path, &append);
  g_assert_true (append.saw_missing);
  contents = test_util_read_file (path, NULL);
  g_assert_cmpstr (contents, ==, "botomfa = yes\n");
  g_assert_no_errno (stat (path, &st));
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_no_errno (stat (aws, &st));
  g_assert_cmpint (st.st_mode & 07777, ==, 0700);
  g_assert_no_errno (stat (home, &st));
  g_assert_cmpint (st.st_mode & 07777, ==, 0700);
}

static gboolean
no_change (const char *contents, gsize len, GBytes **new_contents,
           gpointer user_data, GError **error)
{
  (*(guint *) user_data)++;
  *new_contents = NULL;
  return TRUE;
}

static void
test_no_change (Fixture *fixture, gconstpointer data)
{
  /* An mtime far in the past, so that any write would show. */
  const struct timespec old[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
  g_autoptr (GError) error = NULL;
  struct stat before, after;
  guint calls = 0;

  write_file (fixture->path, "[a]\n", 0644);
  g_assert_no_errno (utimensat (AT_FDCWD, fixture->path, old, 0));
  g_assert_no_errno (stat (fixture->path, &before));
  g_assert_true (
    private_file_update (fixture->path, no_change, &calls, &error));
  g_assert_no_error (error);
  g_assert_no_errno (stat (fixture->path, &after));
  g_assert_cmpuint (calls, ==, 1);
  g_assert_cmpuint (after.st_ino, ==, before.st_ino);
  g_assert_cmpint (after.st_mtim.tv_sec, ==, 1000000000);
  g_assert_cmpint (after.st_ctim.tv_sec, ==, before.st_ctim.tv_sec);
  g_assert_cmpint (after.st_ctim.tv_nsec, ==, before.st_ctim.tv_nsec);
  g_assert_cmpint (after.st_mode & 07777, ==, 0644);
}

static gboolean
failing_edit (const char *contents, gsize len, GBytes **new_contents,
              gpointer user_data, GError **error)
{
  *new_contents = g_bytes_new_static ("partial", 7);
  g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       "the file does not parse");
  return FALSE;
}

static void
test_edit_error (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  struct stat before, after;

  write_file (fixture->path, "[a]\ngarbage\n", 0644);
  g_assert_no_errno (stat (fixture->path, &before));
  g_assert_false (
    private_file_update (fixture->path, failing_edit, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_assert_no_errno (stat (fixture->path, &after));
  g_assert_cmpuint (after.st_ino, ==, before.st_ino);
  g_assert_cmpint (after.st_mode & 07777, ==, 0644);
  contents = test_util_read_file (fixture->path, NULL);
  g_assert_cmpstr (contents, ==, "[a]\ngarbage\n");
  g_assert_cmpuint (count_temp_files (fixture->dir), ==, 0);
}

/* Another program's writes, made while botomfa's edit runs. */
static void
rewrite_in_place (const char *path, guint call)
{
  FILE *file;

  if (call != 1)
    return;
  /* Same inode, same size: only the contents tell. */
  file = fopen (path, "r+");
  g_assert_nonnull (file);
  g_assert_cmpint (fputs ("[B]\n", file), >=, 0);
  g_assert_cmpint (fclose (file), ==, 0);
}

static void
replace_by_rename (const char *path, guint call)
{
  if (call == 1)
    g_assert_true (g_file_set_contents (path, "[editor]\nx = 1\n", -1, NULL));
}

static void
delete_file (const char *path, guint call)
{
  if (call == 1)
    g_assert_no_errno (g_unlink (path));
}

static void
test_foreign_edit (Fixture *fixture, gconstpointer data)
{
  const struct {
    void (*interfere) (const char *path, guint call);
    const char *expected;
  } cases[] = {
    { rewrite_in_place, "[B]\nbotomfa = yes\n" },
    { replace_by_rename, "[editor]\nx = 1\nbotomfa = yes\n" },
    { delete_file, "botomfa = yes\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *contents = NULL;
    Append append = { 0, FALSE, cases[i].interfere };

    write_file (fixture->path, "[A]\n", 0600);
    update_appending (fixture->path, &append);
    /* Re-applied on what the other program wrote, which survives. */
    g_assert_cmpuint (append.calls, ==, 2);
    contents = test_util_read_file (fixture->path, NULL);
    g_assert_cmpstr (contents, ==, cases[i].expected);
    g_assert_cmpuint (count_temp_files (fixture->dir), ==, 0);
  }
}

static void
rewrite_always (const char *path, guint call)
{
  g_autofree char *text = g_strdup_printf ("[other]\nwrite = %u\n", call);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
test_conflict (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *last = NULL;
  Append append = { 0, FALSE, rewrite_always, fixture->path };

  write_file (fixture->path, "[A]\n", 0600);
  g_assert_false (
    private_file_update (fixture->path, append_line, &append, &error));
  g_assert_error (error, PRIVATE_FILE_ERROR, PRIVATE_FILE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_cmpuint (append.calls, ==, PRIVATE_FILE_MAX_ATTEMPTS);
  contents = test_util_read_file (fixture->path, NULL);
  last = g_strdup_printf ("[other]\nwrite = %d\n", PRIVATE_FILE_MAX_ATTEMPTS);
  g_assert_cmpstr (contents, ==, last);
  g_assert_cmpuint (count_temp_files (fixture->dir), ==, 0);
}

static char *
writer_path (void)
{
  return g_test_build_filename (G_TEST_BUILT, "private-file-writer", NULL);
}

static GPid
spawn_holder (const char *path)
{
  g_autofree char *writer = writer_path ();
  const char *argv[] = { writer, "--hold", path, "30", NULL };
  g_autoptr (GError) error = NULL;
  char line[16] = "";
  gssize n = 0, got = 0;
  GPid pid;
  int out;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                            G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL,
                            &out, NULL, &error);
  g_assert_no_error (error);
  while (got < 7 && (n = read (out, line + got, 7 - got)) > 0)
    got += n;
  close (out);
  g_assert_cmpstr (line, ==, "locked\n");
  return pid;
}

static void
kill_and_reap (GPid pid)
{
  int status;

  g_assert_no_errno (kill (pid, SIGKILL));
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
}

static void
test_busy (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  Append append = { 0 };
  gint64 start, elapsed;
  GPid holder;

  write_file (fixture->path, "[A]\n", 0600);
  holder = spawn_holder (fixture->path);

  start = g_get_monotonic_time ();
  g_assert_false (
    private_file_update (fixture->path, append_line, &append, &error));
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, PRIVATE_FILE_ERROR, PRIVATE_FILE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, "Another botomfa"));
  g_assert_cmpint (elapsed, >=,
                   (PRIVATE_FILE_LOCK_TIMEOUT_SECONDS - 1) * G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, <=,
                   (PRIVATE_FILE_LOCK_TIMEOUT_SECONDS + 3) * G_USEC_PER_SEC);
  g_assert_cmpuint (append.calls, ==, 0);

  /* Once the holder is gone (killed: the kernel drops its lock), it
   * works. */
  kill_and_reap (holder);
  g_clear_error (&error);
  update_appending (fixture->path, &append);
  contents = test_util_read_file (fixture->path, NULL);
  g_assert_cmpstr (contents, ==, "[A]\nbotomfa = yes\n");
}

static void
test_stale_temp (Fixture *fixture, gconstpointer data)
{
  const char *const stale[] = { ".credentials.botomfa-AbC123",
                                ".credentials.botomfa-zzzzzz" };
  const char *const kept[] = { ".credentials.botomfa-keep",
                               ".config.botomfa-"
                               "XyZ789",
                               "credentials.botomfa-AbC123" };
  Append append = { 0 };

  write_file (fixture->path, "[A]\n", 0600);
  for (guint i = 0; i < G_N_ELEMENTS (stale); i++) {
    g_autofree char *path = g_build_filename (fixture->dir, stale[i], NULL);

    write_file (path, "[half", 0600);
  }
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++) {
    g_autofree char *path = g_build_filename (fixture->dir, kept[i], NULL);

    write_file (path, "not ours", 0600);
  }
  update_appending (fixture->path, &append);
  for (guint i = 0; i < G_N_ELEMENTS (stale); i++) {
    g_autofree char *path = g_build_filename (fixture->dir, stale[i], NULL);

    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++) {
    g_autofree char *path = g_build_filename (fixture->dir, kept[i], NULL);

    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  }
}

static void
test_ownership (Fixture *fixture, gconstpointer data)
{
  Append append = { 0 };
  struct stat st;

  if (geteuid () != 0) {
    g_test_skip ("only root can give a file to another user");
    return;
  }
  write_file (fixture->path, "[A]\n", 0644);
  g_assert_no_errno (chown (fixture->path, 4321, 4322));
  update_appending (fixture->path, &append);
  g_assert_no_errno (stat (fixture->path, &st));
  g_assert_cmpuint (st.st_uid, ==, 4321);
  g_assert_cmpuint (st.st_gid, ==, 4322);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
}

static void
test_io_error (Fixture *fixture, gconstpointer data)
{
  g_autofree char *below_file = g_build_filename (fixture->path, "x", NULL);
  g_autoptr (GError) error = NULL;
  Append append = { 0 };

  /* A path through a regular file: the message names it and says why. */
  write_file (fixture->path, "[A]\n", 0600);
  g_assert_false (
    private_file_update (below_file, append_line, &append, &error));
  g_assert_error (error, PRIVATE_FILE_ERROR, PRIVATE_FILE_ERROR_IO);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, "not a directory"));
  g_assert_cmpuint (append.calls, ==, 0);
}

/* ----- Killed at any instant ----- */

static GBytes *
make_version (char letter)
{
  GString *text = g_string_new ("[default]\n");

  for (guint i = 0; text->len < 256 * 1024; i++)
    g_string_append_printf (text, "key%05u = %c-value-%05u\n", i, letter, i);
  return g_string_free_to_bytes (text);
}

static char *
write_version (const char *dir, const char *name, GBytes *bytes)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL));
  return path;
}

static GPid
spawn_toggler (const char *path, const char *a, const char *b)
{
  g_autofree char *writer = writer_path ();
  const char *argv[] = { writer, path, a, b, "0", NULL };
  g_autoptr (GError) error = NULL;
  GPid pid;

  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                 NULL, &pid, &error);
  g_assert_no_error (error);
  return pid;
}

static void
test_kill (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GBytes) a = make_version ('A');
  g_autoptr (GBytes) b = make_version ('B');
  g_autofree char *a_path = write_version (fixture->dir, "version-a", a);
  g_autofree char *b_path = write_version (fixture->dir, "version-b", b);
  guint seen_a = 0, seen_b = 0, left_temp = 0;
  Append append = { 0 };

  write_version (fixture->dir, "credentials", a);
  for (int i = 0; i < 200; i++) {
    GPid pid = spawn_toggler (fixture->path, a_path, b_path);
    g_autofree char *contents = NULL;
    gsize len = 0;

    g_usleep (g_test_rand_int_range (1000, 15000));
    kill_and_reap (pid);
    g_assert_true (g_file_get_contents (fixture->path, &contents, &len, NULL));
    if (g_bytes_get_size (a) == len
        && memcmp (contents, g_bytes_get_data (a, NULL), len) == 0)
      seen_a++;
    else if (g_bytes_get_size (b) == len
             && memcmp (contents, g_bytes_get_data (b, NULL), len) == 0)
      seen_b++;
    else
      g_assert_not_reached ();
    left_temp += count_temp_files (fixture->dir) > 0;
  }
  g_test_message ("after 200 kills: %u times A, %u times B, %u times a "
                  "temporary file left",
                  seen_a, seen_b, left_temp);
  /* The writer did run, and was killed mid-write at least once. */
  g_assert_cmpuint (seen_a, >, 0);
  g_assert_cmpuint (seen_b, >, 0);
  g_assert_cmpuint (left_temp, >, 0);

  /* The next run cleans up what the killed ones left. */
  update_appending (fixture->path, &append);
  g_assert_cmpuint (count_temp_files (fixture->dir), ==, 0);
}

#define ADD(name, func)                                      \
  g_test_add ("/private-file/" name, Fixture, "credentials", \
              test_util_scratch_set_up, func, test_util_scratch_tear_down)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ADD ("read-missing", test_read_missing);
  ADD ("not-regular", test_not_regular);
  ADD ("mode-0600", test_mode_0600);
  ADD ("symlink", test_symlink);
  ADD ("create-missing", test_create_missing);
  ADD ("no-change", test_no_change);
  ADD ("edit-error", test_edit_error);
  ADD ("foreign-edit", test_foreign_edit);
  ADD ("conflict", test_conflict);
  ADD ("busy", test_busy);
  ADD ("stale-temp", test_stale_temp);
  ADD ("ownership", test_ownership);
  ADD ("io-error", test_io_error);
  ADD ("kill", test_kill);

  return g_test_run ();
}
