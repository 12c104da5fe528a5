/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#include "private-file.h"
#include "wipe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/* A credentials file is a few kilobytes; anything this big is a mistake. */
#define MAX_FILE_SIZE (16 * 1024 * 1024)
#define TEMP_INFIX ".botomfa-"
#define TEMP_RANDOM_LEN 6
#define MAX_SYMLINKS 40

GQuark
private_file_error_quark (void)
{
  return g_quark_from_static_string ("private-file-error-quark");
}

/* What was read of the target, to tell whether someone else changed it. */
typedef struct {
  gboolean exists;
  struct stat st;
  char *contents;
  gsize len;
} Snapshot;

typedef enum {
  ATTEMPT_DONE,
  ATTEMPT_FAILED,
  ATTEMPT_CHANGED,
} AttemptResult;

static const char *
errno_advice (int errsv)
{
  switch (errsv) {
    case EACCES:
    case EPERM:
      return _ ("; check that you own the file and its directory and may "
                "write to them");
    case ENOSPC:
    case EDQUOT:
      return _ ("; the disk (or your quota) is full: free some space and try "
                "again");
    case EROFS:
      return _ ("; the file system is mounted read-only");
    case ELOOP:
      return _ ("; a symbolic link points to itself in a loop: fix the link");
    case ENOTDIR:
      return _ ("; a part of the path is a file, not a directory");
    case EFBIG:
      return _ ("; this is not a credentials file: check the path");
    default:
      return "";
  }
}

/* @format says what failed and names the path; the system's reason and
 * what to do follow. Take errno before calling: _() may change it. */
static gboolean set_io_error (GError **error, int errsv, const char *format,
                              ...) G_GNUC_PRINTF (3, 4);

static gboolean
set_io_error (GError **error, int errsv, const char *format, ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, PRIVATE_FILE_ERROR, PRIVATE_FILE_ERROR_IO, "%s: %s%s",
               what, g_strerror (errsv), errno_advice (errsv));
  return FALSE;
}

static void
snapshot_clear (Snapshot *snapshot)
{
  private_file_free_contents (snapshot->contents, snapshot->len);
  memset (snapshot, 0, sizeof *snapshot);
}

/**
 * private_file_free_contents:
 * @contents: (nullable) (transfer full): contents from private_file_read()
 * @len: their length
 *
 * Wipes and frees file contents.
 */
void
private_file_free_contents (char *contents, gsize len)
{
  wipe_memory (contents, len);
  g_free (contents);
}

/* Grows without realloc(), which would leave a stale copy unwiped. */
static void
grow_buffer (char **buffer, gsize *size, gsize used)
{
  gsize new_size = MAX (*size * 2, 4096);
  char *bigger = g_malloc (new_size);

  memcpy (bigger, *buffer, used);
  private_file_free_contents (*buffer, used);
  *buffer = bigger;
  *size = new_size;
}

static gboolean
read_all (int fd, const char *path, gsize hint, Snapshot *snapshot,
          GError **error)
{
  gsize size = MIN (hint, MAX_FILE_SIZE) + 2, used = 0;
  char *buffer = g_malloc (size);
  gssize n;

  do {
    if (used + 1 >= size)
      grow_buffer (&buffer, &size, used);
    n = read (fd, buffer + used, size - used - 1);
    if (n > 0)
      used += n;
  } while ((n > 0 && used <= MAX_FILE_SIZE) || (n < 0 && errno == EINTR));

  if (n != 0) {
    int errsv = n < 0 ? errno : EFBIG;

    private_file_free_contents (buffer, used);
    return set_io_error (error, errsv, _ ("Could not read “%s”"), path);
  }
  buffer[used] = '\0';
  snapshot->contents = buffer;
  snapshot->len = used;
  return TRUE;
}

static gboolean
check_regular (const struct stat *st, const char *path, GError **error)
{
  if (S_ISREG (st->st_mode))
    return TRUE;

  g_set_error (error, PRIVATE_FILE_ERROR, PRIVATE_FILE_ERROR_NOT_REGULAR,
               _ ("“%s” is not a regular file (it is a directory, a device or "
                  "a pipe); botomfa only edits plain files: move it away or "
                  "choose another path"),
               path);
  return FALSE;
}

/* Reads @path; a missing file is a snapshot that does not exist. */
static gboolean
snapshot_take (const char *path, Snapshot *snapshot, GError **error)
{
  int fd, errsv;
  gboolean ok;

  memset (snapshot, 0, sizeof *snapshot);
  /* O_NONBLOCK so that opening a FIFO cannot hang before fstat() tells. */
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  errsv = errno;
  if (fd < 0 && errsv == ENOENT)
    return TRUE;
  if (fd < 0)
    return set_io_error (error, errsv, _ ("Could not open “%s”"), path);

  ok = fstat (fd, &snapshot->st) == 0;
  if (!ok) {
    errsv = errno;
    set_io_error (error, errsv, _ ("Could not inspect “%s”"), path);
  }
  ok = ok && check_regular (&snapshot->st, path, error);
  ok = ok && read_all (fd, path, snapshot->st.st_size, snapshot, error);
  close (fd);
  snapshot->exists = ok;
  if (!ok)
    snapshot_clear (snapshot);
  return ok;
}

static gboolean
snapshot_same (const Snapshot *a, const Snapshot *b)
{
  if (a->exists != b->exists)
    return FALSE;
  if (!a->exists)
    return TRUE;

  return a->st.st_dev == b->st.st_dev && a->st.st_ino == b->st.st_ino
         && a->st.st_size == b->st.st_size
         && a->st.st_mtim.tv_sec == b->st.st_mtim.tv_sec
         && a->st.st_mtim.tv_nsec == b->st.st_mtim.tv_nsec && a->len == b->len
         && memcmp (a->contents, b->contents, a->len) == 0;
}

/**
 * private_file_read:
 * @path: the file to read (symbolic links are followed)
 * @contents: (out) (transfer full) (nullable): the contents, with a NUL
 *   after them; %NULL when the file does not exist. Free with
 *   private_file_free_contents().
 * @len: (out): the length of @contents (0 when it does not exist)
 * @error: return location for a #PRIVATE_FILE_ERROR
 *
 * Reads a whole file. A missing file (or a missing directory, or a
 * dangling link) is not an error: it returns %TRUE with *@contents %NULL,
 * so callers tell "missing" from "unreadable" without looking at codes.
 * Blocks.
 *
 * Returns: %FALSE with @error set when the file exists but cannot be read
 * (%PRIVATE_FILE_ERROR_IO) or is not a regular file
 * (%PRIVATE_FILE_ERROR_NOT_REGULAR).
 */
gboolean
private_file_read (const char *path, char **contents, gsize *len,
                   GError **error)
{
  Snapshot snapshot;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);
  g_return_val_if_fail (len != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *contents = NULL;
  *len = 0;
  if (!snapshot_take (path, &snapshot, error))
    return FALSE;

  *contents = g_steal_pointer (&snapshot.contents);
  *len = snapshot.len;
  return TRUE;
}

/* Follows symbolic links to the file that a rename must replace. Only the
 * last component matters: a rename through a linked directory lands in
 * the linked directory already. */
static char *
resolve_target (const char *path, GError **error)
{
  g_autofree char *current = g_strdup (path);

  for (int i = 0; i < MAX_SYMLINKS; i++) {
    struct stat st;
    g_autoptr (GError) link_error = NULL;
    g_autofree char *link = NULL;
    g_autofree char *dir = NULL;

    if (lstat (current, &st) < 0) {
      int errsv = errno;

      if (errsv == ENOENT)
        return g_steal_pointer (&current);
      set_io_error (error, errsv, _ ("Could not look up “%s”"), current);
      return NULL;
    }
    if (!S_ISLNK (st.st_mode))
      return g_steal_pointer (&current);
    link = g_file_read_link (current, &link_error);
    if (link == NULL) {
      g_set_error (error, PRIVATE_FILE_ERROR, PRIVATE_FILE_ERROR_IO, "%s",
                   link_error->message);
      return NULL;
    }
    dir = g_path_get_dirname (current);
    g_free (current);
    current = g_path_is_absolute (link) ? g_steal_pointer (&link)
                                        : g_build_filename (dir, link, NULL);
  }
  set_io_error (error, ELOOP, _ ("Could not follow the links of “%s”"), path);
  return NULL;
}

/* Opens and locks @dir; *locked tells whether the lock could be taken. */
static int
lock_directory (const char *dir, const char *target, gboolean *locked,
                GError **error)
{
  gint64 deadline = g_get_monotonic_time ()
                    + PRIVATE_FILE_LOCK_TIMEOUT_SECONDS * G_USEC_PER_SEC;
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0) {
    int errsv = errno;

    set_io_error (error, errsv, _ ("Could not open the directory “%s”"), dir);
    return -1;
  }

  *locked = FALSE;
  while (flock (fd, LOCK_EX | LOCK_NB) < 0) {
    if (errno == EINTR)
      continue;
    if (errno != EWOULDBLOCK)
      return fd; /* no flock() here: go on, the change check still guards */
    if (g_get_monotonic_time () >= deadline) {
      close (fd);
      g_set_error (error, PRIVATE_FILE_ERROR, PRIVATE_FILE_ERROR_BUSY,
                   _ ("Another botomfa is updating “%s” and has not finished "
                      "within %d seconds; try again in a moment"),
                   target, PRIVATE_FILE_LOCK_TIMEOUT_SECONDS);
      return -1;
    }
    g_usleep (20 * 1000);
  }
  *locked = TRUE;
  return fd;
}

static gboolean
is_stale_temp_name (const char *name, const char *base)
{
  gsize base_len = strlen (base);
  const char *random;

  if (name[0] != '.' || strncmp (name + 1, base, base_len) != 0
      || !g_str_has_prefix (name + 1 + base_len, TEMP_INFIX))
    return FALSE;

  random = name + 1 + base_len + strlen (TEMP_INFIX);
  if (strlen (random) != TEMP_RANDOM_LEN)
    return FALSE;
  for (const char *p = random; *p != '\0'; p++) {
    if (!g_ascii_isalnum (*p))
      return FALSE;
  }
  return TRUE;
}

/* Only called with the lock held, so no live botomfa owns these. */
static void
remove_stale_temps (int dir_fd, const char *dir, const char *base)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  if (listing == NULL)
    return;
  while ((name = g_dir_read_name (listing)) != NULL) {
    struct stat st;

    if (is_stale_temp_name (name, base)
        && fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0
        && S_ISREG (st.st_mode))
      unlinkat (dir_fd, name, 0);
  }
}

static gboolean
write_all (int fd, const char *data, gsize len)
{
  while (len > 0) {
    gssize n = write (fd, data, len);

    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return FALSE;
    data += n;
    len -= n;
  }
  return TRUE;
}

/* The new file is private from its creation; it takes the old file's
 * owner and group when allowed (root editing a user's file), and at
 * least its group when that is one of ours. */
static void
copy_ownership (int fd, const Snapshot *old)
{
  if (!old->exists
      || (old->st.st_uid == geteuid () && old->st.st_gid == getegid ()))
    return;
  if (fchown (fd, old->st.st_uid, old->st.st_gid) < 0
      && fchown (fd, -1, old->st.st_gid) < 0)
    return; /* not allowed: the file becomes ours, still 0600 */
}

static char *
write_temp (const char *dir, const char *base, GBytes *contents,
            const Snapshot *old, GError **error)
{
  g_autofree char *name = g_strdup_printf (".%s" TEMP_INFIX "XXXXXX", base);
  g_autofree char *temp = g_build_filename (dir, name, NULL);
  gsize len;
  const char *data = g_bytes_get_data (contents, &len);
  int fd = g_mkstemp_full (temp, O_RDWR | O_CLOEXEC, 0600);
  gboolean ok;
  int errsv;

  if (fd < 0) {
    errsv = errno;
    set_io_error (error, errsv, _ ("Could not create a temporary file in “%s”"),
                  dir);
    return NULL;
  }
  copy_ownership (fd, old);
  ok = fchmod (fd, 0600) == 0 && write_all (fd, data, len) && fsync (fd) == 0;
  errsv = errno;
  if (close (fd) < 0 && ok) {
    ok = FALSE;
    errsv = errno;
  }
  if (ok)
    return g_steal_pointer (&temp);

  g_unlink (temp);
  set_io_error (error, errsv, _ ("Could not write a temporary file in “%s”"),
                dir);
  return NULL;
}

static void
free_new_contents (GBytes *contents)
{
  gsize len;
  char *data;

  if (contents == NULL)
    return;
  /* Takes the buffer over when we hold the only reference to a plain
   * GBytes, and wipes it; a GBytes with its own free function (such as
   * ini_file_to_bytes()'s) wipes itself and hands over a copy. */
  data = g_bytes_unref_to_data (contents, &len);
  private_file_free_contents (data, len);
}

static AttemptResult
replace_if_unchanged (const char *target, const char *temp,
                      const Snapshot *before, int dir_fd, GError **error)
{
  Snapshot now;

  if (!snapshot_take (target, &now, error)) {
    g_unlink (temp);
    return ATTEMPT_FAILED;
  }
  if (!snapshot_same (before, &now)) {
    snapshot_clear (&now);
    g_unlink (temp);
    return ATTEMPT_CHANGED;
  }
  snapshot_clear (&now);

  if (g_rename (temp, target) < 0) {
    int errsv = errno;

    g_unlink (temp);
    set_io_error (error, errsv, _ ("Could not replace “%s”"), target);
    return ATTEMPT_FAILED;
  }
  /* The rename is done; a directory that cannot be synced (some file
   * systems refuse) only loses durability, not correctness. */
  fsync (dir_fd);
  return ATTEMPT_DONE;
}

static gboolean
run_edit (PrivateFileEditFunc edit, gpointer user_data, const Snapshot *before,
          GBytes **new_contents, GError **error)
{
  GError *local = NULL;

  *new_contents = NULL;
  if (edit (before->contents, before->len, new_contents, user_data, &local))
    return TRUE;

  g_clear_pointer (new_contents, free_new_contents);
  if (local == NULL)
    g_set_error_literal (&local, PRIVATE_FILE_ERROR, PRIVATE_FILE_ERROR_IO,
                         _ ("The update was abandoned"));
  g_propagate_error (error, local);
  return FALSE;
}

static AttemptResult
attempt_update (const char *target, int dir_fd, PrivateFileEditFunc edit,
                gpointer user_data, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (target);
  g_autofree char *base = g_path_get_basename (target);
  g_autofree char *temp = NULL;
  GBytes *new_contents = NULL;
  Snapshot before;
  AttemptResult result = ATTEMPT_FAILED;

  if (!snapshot_take (target, &before, error))
    return ATTEMPT_FAILED;
  if (!run_edit (edit, user_data, &before, &new_contents, error))
    goto out;
  result = ATTEMPT_DONE;
  if (new_contents == NULL)
    goto out;

  result = ATTEMPT_FAILED;
  temp = write_temp (dir, base, new_contents, &before, error);
  if (temp != NULL)
    result = replace_if_unchanged (target, temp, &before, dir_fd, error);

out:
  free_new_contents (new_contents);
  snapshot_clear (&before);
  return result;
}

/**
 * private_file_update:
 * @path: the file to update; it and its directory are created when
 *   missing. Symbolic links are followed and stay links.
 * @edit: computes the new contents from the current ones
 * @user_data: data for @edit
 * @error: return location for a #PRIVATE_FILE_ERROR, or for the error
 *   @edit set
 *
 * Replaces @path atomically with what @edit makes of its contents, under
 * botomfa's lock, re-applying @edit if another program changes the file
 * meanwhile; see the top of private-file.h. Blocks (file I/O, fsync, up to
 * PRIVATE_FILE_LOCK_TIMEOUT_SECONDS waiting for the lock): the tray runs
 * it in a GTask thread.
 *
 * Returns: %TRUE when the file holds the edit (or @edit asked for no
 * change); %FALSE with @error set, the file untouched, otherwise.
 */
gboolean
private_file_update (const char *path, PrivateFileEditFunc edit,
                     gpointer user_data, GError **error)
{
  g_autofree char *target = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  AttemptResult result = ATTEMPT_CHANGED;
  gboolean locked;
  int dir_fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (edit != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  target = resolve_target (path, error);
  if (target == NULL)
    return FALSE;
  dir = g_path_get_dirname (target);
  base = g_path_get_basename (target);
  if (g_mkdir_with_parents (dir, 0700) < 0) {
    int errsv = errno;

    return set_io_error (error, errsv,
                         _ ("Could not create the directory “%s”"), dir);
  }
  dir_fd = lock_directory (dir, target, &locked, error);
  if (dir_fd < 0)
    return FALSE;
  if (locked)
    remove_stale_temps (dir_fd, dir, base);

  for (int i = 0; i < PRIVATE_FILE_MAX_ATTEMPTS; i++) {
    result = attempt_update (target, dir_fd, edit, user_data, error);
    if (result != ATTEMPT_CHANGED)
      break;
  }
  close (dir_fd);

  if (result == ATTEMPT_CHANGED)
    g_set_error (error, PRIVATE_FILE_ERROR, PRIVATE_FILE_ERROR_CONFLICT,
                 _ ("“%s” kept changing while botomfa was updating it: another "
                    "program is writing to it. Close that program and try "
                    "again"),
                 target);
  return result == ATTEMPT_DONE;
}
