/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Calls back once a burst of changes to a set of files has settled, so
 * the tray reads its configuration again without a restart. */
typedef struct _TrayConfigWatch TrayConfigWatch;

/* Called once per burst of changes. */
typedef void (*TrayConfigWatchFunc) (gpointer user_data);

/* How long a burst of changes may last before the callback runs. */
#define TRAY_CONFIG_WATCH_DELAY_MS 300

char **tray_config_watch_default_paths (void);
TrayConfigWatch *tray_config_watch_new (const char *const *paths,
                                        guint delay_ms,
                                        TrayConfigWatchFunc func,
                                        gpointer user_data);
void tray_config_watch_free (TrayConfigWatch *watch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrayConfigWatch, tray_config_watch_free)

G_END_DECLS
