/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* What the botomfa commands share: how errors are shown and which exit
 * status they give. */

#include "config.h"

#include "cli-common.h"
#include "long-term-key.h"
#include "profile.h"
#include "refresh.h"
#include "sts-client.h"
#include "terminal-prompt.h"

#include "device-discovery.h"
#include "profile-settings.h"
#include "wipe.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <unistd.h>

/* Errors go to stderr as one line, prefixed with the program's name. */
int
cli_fail (int status, const GError *error)
{
  g_printerr ("%s: %s\n", g_get_prgname (), error->message);
  return status;
}

int
cli_status_for_error (const GError *error)
{
  if (error->domain == STS_ERROR)
    return sts_error_is_transport (error) ? EXIT_UNREACHABLE : EXIT_REFUSED;
  if (g_error_matches (error, DEVICE_DISCOVERY_ERROR,
                       DEVICE_DISCOVERY_ERROR_DENIED))
    return EXIT_REFUSED;
  if (error->domain == PROFILE_ERROR || error->domain == G_OPTION_ERROR
      || g_error_matches (error, REFRESH_ERROR, REFRESH_ERROR_INVALID_CODE)
      || g_error_matches (error, LONG_TERM_KEY_ERROR,
                          LONG_TERM_KEY_ERROR_INVALID))
    return EXIT_USAGE;
  if (g_error_matches (error, TERMINAL_PROMPT_ERROR,
                       TERMINAL_PROMPT_ERROR_INTERRUPTED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return EXIT_INTERRUPTED;

  return EXIT_CONFIG;
}

/* With a display the Secret Service may show its unlock prompt, and a
 * person needs time to type a password; without one it answers at once. */
guint
cli_keyring_timeout (void)
{
  if (g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL)
    return 120 * 1000;

  return 0;
}

static const IamMfaDevice *
choose_on_terminal (GPtrArray *devices, GError **error)
{
  g_autofree char *answer = NULL;
  guint64 number = 0;

  g_print ("%s\n", _ ("Your IAM user has several MFA devices:"));
  for (guint i = 0; i < devices->len; i++)
    g_print ("  %u  %s\n", i + 1,
             ((IamMfaDevice *) devices->pdata[i])->serial_number);
  answer =
    terminal_prompt_read (_ ("Which one should botomfa use? "), FALSE, error);
  if (answer == NULL)
    return NULL;
  if (!g_ascii_string_to_unsigned (g_strstrip (answer), 10, 1, devices->len,
                                   &number, NULL)) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _ ("Answer with a number from 1 to %u"), devices->len);
    return NULL;
  }

  return devices->pdata[number - 1];
}

static void
use_device (Profile *profile, const char *serial)
{
  const char *slash = strrchr (serial, '/');
  g_autofree char *path = profile_settings_path ();
  g_autoptr (GError) error = NULL;

  g_free (profile->mfa_serial);
  g_free (profile->device_name);
  profile->mfa_serial = g_strdup (serial);
  profile->device_name = g_strdup (slash ? slash + 1 : serial);

  if (profile_settings_set (path, profile->name, "mfa_serial", serial, &error))
    g_printerr (_ ("%s: using MFA device %s for profile %s (saved in %s)\n"),
                g_get_prgname (), serial, profile->name, path);
  else
    g_printerr (_ ("%s: using MFA device %s for profile %s (%s)\n"),
                g_get_prgname (), serial, profile->name, error->message);
}

/**
 * cli_discover_device:
 * @profile: a profile whose MFA device is not known
 * @client: the STS client
 * @long_term: the profile's long-term key
 * @interactive: whether the user may be asked to choose on the terminal
 * @error: return location for a #GError
 *
 * Finds the profile's MFA device from IAM: the only one, the one named by
 * MFA_USER/USER, or the user's choice; and saves it in botomfa's settings.
 *
 * Returns: %TRUE when @profile now names its device
 */
gboolean
cli_discover_device (Profile *profile, StsClient *client,
                     const Credentials *long_term, gboolean interactive,
                     GError **error)
{
  g_autoptr (GPtrArray) devices = NULL;
  const IamMfaDevice *device;

  devices = device_discovery_list (client, long_term, NULL, error);
  if (devices == NULL)
    return FALSE;

  device = device_discovery_pick (devices, profile->device_name);
  if (device == NULL && interactive && isatty (STDIN_FILENO))
    device = choose_on_terminal (devices, error);
  else if (device == NULL)
    g_set_error (error, DEVICE_DISCOVERY_ERROR,
                 DEVICE_DISCOVERY_ERROR_AMBIGUOUS,
                 _ ("Your IAM user has %u MFA devices; choose one with "
                    "--mfa-device-name ARN or mfa_serial in ~/.aws/config "
                    "(see botomfa devices)"),
                 devices->len);
  if (device == NULL)
    return FALSE;

  use_device (profile, device->serial_number);
  return TRUE;
}
