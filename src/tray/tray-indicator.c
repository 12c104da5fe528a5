/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* libayatana-appindicator behind a small interface. The library
 * registers a StatusNotifierItem with the watcher on the session bus and
 * falls back to an XEmbed icon when there is none. */

#define G_LOG_DOMAIN "botomfa-tray"

#include "tray-indicator.h"

#include <libayatana-appindicator/app-indicator.h>
#include <libdbusmenu-glib/menuitem.h>
#include <libdbusmenu-glib/server.h>

struct _TrayIndicator {
  AppIndicator *indicator;
  gboolean connected;
  TrayIndicatorConnectionFunc connection_func;
  gpointer connection_data;
  TrayIndicatorMenuFunc opening_func;
  gpointer opening_data;
  GtkMenu *menu;
  DbusmenuServer *server;
  DbusmenuMenuitem *root; /* The exported menu's root, while hooked. */
};

/* An uninstalled build finds its icons in the source tree; an installed one
 * in the icon theme. Which one runs is told by where the executable is. */
static const char *
uninstalled_icon_dir (void)
{
#if defined(TRAY_BUILD_DIR) && defined(TRAY_SOURCE_ICON_DIR)
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe ? g_path_get_dirname (exe) : NULL;

  if (dir != NULL && g_str_equal (dir, TRAY_BUILD_DIR))
    return TRAY_SOURCE_ICON_DIR;
#endif
  return NULL;
}

static void
on_connection_changed (AppIndicator *indicator, gboolean connected,
                       gpointer user_data)
{
  TrayIndicator *self = user_data;

  self->connected = connected;
  g_debug ("status notifier watcher %s",
           connected ? "connected" : "gone (XEmbed fallback)");
  if (self->connection_func != NULL)
    self->connection_func (connected, self->connection_data);
}

/**
 * tray_indicator_new:
 * @id: the item's id (the application id)
 * @icon_name: the themed icon to start with
 * @icon_description: (nullable): its accessible description
 *
 * Creates the item; it shows once a menu is set and it is made visible.
 *
 * Returns: (transfer full): the indicator
 */
TrayIndicator *
tray_indicator_new (const char *id, const char *icon_name,
                    const char *icon_description)
{
  TrayIndicator *self = g_new0 (TrayIndicator, 1);
  const char *icon_dir = uninstalled_icon_dir ();

  self->indicator = app_indicator_new (
    id, icon_name, APP_INDICATOR_CATEGORY_APPLICATION_STATUS);
  if (icon_dir != NULL) {
    /* The host looks there (IconThemePath), and so does GTK for the
     * XEmbed fallback, dialogs and notifications. */
    app_indicator_set_icon_theme_path (self->indicator, icon_dir);
    gtk_icon_theme_append_search_path (gtk_icon_theme_get_default (), icon_dir);
  }
  tray_indicator_set_icon (self, icon_name, icon_description);
  g_signal_connect (self->indicator, "connection-changed",
                    G_CALLBACK (on_connection_changed), self);

  return self;
}

static void unhook_root (TrayIndicator *self);

void
tray_indicator_free (TrayIndicator *indicator)
{
  if (indicator == NULL)
    return;

  unhook_root (indicator);
  if (indicator->server != NULL) {
    g_signal_handlers_disconnect_by_data (indicator->server, indicator);
    g_object_unref (indicator->server);
  }
  if (indicator->menu != NULL) {
    g_signal_handlers_disconnect_by_data (indicator->menu, indicator);
    g_object_unref (indicator->menu);
  }
  g_signal_handlers_disconnect_by_data (indicator->indicator, indicator);
  g_object_unref (indicator->indicator);
  g_free (indicator);
}

/**
 * tray_indicator_set_icon:
 * @indicator: the indicator
 * @icon_name: a themed icon name
 * @icon_description: (nullable): what the icon means, for screen readers
 */
void
tray_indicator_set_icon (TrayIndicator *indicator, const char *icon_name,
                         const char *icon_description)
{
  app_indicator_set_icon_full (indicator->indicator, icon_name,
                               icon_description);
}

/**
 * tray_indicator_set_text:
 * @indicator: the indicator
 * @title: the item's title (hosts show it as the tooltip or in lists)
 * @label: (nullable): short text some panels show next to the icon
 */
void
tray_indicator_set_text (TrayIndicator *indicator, const char *title,
                         const char *label)
{
  app_indicator_set_title (indicator->indicator, title);
  /* The guide is the longest label expected, so panels do not jump. */
  app_indicator_set_label (indicator->indicator, label ? label : "",
                           "00 min left");
}

static void
menu_opening (TrayIndicator *self)
{
  if (self->opening_func != NULL)
    self->opening_func (self->opening_data);
}

/* The host asks before it shows the menu (AboutToShow, AboutToShowGroup):
 * the labels set now are the ones it gets. */
static gboolean
on_about_to_show (DbusmenuMenuitem *root, gpointer user_data)
{
  g_debug ("menu about to show (dbusmenu)");
  menu_opening (user_data);

  return FALSE;
}

/* Hosts that skip AboutToShow still send "opened"; they show the new
 * labels when the item's properties change. */
static gboolean
on_root_event (DbusmenuMenuitem *root, const char *name, GVariant *value,
               guint timestamp, gpointer user_data)
{
  if (g_strcmp0 (name, DBUSMENU_MENUITEM_EVENT_OPENED) == 0) {
    g_debug ("menu opened (dbusmenu)");
    menu_opening (user_data);
  }

  return FALSE;
}

static void
unhook_root (TrayIndicator *self)
{
  if (self->root == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->root, self);
  g_clear_object (&self->root);
}

static void
hook_root (TrayIndicator *self)
{
  unhook_root (self);
  g_object_get (self->server, DBUSMENU_SERVER_PROP_ROOT_NODE, &self->root,
                NULL);
  if (self->root == NULL)
    return;
  g_signal_connect (self->root, DBUSMENU_MENUITEM_SIGNAL_ABOUT_TO_SHOW,
                    G_CALLBACK (on_about_to_show), self);
  g_signal_connect (self->root, DBUSMENU_MENUITEM_SIGNAL_EVENT,
                    G_CALLBACK (on_root_event), self);
}

static void
on_root_changed (GObject *server, GParamSpec *pspec, gpointer user_data)
{
  hook_root (user_data);
}

/* The XEmbed fallback pops the GtkMenu itself up. */
static void
on_menu_show (GtkWidget *menu, gpointer user_data)
{
  g_debug ("menu about to show (GtkMenu)");
  menu_opening (user_data);
}

/* The library exports the menu through its own DbusmenuServer, whose
 * root item it replaces when the menu is set again. */
static void
watch_exported_menu (TrayIndicator *self)
{
  if (self->server == NULL) {
    g_object_get (self->indicator, "dbus-menu-server", &self->server, NULL);
    if (self->server == NULL) {
      g_warning ("the indicator exports no menu server: the menu's state "
                 "lines are not refreshed before it opens");
      return;
    }
    g_signal_connect (self->server, "notify::" DBUSMENU_SERVER_PROP_ROOT_NODE,
                      G_CALLBACK (on_root_changed), self);
  }
  hook_root (self);
}

/**
 * tray_indicator_set_menu:
 * @indicator: the indicator
 * @menu: (transfer none): the menu a click on the item opens
 */
void
tray_indicator_set_menu (TrayIndicator *indicator, GtkMenu *menu)
{
  if (indicator->menu != NULL) {
    g_signal_handlers_disconnect_by_data (indicator->menu, indicator);
    g_object_unref (indicator->menu);
  }
  indicator->menu = g_object_ref (menu);
  g_signal_connect (menu, "show", G_CALLBACK (on_menu_show), indicator);
  app_indicator_set_menu (indicator->indicator, menu);
  watch_exported_menu (indicator);
}

/**
 * tray_indicator_set_menu_opening_func:
 * @indicator: the indicator
 * @func: (nullable): called right before the menu is shown, so that text
 *   that goes stale with the clock (the time left) is set only then
 * @user_data: data for @func; must outlive @indicator
 *
 * A panel that shows the menu over D-Bus (com.canonical.dbusmenu) calls
 * it on AboutToShow or the "opened" event of the root item; the XEmbed
 * fallback when it pops the menu up. Nothing else calls it, so no timer
 * keeps the menu current while it is closed.
 */
void
tray_indicator_set_menu_opening_func (TrayIndicator *indicator,
                                      TrayIndicatorMenuFunc func,
                                      gpointer user_data)
{
  indicator->opening_func = func;
  indicator->opening_data = user_data;
}

/**
 * tray_indicator_set_secondary_target:
 * @indicator: the indicator
 * @menu_item: an item of the menu; a middle click activates it
 */
void
tray_indicator_set_secondary_target (TrayIndicator *indicator,
                                     GtkWidget *menu_item)
{
  app_indicator_set_secondary_activate_target (indicator->indicator, menu_item);
}

/**
 * tray_indicator_set_visible:
 * @indicator: the indicator
 * @visible: whether the item shows
 */
void
tray_indicator_set_visible (TrayIndicator *indicator, gboolean visible)
{
  app_indicator_set_status (indicator->indicator,
                            visible ? APP_INDICATOR_STATUS_ACTIVE
                                    : APP_INDICATOR_STATUS_PASSIVE);
}

/**
 * tray_indicator_is_connected:
 * @indicator: the indicator
 *
 * Returns: whether a StatusNotifierWatcher took the item (%FALSE: the
 * XEmbed fallback or nothing shows it)
 */
gboolean
tray_indicator_is_connected (TrayIndicator *indicator)
{
  return indicator->connected;
}

/**
 * tray_indicator_set_connection_func:
 * @indicator: the indicator
 * @func: (nullable): called when a StatusNotifierWatcher takes the item
 *   or goes away
 * @user_data: data for @func; must outlive @indicator
 */
void
tray_indicator_set_connection_func (TrayIndicator *indicator,
                                    TrayIndicatorConnectionFunc func,
                                    gpointer user_data)
{
  indicator->connection_func = func;
  indicator->connection_data = user_data;
}
