/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include "ini-file.h"

#include <glib.h>

G_BEGIN_DECLS

/*
 * INI files on disk: an IniFile read through private_file_read() and edited
 * through private_file_update(), for the files botomfa reads and writes
 * (~/.boto, ~/.aws/config, ~/.aws/credentials, its own settings).
 *
 * A missing file reads as an empty IniFile. Buffers that held the file are
 * wiped. Errors are those of private-file.h and ini-file.h; the INI
 * editor's parse errors get the path in front, as described below. This
 * module has no error domain of its own.
 */

/**
 * IniStoreEditFunc:
 * @ini: the file as it is now, parsed afresh for each call; empty when the
 *   file does not exist
 * @changed: (inout): %TRUE on entry; set it to %FALSE to leave the file as
 *   it is (a missing file then stays missing)
 * @user_data: the data given to ini_store_edit()
 * @error: return location for an error of any domain, which
 *   ini_store_edit() passes on unchanged
 *
 * Edits @ini in place. It may be called more than once, each time with
 * fresher contents, when another program changes the file meanwhile (see
 * private_file_update()); it must not block for long.
 *
 * Returns: %FALSE, with @error set, to abort: nothing is written.
 */
typedef gboolean (*IniStoreEditFunc) (IniFile *ini, gboolean *changed,
                                      gpointer user_data, GError **error);

IniFile *ini_store_load (const char *path, gboolean *missing, GError **error);
gboolean ini_store_edit (const char *path, IniStoreEditFunc edit,
                         gpointer user_data, GError **error);

G_END_DECLS
