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
#include "tray-config-watch.h"
#include "tray-indicator.h"
#include "tray-notify.h"
#include "tray-profile.h"
#include "tray-service.h"

#include "aws-endpoint.h"
#include "keyring.h"

#include <glib/gi18n-lib.h>

struct _TrayApp {
  GtkApplication parent_instance;

  TrayIndicator *indicator;
  GtkWidget *menu;
  GtkWidget *state_item;
  GtkWidget *refresh_item;
  GPtrArray *state_items; /* One line per profile, owned by the menu. */
  GPtrArray *profiles;    /* TrayProfile, "default" first; NULL until read. */
  GPtrArray *notifies;
  char *resolve_error;
  GHashTable *dialogs; /* MFA serial → its one dialog. */
  char *refresh_pending;
  GCancellable *cancellable;
  TrayService *service;
  guint panel_check;
  gboolean panel_notified;
  GtkWidget *prefs;
  TrayConfigWatch *config_watch;
  gboolean resolving;
  gboolean resolve_again;
};

G_DEFINE_FINAL_TYPE (TrayApp, tray_app, GTK_TYPE_APPLICATION)

#define PANEL_GRACE_SECONDS 3
#define PANEL_NOTIFICATION "no-panel"

/* The order in which states ask for the user's attention. */
static int
urgency (TrayStateKind state)
{
  switch (state) {
    case TRAY_STATE_ERROR:
      return 4;
    case TRAY_STATE_EXPIRED:
    case TRAY_STATE_MISSING:
      return 3;
    case TRAY_STATE_EXPIRING:
      return 2;
    case TRAY_STATE_REFRESHING:
      return 1;
    case TRAY_STATE_VALID:
    default:
      return 0;
  }
}

static TrayProfile *
most_urgent (TrayApp *self)
{
  TrayProfile *urgent = NULL;

  for (guint i = 0; i < self->profiles->len; i++) {
    TrayProfile *profile = self->profiles->pdata[i];

    if (urgent == NULL
        || urgency (tray_profile_get_state (profile))
             > urgency (tray_profile_get_state (urgent)))
      urgent = profile;
  }

  return urgent;
}

static void
withdraw_panel_notification (TrayApp *self)
{
  if (!self->panel_notified || !tray_indicator_is_connected (self->indicator))
    return;
  g_debug ("a panel shows the icon now: withdrawing notification %s",
           PANEL_NOTIFICATION);
  g_application_withdraw_notification (G_APPLICATION (self),
                                       PANEL_NOTIFICATION);
  self->panel_notified = FALSE;
}

/* The lines carry the time left, which only the clock changes: they are
 * set again when the menu is about to show, never on a timer. */
static void
update_state_lines (TrayApp *self)
{
  for (guint i = 0; i < self->state_items->len; i++) {
    GtkMenuItem *item = self->state_items->pdata[i];
    g_autofree char *line =
      tray_profile_describe_left (self->profiles->pdata[i]);

    if (g_strcmp0 (gtk_menu_item_get_label (item), line) == 0)
      continue;
    g_debug ("menu line: %s", line);
    gtk_menu_item_set_label (item, line);
  }
}

static void
on_menu_opening (gpointer user_data)
{
  TrayApp *self = user_data;

  if (self->profiles != NULL)
    update_state_lines (self);
}

static void
update_indicator (TrayApp *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *text = NULL;
  TrayProfile *urgent = NULL;
  TrayStateKind state;

  if (self->profiles != NULL && self->profiles->len > 0)
    urgent = most_urgent (self);
  if (urgent != NULL) {
    state = tray_profile_get_state (urgent);
    text = tray_profile_describe (urgent);
    update_state_lines (self);
  } else {
    state = self->resolve_error ? TRAY_STATE_ERROR : TRAY_STATE_REFRESHING;
    text =
      tray_state_describe ("botomfa", state, NULL, now, self->resolve_error);
    gtk_menu_item_set_label (GTK_MENU_ITEM (self->state_item), text);
  }
  g_debug ("state: %s", text);
  tray_indicator_set_icon (self->indicator, tray_state_icon_name (state),
                           tray_state_icon_description (state));
  tray_indicator_set_text (self->indicator, text, NULL);
  withdraw_panel_notification (self);
}

static const char *
dialog_key (TrayProfile *profile)
{
  const Profile *resolved = tray_profile_get_profile (profile);

  return resolved->mfa_serial ? resolved->mfa_serial : resolved->name;
}

static void
on_dialog_destroyed (GtkWidget *dialog, gpointer user_data)
{
  TrayApp *self = user_data;
  const char *key = dialog_key (mfa_dialog_get_profile (MFA_DIALOG (dialog)));

  if (g_hash_table_lookup (self->dialogs, key) == dialog)
    g_hash_table_remove (self->dialogs, key);
}

/* One dialog per MFA device: a code is good for one session only, so
 * asking again (for any profile of that device) brings the open one
 * forward. */
static GtkWidget *
open_dialog (TrayApp *self, TrayProfile *profile)
{
  const char *key = dialog_key (profile);
  GtkWidget *dialog = g_hash_table_lookup (self->dialogs, key);

  if (dialog == NULL) {
    dialog = GTK_WIDGET (mfa_dialog_new (profile));
    gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
    g_hash_table_insert (self->dialogs, g_strdup (key), dialog);
    g_signal_connect_object (dialog, "destroy",
                             G_CALLBACK (on_dialog_destroyed), self, 0);
  }
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

/* "" names the first profile: "default" when it is shown. */
static TrayProfile *
find_profile (TrayApp *self, const char *name)
{
  if (self->profiles == NULL || self->profiles->len == 0)
    return NULL;
  if (name == NULL || *name == '\0')
    return self->profiles->pdata[0];
  for (guint i = 0; i < self->profiles->len; i++) {
    TrayProfile *profile = self->profiles->pdata[i];

    if (g_str_equal (tray_profile_get_profile (profile)->name, name))
      return profile;
  }

  return NULL;
}

static void
on_refresh_action (GSimpleAction *action, GVariant *parameter,
                   gpointer user_data)
{
  TrayApp *self = user_data;
  const char *name = g_variant_get_string (parameter, NULL);
  TrayProfile *profile = find_profile (self, name);

  if (profile != NULL) {
    open_dialog (self, profile);
  } else if (self->profiles == NULL && self->resolve_error == NULL) {
    g_free (self->refresh_pending);
    self->refresh_pending = g_strdup (name);
  } else {
    g_warning ("%s", self->resolve_error ? self->resolve_error
                                         : "botomfa-tray does not show the "
                                           "profile");
  }
}

static void
on_quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
on_refresh_item (GtkMenuItem *item, gpointer user_data)
{
  const char *name = g_object_get_data (G_OBJECT (item), "profile-name");

  g_action_group_activate_action (G_ACTION_GROUP (user_data), "refresh",
                                  g_variant_new_string (name ? name : ""));
}

/* One preferences window, for every profile the tray shows. */
static void
on_preferences_item (GtkMenuItem *item, gpointer user_data)
{
  TrayApp *self = user_data;

  if (self->profiles == NULL || self->profiles->len == 0) {
    g_warning ("%s", self->resolve_error ? self->resolve_error
                                         : "the profile is not resolved yet");
    return;
  }
  if (self->prefs == NULL) {
    self->prefs = GTK_WIDGET (prefs_dialog_new (self->profiles));
    gtk_window_set_application (GTK_WINDOW (self->prefs),
                                GTK_APPLICATION (self));
    g_signal_connect (self->prefs, "destroy", G_CALLBACK (gtk_widget_destroyed),
                      &self->prefs);
  }
  gtk_window_present (GTK_WINDOW (self->prefs));
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
  self->menu = g_object_ref_sink (gtk_menu_new ());
  self->state_item = add_item (self, "", NULL);
  gtk_widget_set_sensitive (self->state_item, FALSE);
  gtk_menu_shell_append (GTK_MENU_SHELL (self->menu),
                         gtk_separator_menu_item_new ());
  self->refresh_item =
    add_item (self, _ ("_Refresh now…"), G_CALLBACK (on_refresh_item));
  add_item (self, _ ("_Preferences…"), G_CALLBACK (on_preferences_item));
  add_autostart_item (self);
  add_item (self, _ ("_About"), G_CALLBACK (on_about_item));
  add_item (self, _ ("_Quit"), G_CALLBACK (on_quit_item));
  gtk_widget_show_all (self->menu);

  self->indicator = tray_indicator_new (
    TRAY_APP_ID, tray_state_icon_name (TRAY_STATE_MISSING), NULL);
  tray_indicator_set_menu (self->indicator, GTK_MENU (self->menu));
  tray_indicator_set_menu_opening_func (self->indicator, on_menu_opening, self);
  tray_indicator_set_secondary_target (self->indicator, self->refresh_item);
  update_indicator (self);
  tray_indicator_set_visible (self->indicator, TRUE);
}

typedef struct {
  Profile *profile;
} Resolved;

static void
resolved_free (Resolved *resolved)
{
  profile_free (resolved->profile);
  g_free (resolved);
}

/* The profiles the keyring holds a key for, as a set. */
static GHashTable *
keyring_names (void)
{
  GHashTable *names =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = keyring_list (0, NULL, &error);

  if (entries == NULL) {
    g_debug ("keyring not listed: %s", error->message);
    return names;
  }
  for (guint i = 0; i < entries->len; i++)
    g_hash_table_add (names,
                      g_strdup (((KeyringEntry *) entries->pdata[i])->profile));

  return names;
}

/* NULL for "default" resolves it as the first version did: from ~/.boto
 * and the original variables too. */
static Resolved *
resolve_one (const char *name, GError **error)
{
  ProfileOverrides overrides = { 0 };
  Resolved *resolved = g_new0 (Resolved, 1);
  g_autoptr (AwsEndpoint) endpoint = NULL;

  overrides.name = name;
  resolved->profile = profile_resolve (&overrides, error);
  /* Checked here; botomfa-sts-worker uses it. */
  if (resolved->profile != NULL)
    endpoint = aws_endpoint_resolve ("sts", resolved->profile->region,
                                     resolved->profile->legacy_global, error);
  if (endpoint == NULL) {
    resolved_free (resolved);
    return NULL;
  }

  return resolved;
}

/* "default" is shown whenever it resolves; the others only with an MFA
 * device, since without one the tray could not refresh them. */
static void
resolve_others (GPtrArray *out, GPtrArray *names, const char *first)
{
  for (guint i = 0; i < names->len; i++) {
    const char *name = names->pdata[i];
    g_autoptr (GError) error = NULL;
    Resolved *resolved;

    if (g_str_equal (name, first))
      continue;
    resolved = resolve_one (name, &error);
    if (resolved == NULL)
      g_debug ("profile %s not shown: %s", name, error->message);
    else if (resolved->profile->mfa_serial == NULL)
      resolved_free (resolved);
    else
      g_ptr_array_add (out, resolved);
  }
}

/* profile_resolve() reads the configuration files: off the main loop. */
static void
resolve_thread (GTask *task, gpointer source_object, gpointer task_data,
                GCancellable *cancellable)
{
  g_autoptr (GPtrArray) out =
    g_ptr_array_new_with_free_func ((GDestroyNotify) resolved_free);
  g_autoptr (GHashTable) keyring = keyring_names ();
  g_autoptr (GPtrArray) names = NULL;
  GError *error = NULL;
  Resolved *first = resolve_one (NULL, &error);

  if (first != NULL)
    g_ptr_array_add (out, first);
  names = profile_list_names (keyring, first ? &error : NULL);
  if (names != NULL)
    resolve_others (out, names, first ? first->profile->name : "default");
  if (out->len == 0) {
    g_task_return_error (task, error);
    return;
  }
  if (error != NULL)
    g_debug ("shown without it: %s", error->message);
  g_clear_error (&error);
  g_task_return_pointer (task, g_steal_pointer (&out),
                         (GDestroyNotify) g_ptr_array_unref);
}

static GtkWidget *
insert_item (TrayApp *self, const char *label, int position)
{
  GtkWidget *item = gtk_menu_item_new_with_label (label);

  gtk_menu_shell_insert (GTK_MENU_SHELL (self->menu), item, position);
  gtk_widget_show (item);

  return item;
}

static void
name_refresh_item (GtkWidget *item, const char *name)
{
  g_autofree char *label = g_strdup_printf (_ ("Refresh %s now…"), name);

  gtk_menu_item_set_use_underline (GTK_MENU_ITEM (item), FALSE);
  gtk_menu_item_set_label (GTK_MENU_ITEM (item), label);
  g_object_set_data_full (G_OBJECT (item), "profile-name", g_strdup (name),
                          g_free);
}

/* A state line per profile; a "Refresh NAME now…" per profile when there
 * are several. The first profile keeps the items built at start, so the
 * middle click refreshes it. */
static void
add_profile_items (TrayApp *self)
{
  guint n = self->profiles->len;
  GtkWidget *item;

  g_ptr_array_add (self->state_items, self->state_item);
  for (guint i = 1; i < n; i++) {
    item = insert_item (self, "", i);
    gtk_widget_set_sensitive (item, FALSE);
    g_ptr_array_add (self->state_items, item);
  }
  if (n < 2)
    return;
  for (guint i = 0; i < n; i++) {
    const char *name =
      tray_profile_get_profile (self->profiles->pdata[i])->name;

    item = i == 0 ? self->refresh_item : insert_item (self, "", n + 1 + i);
    if (i > 0)
      g_signal_connect (item, "activate", G_CALLBACK (on_refresh_item), self);
    name_refresh_item (item, name);
  }
}

/* Takes the menu back to one state line and "Refresh now…". */
static void
remove_profile_items (TrayApp *self)
{
  GList *children;

  for (guint i = 1; i < self->state_items->len; i++)
    gtk_widget_destroy (self->state_items->pdata[i]);
  g_ptr_array_set_size (self->state_items, 0);
  children = gtk_container_get_children (GTK_CONTAINER (self->menu));
  for (GList *l = children; l != NULL; l = l->next) {
    if (l->data != self->refresh_item
        && g_object_get_data (l->data, "profile-name") != NULL)
      gtk_widget_destroy (l->data);
  }
  g_list_free (children);
  if (g_object_get_data (G_OBJECT (self->refresh_item), "profile-name") == NULL)
    return;
  g_object_set_data (G_OBJECT (self->refresh_item), "profile-name", NULL);
  gtk_menu_item_set_use_underline (GTK_MENU_ITEM (self->refresh_item), TRUE);
  gtk_menu_item_set_label (GTK_MENU_ITEM (self->refresh_item),
                           _ ("_Refresh now…"));
}

/* The index of the profile shown before that resolved the same, or -1. */
static int
find_unchanged (GPtrArray *old, const Profile *profile)
{
  for (guint i = 0; old != NULL && i < old->len; i++) {
    if (tray_profile_matches (old->pdata[i], profile))
      return (int) i;
  }

  return -1;
}

/* A new lead time or target leaves the session held in memory good; a
 * new device, role or signing key does not. */
static void
carry_session (GPtrArray *old, TrayProfile *profile)
{
  const Profile *p = tray_profile_get_profile (profile);

  for (guint i = 0; old != NULL && i < old->len; i++) {
    const Profile *q = tray_profile_get_profile (old->pdata[i]);
    g_autoptr (Credentials) session = NULL;

    if (!g_str_equal (p->name, q->name)
        || g_strcmp0 (p->mfa_serial, q->mfa_serial) != 0
        || g_strcmp0 (p->role_arn, q->role_arn) != 0
        || g_strcmp0 (p->key_profile, q->key_profile) != 0)
      continue;
    session = tray_profile_get_session (old->pdata[i], 0);
    if (session != NULL)
      tray_profile_keep (profile, session);
    return;
  }
}

/* A profile that resolved as before is kept with its state, its timer
 * and its notifications; any other starts afresh. */
static void
add_profile (TrayApp *self, Resolved *resolved, GPtrArray *old,
             GPtrArray *old_notifies)
{
  int kept = find_unchanged (old, resolved->profile);
  TrayNotify *notify = NULL;
  TrayProfile *profile;

  if (kept >= 0) {
    profile = g_object_ref (old->pdata[kept]);
    notify = g_steal_pointer (&old_notifies->pdata[kept]);
  } else {
    profile = tray_profile_new (g_steal_pointer (&resolved->profile));
    carry_session (old, profile);
  }
  g_ptr_array_add (self->profiles, profile);
  g_signal_connect_object (profile, "changed", G_CALLBACK (update_indicator),
                           self, G_CONNECT_SWAPPED);
  if (notify == NULL)
    notify = tray_notify_new (G_APPLICATION (self), profile);
  g_ptr_array_add (self->notifies, notify);
}

/* A profile the tray no longer shows takes its notifications along. */
static void
withdraw_gone (TrayApp *self, GPtrArray *old)
{
  for (guint i = 0; old != NULL && i < old->len; i++) {
    const char *name = tray_profile_get_profile (old->pdata[i])->name;
    g_autofree char *expiring = NULL;
    g_autofree char *expired = NULL;

    if (find_profile (self, name) != NULL)
      continue;
    expiring = tray_notify_id (name, TRAY_STATE_EXPIRING);
    expired = tray_notify_id (name, TRAY_STATE_EXPIRED);
    g_application_withdraw_notification (G_APPLICATION (self), expiring);
    g_application_withdraw_notification (G_APPLICATION (self), expired);
  }
}

/* Shows @resolved (%NULL: none) in place of the profiles shown so far. A
 * new array, not an edited one: the service and an open dialog may hold
 * the old one, and its profiles stay valid for them. */
static void
show_profiles (TrayApp *self, GPtrArray *resolved)
{
  g_autoptr (GPtrArray) old = g_steal_pointer (&self->profiles);
  g_autoptr (GPtrArray) old_notifies = g_steal_pointer (&self->notifies);

  for (guint i = 0; old != NULL && i < old->len; i++)
    g_signal_handlers_disconnect_by_data (old->pdata[i], self);
  remove_profile_items (self);
  self->notifies =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tray_notify_free);
  if (resolved != NULL) {
    self->profiles = g_ptr_array_new_with_free_func (g_object_unref);
    for (guint i = 0; i < resolved->len; i++)
      add_profile (self, resolved->pdata[i], old, old_notifies);
    add_profile_items (self);
  }
  withdraw_gone (self, old);
  g_debug ("profiles resolved: %u shown",
           self->profiles ? self->profiles->len : 0);
  update_indicator (self);
}

static void
open_pending (TrayApp *self)
{
  g_autofree char *name = g_steal_pointer (&self->refresh_pending);
  TrayProfile *pending = name ? find_profile (self, name) : NULL;

  if (pending != NULL)
    open_dialog (self, pending);
}

static void resolve (TrayApp *self);

static void
on_resolved (GObject *source, GAsyncResult *res, gpointer user_data)
{
  TrayApp *self = TRAY_APP (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) resolved =
    g_task_propagate_pointer (G_TASK (res), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->resolving = FALSE;
  g_clear_pointer (&self->resolve_error, g_free);
  if (resolved == NULL)
    self->resolve_error = g_strdup (error->message);
  show_profiles (self, resolved);
  tray_service_set_profiles (self->service, self->profiles,
                             self->resolve_error);
  if (self->prefs != NULL && self->profiles != NULL)
    prefs_dialog_set_profiles (PREFS_DIALOG (self->prefs), self->profiles);
  open_pending (self);
  if (self->resolve_again)
    resolve (self);
}

/* One read at a time; a change meanwhile is read by one more. */
static void
resolve (TrayApp *self)
{
  g_autoptr (GTask) task = NULL;

  if (self->resolving) {
    self->resolve_again = TRUE;
    return;
  }
  self->resolving = TRUE;
  self->resolve_again = FALSE;
  task = g_task_new (self, self->cancellable, on_resolved, NULL);
  g_task_set_source_tag (task, resolve);
  g_task_run_in_thread (task, resolve_thread);
}

/* A file the profiles are resolved from changed (by hand, by the
 * preferences, by the CLI): settings take effect at once. */
static void
on_config_changed (gpointer user_data)
{
  g_debug ("configuration changed: resolving the profiles again");
  resolve (user_data);
}

static void
watch_config (TrayApp *self)
{
  g_auto (GStrv) paths = tray_config_watch_default_paths ();

  self->config_watch =
    tray_config_watch_new ((const char *const *) paths,
                           TRAY_CONFIG_WATCH_DELAY_MS, on_config_changed, self);
}

static GtkWidget *
open_dialog_for_service (TrayProfile *profile, gpointer user_data)
{
  return open_dialog (TRAY_APP (user_data), profile);
}

/* Without a StatusNotifierWatcher the icon may be nowhere to see (GNOME
 * without the AppIndicator extension): say so once. */
static gboolean
check_panel (gpointer user_data)
{
  TrayApp *self = user_data;
  g_autoptr (GNotification) notification = NULL;

  self->panel_check = 0;
  if (self->indicator == NULL || tray_indicator_is_connected (self->indicator))
    return G_SOURCE_REMOVE;
  notification = g_notification_new (_ ("botomfa is running"));
  g_notification_set_body (
    notification,
    _ ("botomfa is running, but no panel shows tray icons here; use "
       "botomfa-tray --refresh or the notifications"));
  g_debug ("no panel shows tray icons: notification %s", PANEL_NOTIFICATION);
  g_application_send_notification (G_APPLICATION (self), PANEL_NOTIFICATION,
                                   notification);
  self->panel_notified = TRUE;

  return G_SOURCE_REMOVE;
}

/* A panel that appears takes back the "no panel" notice; one that goes
 * away earns it again after the grace period. */
static void
on_panel_connection (gboolean connected, gpointer user_data)
{
  TrayApp *self = user_data;

  if (connected)
    withdraw_panel_notification (self);
  else if (!self->panel_notified && self->panel_check == 0)
    self->panel_check =
      g_timeout_add_seconds (PANEL_GRACE_SECONDS, check_panel, self);
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
  watch_config (self);
  self->panel_check =
    g_timeout_add_seconds (PANEL_GRACE_SECONDS, check_panel, self);
  tray_indicator_set_connection_func (self->indicator, on_panel_connection,
                                      self);
}

static void
tray_app_shutdown (GApplication *app)
{
  TrayApp *self = TRAY_APP (app);

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->config_watch, tray_config_watch_free);
  g_clear_handle_id (&self->panel_check, g_source_remove);
  g_clear_pointer (&self->notifies, g_ptr_array_unref);
  g_clear_pointer (&self->indicator, tray_indicator_free);
  if (self->menu != NULL)
    gtk_widget_destroy (self->menu);
  g_clear_object (&self->menu);

  G_APPLICATION_CLASS (tray_app_parent_class)->shutdown (app);
}

/* Whether a tray of this user's session already owns the application id. */
static gboolean
tray_is_running (void)
{
  g_autoptr (GDBusConnection) bus =
    g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr (GVariant) reply = NULL;
  gboolean owned = FALSE;

  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (
    bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
    "org.freedesktop.DBus", "NameHasOwner", g_variant_new ("(s)", TRAY_APP_ID),
    G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 2000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);

  return owned;
}

static void
explain_no_display (void)
{
  const char *named = gdk_get_display_arg_name (); /* --display */
  const char *x11 = g_getenv ("DISPLAY");
  const char *wayland = g_getenv ("WAYLAND_DISPLAY");

  if (named != NULL)
    g_printerr (_ ("botomfa-tray: cannot open the display “%s”.\n"), named);
  else if (wayland != NULL && *wayland != '\0')
    g_printerr (_ ("botomfa-tray: cannot open the Wayland display “%s”.\n"),
                wayland);
  else if (x11 != NULL && *x11 != '\0')
    g_printerr (_ ("botomfa-tray: cannot open the X display “%s”.\n"), x11);
  else
    g_printerr (_ ("botomfa-tray: there is no display to show the tray on "
                   "(neither DISPLAY nor WAYLAND_DISPLAY is set).\n"));
  g_printerr (_ ("Start it from your desktop session, or tick “Start at "
                 "login” in its menu once it runs. The command line, "
                 "botomfa, works without a display.\n"));
}

/* Only the profiles the tray shows can be refreshed by it. */
static gboolean
check_profile_name (TrayApp *self, GApplicationCommandLine *cmdline,
                    const char *name)
{
  if (name == NULL || self->profiles == NULL || find_profile (self, name))
    return TRUE;
  g_application_command_line_printerr (
    cmdline, _ ("botomfa-tray: the tray does not show the profile “%s”\n"),
    name);

  return FALSE;
}

/* Before any instance is chosen: --version, and a display. Without one
 * GTK would exit with a bare warning; a running tray can still take the
 * command line (--refresh opens the dialog on its display). */
static int
tray_app_handle_local_options (GApplication *app, GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version")) {
    g_print ("botomfa-tray %s\n", PACKAGE_VERSION);
    return 0;
  }
  if (gtk_init_check (NULL, NULL) || tray_is_running ())
    return -1;
  explain_no_display ();

  return 1;
}

static int
tray_app_command_line (GApplication *app, GApplicationCommandLine *cmdline)
{
  TrayApp *self = TRAY_APP (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  gboolean refresh = g_variant_dict_contains (options, "refresh");
  g_auto (GStrv) argv =
    g_application_command_line_get_arguments (cmdline, NULL);

  if (g_strv_length (argv) > 2 || (argv[1] != NULL && !refresh)) {
    g_application_command_line_printerr (
      cmdline, "botomfa-tray: %s\n",
      g_strv_length (argv) > 2 ? _ ("name at most one profile")
                               : _ ("a profile is named only with --refresh"));
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

  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  g_clear_pointer (&self->state_items, g_ptr_array_unref);
  g_free (self->refresh_pending);
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
  app_class->handle_local_options = tray_app_handle_local_options;
  app_class->command_line = tray_app_command_line;
  app_class->dbus_register = tray_app_dbus_register;
  app_class->dbus_unregister = tray_app_dbus_unregister;
}

static const GOptionEntry option_entries[] = {
  { "refresh", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Ask for an MFA code and refresh the session"), NULL },
  { "version", 'V', 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Print the version and exit"), NULL },
  { NULL, 0, 0, 0, NULL, NULL, NULL },
};

static void
tray_app_init (TrayApp *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _ ("[PROFILE]"));
  g_application_set_option_context_summary (
    G_APPLICATION (self),
    _ ("Shows in the panel whether the AWS session of each MFA profile is "
       "valid, and refreshes it with a code from the MFA device. A second "
       "start hands its command line to the running tray."));
  self->dialogs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  self->state_items = g_ptr_array_new ();
  self->notifies =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tray_notify_free);
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
