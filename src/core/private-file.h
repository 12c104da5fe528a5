/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Safe reading and replacement of a file that holds secrets (~/.boto,
 * ~/.aws/credentials).
 *
 * private_file_update() protocol:
 * 1. Symbolic links are followed to the real file, which is what gets
 *    replaced: a link stays a link. A missing directory is created 0700.
 * 2. botomfa's own writers are serialised with flock() on the target's
 *    DIRECTORY, opened read-only: the directory is not replaced by the
 *    rename, so the lock holds across it, and no lock file is left in the
 *    user's home. It waits at most PRIVATE_FILE_LOCK_TIMEOUT_SECONDS, then
 *    fails with PRIVATE_FILE_ERROR_BUSY. Where the file system refuses
 *    flock() on a directory (some NFS setups), it goes on without the lock
 *    and relies on step 5 alone.
 * 3. Holding the lock, it removes temporary files of ours for this target
 *    (".NAME.botomfa-XXXXXX") that a killed botomfa left behind: no live
 *    botomfa can be writing them.
 * 4. It reads the file and calls the edit function. The new contents go to
 *    a temporary file beside the target, created 0600 (whatever the old
 *    mode was: the file now holds a secret), given the old file's owner
 *    and group where the system allows it, written in full and fsync()ed.
 * 5. Just before the rename it reads the target again; if anything
 *    changed (device, inode, size, mtime or contents) another program
 *    wrote it meanwhile: the temporary file is dropped and the edit
 *    re-applied to the new contents, up to PRIVATE_FILE_MAX_ATTEMPTS
 *    times, so someone else's edit is never clobbered. A change in the few
 *    microseconds between that check and the rename cannot be seen.
 * 6. rename() over the target, then fsync() of the directory. Killed at
 *    any instant, the target holds the old or the new contents, complete.
 *
 * private_file_read() treats a missing file (or directory, or a dangling
 * link) as empty, not as an error: it returns TRUE with NULL contents, as
 * the edit function sees it.
 *
 * Buffers that held file contents are wiped. Extended attributes and ACLs
 * of the old file are not carried over.
 */

#define PRIVATE_FILE_LOCK_TIMEOUT_SECONDS 5
#define PRIVATE_FILE_MAX_ATTEMPTS 5

#define PRIVATE_FILE_ERROR (private_file_error_quark ())

/**
 * PrivateFileError:
 * @PRIVATE_FILE_ERROR_BUSY: another botomfa held the lock beyond the
 *   timeout
 * @PRIVATE_FILE_ERROR_CONFLICT: the file kept changing under us
 * @PRIVATE_FILE_ERROR_NOT_REGULAR: the path is a directory, a FIFO, a
 *   device...
 * @PRIVATE_FILE_ERROR_IO: a system call failed; the message names the path,
 *   the system's reason and what to do
 */
typedef enum {
  PRIVATE_FILE_ERROR_BUSY = 1,
  PRIVATE_FILE_ERROR_CONFLICT = 2,
  PRIVATE_FILE_ERROR_NOT_REGULAR = 3,
  PRIVATE_FILE_ERROR_IO = 4,
} PrivateFileError;

GQuark private_file_error_quark (void);

/**
 * PrivateFileEditFunc:
 * @contents: (nullable): the current contents, NUL-terminated for
 *   convenience (they may hold NUL bytes too); %NULL when the file does
 *   not exist
 * @len: the length of @contents (0 when it does not exist)
 * @new_contents: (out) (transfer full) (nullable): set to the complete new
 *   contents, or to %NULL to leave the file as it is. Prefer a #GBytes
 *   that wipes its buffer when freed, as ini_file_to_bytes() returns.
 * @user_data: the data given to private_file_update()
 * @error: return location for an error of any domain, which
 *   private_file_update() passes on unchanged
 *
 * Computes the new contents from the current ones. It may be called more
 * than once, each time with fresher contents, when another program changes
 * the file meanwhile; it runs in the thread that called
 * private_file_update(), holding the lock, so it must not block for long.
 *
 * Returns: %FALSE, with @error set, to abort: nothing is written.
 */
typedef gboolean (*PrivateFileEditFunc) (const char *contents, gsize len,
                                         GBytes **new_contents,
                                         gpointer user_data, GError **error);

gboolean private_file_read (const char *path, char **contents, gsize *len,
                            GError **error);
void private_file_free_contents (char *contents, gsize len);
gboolean private_file_update (const char *path, PrivateFileEditFunc edit,
                              gpointer user_data, GError **error);

G_END_DECLS
