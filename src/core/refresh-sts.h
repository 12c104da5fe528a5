/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gio/gio.h>

#include "refresh.h"
#include "sts-client.h"

G_BEGIN_DECLS

/* The steps of a refresh that ask AWS. They link libcurl and GnuTLS, which
 * botomfa-tray must not: it runs them in botomfa-sts-worker. */

gboolean refresh_validate (const Profile *profile, StsClient *client,
                           RefreshStatus *status, Credentials **current,
                           GCancellable *cancellable, GError **error);
Credentials *refresh_obtain (const Profile *profile, StsClient *client,
                             const Credentials *long_term,
                             const char *token_code, GCancellable *cancellable,
                             GError **error);
Credentials *refresh_obtain_shared (const Profile *profile, StsClient *client,
                                    const Credentials *long_term,
                                    const char *token_code, guint timeout_ms,
                                    GCancellable *cancellable, GError **error);

G_END_DECLS
