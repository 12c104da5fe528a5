/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The MFA code from a command (the profile's mfa_process setting), such as
 * "ykman oath accounts code --single NAME", instead of a prompt. */

#define G_LOG_DOMAIN "botomfa-refresh"

#include "config.h"

#include "mfa-process.h"
#include "refresh.h"
#include "wipe.h"

#include <glib/gi18n-lib.h>
#include <string.h>

GQuark
mfa_process_error_quark (void)
{
  return g_quark_from_static_string ("mfa-process-error-quark");
}

typedef struct {
  GMainLoop *loop;
  GBytes *out;
  GError *error;
} Wait;

static void
on_communicated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, &wait->out,
                                   NULL, &wait->error);
  g_main_loop_quit (wait->loop);
}

static gboolean
on_timeout (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Runs @argv with a bounded wait in a private main context. */
static GBytes *
communicate (char **argv, guint timeout_ms, GError **error)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GSource) timeout = g_timeout_source_new (timeout_ms);
  Wait wait = { NULL, NULL, NULL };

  process = g_subprocess_newv (
    (const char *const *) argv,
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_INHERIT, error);
  if (process == NULL)
    return NULL;

  g_main_context_push_thread_default (context);
  wait.loop = g_main_loop_new (context, FALSE);
  g_source_set_callback (timeout, on_timeout, cancellable, NULL);
  g_source_attach (timeout, context);
  g_subprocess_communicate_async (process, NULL, cancellable, on_communicated,
                                  &wait);
  g_main_loop_run (wait.loop);
  g_source_destroy (timeout);
  g_main_loop_unref (wait.loop);
  g_main_context_pop_thread_default (context);

  if (wait.error == NULL && !g_subprocess_get_successful (process))
    g_set_error (&wait.error, MFA_PROCESS_ERROR, MFA_PROCESS_ERROR_FAILED,
                 _ ("the command failed (exit status %d)"),
                 g_subprocess_get_exit_status (process));
  if (wait.error != NULL) {
    if (g_error_matches (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      g_subprocess_force_exit (process);
      g_clear_error (&wait.error);
      g_set_error (&wait.error, MFA_PROCESS_ERROR, MFA_PROCESS_ERROR_TIMEOUT,
                   _ ("the command gave no code within %u seconds"),
                   timeout_ms / 1000);
    }
    g_propagate_error (error, wait.error);
    g_clear_pointer (&wait.out, g_bytes_unref);
  }

  return wait.out;
}

/**
 * mfa_process_run:
 * @command: a command line, split like a shell would (no shell runs it)
 * @timeout_ms: how long to wait for it
 * @error: return location for a #GError
 *
 * Runs @command and takes the MFA code from the last line of its output.
 * Its standard input stays the caller's, so a touch-to-confirm prompt of
 * the command can still be answered. Blocks.
 *
 * Returns: (transfer full): the six digits (free with wipe_string_free()),
 * or %NULL with @error set
 */
char *
mfa_process_run (const char *command, guint timeout_ms, GError **error)
{
  g_auto (GStrv) argv = NULL;
  g_autoptr (GBytes) out = NULL;
  g_auto (WipeString) text = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *last;
  char *code;

  if (!g_shell_parse_argv (command, NULL, &argv, &local_error)
      || (out = communicate (argv, timeout_ms, &local_error)) == NULL) {
    g_set_error (error, MFA_PROCESS_ERROR,
                 local_error->domain == MFA_PROCESS_ERROR
                   ? local_error->code
                   : MFA_PROCESS_ERROR_INVALID,
                 _ ("The MFA code command “%s” did not give a code: %s"),
                 command, local_error->message);
    return NULL;
  }

  text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  wipe_memory ((gpointer) g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  g_strchomp (text);
  last = strrchr (text, '\n') ? strrchr (text, '\n') + 1 : text;
  code = refresh_normalize_code (last, &local_error);
  if (code == NULL)
    g_set_error (error, MFA_PROCESS_ERROR, MFA_PROCESS_ERROR_FAILED,
                 _ ("The MFA code command “%s” printed no six-digit code on "
                    "its last line"),
                 command);

  return code;
}
