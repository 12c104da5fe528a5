/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* botomfa credential-process: the AWS credential_process contract. SDKs
 * run it often and read its standard output, so it answers from the
 * session cache when it can, asks for a code only on the controlling
 * terminal or through the profile's mfa_process, and otherwise fails at
 * once with a message on stderr. */

#include "config.h"

#include "credential-process-command.h"
#include "cli-common.h"
#include "credential-file.h"
#include "mfa-process.h"
#include "profile.h"
#include "refresh-sts.h"
#include "session-cache.h"
#include "terminal-prompt.h"
#include "tray-client.h"
#include "wipe.h"

#include <glib/gi18n.h>
#include <stdio.h>

/* SDKs refresh about five minutes before Expiration; hand out nothing that
 * would be stale by then. */
#define MIN_VALID_SECONDS (10 * 60)
#define LOCK_TIMEOUT_MS (180 * 1000)
#define MFA_PROCESS_TIMEOUT_MS (60 * 1000)

typedef struct {
  char *profile;
  gboolean debug;
} Options;

static void
print_session (const Credentials *session)
{
  char *document = credential_file_format_process (session);

  fputs (document, stdout);
  fflush (stdout);
  wipe_string_free (document);
}

static char *
ask_for_code (const Profile *profile, GError **error)
{
  g_autofree char *prompt = NULL;
  g_auto (WipeString) input = NULL;

  if (profile->mfa_process != NULL)
    return mfa_process_run (profile->mfa_process, MFA_PROCESS_TIMEOUT_MS,
                            error);

  prompt = g_strdup_printf (_ ("Enter AWS MFA code for profile %s (device "
                               "%s):"),
                            profile->name, profile->device_name);
  input = terminal_prompt_read_tty (prompt, error);
  if (input == NULL) {
    if (g_error_matches (*error, TERMINAL_PROMPT_ERROR,
                         TERMINAL_PROMPT_ERROR_NO_TERMINAL)) {
      g_clear_error (error);
      g_set_error (error, TERMINAL_PROMPT_ERROR,
                   TERMINAL_PROMPT_ERROR_NO_TERMINAL,
                   _ ("Profile %s has no valid session and there is no "
                      "terminal to ask for an MFA code on; run “botomfa "
                      "--profile %s” in a terminal, or set mfa_process for "
                      "it"),
                   profile->name, profile->name);
    }
    return NULL;
  }

  return refresh_normalize_code (input, error);
}

static Credentials *
obtain (const Profile *profile, GError **error)
{
  g_autoptr (StsClient) client = NULL;
  g_autoptr (Credentials) long_term = NULL;
  g_auto (WipeString) code = NULL;
  g_autofree char *notice = NULL;

  long_term = refresh_load_long_term (profile, cli_keyring_timeout (), NULL,
                                      &notice, error);
  if (notice != NULL)
    g_printerr ("botomfa credential-process: %s\n", notice);
  if (long_term == NULL)
    return NULL;

  client = sts_client_new (profile->region, profile->legacy_global, error);
  if (client == NULL)
    return NULL;
  if (refresh_code_needed (profile, 0)) {
    code = ask_for_code (profile, error);
    if (code == NULL)
      return NULL;
  }

  return refresh_obtain_shared (profile, client, long_term, code, 0, NULL,
                                error);
}

static gboolean
discover (Profile *profile, GError **error)
{
  g_autoptr (StsClient) client = NULL;
  g_autoptr (Credentials) long_term = NULL;
  g_autofree char *notice = NULL;

  long_term = refresh_load_long_term (profile, cli_keyring_timeout (), NULL,
                                      &notice, error);
  if (long_term == NULL)
    return FALSE;
  client = sts_client_new (profile->region, profile->legacy_global, error);

  return client != NULL
         && cli_discover_device (profile, client, long_term, FALSE, error);
}

/**
 * credential_process_get_session:
 * @profile_name: (nullable): the profile; %NULL for AWS_PROFILE or default
 * @error: return location for a #GError
 *
 * The profile's session: from the cache, else after one refresh per MFA
 * device (the others wait for it), with the code from mfa_process or the
 * controlling terminal.
 *
 * Returns: (transfer full): the session, or %NULL
 */
Credentials *
credential_process_get_session (const char *profile_name, GError **error)
{
  ProfileOverrides overrides = { .name = profile_name };
  g_autoptr (Profile) profile = NULL;
  g_autoptr (Credentials) session = NULL;
  g_autoptr (SessionLock) lock = NULL;

  profile = profile_resolve (&overrides, error);
  if (profile == NULL
      || (profile->mfa_serial == NULL && !discover (profile, error)))
    return NULL;

  session = refresh_lookup_cached (profile, MIN_VALID_SECONDS, 0, NULL);
  if (session != NULL)
    return g_steal_pointer (&session);

  lock = session_lock_acquire (profile->mfa_serial, LOCK_TIMEOUT_MS, error);
  if (lock == NULL)
    return NULL;
  session = refresh_lookup_cached (profile, MIN_VALID_SECONDS, 0, NULL);
  if (session != NULL)
    return g_steal_pointer (&session);

  return obtain (profile, error);
}

/* A running tray answers from memory (or asks for the code itself);
 * returns FALSE with no error when there is none to ask. */
static gboolean
ask_tray (const char *profile_name, GError **error)
{
  const char *name = profile_name ? profile_name : g_getenv ("AWS_PROFILE");
  g_autoptr (GError) local_error = NULL;
  g_autoptr (Credentials) session = tray_client_get_session (
    name && *name ? name : "default", MIN_VALID_SECONDS, &local_error);

  if (session != NULL) {
    print_session (session);
    return TRUE;
  }
  g_debug ("tray: %s", local_error->message);
  if (!g_error_matches (local_error, TRAY_CLIENT_ERROR,
                        TRAY_CLIENT_ERROR_NO_TRAY))
    g_propagate_error (error, g_steal_pointer (&local_error));

  return FALSE;
}

static int
run (const Options *options, GError **error)
{
  g_autoptr (Credentials) session = NULL;

  if (ask_tray (options->profile, error))
    return EXIT_OK;
  if (*error != NULL)
    return EXIT_CONFIG;
  session = credential_process_get_session (options->profile, error);
  if (session == NULL)
    return cli_status_for_error (*error);

  print_session (session);
  return EXIT_OK;
}

/**
 * credential_process_command_run:
 * @argc: the argument count, "credential-process" included
 * @argv: the arguments
 *
 * Returns: the exit status of `botomfa credential-process …`
 */
int
credential_process_command_run (int argc, char **argv)
{
  Options options = { 0 };
  const GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &options.profile,
      N_ ("The profile (default: AWS_PROFILE, else default)"), N_ ("NAME") },
    { "debug", 0, 0, G_OPTION_ARG_NONE, &options.debug,
      N_ ("Print what botomfa does (never secrets) on standard error"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  int status;

  g_set_prgname ("botomfa credential-process");
  g_option_context_set_summary (
    context, _ ("Print the profile's session for the AWS SDKs and CLI.\n\n"
                "In ~/.aws/config:\n"
                "  [profile NAME]\n"
                "  credential_process = botomfa credential-process --profile "
                "NAME"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    status = EXIT_USAGE;
  else {
    if (options.debug)
      g_log_set_debug_enabled (TRUE);
    status = run (&options, &error);
  }

  if (error != NULL)
    cli_fail (status, error);
  g_free (options.profile);
  return status;
}
