/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* botomfa-tray's STS and IAM calls, made by botomfa-sts-worker (one
 * process per call) so that the tray never loads libcurl and GnuTLS. The
 * request goes to the worker's stdin, the reply comes back on its stdout
 * (src/core/sts-job.h); nothing secret is in its argv or environment.
 * Cancelling kills the worker. */

#define G_LOG_DOMAIN "botomfa-tray"

#include "config.h"

#include "sts-worker-client.h"

#include "refresh.h"
#include "sts-job.h"
#include "wipe.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <sys/socket.h>
#include <unistd.h>

#define WORKER_NAME "botomfa-sts-worker"

GQuark
sts_worker_client_error_quark (void)
{
  return g_quark_from_static_string ("sts-worker-client-error-quark");
}

typedef struct {
  StsJobKind kind;
  GBytes *request;
  char *path;
  GSubprocess *process;
  GIOStream *input;
  guint8 *reply;
  gsize reply_len;
  guint pending;
  GCancellable *cancellable;
  gulong cancelled_id;
  /* A refresh stores the session it got. */
  const Profile *profile;
  Credentials *replaceable;
  Credentials *session;
} Call;

static void
call_free (Call *call)
{
  if (call->cancelled_id != 0)
    g_cancellable_disconnect (call->cancellable, call->cancelled_id);
  g_clear_object (&call->cancellable);
  g_bytes_unref (call->request);
  g_free (call->path);
  g_clear_object (&call->input);
  g_clear_object (&call->process);
  if (call->reply != NULL)
    wipe_memory (call->reply, call->reply_len);
  g_free (call->reply);
  credentials_free (call->replaceable);
  credentials_free (call->session);
  g_free (call);
}

/* Installed, the worker is in PKGLIBEXECDIR; an uninstalled tray (told by
 * where its executable is, as for its icons) runs the one built beside
 * it. */
static char *
worker_path (void)
{
  const char *override = g_getenv ("BOTOMFA_STS_WORKER");
#ifdef TRAY_BUILD_DIR
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe ? g_path_get_dirname (exe) : NULL;
#endif

  if (override != NULL && override[0] != '\0')
    return g_strdup (override);
#ifdef TRAY_BUILD_DIR
  if (dir != NULL && g_str_equal (dir, TRAY_BUILD_DIR))
    return g_build_filename (TRAY_BUILD_DIR, WORKER_NAME, NULL);
#endif

  return g_build_filename (PKGLIBEXECDIR, WORKER_NAME, NULL);
}

static Call *
call_new (StsJob *job, GCancellable *cancellable)
{
  Call *call = g_new0 (Call, 1);

  call->kind = job->kind;
  call->request = sts_job_to_bytes (job);
  call->path = worker_path ();
  call->reply = g_malloc (STS_JOB_MAX_SIZE);
  call->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  sts_job_free (job);

  return call;
}

/* The worker's stdin is a socket rather than a pipe: writing to a worker
 * that died then fails with EPIPE instead of raising SIGPIPE, which would
 * end the tray. */
static gboolean
spawn (Call *call, GError **error)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSocket) socket = NULL;
  const char *argv[] = { call->path, NULL };
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0) {
    int saved = errno;

    g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved),
                         g_strerror (saved));
    return FALSE;
  }
  socket = g_socket_new_from_fd (fds[0], error);
  if (socket == NULL) {
    close (fds[0]);
    close (fds[1]);
    return FALSE;
  }
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_take_stdin_fd (launcher, fds[1]);
  call->input =
    G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
  call->process = g_subprocess_launcher_spawnv (launcher, argv, error);

  return call->process != NULL;
}

static GError *
missing (const GError *spawn_error)
{
  return g_error_new (
    STS_WORKER_CLIENT_ERROR, STS_WORKER_CLIENT_ERROR_MISSING,
    _ ("botomfa-tray could not start its helper that asks AWS (%s). "
       "Reinstall botomfa."),
    spawn_error->message);
}

/* Why a worker gave no reply, from how it ended. */
static GError *
no_reply (const Call *call)
{
  GSubprocess *process = call->process;

  if (g_subprocess_get_if_signaled (process))
    return g_error_new (
      STS_WORKER_CLIENT_ERROR, STS_WORKER_CLIENT_ERROR_FAILED,
      _ ("%s, which asks AWS for botomfa-tray, was stopped by signal %d (%s) "
         "before it answered. Try again; if it keeps failing, reinstall "
         "botomfa."),
      call->path, g_subprocess_get_term_sig (process),
      g_strsignal (g_subprocess_get_term_sig (process)));

  return g_error_new (
    STS_WORKER_CLIENT_ERROR, STS_WORKER_CLIENT_ERROR_FAILED,
    _ ("%s, which asks AWS for botomfa-tray, exited with status %d without "
       "an answer. Try again; if it keeps failing, reinstall botomfa."),
    call->path, g_subprocess_get_exit_status (process));
}

static void
store_thread (GTask *task, gpointer source_object, gpointer task_data,
              GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;

  if (!refresh_store (call->profile, call->session, call->replaceable,
                      &error)) {
    g_task_return_error (task, error);
    return;
  }
  g_task_return_pointer (task, g_steal_pointer (&call->session),
                         (GDestroyNotify) credentials_free);
}

/* The worker is done and its reply read: hand it over, or (a refresh)
 * store the session first, in a thread. */
static void
conclude (GTask *task, Call *call, GBytes *reply)
{
  GError *error = NULL;
  GPtrArray *devices;

  if (call->kind == STS_JOB_DEVICES) {
    devices = sts_job_read_devices (reply, &error);
    if (devices == NULL)
      g_task_return_error (task, error);
    else
      g_task_return_pointer (task, devices, (GDestroyNotify) g_ptr_array_unref);
    return;
  }

  call->session = sts_job_read_session (reply, &error);
  if (call->session == NULL) {
    g_task_return_error (task, error);
    return;
  }
  g_task_run_in_thread (task, store_thread);
}

static void
finish (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  g_autoptr (GBytes) reply = NULL;

  g_cancellable_disconnect (call->cancellable, call->cancelled_id);
  call->cancelled_id = 0;
  /* A cancelled call writes nothing, even if the reply made it. */
  if (g_task_return_error_if_cancelled (task))
    return;
  if (call->reply_len == 0) {
    g_task_return_error (task, no_reply (call));
    return;
  }
  if (g_subprocess_get_if_signaled (call->process)
      || g_subprocess_get_exit_status (call->process) != 0)
    g_debug ("%s ended badly after its reply", call->path);

  reply = wipe_bytes_new_take (g_steal_pointer (&call->reply), call->reply_len);
  conclude (task, call, reply);
}

static void
step_done (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  if (--call->pending == 0)
    finish (task);
}

static void
on_written (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  /* A worker that died early is reported from how it ended. */
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), res, NULL,
                                         &error))
    g_debug ("%s: request not sent: %s", call->path, error->message);
  /* End of the request: the worker reads to the end. */
  g_io_stream_close (call->input, NULL, NULL);
  step_done (task);
}

static void
on_read (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (source), res,
                                       &call->reply_len, &error))
    g_debug ("%s: reply not read: %s", call->path, error->message);
  step_done (task);
}

static void
on_exited (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), res, NULL);
  step_done (task);
}

static void
on_cancelled (GCancellable *cancellable, gpointer user_data)
{
  g_subprocess_force_exit (G_SUBPROCESS (user_data));
}

static void
talk (GTask *task, Call *call)
{
  gsize size;
  const void *data = g_bytes_get_data (call->request, &size);

  call->pending = 3;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (call->input),
                                   data, size, G_PRIORITY_DEFAULT, NULL,
                                   on_written, g_object_ref (task));
  g_input_stream_read_all_async (
    g_subprocess_get_stdout_pipe (call->process), call->reply, STS_JOB_MAX_SIZE,
    G_PRIORITY_DEFAULT, NULL, on_read, g_object_ref (task));
  g_subprocess_wait_async (call->process, NULL, on_exited, g_object_ref (task));
  if (call->cancellable != NULL)
    call->cancelled_id =
      g_cancellable_connect (call->cancellable, G_CALLBACK (on_cancelled),
                             g_object_ref (call->process), g_object_unref);
}

static void
start (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!spawn (call, &error)) {
    g_task_return_error (task, missing (error));
    return;
  }
  g_debug ("%s started for %s", call->path,
           call->kind == STS_JOB_DEVICES ? "the MFA devices" : "a session");
  talk (task, call);
}

/**
 * sts_worker_client_refresh_async:
 * @profile: the profile; kept alive by the caller until the callback
 * @long_term: the long-term key (copied)
 * @long_term_from_keyring: whether the keyring holds @long_term, so a
 *   plaintext copy of it in a target may be overwritten
 * @token_code: the six-digit code (copied, wiped)
 * @cancellable: (nullable): a #GCancellable; cancelling kills the worker
 * @callback: called in the caller's main context when done
 * @user_data: data for @callback
 *
 * refresh_obtain() in botomfa-sts-worker, then refresh_store() in a
 * thread. A cancelled or failed refresh writes nothing.
 */
void
sts_worker_client_refresh_async (
  const Profile *profile, const Credentials *long_term,
  gboolean long_term_from_keyring, const char *token_code,
  GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Call *call = call_new (sts_job_new_session (profile, long_term, token_code),
                         cancellable);

  call->profile = profile;
  if (long_term_from_keyring)
    call->replaceable = credentials_copy (long_term);
  g_task_set_source_tag (task, sts_worker_client_refresh_async);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  start (task);
}

/**
 * sts_worker_client_refresh_finish:
 *
 * Returns: (transfer full): the stored session, or %NULL with @error set:
 * what STS answered (an #STS_ERROR …), why the session could not be
 * stored, or a #STS_WORKER_CLIENT_ERROR
 */
Credentials *
sts_worker_client_refresh_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sts_worker_client_list_devices_async:
 * @profile: the profile whose STS endpoint to use (read at once)
 * @long_term: the IAM user's long-term key (copied)
 * @cancellable: (nullable): a #GCancellable; cancelling kills the worker
 * @callback: called in the caller's main context when done
 * @user_data: data for @callback
 *
 * device_discovery_list() in botomfa-sts-worker.
 */
void
sts_worker_client_list_devices_async (const Profile *profile,
                                      const Credentials *long_term,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sts_worker_client_list_devices_async);
  g_task_set_task_data (
    task, call_new (sts_job_new_devices (profile, long_term), cancellable),
    (GDestroyNotify) call_free);
  start (task);
}

/**
 * sts_worker_client_list_devices_finish:
 *
 * Returns: (transfer full) (element-type IamMfaDevice): at least one
 * device, or %NULL with @error set as device_discovery_list() does, or a
 * #STS_WORKER_CLIENT_ERROR
 */
GPtrArray *
sts_worker_client_list_devices_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
