/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* "Start at login": the user's XDG autostart entry. A file of the same
 * name in $XDG_CONFIG_HOME/autostart overrides the system entry, which is
 * installed disabled; so enabling writes an enabled copy and disabling
 * removes it. */

#include "config.h"

#include "tray-autostart.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#define APP_ID "io.github.botomfa.Botomfa"
#define GROUP G_KEY_FILE_DESKTOP_GROUP

GQuark
tray_autostart_error_quark (void)
{
  return g_quark_from_static_string ("tray-autostart-error-quark");
}

/**
 * tray_autostart_get_path:
 *
 * Returns: (transfer full): where the user's autostart entry for the tray
 *   is, whether or not it exists
 */
char *
tray_autostart_get_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart",
                           APP_ID ".desktop", NULL);
}

/**
 * tray_autostart_is_enabled:
 *
 * The entry counts as enabled when it exists, parses, and neither hides
 * itself (Hidden=true) nor is switched off for GNOME
 * (X-GNOME-Autostart-enabled=false). Reads a small file: blocks briefly.
 *
 * Returns: whether the tray starts at login
 */
gboolean
tray_autostart_is_enabled (void)
{
  g_autofree char *path = tray_autostart_get_path ();
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  gboolean enabled;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL))
    return FALSE;
  if (g_key_file_get_boolean (file, GROUP, G_KEY_FILE_DESKTOP_KEY_HIDDEN, NULL))
    return FALSE;
  enabled =
    g_key_file_get_boolean (file, GROUP, "X-GNOME-Autostart-enabled", &error);

  return enabled || error != NULL;
}

static char *
entry_text (void)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();

  g_key_file_set_string (file, GROUP, G_KEY_FILE_DESKTOP_KEY_TYPE,
                         G_KEY_FILE_DESKTOP_TYPE_APPLICATION);
  g_key_file_set_string (file, GROUP, G_KEY_FILE_DESKTOP_KEY_NAME, "botomfa");
  g_key_file_set_string (
    file, GROUP, G_KEY_FILE_DESKTOP_KEY_COMMENT,
    _ ("Keep AWS temporary credentials fresh with your MFA device"));
  g_key_file_set_string (file, GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC,
                         "botomfa-tray");
  g_key_file_set_string (file, GROUP, G_KEY_FILE_DESKTOP_KEY_TRY_EXEC,
                         "botomfa-tray");
  g_key_file_set_string (file, GROUP, G_KEY_FILE_DESKTOP_KEY_ICON, APP_ID);
  g_key_file_set_boolean (file, GROUP, G_KEY_FILE_DESKTOP_KEY_TERMINAL, FALSE);
  g_key_file_set_boolean (file, GROUP, G_KEY_FILE_DESKTOP_KEY_NO_DISPLAY, TRUE);
  g_key_file_set_boolean (file, GROUP, "X-GNOME-UsesNotifications", TRUE);
  g_key_file_set_boolean (file, GROUP, "X-GNOME-Autostart-enabled", TRUE);

  return g_key_file_to_data (file, NULL, NULL);
}

static gboolean
write_entry (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = entry_text ();
  g_autoptr (GError) local_error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0) {
    int saved = errno;
    g_set_error (error, TRAY_AUTOSTART_ERROR, TRAY_AUTOSTART_ERROR_WRITE,
                 _ ("Cannot create the folder %s: %s. Check its permissions "
                    "and try again."),
                 dir, g_strerror (saved));
    return FALSE;
  }
  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0644, &local_error)) {
    g_set_error (error, TRAY_AUTOSTART_ERROR, TRAY_AUTOSTART_ERROR_WRITE,
                 _ ("Cannot turn on starting at login: %s. Check the "
                    "permissions of %s and try again."),
                 local_error->message, dir);
    return FALSE;
  }

  return TRUE;
}

static gboolean
remove_entry (const char *path, GError **error)
{
  int saved;

  if (g_unlink (path) == 0 || errno == ENOENT)
    return TRUE;
  saved = errno;
  g_set_error (error, TRAY_AUTOSTART_ERROR, TRAY_AUTOSTART_ERROR_REMOVE,
               _ ("Cannot turn off starting at login: removing %s failed: "
                  "%s. Remove the file by hand."),
               path, g_strerror (saved));

  return FALSE;
}

/**
 * tray_autostart_set_enabled:
 * @enabled: whether the tray should start at login
 * @error: return location for a #TrayAutostartError
 *
 * Writes the user's autostart entry (enabled, running `botomfa-tray`) or
 * removes it. Writes a small file: blocks briefly.
 *
 * Returns: %TRUE on success
 */
gboolean
tray_autostart_set_enabled (gboolean enabled, GError **error)
{
  g_autofree char *path = tray_autostart_get_path ();

  if (enabled)
    return write_entry (path, error);

  return remove_entry (path, error);
}
