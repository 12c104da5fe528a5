/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* "Start at login" in a scratch XDG_CONFIG_HOME (G_TEST_OPTION_ISOLATE_DIRS
 * gives every test its own). */

#include "tray-autostart.h"

#include <glib/gstdio.h>

static void
write_entry (const char *text)
{
  g_autofree char *path = tray_autostart_get_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
test_path (void)
{
  g_autofree char *path = tray_autostart_get_path ();
  g_autofree char *expected =
    g_build_filename (g_get_user_config_dir (), "autostart",
                      "io.github.botomfa.Botomfa.desktop", NULL);

  g_assert_cmpstr (path, ==, expected);
  g_assert_false (tray_autostart_is_enabled ());
}

static void
test_enable_writes_enabled_entry (void)
{
  g_autofree char *path = tray_autostart_get_path ();
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *exec = NULL;

  g_assert_true (tray_autostart_set_enabled (TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (tray_autostart_is_enabled ());
  g_assert_true (g_key_file_load_from_file (file, path, 0, &error));
  g_assert_no_error (error);
  exec = g_key_file_get_string (file, "Desktop Entry", "Exec", &error);
  g_assert_cmpstr (exec, ==, "botomfa-tray");
  g_assert_false (g_key_file_has_key (file, "Desktop Entry", "Hidden", NULL));
  g_assert_true (g_key_file_get_boolean (file, "Desktop Entry",
                                         "X-GNOME-Autostart-enabled", &error));
  g_assert_no_error (error);

  /* Enabling twice is harmless. */
  g_assert_true (tray_autostart_set_enabled (TRUE, &error));
  g_assert_true (tray_autostart_is_enabled ());
}

static void
test_disable_removes (void)
{
  g_autofree char *path = tray_autostart_get_path ();
  g_autoptr (GError) error = NULL;

  g_assert_true (tray_autostart_set_enabled (TRUE, &error));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (tray_autostart_set_enabled (FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (tray_autostart_is_enabled ());
  /* Disabling what is not there succeeds. */
  g_assert_true (tray_autostart_set_enabled (FALSE, &error));
  g_assert_no_error (error);
}

static void
test_disabled_entries (void)
{
  write_entry ("[Desktop Entry]\nType=Application\nExec=botomfa-tray\n");
  g_assert_true (tray_autostart_is_enabled ());
  write_entry ("[Desktop Entry]\nType=Application\nExec=botomfa-tray\n"
               "Hidden=true\n");
  g_assert_false (tray_autostart_is_enabled ());
  write_entry ("[Desktop Entry]\nType=Application\nExec=botomfa-tray\n"
               "X-GNOME-Autostart-enabled=false\n");
  g_assert_false (tray_autostart_is_enabled ());
  write_entry ("not a desktop file\n");
  g_assert_false (tray_autostart_is_enabled ());
}

static void
test_write_error (void)
{
  g_autofree char *path = tray_autostart_get_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GError) error = NULL;

  /* A file where the folder should be. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_config_dir (), 0700), ==,
                   0);
  g_assert_true (g_file_set_contents (dir, "", 0, NULL));
  g_assert_false (tray_autostart_set_enabled (TRUE, &error));
  g_assert_error (error, TRAY_AUTOSTART_ERROR, TRAY_AUTOSTART_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, dir));
  g_assert_false (tray_autostart_is_enabled ());
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/tray-autostart/path", test_path);
  g_test_add_func ("/tray-autostart/enable", test_enable_writes_enabled_entry);
  g_test_add_func ("/tray-autostart/disable", test_disable_removes);
  g_test_add_func ("/tray-autostart/disabled-entries", test_disabled_entries);
  g_test_add_func ("/tray-autostart/write-error", test_write_error);

  return g_test_run ();
}
