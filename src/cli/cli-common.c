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

#include <gio/gio.h>

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
