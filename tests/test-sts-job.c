/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The bytes botomfa-tray and botomfa-sts-worker exchange: round trips,
 * errors that keep their domain and code, and what is refused. */

#include "sts-client.h"
#include "sts-job.h"
#include "sts-response.h"
#include "wipe.h"

#include <string.h>

#define KEY_ID "AKIATESTALICE0000001"
#define SECRET "botomfaTestSecretAlice000000000000000001"
#define SERIAL "arn:aws:iam::123456789012:mfa/alice"

static Profile *
profile_new (const char *role_arn)
{
  Profile *profile = g_new0 (Profile, 1);

  profile->name = g_strdup ("work");
  profile->mfa_serial = g_strdup (SERIAL);
  profile->device_name = g_strdup ("alice");
  profile->duration = 3600;
  profile->role_arn = g_strdup (role_arn);
  profile->region = g_strdup ("eu-west-1");
  profile->legacy_global = TRUE;

  return profile;
}

static Credentials *
key_new (void)
{
  return credentials_new (KEY_ID, SECRET, NULL, NULL);
}

/* A copy in g_malloc()ed memory, as the worker and the tray read it. */
static GBytes *
copy_bytes (GBytes *bytes)
{
  gsize len;
  const void *data = g_bytes_get_data (bytes, &len);

  return wipe_bytes_new_take (g_memdup2 (data, len), len);
}

static gboolean
bytes_contain (GBytes *bytes, const char *text)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return memmem (data, len, text, strlen (text)) != NULL;
}

static void
test_session_request_round_trip (void)
{
  g_autoptr (Profile) profile = profile_new ("arn:aws:iam::1:role/admin");
  g_autoptr (Credentials) key = key_new ();
  g_autoptr (StsJob) job = sts_job_new_session (profile, key, "123456");
  g_autoptr (GBytes) bytes = sts_job_to_bytes (job);
  g_autoptr (GBytes) copy = copy_bytes (bytes);
  g_autoptr (GError) error = NULL;
  g_autoptr (StsJob) back = sts_job_from_bytes (copy, &error);

  g_assert_no_error (error);
  g_assert_cmpint (back->kind, ==, STS_JOB_SESSION);
  g_assert_cmpstr (back->region, ==, "eu-west-1");
  g_assert_true (back->legacy_global);
  g_assert_cmpstr (back->key->access_key_id, ==, KEY_ID);
  g_assert_cmpstr (back->key->secret_access_key, ==, SECRET);
  g_assert_null (back->key->session_token);
  g_assert_cmpstr (back->mfa_serial, ==, SERIAL);
  g_assert_cmpstr (back->token_code, ==, "123456");
  g_assert_cmpstr (back->role_arn, ==, "arn:aws:iam::1:role/admin");
  g_assert_cmpstr (back->session_name, ==, "botomfa-alice");
  g_assert_cmpuint (back->duration, ==, 3600);
}

static void
test_devices_request_round_trip (void)
{
  g_autoptr (Profile) profile = profile_new (NULL);
  g_autoptr (Credentials) key = key_new ();
  g_autoptr (StsJob) job = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (StsJob) back = NULL;
  g_autoptr (GError) error = NULL;

  g_free (profile->region);
  profile->region = NULL;
  job = sts_job_new_devices (profile, key);
  bytes = sts_job_to_bytes (job);
  back = sts_job_from_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->kind, ==, STS_JOB_DEVICES);
  g_assert_null (back->region);
  g_assert_cmpstr (back->key->secret_access_key, ==, SECRET);
  g_assert_null (back->token_code);
  g_assert_false (bytes_contain (bytes, "123456"));
}

static void
assert_invalid_request (GBytes *bytes)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (StsJob) job = sts_job_from_bytes (bytes, &error);

  g_assert_null (job);
  g_assert_error (error, STS_JOB_ERROR, STS_JOB_ERROR_INVALID_REQUEST);
}

static void
test_incomplete_requests_refused (void)
{
  g_autoptr (Profile) profile = profile_new (NULL);
  g_autoptr (Credentials) key = key_new ();
  g_autoptr (StsJob) job = sts_job_new_session (profile, key, "123456");
  g_autoptr (GBytes) empty = g_bytes_new (NULL, 0);
  GBytes *bytes;

  assert_invalid_request (empty);

  g_clear_pointer (&job->token_code, wipe_string_free);
  bytes = sts_job_to_bytes (job);
  assert_invalid_request (bytes);
  g_bytes_unref (bytes);

  job->token_code = g_strdup ("123456");
  job->kind = 7;
  bytes = sts_job_to_bytes (job);
  assert_invalid_request (bytes);
  g_bytes_unref (bytes);
}

static void
test_session_reply_round_trip (void)
{
  g_autoptr (GDateTime) expiry = g_date_time_new_utc (2026, 1, 2, 3, 4, 5);
  g_autoptr (Credentials) session = credentials_new (
    "ASIATESTSESSION00001", "sessionSecret0001", "sessionToken0001", expiry);
  g_autoptr (GBytes) reply = sts_job_reply_session (session);
  g_autoptr (GBytes) copy = copy_bytes (reply);
  g_autoptr (GError) error = NULL;
  g_autoptr (Credentials) back = sts_job_read_session (copy, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (back->access_key_id, ==, "ASIATESTSESSION00001");
  g_assert_cmpstr (back->secret_access_key, ==, "sessionSecret0001");
  g_assert_cmpstr (back->session_token, ==, "sessionToken0001");
  g_assert_true (g_date_time_equal (back->expiration, expiry));
}

static void
test_devices_reply_round_trip (void)
{
  g_autoptr (GPtrArray) devices =
    g_ptr_array_new_with_free_func ((GDestroyNotify) iam_mfa_device_free);
  IamMfaDevice *device = g_new0 (IamMfaDevice, 1);
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (GPtrArray) back = NULL;
  g_autoptr (GError) error = NULL;
  const IamMfaDevice *second;

  device->serial_number = g_strdup (SERIAL);
  device->user_name = g_strdup ("alice");
  device->enable_date = g_date_time_new_from_unix_utc (1700000000);
  g_ptr_array_add (devices, device);
  device = g_new0 (IamMfaDevice, 1);
  device->serial_number = g_strdup ("GAHT12345678");
  g_ptr_array_add (devices, device);

  reply = sts_job_reply_devices (devices);
  back = sts_job_read_devices (reply, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 2);
  device = back->pdata[0];
  g_assert_cmpstr (device->serial_number, ==, SERIAL);
  g_assert_cmpstr (device->user_name, ==, "alice");
  g_assert_cmpint (g_date_time_to_unix (device->enable_date), ==, 1700000000);
  second = back->pdata[1];
  g_assert_cmpstr (second->serial_number, ==, "GAHT12345678");
  g_assert_null (second->user_name);
  g_assert_null (second->enable_date);
}

/* The tray tells a wrong code from a network failure by domain and code,
 * as if it had called STS itself. */
static void
test_error_keeps_domain_and_code (void)
{
  g_autoptr (GError) sent = g_error_new_literal (
    STS_ERROR, STS_ERROR_MFA_FAILED, "AWS rejected the MFA code");
  g_autoptr (GBytes) reply = sts_job_reply_error (sent);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) again = NULL;

  g_assert_null (sts_job_read_session (reply, &error));
  g_assert_error (error, STS_ERROR, STS_ERROR_MFA_FAILED);
  g_assert_cmpstr (error->message, ==, "AWS rejected the MFA code");

  g_assert_null (sts_job_read_devices (reply, &again));
  g_assert_error (again, STS_ERROR, STS_ERROR_MFA_FAILED);
}

static void
test_reply_of_the_wrong_kind_refused (void)
{
  g_autoptr (Credentials) session =
    credentials_new ("ASIATESTSESSION00001", "s", "t", NULL);
  g_autoptr (GBytes) reply = sts_job_reply_session (session);
  g_autoptr (GError) error = NULL;

  g_assert_null (sts_job_read_devices (reply, &error));
  g_assert_error (error, STS_JOB_ERROR, STS_JOB_ERROR_INVALID_REPLY);
}

static GBytes *
serialize (GVariant *value)
{
  g_autoptr (GVariant) sunk = g_variant_ref_sink (value);
  gsize size = g_variant_get_size (sunk);
  gpointer data = g_malloc (size);

  g_variant_store (sunk, data);
  return wipe_bytes_new_take (data, size);
}

static void
assert_invalid_reply (GBytes *reply)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) again = NULL;

  g_assert_null (sts_job_read_session (reply, &error));
  g_assert_error (error, STS_JOB_ERROR, STS_JOB_ERROR_INVALID_REPLY);
  g_assert_null (sts_job_read_devices (reply, &again));
  g_assert_error (again, STS_JOB_ERROR, STS_JOB_ERROR_INVALID_REPLY);
}

/* Bytes of the reply's type that are not in normal form: an error message
 * that is not UTF-8. */
static void
test_reply_not_in_normal_form_refused (void)
{
  g_autoptr (GBytes) bad = g_bytes_new_static ("\xff\xfe", 3);
  GVariant *message =
    g_variant_new_from_bytes (G_VARIANT_TYPE_STRING, bad, FALSE);
  GVariant *failure = g_variant_new ("(si@s)", g_quark_to_string (STS_ERROR),
                                     STS_ERROR_NETWORK, message);
  g_autoptr (GBytes) reply = serialize (
    g_variant_new ("(@m(sssmx)@a(smsmx)@m(sis))",
                   g_variant_new_maybe (G_VARIANT_TYPE ("(sssmx)"), NULL),
                   g_variant_new_array (G_VARIANT_TYPE ("(smsmx)"), NULL, 0),
                   g_variant_new_maybe (NULL, failure)));
  g_autoptr (GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr (GBytes) text = g_bytes_new_static ("not a reply", 11);

  assert_invalid_reply (reply);
  assert_invalid_reply (empty);
  assert_invalid_reply (text);
}

/* A reply carries one thing: a session and an error at once is none. */
static void
test_reply_with_two_answers_refused (void)
{
  g_autoptr (GBytes) reply = serialize (g_variant_new (
    "(@m(sssmx)@a(smsmx)@m(sis))",
    g_variant_new_maybe (
      NULL, g_variant_new ("(sssmx)", "ASIA", "s", "t", FALSE, (gint64) 0)),
    g_variant_new_array (G_VARIANT_TYPE ("(smsmx)"), NULL, 0),
    g_variant_new_maybe (
      NULL, g_variant_new ("(sis)", "sts-error-quark", 1, "network"))));

  assert_invalid_reply (reply);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sts-job/session-request-round-trip",
                   test_session_request_round_trip);
  g_test_add_func ("/sts-job/devices-request-round-trip",
                   test_devices_request_round_trip);
  g_test_add_func ("/sts-job/incomplete-requests-refused",
                   test_incomplete_requests_refused);
  g_test_add_func ("/sts-job/session-reply-round-trip",
                   test_session_reply_round_trip);
  g_test_add_func ("/sts-job/devices-reply-round-trip",
                   test_devices_reply_round_trip);
  g_test_add_func ("/sts-job/error-keeps-domain-and-code",
                   test_error_keeps_domain_and_code);
  g_test_add_func ("/sts-job/reply-of-the-wrong-kind-refused",
                   test_reply_of_the_wrong_kind_refused);
  g_test_add_func ("/sts-job/reply-not-in-normal-form-refused",
                   test_reply_not_in_normal_form_refused);
  g_test_add_func ("/sts-job/reply-with-two-answers-refused",
                   test_reply_with_two_answers_refused);

  return g_test_run ();
}
