/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* io.github.botomfa.Sessions1 on the session bus: `botomfa credential-process`
 * asks the running tray for a profile's session. The tray answers from
 * memory, else from the keyring's session cache, else it opens the MFA
 * dialog and answers once the user's code gave a session. Only processes
 * of the tray's own user are served. Sessions held in memory are also
 * served on a Unix socket (tray-socket.c), the fast way. */

#define G_LOG_DOMAIN "botomfa-tray"

#include "config.h"

#include "tray-service.h"

#include "credential-file.h"
#include "mfa-dialog.h"
#include "refresh.h"
#include "tray-socket.h"

#include <glib/gi18n-lib.h>
#include <unistd.h>

/* How long the Secret Service may take to find a cached session. */
#define LOOKUP_TIMEOUT_MS 5000

static const char introspection_xml[] =
  "<node>"
  "  <interface name='" TRAY_SERVICE_INTERFACE "'>"
  "    <method name='GetSession'>"
  "      <arg type='s' name='profile' direction='in'/>"
  "      <arg type='u' name='min_valid_seconds' direction='in'/>"
  "      <arg type='a{sv}' name='session' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

struct _TrayService {
  TrayServiceOpenDialog open_dialog;
  gpointer open_dialog_data;
  GDBusConnection *connection;
  guint registration;
  GPtrArray *profiles; /* The tray's profiles; NULL until read. */
  char *resolve_error;
  GCancellable *cancellable;
  GList *waiting; /* Calls that came before the profile was read. */
  GList *asking;  /* Calls waiting for the MFA dialog. */
  TraySocket *socket;
};

typedef struct {
  TrayService *service;
  GDBusMethodInvocation *invocation;
  char *profile_name;
  TrayProfile *profile;
  guint min_valid_seconds;
  GtkWidget *dialog;
  gulong destroy_handler;
} Call;

static void
call_free (Call *call)
{
  if (call->dialog != NULL)
    g_signal_handler_disconnect (call->dialog, call->destroy_handler);
  g_clear_object (&call->invocation);
  g_free (call->profile_name);
  g_clear_object (&call->profile);
  g_free (call);
}

static void
call_fail (Call *call, const char *name, const char *message)
{
  g_dbus_method_invocation_return_dbus_error (
    g_steal_pointer (&call->invocation), name, message);
  call_free (call);
}

static GVariant *
session_to_variant (const Credentials *session)
{
  g_autofree char *expiration =
    credential_file_format_expiration (session->expiration);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sv}"));
  g_variant_builder_add (&builder, "{sv}", "AccessKeyId",
                         g_variant_new_string (session->access_key_id));
  g_variant_builder_add (&builder, "{sv}", "SecretAccessKey",
                         g_variant_new_string (session->secret_access_key));
  g_variant_builder_add (&builder, "{sv}", "SessionToken",
                         g_variant_new_string (session->session_token));
  g_variant_builder_add (&builder, "{sv}", "Expiration",
                         g_variant_new_string (expiration));

  return g_variant_new ("(a{sv})", &builder);
}

static void
call_reply (Call *call, const Credentials *session)
{
  g_dbus_method_invocation_return_value (g_steal_pointer (&call->invocation),
                                         session_to_variant (session));
  call_free (call);
}

static void ask (Call *call);

static void
on_dialog_destroyed (GtkWidget *dialog, gpointer user_data)
{
  Call *call = user_data;
  TrayService *self = call->service;
  g_autoptr (Credentials) session = NULL;
  g_autofree char *message = NULL;

  g_signal_handler_disconnect (dialog, call->destroy_handler);
  call->dialog = NULL;
  self->asking = g_list_remove (self->asking, call);
  /* A fresh session counts even if STS granted less than was asked. */
  if (mfa_dialog_get_refreshed (MFA_DIALOG (dialog)))
    session = tray_profile_get_session (call->profile, 0);
  if (session != NULL) {
    call_reply (call, session);
    return;
  }
  /* The dialog was another profile's on the same MFA device: now that the
   * device is free, ask for this profile's code. */
  if (mfa_dialog_get_refreshed (MFA_DIALOG (dialog))
      && mfa_dialog_get_profile (MFA_DIALOG (dialog)) != call->profile) {
    ask (call);
    return;
  }
  message = g_strdup_printf (
    _ ("The MFA dialog of profile %s was closed without a code; run the "
       "command again to be asked again"),
    call->profile_name);
  call_fail (call, TRAY_SERVICE_ERROR_CANCELLED, message);
}

static void
ask (Call *call)
{
  TrayService *self = call->service;

  call->dialog = self->open_dialog (call->profile, self->open_dialog_data);
  call->destroy_handler = g_signal_connect (
    call->dialog, "destroy", G_CALLBACK (on_dialog_destroyed), call);
  self->asking = g_list_prepend (self->asking, call);
}

static void
lookup_thread (GTask *task, gpointer source_object, gpointer task_data,
               GCancellable *cancellable)
{
  TrayProfile *profile = source_object;
  Call *call = task_data;
  g_autoptr (GError) error = NULL;
  Credentials *session;

  session =
    refresh_lookup_cached (tray_profile_get_profile (profile),
                           call->min_valid_seconds, LOOKUP_TIMEOUT_MS, &error);
  if (error != NULL)
    g_debug ("no cached session: %s", error->message);
  g_task_return_pointer (task, session, (GDestroyNotify) credentials_free);
}

static void
on_looked_up (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Call *call = user_data;
  g_autoptr (Credentials) session =
    g_task_propagate_pointer (G_TASK (res), NULL);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (res)))) {
    call_fail (call, TRAY_SERVICE_ERROR_FAILED, _ ("botomfa-tray quit"));
    return;
  }
  if (session == NULL) {
    ask (call);
    return;
  }
  g_debug ("GetSession: answered from the keyring's session cache");
  tray_profile_keep (TRAY_PROFILE (source), session);
  call_reply (call, session);
}

static void
look_up (Call *call)
{
  TrayService *self = call->service;
  g_autoptr (GTask) task =
    g_task_new (call->profile, self->cancellable, on_looked_up, call);

  g_task_set_source_tag (task, look_up);
  g_task_set_task_data (task, call, NULL);
  g_task_run_in_thread (task, lookup_thread);
}

static TrayProfile *
find_profile (GPtrArray *profiles, const char *name)
{
  for (guint i = 0; i < profiles->len; i++) {
    TrayProfile *profile = profiles->pdata[i];

    if (g_str_equal (tray_profile_get_profile (profile)->name, name))
      return g_object_ref (profile);
  }

  return NULL;
}

static void
serve (Call *call)
{
  TrayService *self = call->service;
  g_autoptr (Credentials) session = NULL;
  g_autofree char *message = NULL;

  call->profile = find_profile (self->profiles, call->profile_name);
  if (call->profile == NULL) {
    message = g_strdup_printf (
      _ ("botomfa-tray does not show the profile %s; use botomfa "
         "credential-process for it"),
      call->profile_name);
    call_fail (call, TRAY_SERVICE_ERROR_UNKNOWN_PROFILE, message);
    return;
  }
  session = tray_profile_get_session (call->profile, call->min_valid_seconds);
  if (session == NULL) {
    look_up (call);
    return;
  }
  g_debug ("GetSession: answered from memory");
  call_reply (call, session);
}

static void
admit (Call *call)
{
  TrayService *self = call->service;

  if (self->profiles != NULL)
    serve (call);
  else if (self->resolve_error != NULL)
    call_fail (call, TRAY_SERVICE_ERROR_FAILED, self->resolve_error);
  else
    self->waiting = g_list_append (self->waiting, call);
}

static void
refuse (Call *call)
{
  g_dbus_method_invocation_return_error_literal (
    g_steal_pointer (&call->invocation), G_DBUS_ERROR,
    G_DBUS_ERROR_ACCESS_DENIED,
    _ ("botomfa-tray serves only processes of its own user"));
  call_free (call);
}

static void
on_caller_uid (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Call *call = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply =
    g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), res, &error);
  guint32 uid = G_MAXUINT32;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    call_fail (call, TRAY_SERVICE_ERROR_FAILED, _ ("botomfa-tray quit"));
    return;
  }
  if (reply != NULL)
    g_variant_get (reply, "(u)", &uid);
  else
    g_debug ("the caller's user is not known: %s", error->message);
  if (uid != (guint32) getuid ())
    refuse (call);
  else
    admit (call);
}

/* The bus tells who the caller is; on a peer-to-peer connection the
 * peer's credentials do. */
static void
check_caller (Call *call)
{
  GDBusConnection *connection =
    g_dbus_method_invocation_get_connection (call->invocation);
  const char *sender = g_dbus_method_invocation_get_sender (call->invocation);
  GCredentials *peer;

  if (sender != NULL) {
    g_dbus_connection_call (
      connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
      "org.freedesktop.DBus", "GetConnectionUnixUser",
      g_variant_new ("(s)", sender), G_VARIANT_TYPE ("(u)"),
      G_DBUS_CALL_FLAGS_NONE, 5000, call->service->cancellable, on_caller_uid,
      call);
    return;
  }
  peer = g_dbus_connection_get_peer_credentials (connection);
  if (peer != NULL && g_credentials_get_unix_user (peer, NULL) == getuid ())
    admit (call);
  else
    refuse (call);
}

static void
handle_method_call (GDBusConnection *connection, const char *sender,
                    const char *object_path, const char *interface_name,
                    const char *method_name, GVariant *parameters,
                    GDBusMethodInvocation *invocation, gpointer user_data)
{
  Call *call = g_new0 (Call, 1);

  call->service = user_data;
  call->invocation = g_object_ref (invocation);
  g_variant_get (parameters, "(su)", &call->profile_name,
                 &call->min_valid_seconds);
  g_debug ("GetSession for profile %s", call->profile_name);
  check_caller (call);
}

static Credentials *
lookup_for_socket (const char *name, guint min_valid_seconds,
                   const char **reason, gpointer user_data)
{
  TrayService *self = user_data;
  g_autoptr (TrayProfile) profile = NULL;
  Credentials *session;

  if (self->profiles == NULL
      || !(profile = find_profile (self->profiles, name))) {
    *reason = "the tray does not show this profile";
    return NULL;
  }
  session = tray_profile_get_session (profile, min_valid_seconds);
  if (session == NULL)
    *reason = "the tray holds no session valid long enough";

  return session;
}

/* The socket only makes things faster: without it, D-Bus still serves. */
static void
listen_on_socket (TrayService *self)
{
  g_autofree char *path = tray_socket_default_path ();
  g_autoptr (GError) error = NULL;

  self->socket = tray_socket_new (lookup_for_socket, self);
  if (!tray_socket_listen (self->socket, path, &error)) {
    g_message ("Sessions are served over D-Bus only: %s", error->message);
    g_clear_pointer (&self->socket, tray_socket_free);
  }
}

static const GDBusInterfaceVTable vtable = {
  handle_method_call, NULL, NULL, { 0 }
};

/**
 * tray_service_new:
 * @open_dialog: opens the MFA dialog of a profile, or brings it forward
 * @user_data: for @open_dialog
 *
 * Returns: (transfer full): the service, not yet exported
 */
TrayService *
tray_service_new (TrayServiceOpenDialog open_dialog, gpointer user_data)
{
  TrayService *self = g_new0 (TrayService, 1);

  self->open_dialog = open_dialog;
  self->open_dialog_data = user_data;
  self->cancellable = g_cancellable_new ();

  return self;
}

/**
 * tray_service_export:
 * @self: the service
 * @connection: the session bus
 * @object_path: where (the application's object path)
 * @error: return location for a #GError
 *
 * Exports io.github.botomfa.Sessions1 at @object_path, and serves the
 * sessions the tray holds on its socket, until tray_service_free().
 *
 * Returns: whether it is exported
 */
gboolean
tray_service_export (TrayService *self, GDBusConnection *connection,
                     const char *object_path, GError **error)
{
  g_autoptr (GDBusNodeInfo) info =
    g_dbus_node_info_new_for_xml (introspection_xml, error);

  if (info == NULL)
    return FALSE;
  self->registration = g_dbus_connection_register_object (
    connection, object_path, info->interfaces[0], &vtable, self, NULL, error);
  if (self->registration == 0)
    return FALSE;
  self->connection = g_object_ref (connection);
  listen_on_socket (self);

  return TRUE;
}

/**
 * tray_service_set_profiles:
 * @self: (nullable): the service (%NULL: not exported, nothing to do)
 * @profiles: (nullable) (element-type TrayProfile): the profiles the tray
 *   shows (a reference is taken); %NULL when none could be read
 * @resolve_error: (nullable): why there are none
 *
 * Serves the calls that waited for the profiles to be read.
 */
void
tray_service_set_profiles (TrayService *self, GPtrArray *profiles,
                           const char *resolve_error)
{
  GList *waiting;

  if (self == NULL)
    return;
  waiting = g_steal_pointer (&self->waiting);
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  if (profiles != NULL)
    self->profiles = g_ptr_array_ref (profiles);
  g_free (self->resolve_error);
  self->resolve_error = g_strdup (resolve_error);
  for (GList *l = waiting; l != NULL; l = l->next)
    admit (l->data);
  g_list_free (waiting);
}

static void
fail_all (GList *calls)
{
  for (GList *l = calls; l != NULL; l = l->next)
    call_fail (l->data, TRAY_SERVICE_ERROR_FAILED, _ ("botomfa-tray quit"));
  g_list_free (calls);
}

/**
 * tray_service_free:
 * @self: (nullable): the service
 *
 * Unexports the service; calls still waiting fail.
 */
void
tray_service_free (TrayService *self)
{
  if (self == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->socket, tray_socket_free);
  fail_all (g_steal_pointer (&self->waiting));
  fail_all (g_steal_pointer (&self->asking));
  if (self->registration != 0)
    g_dbus_connection_unregister_object (self->connection, self->registration);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_free (self->resolve_error);
  g_free (self);
}
