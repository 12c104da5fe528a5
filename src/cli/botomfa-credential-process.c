/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* botomfa-credential-process: the fast form of `botomfa credential-process`.
 * It links GIO only and asks the running botomfa-tray over D-Bus; with no
 * tray (or one showing another profile) it runs `botomfa
 * credential-process` in its place, found next to itself or on PATH. */

#include "config.h"

#include "tray-client.h"
#include "wipe.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

/* As `botomfa credential-process`: SDKs refresh about five minutes before
 * Expiration, so hand out nothing stale by then. */
#define MIN_VALID_SECONDS (10 * 60)

static char *
find_botomfa (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = NULL;
  char *path;

  if (self != NULL) {
    dir = g_path_get_dirname (self);
    path = g_build_filename (dir, "botomfa", NULL);
    if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
      return path;
    g_free (path);
  }

  return g_find_program_in_path ("botomfa");
}

/* Returns only when the exec failed. */
static int
run_botomfa (const char *profile, gboolean debug)
{
  g_autofree char *botomfa = find_botomfa ();
  const char *argv[6] = { "botomfa", "credential-process", NULL };
  int argc = 2;

  if (botomfa == NULL) {
    g_printerr (_ ("botomfa-credential-process: botomfa is neither next to "
                   "this program nor on PATH; install botomfa\n"));
    return 1;
  }
  if (profile != NULL) {
    argv[argc++] = "--profile";
    argv[argc++] = profile;
  }
  if (debug)
    argv[argc++] = "--debug";
  execv (botomfa, (char **) argv);
  g_printerr (_ ("botomfa-credential-process: cannot run %s: %s\n"), botomfa,
              g_strerror (errno));

  return 1;
}

static int
run (const char *profile, gboolean debug)
{
  const char *name = profile ? profile : g_getenv ("AWS_PROFILE");
  g_autoptr (GError) error = NULL;
  char *json = tray_client_get_json (name && *name ? name : "default",
                                     MIN_VALID_SECONDS, &error);

  if (json != NULL) {
    fputs (json, stdout);
    fflush (stdout);
    wipe_string_free (json);
    return 0;
  }
  if (g_error_matches (error, TRAY_CLIENT_ERROR, TRAY_CLIENT_ERROR_NO_TRAY)) {
    if (debug)
      g_printerr ("botomfa-credential-process: %s\n", error->message);
    return run_botomfa (profile, debug);
  }
  g_printerr ("botomfa-credential-process: %s\n", error->message);

  return 1;
}

int
main (int argc, char **argv)
{
  g_autofree char *profile = NULL;
  gboolean debug = FALSE;
  const GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile,
      N_ ("The profile (default: AWS_PROFILE, else default)"), N_ ("NAME") },
    { "debug", 0, 0, G_OPTION_ARG_NONE, &debug,
      N_ ("Print what happens (never secrets) on standard error"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_option_context_set_summary (
    context, _ ("Print the profile's session for the AWS SDKs and CLI, from "
                "the running botomfa-tray, else from botomfa "
                "credential-process.\n\n"
                "In ~/.aws/config:\n"
                "  [profile NAME]\n"
                "  credential_process = botomfa-credential-process --profile "
                "NAME"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("botomfa-credential-process: %s\n", error->message);
    return 2;
  }

  return run (profile, debug);
}
