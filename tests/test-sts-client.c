/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The asynchronous face of the STS client against the loopback STS server
 * (tests/sts_server.py). The tray's refresh, through botomfa-sts-worker,
 * is tested in tests/tray/test-sts-worker-client.c. */

#include "sts-client.h"
#include "test-util.h"

#include <glib/gstdio.h>
#include <string.h>

#define ALICE_KEY "AKIATESTALICE0000001"
#define ALICE_SECRET "botomfaTestSecretAlice000000000000000001"
#define ALICE_SERIAL "arn:aws:iam::123456789012:mfa/alice"

static TestUtilStsServer *server;
static char *scratch;

static char *
current_code (void)
{
  test_util_sts_server_control (server, "{\"forget_used_codes\": true}");
  return test_util_sts_server_get (server,
                                   "/_control/totp?serial=" ALICE_SERIAL, NULL);
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
  TestUtilWaiter waiter = { g_main_loop_new (NULL, FALSE), NULL };

  sts_client_get_caller_identity_async (client, key, NULL,
                                        test_util_waiter_done, &waiter);
  result = test_util_waiter_wait (&waiter);
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
  TestUtilWaiter waiter = { g_main_loop_new (NULL, FALSE), NULL };
  GTimeSpan left;

  sts_client_get_session_token_async (client, key, ALICE_SERIAL, code, 900,
                                      NULL, test_util_waiter_done, &waiter);
  result = test_util_waiter_wait (&waiter);
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
  TestUtilWaiter waiter = { g_main_loop_new (NULL, FALSE), NULL };
  gint64 started = g_get_monotonic_time ();

  test_util_sts_server_control (
    server, "{\"faults\": [{\"kind\": \"slow\", \"seconds\": 10, "
            "\"count\": 1}]}");
  sts_client_get_caller_identity_async (client, key, cancellable,
                                        test_util_waiter_done, &waiter);
  g_timeout_add (200, cancel_later, cancellable);
  result = test_util_waiter_wait (&waiter);
  g_assert_null (
    sts_client_get_caller_identity_finish (client, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 3 * G_USEC_PER_SEC);
  test_util_sts_server_control (server, "{\"reset\": true}");
}

int
main (int argc, char **argv)
{
  g_autofree char *state = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  scratch = g_dir_make_tmp ("botomfa-sts-client-XXXXXX", NULL);
  state = g_build_filename (scratch, "sts", NULL);
  server = test_util_sts_server_start (state);
  g_setenv ("AWS_ENDPOINT_URL_STS", server->url, TRUE);
  g_setenv ("AWS_CA_BUNDLE", server->ca_path, TRUE);
  g_setenv ("BOTOMFA_STS_TIMEOUT", "20", TRUE);

  g_test_add_func ("/sts-client/caller-identity-async",
                   test_caller_identity_async);
  g_test_add_func ("/sts-client/session-token-async", test_session_token_async);
  g_test_add_func ("/sts-client/cancel-while-waiting",
                   test_cancel_while_waiting);
  status = g_test_run ();

  test_util_sts_server_stop (server);
  return status;
}
