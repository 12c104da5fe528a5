/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* Asks a running botomfa-tray for a session over D-Bus
 * (io.github.botomfa.Sessions1), waiting while the tray asks the user for
 * a code. The small `botomfa` front tries the tray's socket first; this
 * is the way that can wait for a dialog. */

#include "config.h"

#include "tray-client.h"

#include <glib/gi18n.h>

#define TRAY_NAME "io.github.botomfa.Botomfa"
#define TRAY_PATH "/io/github/botomfa/Botomfa"
#define TRAY_INTERFACE "io.github.botomfa.Sessions1"
/* The tray may wait for the user to type a code. */
#define CALL_TIMEOUT_MS (300 * 1000)

GQuark
tray_client_error_quark (void)
{
  return g_quark_from_static_string ("tray-client-error-quark");
}

static const char *
lookup_member (GVariant *session, const char *key, GError **error)
{
  const char *value = NULL;

  if (!g_variant_lookup (session, key, "&s", &value))
    g_set_error (error, TRAY_CLIENT_ERROR, TRAY_CLIENT_ERROR_FAILED,
                 _ ("botomfa-tray sent a session without %s; update "
                    "botomfa-tray and botomfa together"),
                 key);

  return value;
}

static Credentials *
session_from_variant (GVariant *session, GError **error)
{
  const char *id, *secret = NULL, *token = NULL, *expires = NULL;
  g_autoptr (GDateTime) expiration = NULL;

  if (!(id = lookup_member (session, "AccessKeyId", error))
      || !(secret = lookup_member (session, "SecretAccessKey", error))
      || !(token = lookup_member (session, "SessionToken", error))
      || !(expires = lookup_member (session, "Expiration", error)))
    return NULL;
  expiration = g_date_time_new_from_iso8601 (expires, NULL);
  if (expiration == NULL) {
    g_set_error (error, TRAY_CLIENT_ERROR, TRAY_CLIENT_ERROR_FAILED,
                 _ ("botomfa-tray sent a session with an unreadable "
                    "expiration (%s); update botomfa-tray and botomfa "
                    "together"),
                 expires);
    return NULL;
  }

  return credentials_new (id, secret, token, expiration);
}

/* Without a session bus address GIO would try to autolaunch one: slow,
 * and no tray could be on it anyway. */
static GDBusConnection *
get_bus (void)
{
  g_autofree char *socket = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL) {
    socket = g_build_filename (g_get_user_runtime_dir (), "bus", NULL);
    if (!g_file_test (socket, G_FILE_TEST_EXISTS))
      return NULL;
  }

  return g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
}

static void
set_remote_error (GError *remote, GError **error)
{
  g_autofree char *name = g_dbus_error_get_remote_error (remote);
  int code = TRAY_CLIENT_ERROR_FAILED;

  g_dbus_error_strip_remote_error (remote);
  if (g_strcmp0 (name, TRAY_INTERFACE ".Error.Cancelled") == 0)
    code = TRAY_CLIENT_ERROR_CANCELLED;
  else if (g_strcmp0 (name, TRAY_INTERFACE ".Error.UnknownProfile") == 0
           || g_error_matches (remote, G_DBUS_ERROR,
                               G_DBUS_ERROR_SERVICE_UNKNOWN)
           || g_error_matches (remote, G_DBUS_ERROR,
                               G_DBUS_ERROR_NAME_HAS_NO_OWNER))
    code = TRAY_CLIENT_ERROR_NO_TRAY;
  g_set_error_literal (error, TRAY_CLIENT_ERROR, code, remote->message);
}

/**
 * tray_client_get_session:
 * @profile: the profile
 * @min_valid_seconds: how long the session must stay valid
 * @error: return location for a #GError
 *
 * Asks the running tray for the session of @profile; the tray may ask the
 * user for an MFA code first, so this blocks for up to five minutes. No
 * tray is started. %TRAY_CLIENT_ERROR_NO_TRAY says to ask elsewhere.
 *
 * Returns: (transfer full): the session, or %NULL
 */
Credentials *
tray_client_get_session (const char *profile, guint min_valid_seconds,
                         GError **error)
{
  g_autoptr (GDBusConnection) bus = get_bus ();
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) session = NULL;
  g_autoptr (GError) remote = NULL;

  if (bus == NULL) {
    g_set_error_literal (error, TRAY_CLIENT_ERROR, TRAY_CLIENT_ERROR_NO_TRAY,
                         _ ("There is no D-Bus session bus"));
    return NULL;
  }
  reply = g_dbus_connection_call_sync (
    bus, TRAY_NAME, TRAY_PATH, TRAY_INTERFACE, "GetSession",
    g_variant_new ("(su)", profile, min_valid_seconds),
    G_VARIANT_TYPE ("(a{sv})"), G_DBUS_CALL_FLAGS_NO_AUTO_START,
    CALL_TIMEOUT_MS, NULL, &remote);
  if (reply == NULL) {
    set_remote_error (remote, error);
    return NULL;
  }
  g_variant_get (reply, "(@a{sv})", &session);

  return session_from_variant (session, error);
}
