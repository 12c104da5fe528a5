/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* botomfa export: the profile's session as shell `export` lines, for
 * eval "$(botomfa export --profile NAME)". */

#include "config.h"

#include "export-command.h"
#include "cli-common.h"
#include "credential-file.h"
#include "credential-process-command.h"
#include "wipe.h"

#include <glib/gi18n.h>
#include <stdio.h>

static void
append_export (GString *out, const char *name, const char *value)
{
  g_auto (WipeString) quoted = g_shell_quote (value);

  g_string_append_printf (out, "export %s=%s\n", name, quoted);
}

static void
print_exports (const Credentials *session)
{
  g_autofree char *expiration =
    credential_file_format_expiration (session->expiration);
  GString *out = g_string_new (NULL);

  append_export (out, "AWS_ACCESS_KEY_ID", session->access_key_id);
  append_export (out, "AWS_SECRET_ACCESS_KEY", session->secret_access_key);
  append_export (out, "AWS_SESSION_TOKEN", session->session_token);
  /* boto 2 reads only this name. */
  append_export (out, "AWS_SECURITY_TOKEN", session->session_token);
  append_export (out, "AWS_CREDENTIAL_EXPIRATION", expiration);
  fwrite (out->str, 1, out->len, stdout);
  fflush (stdout);
  wipe_gstring_free (out);
}

/**
 * export_command_run:
 * @argc: the argument count, "export" included
 * @argv: the arguments
 *
 * Returns: the exit status of `botomfa export …`
 */
int
export_command_run (int argc, char **argv)
{
  char *profile = NULL;
  const GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile,
      N_ ("The profile (default: AWS_PROFILE, else default)"), N_ ("NAME") },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (Credentials) session = NULL;
  int status = EXIT_OK;

  g_set_prgname ("botomfa export");
  g_option_context_set_summary (
    context, _ ("Print the profile's session as shell export lines, "
                "including AWS_CREDENTIAL_EXPIRATION:\n"
                "  eval \"$(botomfa export --profile NAME)\""));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    status = EXIT_USAGE;
  else if ((session = credential_process_get_session (profile, &error)) == NULL)
    status = cli_status_for_error (error);
  else
    print_exports (session);

  if (error != NULL)
    cli_fail (status, error);
  g_free (profile);
  return status;
}
