/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* botomfa-tray: one instance per session. A second start, with or without
 * --refresh, hands its command line to the running one and exits. */

#define G_LOG_DOMAIN "botomfa-tray"

#include "config.h"

#include "tray-app.h"

#include "mfa-dialog.h"
#include "prefs-dialog.h"
#include "tray-about.h"
#include "tray-autostart.h"
#include "tray-indicator.h"
#include "tray-notify.h"
#include "tray-profile.h"
#include "tray-service.h"

#include <glib/gi18n-lib.h>

struct _TrayApp {
  GtkApplication parent_instance;

  TrayIndicator *indicator;
  GtkWidget *menu;
  GtkWidget *state_item;
  TrayProfile *profile;
  TrayNotify *notify;
  char *resolve_error;
  GHashTable *dialogs;
  gboolean refresh_pending;
  GCancellable *cancellable;
  TrayService *service;
};

G_DEFINE_FINAL_TYPE (TrayApp, tray_app, GTK_TYPE_APPLICATION)

static void
update_indicator (TrayApp *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *text = NULL;
  TrayStateKind state;

  if (self->profile != NULL) {
    state = tray_profile_get_state (self->profile);
    text = tray_profile_describe (self->profile);
  } else {
    state = self->resolve_error ? TRAY_STATE_ERROR : TRAY_STATE_REFRESHING;
    text =
      tray_state_describe ("botomfa", state, NULL, now, self->resolve_error);
  }
  g_debug ("state: %s", text);
  tray_indicator_set_icon (self->indicator, tray_state_icon_name (state),
                           tray_state_icon_description (state));
  tray_indicator_set_text (self->indicator, text, NULL);
  gtk_menu_item_set_label (GTK_MENU_ITEM (self->state_item), text);
}

static void
on_dialog_destroyed (GtkWidget *dialog, gpointer user_data)
{
  TrayApp *self = user_data;
  TrayProfile *profile = mfa_dialog_get_profile (MFA_DIALOG (dialog));

  g_hash_table_remove (self->dialogs, tray_profile_get_profile (profile)->name);
}

/* One dialog per profile: asking again brings the open one forward. */
static GtkWidget *
open_dialog (TrayApp *self)
{
  const char *name = tray_profile_get_profile (self->profile)->name;
  GtkWidget *dialog = g_hash_table_lookup (self->dialogs, name);

  if (dialog == NULL) {
    dialog = GTK_WIDGET (mfa_dialog_new (self->profile));
    gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
    g_hash_table_insert (self->dialogs, g_strdup (name), dialog);
    g_signal_connect_object (dialog, "destroy",
                             G_CALLBACK (on_dialog_destroyed), self, 0);
  }
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

static void
on_refresh_action (GSimpleAction *action, GVariant *parameter,
                   gpointer user_data)
{
  TrayApp *self = user_data;

  if (self->profile != NULL)
    open_dialog (self);
  else if (self->resolve_error == NULL)
    self->refresh_pending = TRUE;
  else
    g_warning ("%s", self->resolve_error);
}

static void
on_quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
on_refresh_item (GtkMenuItem *item, gpointer user_data)
{
  g_action_group_activate_action (G_ACTION_GROUP (user_data), "refresh",
                                  g_variant_new_string (""));
}

/* One preferences window; it edits the profile resolved at start. */
static void
on_preferences_item (GtkMenuItem *item, gpointer user_data)
{
  TrayApp *self = user_data;
  static GtkWidget *prefs;

  if (self->profile == NULL) {
    g_warning ("%s", self->resolve_error ? self->resolve_error
                                         : "the profile is not resolved yet");
    return;
  }
  if (prefs == NULL) {
    prefs = GTK_WIDGET (prefs_dialog_new (self->profile));
    gtk_window_set_application (GTK_WINDOW (prefs), GTK_APPLICATION (self));
    g_signal_connect (prefs, "destroy", G_CALLBACK (gtk_widget_destroyed),
                      &prefs);
  }
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
on_about_item (GtkMenuItem *item, gpointer user_data)
{
  tray_about_present (GTK_APPLICATION (user_data));
}

static void
on_quit_item (GtkMenuItem *item, gpointer user_data)
{
  g_action_group_activate_action (G_ACTION_GROUP (user_data), "quit", NULL);
}

/* The check item shows the file's state; a failed write puts it back. */
static void
on_autostart_toggled (GtkCheckMenuItem *item, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (tray_autostart_set_enabled (gtk_check_menu_item_get_active (item),
                                  &error))
    return;
  g_warning ("%s", error->message);
  g_signal_handlers_block_by_func (item, on_autostart_toggled, user_data);
  gtk_check_menu_item_set_active (item, tray_autostart_is_enabled ());
  g_signal_handlers_unblock_by_func (item, on_autostart_toggled, user_data);
}

static void
add_autostart_item (TrayApp *self)
{
  GtkWidget *item =
    gtk_check_menu_item_new_with_mnemonic (_ ("_Start at login"));

  gtk_check_menu_item_set_active (GTK_CHECK_MENU_ITEM (item),
                                  tray_autostart_is_enabled ());
  g_signal_connect (item, "toggled", G_CALLBACK (on_autostart_toggled), self);
  gtk_menu_shell_append (GTK_MENU_SHELL (self->menu), item);
}

static GtkWidget *
add_item (TrayApp *self, const char *label, GCallback callback)
{
  GtkWidget *item = gtk_menu_item_new_with_mnemonic (label);

  if (callback != NULL)
    g_signal_connect (item, "activate", callback, self);
  gtk_menu_shell_append (GTK_MENU_SHELL (self->menu), item);

  return item;
}

static void
build_indicator (TrayApp *self)
{
  GtkWidget *refresh_item;

  self->menu = g_object_ref_sink (gtk_menu_new ());
  self->state_item = add_item (self, "", NULL);
  gtk_widget_set_sensitive (self->state_item, FALSE);
  gtk_menu_shell_append (GTK_MENU_SHELL (self->menu),
                         gtk_separator_menu_item_new ());
  refresh_item =
    add_item (self, _ ("_Refresh now…"), G_CALLBACK (on_refresh_item));
  add_item (self, _ ("_Preferences…"), G_CALLBACK (on_preferences_item));
  add_autostart_item (self);
  add_item (self, _ ("_About"), G_CALLBACK (on_about_item));
  add_item (self, _ ("_Quit"), G_CALLBACK (on_quit_item));
  gtk_widget_show_all (self->menu);

  self->indicator = tray_indicator_new (
    TRAY_APP_ID, tray_state_icon_name (TRAY_STATE_MISSING), NULL);
  tray_indicator_set_menu (self->indicator, GTK_MENU (self->menu));
  tray_indicator_set_secondary_target (self->indicator, refresh_item);
  update_indicator (self);
  tray_indicator_set_visible (self->indicator, TRUE);
}

typedef struct {
  Profile *profile;
  StsClient *client;
} Resolved;

static void
resolved_free (Resolved *resolved)
{
  profile_free (resolved->profile);
  sts_client_free (resolved->client);
  g_free (resolved);
}

/* profile_resolve() reads the configuration files: off the main loop. */
static void
resolve_thread (GTask *task, gpointer source_object, gpointer task_data,
                GCancellable *cancellable)
{
  ProfileOverrides overrides = { 0 };
  Resolved *resolved = g_new0 (Resolved, 1);
  GError *error = NULL;

  resolved->profile = profile_resolve (&overrides, &error);
  if (resolved->profile != NULL)
    resolved->client = sts_client_new (
      resolved->profile->region, resolved->profile->legacy_global, &error);
  if (resolved->client == NULL) {
    resolved_free (resolved);
    g_task_return_error (task, error);
    return;
  }
  g_task_return_pointer (task, resolved, (GDestroyNotify) resolved_free);
}

static void
on_resolved (GObject *source, GAsyncResult *res, gpointer user_data)
{
  TrayApp *self = TRAY_APP (source);
  g_autoptr (GError) error = NULL;
  Resolved *resolved = g_task_propagate_pointer (G_TASK (res), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (resolved == NULL) {
    self->resolve_error = g_strdup (error->message);
    tray_service_set_profile (self->service, NULL, self->resolve_error);
    update_indicator (self);
    return;
  }
  self->profile = tray_profile_new (g_steal_pointer (&resolved->profile),
                                    g_steal_pointer (&resolved->client));
  resolved_free (resolved);
  g_signal_connect_object (self->profile, "changed",
                           G_CALLBACK (update_indicator), self,
                           G_CONNECT_SWAPPED);
  self->notify = tray_notify_new (G_APPLICATION (self), self->profile);
  update_indicator (self);
  tray_service_set_profile (self->service, self->profile, NULL);
  if (self->refresh_pending)
    open_dialog (self);
}

static void
resolve (TrayApp *self)
{
  g_autoptr (GTask) task =
    g_task_new (self, self->cancellable, on_resolved, NULL);

  g_task_set_source_tag (task, resolve);
  g_task_run_in_thread (task, resolve_thread);
}

/* The tray shows one profile: the service asks only for that one. */
static GtkWidget *
open_dialog_for_service (TrayProfile *profile, gpointer user_data)
{
  return open_dialog (TRAY_APP (user_data));
}

static gboolean
tray_app_dbus_register (GApplication *app, GDBusConnection *connection,
                        const char *object_path, GError **error)
{
  TrayApp *self = TRAY_APP (app);

  if (!G_APPLICATION_CLASS (tray_app_parent_class)
         ->dbus_register (app, connection, object_path, error))
    return FALSE;
  self->service = tray_service_new (open_dialog_for_service, self);

  return tray_service_export (self->service, connection, object_path, error);
}

static void
tray_app_dbus_unregister (GApplication *app, GDBusConnection *connection,
                          const char *object_path)
{
  g_clear_pointer (&TRAY_APP (app)->service, tray_service_free);
  G_APPLICATION_CLASS (tray_app_parent_class)
    ->dbus_unregister (app, connection, object_path);
}

static const GActionEntry app_actions[] = {
  { "refresh", on_refresh_action, "s", NULL, NULL, { 0 } },
  { "quit", on_quit_action, NULL, NULL, NULL, { 0 } },
};

static void
tray_app_startup (GApplication *app)
{
  TrayApp *self = TRAY_APP (app);

  G_APPLICATION_CLASS (tray_app_parent_class)->startup (app);
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  /* The tray has no window to keep it running. */
  g_application_hold (app);
  build_indicator (self);
  resolve (self);
}

static void
tray_app_shutdown (GApplication *app)
{
  TrayApp *self = TRAY_APP (app);

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->notify, tray_notify_free);
  g_clear_pointer (&self->indicator, tray_indicator_free);
  if (self->menu != NULL)
    gtk_widget_destroy (self->menu);
  g_clear_object (&self->menu);

  G_APPLICATION_CLASS (tray_app_parent_class)->shutdown (app);
}

/* Only the profile the tray shows can be refreshed in this version. */
static gboolean
check_profile_name (TrayApp *self, GApplicationCommandLine *cmdline,
                    const char *name)
{
  const char *shown;

  if (name == NULL || self->profile == NULL)
    return TRUE;
  shown = tray_profile_get_profile (self->profile)->name;
  if (g_str_equal (name, shown))
    return TRUE;
  g_application_command_line_printerr (
    cmdline, _ ("botomfa-tray: the tray shows the profile “%s”, not “%s”\n"),
    shown, name);

  return FALSE;
}

static int
tray_app_command_line (GApplication *app, GApplicationCommandLine *cmdline)
{
  TrayApp *self = TRAY_APP (app);
  gboolean refresh = FALSE;
  const GOptionEntry entries[] = {
    { "refresh", 0, 0, G_OPTION_ARG_NONE, &refresh,
      N_ ("Ask for an MFA code and refresh the session"), NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_ ("[PROFILE]"));
  g_auto (GStrv) argv =
    g_application_command_line_get_arguments (cmdline, NULL);
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse_strv (context, &argv, &error)
      || g_strv_length (argv) > 2 || (argv[1] != NULL && !refresh)) {
    g_application_command_line_printerr (
      cmdline, "botomfa-tray: %s\n",
      error ? error->message : _ ("a profile is named only with --refresh"));
    return 2;
  }
  if (!refresh)
    return 0;
  if (!check_profile_name (self, cmdline, argv[1]))
    return 1;
  g_action_group_activate_action (
    G_ACTION_GROUP (self), "refresh",
    g_variant_new_string (argv[1] ? argv[1] : ""));

  return 0;
}

static void
tray_app_finalize (GObject *object)
{
  TrayApp *self = TRAY_APP (object);

  g_clear_object (&self->profile);
  g_clear_pointer (&self->dialogs, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_free (self->resolve_error);

  G_OBJECT_CLASS (tray_app_parent_class)->finalize (object);
}

static void
tray_app_class_init (TrayAppClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = tray_app_finalize;
  app_class->startup = tray_app_startup;
  app_class->shutdown = tray_app_shutdown;
  app_class->command_line = tray_app_command_line;
  app_class->dbus_register = tray_app_dbus_register;
  app_class->dbus_unregister = tray_app_dbus_unregister;
}

static void
tray_app_init (TrayApp *self)
{
  self->dialogs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
}

/**
 * tray_app_new:
 *
 * Returns: (transfer full): the tray application
 */
TrayApp *
tray_app_new (void)
{
  return g_object_new (TRAY_TYPE_APP, "application-id", TRAY_APP_ID, "flags",
                       G_APPLICATION_HANDLES_COMMAND_LINE, NULL);
}
