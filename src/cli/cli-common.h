/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

#include "credentials.h"
#include "profile.h"
#include "sts-client.h"

G_BEGIN_DECLS

/* Exit codes, documented in --help and the README. */
enum {
  EXIT_OK = 0,
  EXIT_CONFIG = 1,
  EXIT_USAGE = 2,
  EXIT_UNREACHABLE = 3,
  EXIT_REFUSED = 4,
  EXIT_INTERRUPTED = 130,
};

int cli_fail (int status, const GError *error);
int cli_status_for_error (const GError *error);
guint cli_keyring_timeout (void);
gboolean cli_discover_device (Profile *profile, StsClient *client,
                              const Credentials *long_term,
                              gboolean interactive, GError **error);

G_END_DECLS
