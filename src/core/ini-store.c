/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* INI files on disk: the INI editor over the private file reader and
 * replacer. See ini-store.h. */

#define G_LOG_DOMAIN "botomfa-ini"

#include "config.h"

#include "ini-store.h"
#include "private-file.h"

#include <glib/gi18n-lib.h>

/**
 * ini_store_load:
 * @path: the file
 * @missing: (out) (optional): set to %TRUE when @path does not exist
 * @error: return location for a #GError
 *
 * Reads and parses @path with private_file_read(), wiping the raw
 * contents afterwards. Blocks on file I/O.
 *
 * Returns: (transfer full) (nullable): the file, empty when it does not
 * exist; %NULL when it cannot be read (%PRIVATE_FILE_ERROR) or parsed (an
 * %INI_FILE_ERROR whose message starts with "@path: "). Free with
 * ini_file_free().
 */
IniFile *
ini_store_load (const char *path, gboolean *missing, GError **error)
{
  char *contents = NULL;
  gsize len = 0;
  IniFile *ini;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!private_file_read (path, &contents, &len, error))
    return NULL;
  if (missing != NULL)
    *missing = contents == NULL;
  if (contents == NULL)
    return ini_file_new ();

  ini = ini_file_new_from_data (contents, len, error);
  private_file_free_contents (contents, len);
  if (ini == NULL)
    g_prefix_error (error, "%s: ", path);
  return ini;
}

typedef struct {
  const char *path;
  IniStoreEditFunc edit;
  gpointer user_data;
} Edit;

/* The PrivateFileEditFunc behind ini_store_edit(). */
static gboolean
apply_edit (const char *contents, gsize len, GBytes **new_contents,
            gpointer user_data, GError **error)
{
  const Edit *edit = user_data;
  g_autoptr (IniFile) ini = NULL;
  gboolean changed = TRUE;

  ini =
    contents ? ini_file_new_from_data (contents, len, error) : ini_file_new ();
  if (ini == NULL) {
    g_prefix_error (error, _ ("%s was left unchanged: "), edit->path);
    return FALSE;
  }

  if (!edit->edit (ini, &changed, edit->user_data, error))
    return FALSE;
  if (changed)
    *new_contents = ini_file_to_bytes (ini);
  return TRUE;
}

/**
 * ini_store_edit:
 * @path: the file; created 0600 (and its directory 0700) when missing and
 *   @edit changes it
 * @edit: the edit, called with the parsed file
 * @user_data: data for @edit
 * @error: return location for a #GError
 *
 * Parses @path, lets @edit change it and replaces the file with
 * private_file_update(): every byte @edit does not touch is kept, the file
 * ends up owner-only and a concurrent edit by another program is not lost.
 * Blocks on file I/O.
 *
 * Returns: %TRUE on success, also when @edit changed nothing; %FALSE with
 * @error set and the file unchanged: %PRIVATE_FILE_ERROR, an
 * %INI_FILE_ERROR when @path cannot be parsed (its message starts with
 * "@path was left unchanged: "), or @edit's error as it set it.
 */
gboolean
ini_store_edit (const char *path, IniStoreEditFunc edit, gpointer user_data,
                GError **error)
{
  Edit data = { path, edit, user_data };

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (edit != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return private_file_update (path, apply_edit, &data, error);
}
