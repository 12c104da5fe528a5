/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* botomfa devices: the MFA devices of the profile's IAM user. */

#include "config.h"

#include "devices-command.h"
#include "cli-common.h"
#include "device-discovery.h"
#include "profile.h"
#include "refresh.h"

#include <glib/gi18n.h>

static int
list_devices (const char *name, GError **error)
{
  ProfileOverrides overrides = { .name = name };
  g_autoptr (Profile) profile = NULL;
  g_autoptr (Credentials) long_term = NULL;
  g_autoptr (StsClient) client = NULL;
  g_autoptr (GPtrArray) devices = NULL;
  g_autofree char *notice = NULL;

  profile = profile_resolve (&overrides, error);
  if (profile == NULL)
    return cli_status_for_error (*error);
  long_term = refresh_load_long_term (profile, cli_keyring_timeout (), NULL,
                                      &notice, error);
  if (notice != NULL)
    g_printerr ("%s: %s\n", g_get_prgname (), notice);
  if (long_term == NULL)
    return EXIT_CONFIG;
  client = sts_client_new (profile->region, profile->legacy_global, error);
  if (client == NULL)
    return cli_status_for_error (*error);
  devices = device_discovery_list (client, long_term, NULL, error);
  if (devices == NULL)
    return (*error)->domain == DEVICE_DISCOVERY_ERROR
             ? EXIT_REFUSED
             : cli_status_for_error (*error);

  for (guint i = 0; i < devices->len; i++) {
    const IamMfaDevice *device = devices->pdata[i];
    g_autofree char *enabled =
      device->enable_date ? g_date_time_format (device->enable_date, "%F")
                          : g_strdup ("?");

    g_print (_ ("%s %s  (enabled %s)\n"),
             g_strcmp0 (device->serial_number, profile->mfa_serial) == 0 ? "*"
                                                                         : " ",
             device->serial_number, enabled);
  }

  return EXIT_OK;
}

/**
 * devices_command_run:
 * @argc: the argument count, "devices" included
 * @argv: the arguments
 *
 * Returns: the exit status of `botomfa devices …`
 */
int
devices_command_run (int argc, char **argv)
{
  char *profile = NULL;
  const GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile,
      N_ ("The profile (default: AWS_PROFILE, else default)"), N_ ("NAME") },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  int status;

  g_set_prgname ("botomfa devices");
  g_option_context_set_summary (
    context, _ ("List the MFA devices of the profile's IAM user (the one "
                "botomfa uses is marked with *)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    status = EXIT_USAGE;
  else
    status = list_devices (profile, &error);

  if (error != NULL)
    cli_fail (status, error);
  g_free (profile);
  return status;
}
