/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gio/gio.h>

#include "credentials.h"

G_BEGIN_DECLS

/* The socket's name inside the user's runtime directory; src/cli's front
 * finds it by the same rule. */
#define TRAY_SOCKET_NAME "botomfa" G_DIR_SEPARATOR_S "tray.socket"

/* Returns the session of @profile, valid for @min_valid_seconds more, that
 * the tray holds in memory, or %NULL with @reason (static) saying why. */
typedef Credentials *(*TraySocketLookup) (const char *profile,
                                          guint min_valid_seconds,
                                          const char **reason,
                                          gpointer user_data);

typedef struct _TraySocket TraySocket;

TraySocket *tray_socket_new (TraySocketLookup lookup, gpointer user_data);
gboolean tray_socket_listen (TraySocket *self, const char *path,
                             GError **error);
char *tray_socket_default_path (void);
void tray_socket_free (TraySocket *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TraySocket, tray_socket_free)

G_END_DECLS
