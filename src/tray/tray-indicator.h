/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The one seam to the indicator library: nothing else in the tray sees
 * it, so moving to another library is one file. */
typedef struct _TrayIndicator TrayIndicator;

/* Called when a StatusNotifierWatcher takes the item or goes away. */
typedef void (*TrayIndicatorConnectionFunc) (gboolean connected,
                                             gpointer user_data);

/* Called right before the menu is shown. */
typedef void (*TrayIndicatorMenuFunc) (gpointer user_data);

TrayIndicator *tray_indicator_new (const char *id, const char *icon_name,
                                   const char *icon_description);
void tray_indicator_free (TrayIndicator *indicator);
void tray_indicator_set_icon (TrayIndicator *indicator, const char *icon_name,
                              const char *icon_description);
void tray_indicator_set_text (TrayIndicator *indicator, const char *title,
                              const char *label);
void tray_indicator_set_menu (TrayIndicator *indicator, GtkMenu *menu);
void tray_indicator_set_secondary_target (TrayIndicator *indicator,
                                          GtkWidget *menu_item);
void tray_indicator_set_visible (TrayIndicator *indicator, gboolean visible);
gboolean tray_indicator_is_connected (TrayIndicator *indicator);
void tray_indicator_set_connection_func (TrayIndicator *indicator,
                                         TrayIndicatorConnectionFunc func,
                                         gpointer user_data);
void tray_indicator_set_menu_opening_func (TrayIndicator *indicator,
                                           TrayIndicatorMenuFunc func,
                                           gpointer user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrayIndicator, tray_indicator_free)

G_END_DECLS
