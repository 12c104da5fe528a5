/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* botomfa: the command line, compatible with the original Python tool. */

#define G_LOG_DOMAIN "botomfa"

#include "config.h"

#include "cli-common.h"
#include "credential-process-command.h"
#include "devices-command.h"
#include "export-command.h"
#include "status-command.h"
#include "keys-command.h"
#include "terminal-prompt.h"
#include "mfa-process.h"
#include "profile.h"
#include "refresh-sts.h"
#include "wipe.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
  char *profile;
  char *account;
  char *device_name;
  char *duration;
  char *role_arn;
  gboolean clear;
  gboolean debug;
  gboolean version;
} Options;

static const char *
describe (void)
{
  return _ (
    "Checks the temporary AWS credentials in the boto config and, when\n"
    "they are missing, expired or refused, asks for a code from your\n"
    "MFA device and gets new ones from AWS STS.\n"
    "\n"
    "The long-term key comes from the desktop keyring (see botomfa keys\n"
    "--help), else from [long-term] ([PROFILE-long-term]) of the boto\n"
    "config. The session is written to [Credentials] ([PROFILE]) of\n"
    "BOTO_CONFIG, or ~/.boto, and to [PROFILE] of ~/.aws/credentials\n"
    "for profiles the AWS files know (botomfa status says where and\n"
    "why). The code is read from the terminal\n"
    "without echo, or as one line from standard input when that is\n"
    "not a terminal (echo 123456 | botomfa).\n"
    "\n"
    "Commands:\n"
    "  keys set|import|list|delete   manage long-term keys in the keyring\n"
    "  status [--profile NAME] [--json] [--check]\n"
    "                         every profile's state, key and targets\n"
    "  devices [--profile NAME]\n"
    "                         the IAM user's MFA devices\n"
    "  export [--profile NAME]\n"
    "                         the session as shell export lines (eval)\n"
    "  credential-process --profile NAME\n"
    "                         print the session for the AWS SDKs (the\n"
    "                         credential_process setting of ~/.aws/config)\n"
    "\n"
    "Environment:\n"
    "  AWS_ACT_NUM            account number of the MFA device\n"
    "  MFA_DEVICE_NAME        MFA device name or ARN (also MFA_USER,\n"
    "                         then USER)\n"
    "  STS_DURATION           session lifetime in seconds (900)\n"
    "  BOTO_CONFIG            the boto config file\n"
    "  AWS_PROFILE            the profile, when --profile is not given\n"
    "  AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE\n"
    "                         the AWS config and credentials files\n"
    "  AWS_REGION             the region whose STS endpoint to use\n"
    "  AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL\n"
    "                         send STS / IAM calls to this URL\n"
    "  AWS_CA_BUNDLE          extra trusted CA certificates (PEM)\n"
    "  BOTOMFA_STS_TIMEOUT    seconds to wait for STS (30)\n"
    "\n"
    "Exit status:\n"
    "  0    the credentials are valid (checked, refreshed or cleared)\n"
    "  1    configuration, file or keyring problem\n"
    "  2    invalid option, duration or MFA code\n"
    "  3    AWS could not be reached; nothing was changed\n"
    "  4    AWS refused the code or the key; nothing was changed\n"
    "  130  interrupted");
}

static gboolean
parse_options (int *argc, char ***argv, Options *options, GError **error)
{
  const GOptionEntry entries[] = {
    { "duration", 'd', 0, G_OPTION_ARG_STRING, &options->duration,
      N_ ("Session lifetime in seconds, 900 to 129600 (default 900)"),
      N_ ("SECONDS") },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &options->profile,
      N_ ("The profile: [profile NAME] of ~/.aws/config, and [NAME-long-term] "
          "and [NAME] instead of [long-term] and [Credentials] of the boto "
          "config"),
      N_ ("NAME") },
    { "aws-act-num", 'a', 0, G_OPTION_ARG_STRING, &options->account,
      N_ ("AWS account number of the MFA device (AWS_ACT_NUM)"),
      N_ ("NUMBER") },
    { "mfa-device-name", 'm', 0, G_OPTION_ARG_STRING, &options->device_name,
      N_ ("MFA device name or ARN (MFA_DEVICE_NAME, MFA_USER, USER)"),
      N_ ("NAME") },
    { "assume-role-arn", 'r', 0, G_OPTION_ARG_STRING, &options->role_arn,
      N_ ("Assume this role with MFA instead of getting a session token"),
      N_ ("ARN") },
    { "clear", 'c', 0, G_OPTION_ARG_NONE, &options->clear,
      N_ ("Blank the temporary credentials and exit"), NULL },
    { "debug", 0, 0, G_OPTION_ARG_NONE, &options->debug,
      N_ ("Print what botomfa does (never secrets) on standard error"), NULL },
    { "version", 'V', 0, G_OPTION_ARG_NONE, &options->version,
      N_ ("Print the version and exit"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = NULL;

  context = g_option_context_new (_ ("[COMMAND [OPTION…]]"));
  g_option_context_set_summary (
    context, _ ("Keep AWS temporary credentials for MFA accounts fresh."));
  g_option_context_set_description (context, describe ());
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (*argc > 1) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                 _ ("Unexpected argument “%s”; see botomfa --help"),
                 (*argv)[1]);
    return FALSE;
  }

  return TRUE;
}

static Profile *
resolve_profile (const Options *options, GError **error)
{
  ProfileOverrides overrides = { options->profile, options->account,
                                 options->device_name, 0, options->role_arn };

  if (options->duration != NULL
      && !profile_parse_duration (options->duration, &overrides.duration,
                                  error)) {
    g_prefix_error (error, "--duration: ");
    return NULL;
  }

  return profile_resolve (&overrides, error);
}

static gboolean
validate (const Profile *profile, StsClient *client, gboolean *valid,
          GError **error)
{
  RefreshStatus status;

  g_print ("%s\n", _ ("Validating current temporary credentials.."));
  if (!refresh_validate (profile, client, &status, NULL, NULL, error))
    return FALSE;

  *valid = status == REFRESH_STATUS_VALID;
  g_print ("%s\n", *valid ? _ ("Current temporary credentials success!")
                          : _ ("Current temporary creds failed."));
  return TRUE;
}

static Credentials *
ask_and_obtain (const Profile *profile, StsClient *client,
                const Credentials *long_term, GError **error)
{
  g_autofree char *prompt = NULL;
  g_auto (WipeString) input = NULL;
  g_auto (WipeString) code = NULL;

  if (profile->mfa_process != NULL) {
    code = mfa_process_run (profile->mfa_process, 60 * 1000, error);
    return code ? refresh_obtain (profile, client, long_term, code, NULL, error)
                : NULL;
  }

  prompt = g_strdup_printf (_ ("Enter AWS MFA code for user %s:"),
                            profile->device_name);
  input = terminal_prompt_read (prompt, TRUE, error);
  if (input == NULL) {
    if (g_error_matches (*error, TERMINAL_PROMPT_ERROR,
                         TERMINAL_PROMPT_ERROR_NO_INPUT))
      g_prefix_error (error, _ ("No MFA code: "));
    return NULL;
  }

  code = refresh_normalize_code (input, error);
  if (code == NULL)
    return NULL;

  return refresh_obtain (profile, client, long_term, code, NULL, error);
}

static gboolean
run_refresh (Profile *profile, GError **error)
{
  g_autoptr (StsClient) client = NULL;
  g_autoptr (Credentials) long_term = NULL;
  g_autoptr (Credentials) session = NULL;
  g_autofree char *notice = NULL;
  g_autofree char *settings_path = NULL;
  const Credentials *replaceable;
  gboolean from_keyring = FALSE;
  gboolean valid = FALSE;

  client = sts_client_new (profile->region, profile->legacy_global, error);
  if (client == NULL || !validate (profile, client, &valid, error))
    return FALSE;
  if (valid)
    return TRUE;

  /* Everything that can be checked is checked before the user types a
   * code: a code is good for one use only. */
  long_term = refresh_load_long_term (profile, cli_keyring_timeout (),
                                      &from_keyring, &notice, error);
  if (notice != NULL)
    g_printerr ("%s: %s\n", g_get_prgname (), notice);
  replaceable = from_keyring ? long_term : NULL;
  if (long_term == NULL
      || (profile->mfa_serial == NULL
          && !cli_discover_device (profile, client, long_term, TRUE, error))
      || !refresh_check_target (profile, replaceable, error))
    return FALSE;

  session = ask_and_obtain (profile, client, long_term, error);
  if (session == NULL || !refresh_store (profile, session, replaceable, error))
    return FALSE;
  refresh_remember (profile, session, cli_keyring_timeout ());
  settings_path = profile_settings_path ();
  if (profile_boto_shadowed (profile))
    g_printerr (_ ("%s: note: boto 2 reads [default] of %s before "
                   "[Credentials] of %s, so it will not use this session; "
                   "remove that [default], or set “targets = boto, "
                   "aws-credentials” under [default] in %s\n"),
                g_get_prgname (), profile->aws_credentials_path,
                profile->boto_config_path, settings_path);

  /* STS issued the session a moment ago: it is valid without another
   * round trip. */
  g_print ("%s\n", _ ("Current temporary credentials success!"));
  return TRUE;
}

static void
options_clear (Options *options)
{
  g_free (options->profile);
  g_free (options->account);
  g_free (options->device_name);
  g_free (options->duration);
  g_free (options->role_arn);
}

int
main (int argc, char **argv)
{
  Options options = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (Profile) profile = NULL;
  int status = EXIT_OK;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("botomfa");
  /* Debug lines go to stderr: stdout carries the original's messages. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (argc > 1 && g_str_equal (argv[1], "keys"))
    return keys_command_run (argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "devices"))
    return devices_command_run (argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "export"))
    return export_command_run (argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "status"))
    return status_command_run (argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "credential-process"))
    return credential_process_command_run (argc - 1, argv + 1);

  if (!parse_options (&argc, &argv, &options, &error)) {
    status = cli_fail (EXIT_USAGE, error);
  } else if (options.version) {
    g_print ("botomfa %s\n", PACKAGE_VERSION);
  } else {
    if (options.debug)
      g_log_set_debug_enabled (TRUE);
    profile = resolve_profile (&options, &error);
    if (profile == NULL)
      status = cli_fail (cli_status_for_error (error), error);
    else if (options.clear ? !refresh_clear (profile, &error)
                           : !run_refresh (profile, &error))
      status =
        error ? cli_fail (cli_status_for_error (error), error) : EXIT_REFUSED;
    else if (options.clear)
      g_print ("%s\n", _ ("Temporary credentials cleared."));
  }

  options_clear (&options);
  return status;
}
