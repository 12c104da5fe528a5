/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* Asks a running botomfa-tray for a session over D-Bus
 * (io.github.botomfa.Sessions1). GIO only, so that
 * botomfa-credential-process starts without libcurl or GnuTLS. */

#include "config.h"

#include "tray-client.h"
#include "json-writer.h"

#include "wipe.h"

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

static gboolean
append_member (GString *out, GVariant *session, const char *key, gboolean last,
               GError **error)
{
  const char *value = NULL;

  if (!g_variant_lookup (session, key, "&s", &value)) {
    g_set_error (error, TRAY_CLIENT_ERROR, TRAY_CLIENT_ERROR_FAILED,
                 _ ("botomfa-tray sent a session without %s; update "
                    "botomfa-tray and botomfa together"),
                 key);
    return FALSE;
  }
  g_string_append_printf (out, "  \"%s\": ", key);
  json_writer_append_string (out, value);
  g_string_append (out, last ? "\n" : ",\n");

  return TRUE;
}

static char *
format_json (GVariant *session, GError **error)
{
  static const char *const keys[] = { "AccessKeyId", "SecretAccessKey",
                                      "SessionToken", "Expiration" };
  GString *out = g_string_new ("{\n  \"Version\": 1,\n");

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++) {
    if (!append_member (out, session, keys[i], i + 1 == G_N_ELEMENTS (keys),
                        error)) {
      wipe_gstring_free (out);
      return NULL;
    }
  }
  g_string_append (out, "}\n");

  return g_string_free (out, FALSE);
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
 * tray_client_get_json:
 * @profile: the profile
 * @min_valid_seconds: how long the session must stay valid
 * @error: return location for a #GError
 *
 * Asks the running tray for the session of @profile; the tray may ask the
 * user for an MFA code first, so this blocks for up to five minutes. No
 * tray is started. %TRAY_CLIENT_ERROR_NO_TRAY says to ask elsewhere.
 *
 * Returns: (transfer full): the credential_process JSON document (free it
 * with wipe_string_free()), or %NULL
 */
char *
tray_client_get_json (const char *profile, guint min_valid_seconds,
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

  return format_json (session, error);
}
