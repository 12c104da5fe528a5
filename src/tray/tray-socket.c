/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* A Unix socket in the user's runtime directory through which `botomfa
 * credential-process` gets a session the tray holds in memory: opening a
 * D-Bus connection alone costs more than the 3 ms an SDK should wait.
 * One request, one reply, then the connection closes:
 *
 *   request  "GET <min_valid_seconds> <profile>\n"
 *   reply    the credential_process document (its first byte is '{'), or
 *            "- <reason>\n" when the tray holds no such session; the
 *            client then asks over D-Bus, where the tray can open its
 *            dialog, or looks in the keyring itself.
 *
 * Only processes of the tray's own user are answered (SO_PEERCRED), and
 * the socket lives in a directory only that user can enter. */

#define G_LOG_DOMAIN "botomfa-tray"

#include "config.h"

#include "tray-socket.h"

#include "credential-file.h"
#include "wipe.h"

#include <errno.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "GET", a number, a profile name: far below this. */
#define REQUEST_MAX 512
/* A client that connects and says nothing is dropped after this. */
#define CLIENT_TIMEOUT_SECONDS 5

struct _TraySocket {
  TraySocketLookup lookup;
  gpointer lookup_data;
  GSocketService *service;
  GCancellable *cancellable;
  char *path;
  dev_t device; /* Of the socket we bound, so we remove only ours. */
  ino_t inode;
};

typedef struct {
  TraySocket *socket;
  GCancellable *cancellable;
  GSocketConnection *connection;
  char request[REQUEST_MAX];
  gsize length;
  char *reply;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->cancellable);
  g_clear_object (&request->connection);
  g_clear_pointer (&request->reply, wipe_string_free);
  g_free (request);
}

static void
on_written (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Request *request = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), res, NULL,
                                         &error))
    g_debug ("socket: the reply was not sent: %s", error->message);
  request_free (request);
}

static void
send_reply (Request *request, char *reply)
{
  GOutputStream *out =
    g_io_stream_get_output_stream (G_IO_STREAM (request->connection));

  request->reply = reply;
  g_output_stream_write_all_async (out, reply, strlen (reply),
                                   G_PRIORITY_DEFAULT, request->cancellable,
                                   on_written, request);
}

/* Parses "GET <seconds> <profile>"; the line has no newline any more. */
static gboolean
parse_request (char *line, guint *min_valid_seconds, const char **profile)
{
  char *end = NULL;
  guint64 seconds;

  if (!g_str_has_prefix (line, "GET ") || !g_ascii_isdigit (line[4]))
    return FALSE;
  seconds = g_ascii_strtoull (line + 4, &end, 10);
  if (*end != ' ' || end[1] == '\0' || seconds > G_MAXUINT)
    return FALSE;
  *min_valid_seconds = (guint) seconds;
  *profile = end + 1;

  return TRUE;
}

static char *
answer (TraySocket *self, char *line)
{
  g_autoptr (Credentials) session = NULL;
  const char *profile = NULL;
  const char *reason = NULL;
  guint min_valid_seconds = 0;

  if (!parse_request (line, &min_valid_seconds, &profile))
    return g_strdup ("- malformed request\n");
  session =
    self->lookup (profile, min_valid_seconds, &reason, self->lookup_data);
  if (session == NULL)
    return g_strdup_printf ("- %s\n", reason ? reason : "no session");
  g_debug ("socket: answered for profile %s from memory", profile);

  return credential_file_format_process (session);
}

static void read_more (Request *request);

static void
on_read (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Request *request = user_data;
  g_autoptr (GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), res, &error);
  char *newline;

  if (n <= 0 || g_cancellable_is_cancelled (request->cancellable)) {
    if (n < 0)
      g_debug ("socket: the request was not read: %s", error->message);
    request_free (request);
    return;
  }
  request->length += n;
  newline = memchr (request->request, '\n', request->length);
  if (newline != NULL) {
    *newline = '\0';
    send_reply (request, answer (request->socket, request->request));
  } else if (request->length < REQUEST_MAX - 1)
    read_more (request);
  else
    send_reply (request, g_strdup ("- request too long\n"));
}

static void
read_more (Request *request)
{
  GInputStream *in =
    g_io_stream_get_input_stream (G_IO_STREAM (request->connection));

  g_input_stream_read_async (
    in, request->request + request->length, REQUEST_MAX - 1 - request->length,
    G_PRIORITY_DEFAULT, request->cancellable, on_read, request);
}

static gboolean
peer_is_own_user (GSocketConnection *connection)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  g_autoptr (GError) error = NULL;
  g_autoptr (GCredentials) peer = g_socket_get_credentials (socket, &error);

  if (peer == NULL) {
    g_debug ("socket: the peer is not known: %s", error->message);
    return FALSE;
  }

  return g_credentials_get_unix_user (peer, NULL) == getuid ();
}

static gboolean
on_incoming (GSocketService *service, GSocketConnection *connection,
             GObject *source_object, gpointer user_data)
{
  TraySocket *self = user_data;
  Request *request;

  if (!peer_is_own_user (connection)) {
    g_debug ("socket: refused a process of another user");
    return TRUE;
  }
  g_socket_set_timeout (g_socket_connection_get_socket (connection),
                        CLIENT_TIMEOUT_SECONDS);
  request = g_new0 (Request, 1);
  request->socket = self;
  request->cancellable = g_object_ref (self->cancellable);
  request->connection = g_object_ref (connection);
  read_more (request);

  return TRUE;
}

/**
 * tray_socket_new:
 * @lookup: finds the session the tray holds for a profile
 * @user_data: for @lookup
 *
 * Returns: (transfer full): a socket server, not yet listening
 */
TraySocket *
tray_socket_new (TraySocketLookup lookup, gpointer user_data)
{
  TraySocket *self = g_new0 (TraySocket, 1);

  self->lookup = lookup;
  self->lookup_data = user_data;
  self->cancellable = g_cancellable_new ();

  return self;
}

/* Our runtime directory is private already; the fallback (the cache
 * directory) may not be, so botomfa's own directory must be. */
static gboolean
ensure_private_dir (const char *dir, GError **error)
{
  struct stat st;

  if (g_mkdir_with_parents (dir, 0700) != 0 || lstat (dir, &st) != 0) {
    int saved = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 _ ("Cannot create %s: %s"), dir, g_strerror (saved));
    return FALSE;
  }
  if (!S_ISDIR (st.st_mode) || st.st_uid != getuid ()
      || (st.st_mode & 077) != 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                 _ ("%s is not a directory only you can enter; remove it and "
                    "start botomfa-tray again"),
                 dir);
    return FALSE;
  }

  return TRUE;
}

/* A socket file left by a tray that was killed answers nothing and may go;
 * one that answers belongs to a tray on another bus, which keeps it. */
static gboolean
take_path (const char *path, GError **error)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketAddress) address = g_unix_socket_address_new (path);
  g_autoptr (GSocketConnection) connection = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address),
                                        NULL, NULL);
  if (connection != NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                 _ ("Another botomfa-tray already answers on %s"), path);
    return FALSE;
  }
  g_unlink (path);

  return TRUE;
}

static gboolean
bind_path (TraySocket *self, const char *path, GError **error)
{
  g_autoptr (GSocketAddress) address = g_unix_socket_address_new (path);
  struct stat st;

  self->service = g_socket_service_new ();
  if (!g_socket_listener_add_address (
        G_SOCKET_LISTENER (self->service), address, G_SOCKET_TYPE_STREAM,
        G_SOCKET_PROTOCOL_DEFAULT, NULL, NULL, error))
    return FALSE;
  if (lstat (path, &st) == 0) {
    self->device = st.st_dev;
    self->inode = st.st_ino;
  }
  self->path = g_strdup (path);
  g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming), self);
  g_socket_service_start (self->service);

  return TRUE;
}

/**
 * tray_socket_listen:
 * @self: the server
 * @path: where to listen, normally tray_socket_default_path()
 * @error: return location for a #GError
 *
 * Starts answering on @path, replacing a socket file no server answers on.
 * Fails with %G_IO_ERROR_ADDRESS_IN_USE when another tray answers there.
 *
 * Returns: whether it listens
 */
gboolean
tray_socket_listen (TraySocket *self, const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_return_val_if_fail (self->service == NULL, FALSE);

  return ensure_private_dir (dir, error) && take_path (path, error)
         && bind_path (self, path, error);
}

/**
 * tray_socket_default_path:
 *
 * Returns: (transfer full): where the tray listens:
 *   `$XDG_RUNTIME_DIR/botomfa/tray.socket`, GLib's fallback for the
 *   runtime directory applying
 */
char *
tray_socket_default_path (void)
{
  return g_build_filename (g_get_user_runtime_dir (), TRAY_SOCKET_NAME, NULL);
}

/* Removes the socket file only if it is still the one we bound. */
static void
remove_path (TraySocket *self)
{
  struct stat st;

  if (self->path != NULL && lstat (self->path, &st) == 0
      && st.st_dev == self->device && st.st_ino == self->inode)
    g_unlink (self->path);
}

/**
 * tray_socket_free:
 * @self: (nullable): the server
 *
 * Stops listening, drops requests in flight and removes the socket file.
 */
void
tray_socket_free (TraySocket *self)
{
  if (self == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  if (self->service != NULL) {
    g_socket_service_stop (self->service);
    g_socket_listener_close (G_SOCKET_LISTENER (self->service));
    remove_path (self);
  }
  g_clear_object (&self->service);
  g_clear_object (&self->cancellable);
  g_free (self->path);
  g_free (self);
}
