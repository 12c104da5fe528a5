/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The tray's STS calls through botomfa-sts-worker, against the loopback
 * STS server (tests/sts_server.py): what a worker answers, and what the
 * tray makes of a worker that is missing, crashes, answers nonsense or is
 * cancelled. BOTOMFA_TEST_STS_WORKER names the worker built with the
 * tray. */

#include "credential-file.h"
#include "profile.h"
#include "sts-client.h"
#include "sts-job.h"
#include "sts-response.h"
#include "sts-worker-client.h"
#include "../test-util.h"

#include <glib/gstdio.h>
#include <string.h>

#define ALICE_KEY "AKIATESTALICE0000001"
#define ALICE_SECRET "botomfaTestSecretAlice000000000000000001"
#define ALICE_SERIAL "arn:aws:iam::123456789012:mfa/alice"
#define EMPTY_BOTO "# mine\n[Credentials]\n"

static TestUtilStsServer *server;
static char *scratch;
static char *boto;
static const char *worker;

/* The code of now, or of @offset steps of 30 s away (a wrong one). */
static char *
code_at (int offset)
{
  g_autofree char *query = g_strdup_printf (
    "/_control/totp?serial=" ALICE_SERIAL "&offset=%d", offset);

  test_util_sts_server_control (server, "{\"forget_used_codes\": true}");
  return test_util_sts_server_get (server, query, NULL);
}

static Credentials *
alice (void)
{
  return credentials_new (ALICE_KEY, ALICE_SECRET, NULL, NULL);
}

/* The default profile of a fresh boto config (BOTO_CONFIG is @boto). */
static Profile *
fresh_profile (void)
{
  ProfileOverrides overrides = { .device_name = ALICE_SERIAL };
  g_autoptr (GError) error = NULL;
  Profile *profile;

  g_assert_true (g_file_set_contents (boto, EMPTY_BOTO, -1, NULL));
  profile = profile_resolve_seed (&overrides, &error);
  g_assert_no_error (error);
  return profile;
}

static void
assert_boto_untouched (void)
{
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (boto, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, EMPTY_BOTO);
}

/* Refreshes with @code through the worker named by BOTOMFA_STS_WORKER. */
static Credentials *
refresh (const Profile *profile, const char *code, GCancellable *cancellable,
         GError **error)
{
  g_autoptr (Credentials) key = alice ();
  g_autoptr (GAsyncResult) result = NULL;
  TestUtilWaiter waiter = { g_main_loop_new (NULL, FALSE), NULL };

  sts_worker_client_refresh_async (profile, key, FALSE, code, cancellable,
                                   test_util_waiter_done, &waiter);
  result = test_util_waiter_wait (&waiter);
  return sts_worker_client_refresh_finish (result, error);
}

static void
use_worker (const char *path)
{
  g_setenv ("BOTOMFA_STS_WORKER", path, TRUE);
}

static void
test_refresh_writes_the_file (void)
{
  g_autoptr (Profile) profile = fresh_profile ();
  g_autofree char *code = code_at (0);
  g_autoptr (GError) error = NULL;
  g_autoptr (Credentials) session = NULL;
  g_autoptr (Credentials) stored = NULL;

  use_worker (worker);
  session = refresh (profile, code, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (session->access_key_id, "ASIA"));
  g_assert_nonnull (session->expiration);

  stored = credential_file_read (boto, "Credentials", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->access_key_id, ==, session->access_key_id);
  g_assert_cmpstr (stored->secret_access_key, ==, session->secret_access_key);
  g_assert_cmpstr (stored->session_token, ==, session->session_token);
}

/* The dialog says "wrong code" from the error's domain and code, which
 * cross the process boundary intact. */
static void
test_wrong_code_keeps_its_error (void)
{
  g_autoptr (Profile) profile = fresh_profile ();
  g_autofree char *code = code_at (10);
  g_autoptr (GError) error = NULL;
  g_autoptr (Credentials) session = NULL;

  use_worker (worker);
  session = refresh (profile, code, NULL, &error);
  g_assert_null (session);
  g_assert_error (error, STS_ERROR, STS_ERROR_MFA_FAILED);
  assert_boto_untouched ();
}

static void
test_list_devices (void)
{
  g_autoptr (Profile) profile = fresh_profile ();
  g_autoptr (Credentials) key = alice ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) devices = NULL;
  TestUtilWaiter waiter = { g_main_loop_new (NULL, FALSE), NULL };

  use_worker (worker);
  sts_worker_client_list_devices_async (profile, key, NULL,
                                        test_util_waiter_done, &waiter);
  result = test_util_waiter_wait (&waiter);
  devices = sts_worker_client_list_devices_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, >=, 1);
  g_assert_cmpstr (((IamMfaDevice *) devices->pdata[0])->serial_number, ==,
                   ALICE_SERIAL);
}

static void
test_worker_missing (void)
{
  g_autoptr (Profile) profile = fresh_profile ();
  g_autofree char *missing = g_build_filename (scratch, "no-such-worker", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (Credentials) session = NULL;

  use_worker (missing);
  session = refresh (profile, "123456", NULL, &error);
  g_assert_null (session);
  g_assert_error (error, STS_WORKER_CLIENT_ERROR,
                  STS_WORKER_CLIENT_ERROR_MISSING);
  g_assert_nonnull (strstr (error->message, missing));
  g_assert_nonnull (strstr (error->message, "Reinstall botomfa"));
  assert_boto_untouched ();
}

static void
test_worker_exits_without_reply (void)
{
  g_autoptr (Profile) profile = fresh_profile ();
  g_autoptr (GError) error = NULL;
  g_autoptr (Credentials) session = NULL;

  use_worker ("/bin/false");
  session = refresh (profile, "123456", NULL, &error);
  g_assert_null (session);
  g_assert_error (error, STS_WORKER_CLIENT_ERROR,
                  STS_WORKER_CLIENT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "exited with status 1"));
  assert_boto_untouched ();
}

static void
test_worker_crashes (void)
{
  g_autoptr (Profile) profile = fresh_profile ();
  g_autofree char *script = g_build_filename (scratch, "crash", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (Credentials) session = NULL;

  /* Reads the request, then dies as a segfault would. */
  g_assert_true (g_file_set_contents (
    script, "#!/bin/sh\ncat >/dev/null\nkill -SEGV $$\n", -1, NULL));
  g_assert_cmpint (g_chmod (script, 0700), ==, 0);
  use_worker (script);
  session = refresh (profile, "123456", NULL, &error);
  g_assert_null (session);
  g_assert_error (error, STS_WORKER_CLIENT_ERROR,
                  STS_WORKER_CLIENT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "signal 11"));
  assert_boto_untouched ();
}

/* cat answers with the request itself: bytes, but no reply. */
static void
test_worker_answers_nonsense (void)
{
  g_autoptr (Profile) profile = fresh_profile ();
  g_autoptr (GError) error = NULL;
  g_autoptr (Credentials) session = NULL;

  use_worker ("/bin/cat");
  session = refresh (profile, "123456", NULL, &error);
  g_assert_null (session);
  g_assert_error (error, STS_JOB_ERROR, STS_JOB_ERROR_INVALID_REPLY);
  assert_boto_untouched ();
}

static gboolean
cancel_later (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

/* The answer comes only once the worker has been waited for: arriving
 * long before the slow server answers, it shows the worker was killed. */
static void
test_cancel_kills_the_worker (void)
{
  g_autoptr (Profile) profile = fresh_profile ();
  g_autofree char *code = code_at (0);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (Credentials) session = NULL;
  gint64 started = g_get_monotonic_time ();

  use_worker (worker);
  test_util_sts_server_control (
    server, "{\"faults\": [{\"kind\": \"slow\", \"seconds\": 10, "
            "\"count\": 1}]}");
  g_timeout_add (300, cancel_later, cancellable);
  session = refresh (profile, code, cancellable, &error);
  g_assert_null (session);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 3 * G_USEC_PER_SEC);
  assert_boto_untouched ();
  test_util_sts_server_control (server, "{\"reset\": true}");
}

typedef struct {
  const char *code;
  guint workers;
} Scan;

static gboolean
file_contains (const char *path, const char *text)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  return memmem (data, len, text, strlen (text)) != NULL;
}

/* Every running botomfa-sts-worker: neither the code nor the secret in
 * its argv or environment. */
static gboolean
scan_workers (gpointer user_data)
{
  Scan *scan = user_data;
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *pid;

  while ((pid = g_dir_read_name (proc)) != NULL) {
    g_autofree char *exe_link = g_build_filename ("/proc", pid, "exe", NULL);
    g_autofree char *exe = g_file_read_link (exe_link, NULL);
    g_autofree char *cmdline = g_build_filename ("/proc", pid, "cmdline", NULL);
    g_autofree char *environ = g_build_filename ("/proc", pid, "environ", NULL);

    if (exe == NULL || !g_str_equal (exe, worker))
      continue;
    scan->workers++;
    g_assert_false (file_contains (cmdline, scan->code));
    g_assert_false (file_contains (cmdline, ALICE_SECRET));
    g_assert_false (file_contains (environ, scan->code));
    g_assert_false (file_contains (environ, ALICE_SECRET));
  }

  return G_SOURCE_CONTINUE;
}

static void
test_secrets_not_in_argv (void)
{
  g_autoptr (Profile) profile = fresh_profile ();
  g_autofree char *code = code_at (0);
  g_autoptr (GError) error = NULL;
  g_autoptr (Credentials) session = NULL;
  Scan scan = { code, 0 };
  guint source;

  use_worker (worker);
  test_util_sts_server_control (
    server, "{\"faults\": [{\"kind\": \"slow\", \"seconds\": 2, "
            "\"count\": 1}]}");
  source = g_timeout_add (50, scan_workers, &scan);
  session = refresh (profile, code, NULL, &error);
  g_source_remove (source);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  g_assert_cmpuint (scan.workers, >, 0);
  test_util_sts_server_control (server, "{\"reset\": true}");
}

static void
add_tests (void)
{
  g_test_add_func ("/sts-worker-client/refresh-writes-the-file",
                   test_refresh_writes_the_file);
  g_test_add_func ("/sts-worker-client/wrong-code-keeps-its-error",
                   test_wrong_code_keeps_its_error);
  g_test_add_func ("/sts-worker-client/list-devices", test_list_devices);
  g_test_add_func ("/sts-worker-client/worker-missing", test_worker_missing);
  g_test_add_func ("/sts-worker-client/worker-exits-without-reply",
                   test_worker_exits_without_reply);
  g_test_add_func ("/sts-worker-client/worker-crashes", test_worker_crashes);
  g_test_add_func ("/sts-worker-client/worker-answers-nonsense",
                   test_worker_answers_nonsense);
  g_test_add_func ("/sts-worker-client/cancel-kills-the-worker",
                   test_cancel_kills_the_worker);
  g_test_add_func ("/sts-worker-client/secrets-not-in-argv",
                   test_secrets_not_in_argv);
}

int
main (int argc, char **argv)
{
  g_autofree char *state = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  worker = g_getenv ("BOTOMFA_TEST_STS_WORKER");
  g_assert_nonnull (worker);
  scratch = g_dir_make_tmp ("botomfa-sts-worker-client-XXXXXX", NULL);
  boto = g_build_filename (scratch, "boto", NULL);
  state = g_build_filename (scratch, "sts", NULL);
  server = test_util_sts_server_start (state);
  g_setenv ("BOTO_CONFIG", boto, TRUE);
  g_setenv ("AWS_ENDPOINT_URL_STS", server->url, TRUE);
  g_setenv ("AWS_ENDPOINT_URL_IAM", server->url, TRUE);
  g_setenv ("AWS_CA_BUNDLE", server->ca_path, TRUE);
  g_setenv ("BOTOMFA_STS_TIMEOUT", "20", TRUE);
  add_tests ();

  status = g_test_run ();
  test_util_sts_server_stop (server);
  test_util_remove_tree (scratch);
  return status;
}
