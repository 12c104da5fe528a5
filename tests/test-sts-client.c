/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The asynchronous face of the STS client against the loopback STS server
 * (tests/sts_server.py). The tray's refresh, through botomfa-sts-worker,
 * is tested in tests/tray/test-sts-worker-client.c. */

#include "sts-client.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#define ALICE_KEY "AKIATESTALICE0000001"
#define ALICE_SECRET "botomfaTestSecretAlice000000000000000001"
#define ALICE_SERIAL "arn:aws:iam::123456789012:mfa/alice"

static char *server_url;
static char *server_ca;
static char *scratch;

typedef struct {
  GMainLoop *loop;
  GAsyncResult *result;
} Waiter;

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
  g_main_loop_quit (waiter->loop);
}

static GAsyncResult *
wait_for (Waiter *waiter)
{
  g_main_loop_run (waiter->loop);
  g_main_loop_unref (waiter->loop);
  return waiter->result;
}

static char *
curl (const char *what, const char *data)
{
  g_autofree char *url = g_strconcat (server_url, what, NULL);
  const char *argv[] = { "curl",    "-sS", "--cacert",
                         server_ca, url,   data ? "--data" : NULL,
                         data,      NULL };
  g_autofree char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH,
                               NULL, NULL, &out, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_strstrip (g_steal_pointer (&out));
}

static void
control (const char *json)
{
  g_free (curl ("/_control", json));
}

static char *
current_code (void)
{
  control ("{\"forget_used_codes\": true}");
  return curl ("/_control/totp?serial=" ALICE_SERIAL, NULL);
}

static Credentials *
alice (void)
{
  return credentials_new (ALICE_KEY, ALICE_SECRET, NULL, NULL);
}

static void
test_caller_identity_async (void)
{
  g_autoptr (StsClient) client = sts_client_new (NULL, FALSE, NULL);
  g_autoptr (Credentials) key = alice ();
  g_autoptr (StsCallerIdentity) identity = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  Waiter waiter = { g_main_loop_new (NULL, FALSE), NULL };

  sts_client_get_caller_identity_async (client, key, NULL, on_done, &waiter);
  result = wait_for (&waiter);
  identity = sts_client_get_caller_identity_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (identity->arn, ==, "arn:aws:iam::123456789012:user/alice");
  g_assert_cmpstr (identity->account, ==, "123456789012");
}

static void
test_session_token_async (void)
{
  g_autoptr (StsClient) client = sts_client_new (NULL, FALSE, NULL);
  g_autoptr (Credentials) key = alice ();
  g_autoptr (Credentials) session = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autofree char *code = current_code ();
  Waiter waiter = { g_main_loop_new (NULL, FALSE), NULL };
  GTimeSpan left;

  sts_client_get_session_token_async (client, key, ALICE_SERIAL, code, 900,
                                      NULL, on_done, &waiter);
  result = wait_for (&waiter);
  session = sts_client_credentials_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (session->access_key_id, "ASIA"));
  g_assert_true (credentials_is_temporary (session));
  left = credentials_time_left (session, now);
  g_assert_cmpint (left, >, 890 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (left, <=, 901 * G_TIME_SPAN_SECOND);
}

static gboolean
cancel_later (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_while_waiting (void)
{
  g_autoptr (StsClient) client = sts_client_new (NULL, FALSE, NULL);
  g_autoptr (Credentials) key = alice ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  Waiter waiter = { g_main_loop_new (NULL, FALSE), NULL };
  gint64 started = g_get_monotonic_time ();

  control ("{\"faults\": [{\"kind\": \"slow\", \"seconds\": 10, "
           "\"count\": 1}]}");
  sts_client_get_caller_identity_async (client, key, cancellable, on_done,
                                        &waiter);
  g_timeout_add (200, cancel_later, cancellable);
  result = wait_for (&waiter);
  g_assert_null (
    sts_client_get_caller_identity_finish (client, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 3 * G_USEC_PER_SEC);
  control ("{\"reset\": true}");
}

static GSubprocess *
start_server (void)
{
  g_autofree char *script =
    g_test_build_filename (G_TEST_DIST, "sts_server.py", NULL);
  g_autofree char *state = g_build_filename (scratch, "sts", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  GSubprocess *server;

  server =
    g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                      "/usr/bin/python3", script, "--state-dir", state, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "READY "));
  server_url = g_strdup (line + strlen ("READY "));
  server_ca = g_build_filename (state, "ca.pem", NULL);
  return server;
}

int
main (int argc, char **argv)
{
  g_autoptr (GSubprocess) server = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  scratch = g_dir_make_tmp ("botomfa-sts-client-XXXXXX", NULL);
  server = start_server ();
  g_setenv ("AWS_ENDPOINT_URL_STS", server_url, TRUE);
  g_setenv ("AWS_CA_BUNDLE", server_ca, TRUE);
  g_setenv ("BOTOMFA_STS_TIMEOUT", "20", TRUE);

  g_test_add_func ("/sts-client/caller-identity-async",
                   test_caller_identity_async);
  g_test_add_func ("/sts-client/session-token-async", test_session_token_async);
  g_test_add_func ("/sts-client/cancel-while-waiting",
                   test_cancel_while_waiting);
  status = g_test_run ();

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  return status;
}
