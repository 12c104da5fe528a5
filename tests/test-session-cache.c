/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The session cache against a real gnome-keyring-daemon, and its refresh
 * lock against other processes (this program, started again with
 * --hold-lock or --lookup-once). Runs only inside tests/keyring-session.sh
 * (scratch HOME, private bus, unlocked "login" keyring). */

#include "session-cache.h"

#include "keyring-test-util.h"
#include "keyring.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define SERIAL "arn:aws:iam::123456789012:mfa/alice"
#define SERIAL_2 "arn:aws:iam::123456789012:mfa/bob"
#define ROLE "arn:aws:iam::210987654321:role/admin"
#define ROLE_2 "arn:aws:iam::210987654321:role/reader"
#define KEY_ID_1 "ASIAIOSFODNN7EXAMPLE"
#define SECRET_1 "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define TOKEN_1 "FwoGZXIvYXdzEJr//////////wEaDEXAMPLETOKENONE+/="
#define KEY_ID_2 "ASIAI44QH8DHBEXAMPLE"
#define SECRET_2 "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"
#define TOKEN_2 "IQoJb3JpZ2luX2VjEXAMPLETOKENTWO+/="

#define HOUR 3600

static const SecretSchema test_schema = {
  .name = "io.github.botomfa.Session",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { "mfa-serial", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "role-arn", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "access-key-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "expiration", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

/* A session that expires @seconds from now, to the second. */
static Credentials *
session_new (const char *key_id, const char *secret, const char *token,
             gint64 seconds)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr (GDateTime) expiration =
    g_date_time_new_from_unix_utc (now + seconds);

  return credentials_new (key_id, secret, token, expiration);
}

static void
store (const char *serial, const char *role, const Credentials *session)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (session_cache_store (serial, role, session, 0, NULL, &error));
  g_assert_no_error (error);
}

static Credentials *
lookup (const char *serial, const char *role, guint min_valid)
{
  g_autoptr (GError) error = NULL;
  Credentials *found =
    session_cache_lookup (serial, role, min_valid, 0, NULL, &error);

  g_assert_no_error (error);
  return found;
}

static void
assert_same_session (const Credentials *found, const Credentials *stored)
{
  g_assert_nonnull (found);
  g_assert_cmpstr (found->access_key_id, ==, stored->access_key_id);
  g_assert_cmpstr (found->secret_access_key, ==, stored->secret_access_key);
  g_assert_cmpstr (found->session_token, ==, stored->session_token);
  g_assert_nonnull (found->expiration);
  g_assert_cmpint (g_date_time_to_unix (found->expiration), ==,
                   g_date_time_to_unix (stored->expiration));
}

static void
assert_lookup (const char *serial, const char *role, const Credentials *stored)
{
  g_autoptr (Credentials) found = lookup (serial, role, 0);

  assert_same_session (found, stored);
}

static void
clear (const char *serial, const char *role)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (session_cache_clear (serial, role, 0, NULL, &error));
  g_assert_no_error (error);
}

/* The items of the session schema for @serial and @role ("" for none), as
 * the keyring has them. */
static GList *
find_items (const char *serial, const char *role)
{
  g_autoptr (SecretService) service = NULL;
  g_autoptr (GHashTable) attributes =
    g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) error = NULL;
  GList *items;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_hash_table_insert (attributes, "mfa-serial", (char *) serial);
  g_hash_table_insert (attributes, "role-arn", (char *) role);
  items = secret_service_search_sync (service, &test_schema, attributes,
                                      SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  return items;
}

static guint
count_items (const char *serial, const char *role)
{
  GList *items = find_items (serial, role);
  guint count = g_list_length (items);

  g_list_free_full (items, g_object_unref);
  return count;
}

/* --- The cache ----------------------------------------------------------- */

static void
test_round_trip (void)
{
  g_autoptr (Credentials) session =
    session_new (KEY_ID_1, SECRET_1, TOKEN_1, HOUR);
  g_autoptr (Credentials) found = NULL;

  g_assert_null (lookup ("arn:aws:iam::123456789012:mfa/nobody", NULL, 0));
  store (SERIAL, NULL, session);
  found = lookup (SERIAL, NULL, 300);
  assert_same_session (found, session);
  g_assert_true (credentials_is_temporary (found));
  g_assert_cmpuint (count_items (SERIAL, ""), ==, 1);

  /* An empty role is no role. */
  g_clear_pointer (&found, credentials_free);
  found = lookup (SERIAL, "", 300);
  assert_same_session (found, session);
  clear (SERIAL, NULL);
}

static void
assert_label (const char *role, const char *expected)
{
  GList *items = find_items (SERIAL, role);
  g_autofree char *label = NULL;

  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_item_get_label (items->data);
  g_assert_cmpstr (label, ==, expected);
  g_list_free_full (items, g_object_unref);
}

/* The attributes, readable without the secret, and the label. */
static void
test_item (void)
{
  g_autoptr (GDateTime) expiration =
    g_date_time_new_utc (2031, 5, 17, 8, 9, 10);
  g_autoptr (Credentials) session =
    credentials_new (KEY_ID_1, SECRET_1, TOKEN_1, expiration);
  g_autoptr (GDateTime) local = g_date_time_to_local (expiration);
  g_autofree char *until = g_date_time_format (local, "%H:%M");
  g_autofree char *label = NULL;
  g_autofree char *role_label = NULL;
  g_autoptr (GHashTable) attributes = NULL;
  GList *items;

  store (SERIAL, ROLE, session);
  items = find_items (SERIAL, ROLE);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  attributes = secret_item_get_attributes (items->data);
  g_list_free_full (items, g_object_unref);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "mfa-serial"), ==, SERIAL);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "role-arn"), ==, ROLE);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "access-key-id"), ==,
                   KEY_ID_1);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "expiration"), ==,
                   "2031-05-17T08:09:10Z");
  role_label = g_strdup_printf ("AWS session for role " ROLE
                                " with MFA device " SERIAL " (expires %s)",
                                until);
  assert_label (ROLE, role_label);
  clear (SERIAL, ROLE);

  store (SERIAL, NULL, session);
  label = g_strdup_printf ("AWS session for MFA device " SERIAL " (expires %s)",
                           until);
  assert_label ("", label);
  clear (SERIAL, NULL);
}

static void
test_replace (void)
{
  g_autoptr (Credentials) first =
    session_new (KEY_ID_1, SECRET_1, TOKEN_1, HOUR);
  g_autoptr (Credentials) second =
    session_new (KEY_ID_2, SECRET_2, TOKEN_2, 2 * HOUR);
  g_autoptr (Credentials) shorter =
    session_new (KEY_ID_1, SECRET_1, TOKEN_1, HOUR / 2);

  store (SERIAL, NULL, first);
  store (SERIAL, NULL, second);
  g_assert_cmpuint (count_items (SERIAL, ""), ==, 1);
  assert_lookup (SERIAL, NULL, second);

  /* The same session again stays one item. */
  store (SERIAL, NULL, second);
  g_assert_cmpuint (count_items (SERIAL, ""), ==, 1);
  assert_lookup (SERIAL, NULL, second);

  /* The last store wins, even when it expires sooner. */
  store (SERIAL, NULL, shorter);
  g_assert_cmpuint (count_items (SERIAL, ""), ==, 1);
  assert_lookup (SERIAL, NULL, shorter);
  clear (SERIAL, NULL);
}

static void
test_keys_distinct (void)
{
  g_autoptr (Credentials) plain =
    session_new (KEY_ID_1, SECRET_1, TOKEN_1, HOUR);
  g_autoptr (Credentials) admin =
    session_new (KEY_ID_2, SECRET_2, TOKEN_2, HOUR);
  g_autoptr (Credentials) reader =
    session_new ("ASIAREADEREXAMPLE123", SECRET_1, TOKEN_2, HOUR);

  store (SERIAL, NULL, plain);
  store (SERIAL, ROLE, admin);
  g_assert_null (lookup (SERIAL, ROLE_2, 0));
  store (SERIAL, ROLE_2, reader);
  g_assert_null (lookup (SERIAL_2, NULL, 0));
  g_assert_null (lookup (SERIAL_2, ROLE, 0));

  assert_lookup (SERIAL, NULL, plain);
  assert_lookup (SERIAL, ROLE, admin);
  assert_lookup (SERIAL, ROLE_2, reader);

  /* Clearing one key leaves the others. */
  clear (SERIAL, ROLE);
  g_assert_null (lookup (SERIAL, ROLE, 0));
  assert_lookup (SERIAL, NULL, plain);
  assert_lookup (SERIAL, ROLE_2, reader);
  clear (SERIAL, NULL);
  g_assert_null (lookup (SERIAL, NULL, 0));
  assert_lookup (SERIAL, ROLE_2, reader);
  clear (SERIAL, ROLE_2);
}

static void
test_min_valid (void)
{
  g_autoptr (Credentials) session =
    session_new (KEY_ID_1, SECRET_1, TOKEN_1, 60);
  g_autoptr (Credentials) found = NULL;

  store (SERIAL, NULL, session);
  g_assert_null (lookup (SERIAL, NULL, 300));
  g_assert_null (lookup (SERIAL, NULL, 61));
  found = lookup (SERIAL, NULL, 30);
  assert_same_session (found, session);

  /* Too short for one caller is not gone for the next. */
  g_assert_cmpuint (count_items (SERIAL, ""), ==, 1);
  clear (SERIAL, NULL);
}

static void
test_expired (void)
{
  g_autoptr (Credentials) session =
    session_new (KEY_ID_1, SECRET_1, TOKEN_1, -5);
  g_autoptr (Credentials) other = session_new (KEY_ID_2, SECRET_2, TOKEN_2, -5);

  store (SERIAL, NULL, session);
  store (SERIAL, ROLE, other);
  g_assert_cmpuint (count_items (SERIAL, ""), ==, 1);
  g_assert_null (lookup (SERIAL, NULL, 0));
  /* Gone from the keyring, and only that key's. */
  g_assert_cmpuint (count_items (SERIAL, ""), ==, 0);
  g_assert_cmpuint (count_items (SERIAL, ROLE), ==, 1);
  g_assert_null (lookup (SERIAL, ROLE, 0));
  g_assert_cmpuint (count_items (SERIAL, ROLE), ==, 0);
}

static void
test_clear (void)
{
  g_autoptr (Credentials) session =
    session_new (KEY_ID_1, SECRET_1, TOKEN_1, HOUR);
  g_autoptr (Credentials) other =
    session_new (KEY_ID_2, SECRET_2, TOKEN_2, HOUR);

  store (SERIAL, NULL, session);
  store (SERIAL_2, NULL, other);
  clear (SERIAL, NULL);
  g_assert_null (lookup (SERIAL, NULL, 0));
  g_assert_cmpuint (count_items (SERIAL, ""), ==, 0);
  assert_lookup (SERIAL_2, NULL, other);

  /* Nothing to clear is no error. */
  clear (SERIAL, NULL);
  clear (SERIAL_2, NULL);
  g_assert_cmpuint (count_items (SERIAL_2, ""), ==, 0);
}

static void
assert_invalid (const Credentials *session)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (session_cache_store (SERIAL, NULL, session, 0, NULL, &error));
  g_assert_error (error, SESSION_CACHE_ERROR, SESSION_CACHE_ERROR_INVALID);
  g_assert_null (strstr (error->message, SECRET_1));
}

static void
test_invalid (void)
{
  g_autoptr (Credentials) no_token =
    session_new (KEY_ID_1, SECRET_1, NULL, HOUR);
  g_autoptr (Credentials) no_expiry =
    credentials_new (KEY_ID_1, SECRET_1, TOKEN_1, NULL);
  g_autoptr (Credentials) two_lines =
    session_new (KEY_ID_1, SECRET_1 "\nX", TOKEN_1, HOUR);

  assert_invalid (no_token);
  assert_invalid (no_expiry);
  assert_invalid (two_lines);
  g_assert_cmpuint (count_items (SERIAL, ""), ==, 0);
}

/* An item whose secret is not "SECRET\nTOKEN" is no session; it goes. */
static void
test_malformed_item (void)
{
  const char *bad[] = { "no-newline", "\n" TOKEN_1, SECRET_1 "\n",
                        SECRET_1 "\n" TOKEN_1 "\nextra" };
  g_autoptr (GDateTime) later = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) expiration = g_date_time_add_hours (later, 1);
  g_autofree char *text = g_date_time_format (expiration, "%FT%TZ");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr (GError) error = NULL;

    g_assert_true (secret_password_store_sync (
      &test_schema, SECRET_COLLECTION_SESSION, "malformed", bad[i], NULL,
      &error, "mfa-serial", SERIAL, "role-arn", "", "access-key-id", KEY_ID_1,
      "expiration", text, NULL));
    g_assert_no_error (error);
    g_assert_cmpuint (count_items (SERIAL, ""), ==, 1);
    g_assert_null (lookup (SERIAL, NULL, 0));
    g_assert_cmpuint (count_items (SERIAL, ""), ==, 0);
  }
}

/* Where the item lives: the in-memory session collection. */
static void
test_session_collection (void)
{
  g_autoptr (Credentials) session =
    session_new (KEY_ID_1, SECRET_1, TOKEN_1, HOUR);
  g_autoptr (SecretService) service = NULL;
  g_autoptr (SecretCollection) collection = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *prefix = NULL;
  GList *items;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (
    service, SECRET_COLLECTION_SESSION, SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  prefix = g_strconcat (
    g_dbus_proxy_get_object_path (G_DBUS_PROXY (collection)), "/", NULL);
  g_test_message ("session collection: %s", prefix);

  store (SERIAL, NULL, session);
  items = find_items (SERIAL, "");
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_assert_true (g_str_has_prefix (
    g_dbus_proxy_get_object_path (G_DBUS_PROXY (items->data)), prefix));
  g_assert_cmpstr (prefix, ==, "/org/freedesktop/secrets/collection/session/");
  g_list_free_full (items, g_object_unref);
  clear (SERIAL, NULL);
}

/* --- No secret in files, none in the log --------------------------------- */

static void
test_no_secret_in_files (void)
{
  g_autofree char *secret = g_strdup_printf ("botomfaTestSecret%08x%08x",
                                             g_random_int (), g_random_int ());
  g_autofree char *token = g_strdup_printf ("botomfaTestToken%08x%08x",
                                            g_random_int (), g_random_int ());
  g_autoptr (Credentials) session = session_new (KEY_ID_1, secret, token, HOUR);
  g_autoptr (SessionLock) lock = NULL;
  g_autofree char *keyrings =
    g_build_filename (g_get_user_data_dir (), "keyrings", "", NULL);
  const char *needles[] = { secret, token };

  store (SERIAL, NULL, session);
  assert_lookup (SERIAL, NULL, session);
  lock = session_lock_acquire (SERIAL, 0, NULL);
  g_assert_nonnull (lock);

  for (guint i = 0; i < G_N_ELEMENTS (needles); i++) {
    guint files = 0, hits = 0, keyring_files = 0, keyring_hits = 0;

    keyring_test_scan_tree (g_get_home_dir (), keyrings, needles[i], &files,
                            &hits);
    g_assert_cmpuint (files, >, 0);
    g_assert_cmpuint (hits, ==, 0);
    /* The session collection is in memory: not even the keyring's files
     * hold the session. */
    keyring_test_scan_tree (keyrings, NULL, needles[i], &keyring_files,
                            &keyring_hits);
    g_assert_cmpuint (keyring_files, >, 0);
    g_assert_cmpuint (keyring_hits, ==, 0);
    g_test_message ("%u files scanned, %u of the keyring", files,
                    keyring_files);
  }
  clear (SERIAL, NULL);
}

static void
test_no_secret_in_log (void)
{
  if (g_test_subprocess ()) {
    g_autoptr (Credentials) session =
      session_new (KEY_ID_1, SECRET_1, TOKEN_1, HOUR);

    g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
    store (SERIAL, NULL, session);
    assert_lookup (SERIAL, NULL, session);
    clear (SERIAL, NULL);
    return;
  }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*lookup " SERIAL ": found " KEY_ID_1 "*");
  g_test_trap_assert_stdout ("*store " SERIAL ": stored " KEY_ID_1 "*");
  g_test_trap_assert_stdout_unmatched ("*" SECRET_1 "*");
  g_test_trap_assert_stdout_unmatched ("*" TOKEN_1 "*");
  g_test_trap_assert_stderr_unmatched ("*" SECRET_1 "*");
  g_test_trap_assert_stderr_unmatched ("*" TOKEN_1 "*");
}

/* --- A locked keyring, the collection used when there is no session one -- */

/* A session in the default ("login") collection, as a store leaves it with
 * a Secret Service that has no session collection. */
static void
store_in_default (const Credentials *session)
{
  g_autofree char *expiration =
    g_date_time_format (session->expiration, "%FT%TZ");
  g_autofree char *secret = g_strconcat (session->secret_access_key, "\n",
                                         session->session_token, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (secret_password_store_sync (
    &test_schema, SECRET_COLLECTION_DEFAULT, "in login", secret, NULL, &error,
    "mfa-serial", SERIAL, "role-arn", "", "access-key-id",
    session->access_key_id, "expiration", expiration, NULL));
  g_assert_no_error (error);
}

static void
test_default_collection_locked (void)
{
  g_autoptr (Credentials) session =
    session_new (KEY_ID_1, SECRET_1, TOKEN_1, HOUR);
  g_autoptr (Credentials) found = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start;

  store_in_default (session);
  assert_lookup (SERIAL, NULL, session);

  keyring_test_lock_default_collection ();
  start = g_get_monotonic_time ();
  found = session_cache_lookup (SERIAL, NULL, 0, 0, NULL, &error);
  g_assert_null (found);
  g_assert_error (error, KEYRING_ERROR, KEYRING_ERROR_LOCKED);
  g_assert_true (keyring_error_is_unavailable (error));
  g_assert_cmpint (keyring_test_elapsed_since (start), <,
                   KEYRING_TEST_QUICK_US);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  /* The locked session is still there. */
  g_assert_cmpuint (count_items (SERIAL, ""), ==, 1);

  /* A store goes to the session collection, which stays unlocked; the
   * locked item stays behind, and the new session is found. */
  store (SERIAL, NULL, session);
  assert_lookup (SERIAL, NULL, session);
  keyring_test_unlock_default_collection ();
  g_assert_cmpuint (count_items (SERIAL, ""), ==, 2);
  clear (SERIAL, NULL);
  g_assert_cmpuint (count_items (SERIAL, ""), ==, 0);
}

/* --- Asynchronous calls, cancellation ------------------------------------ */

static void
test_async (void)
{
  KeyringTestWait wait = keyring_test_wait_new ();
  g_autoptr (Credentials) session =
    session_new (KEY_ID_2, SECRET_2, TOKEN_2, HOUR);
  g_autoptr (Credentials) found = NULL;
  g_autoptr (GError) error = NULL;

  session_cache_store_async (SERIAL, ROLE, session, NULL, keyring_test_on_done,
                             &wait);
  g_assert_true (
    session_cache_store_finish (keyring_test_wait_for (&wait), &error));
  g_assert_no_error (error);

  session_cache_lookup_async (SERIAL, ROLE, 300, NULL, keyring_test_on_done,
                              &wait);
  found = session_cache_lookup_finish (keyring_test_wait_for (&wait), &error);
  g_assert_no_error (error);
  assert_same_session (found, session);
  g_clear_pointer (&found, credentials_free);

  session_cache_lookup_async (SERIAL, ROLE, 2 * HOUR, NULL,
                              keyring_test_on_done, &wait);
  found = session_cache_lookup_finish (keyring_test_wait_for (&wait), &error);
  g_assert_no_error (error);
  g_assert_null (found);

  keyring_test_wait_clear (&wait);
  clear (SERIAL, ROLE);
}

static void
test_cancelled (void)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (Credentials) session =
    session_new (KEY_ID_1, SECRET_1, TOKEN_1, HOUR);
  g_autoptr (GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_null (
    session_cache_lookup (SERIAL, NULL, 0, 0, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (
    session_cache_store (SERIAL, NULL, session, 0, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_items (SERIAL, ""), ==, 0);
}

/* --- No bus; a keyring that does not answer ------------------------------ */

static void
test_no_bus (void)
{
  if (g_test_subprocess ()) {
    g_autoptr (Credentials) session =
      session_new (KEY_ID_1, SECRET_1, TOKEN_1, HOUR);
    GError *error = NULL;
    gint64 start = g_get_monotonic_time ();

    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", TRUE);
    g_assert_null (session_cache_lookup (SERIAL, NULL, 0, 0, NULL, &error));
    keyring_test_expect_unavailable (error, KEYRING_ERROR_NO_BUS,
                                     "lookup, no bus", start);
    error = NULL;
    start = g_get_monotonic_time ();
    g_assert_false (
      session_cache_store (SERIAL, NULL, session, 0, NULL, &error));
    keyring_test_expect_unavailable (error, KEYRING_ERROR_NO_BUS,
                                     "store, no bus", start);
    error = NULL;
    start = g_get_monotonic_time ();
    g_assert_false (session_cache_clear (SERIAL, NULL, 0, NULL, &error));
    keyring_test_expect_unavailable (error, KEYRING_ERROR_NO_BUS,
                                     "clear, no bus", start);
    return;
  }

  keyring_test_run_in_subprocess ();
}

static GPid
keyring_pid (void)
{
  g_autofree char *file =
    g_build_filename (g_getenv ("XDG_RUNTIME_DIR"), "keyring.pid", NULL);
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (file, &text, NULL, NULL));
  return (GPid) g_ascii_strtoll (text, NULL, 10);
}

/* The keyring daemon is stopped (SIGSTOP): the lookup ends on time, an
 * asynchronous one ends when cancelled. */
static void
stopped_keyring_child (void)
{
  KeyringTestWait wait = keyring_test_wait_new ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  gint64 start;

  g_assert_no_errno (kill (keyring_pid (), SIGSTOP));
  start = g_get_monotonic_time ();
  g_assert_null (session_cache_lookup (SERIAL, NULL, 0, 300, NULL, &error));
  keyring_test_expect_timeout (
    g_steal_pointer (&error), start, 300 * G_TIME_SPAN_MILLISECOND,
    300 * G_TIME_SPAN_MILLISECOND + KEYRING_TEST_QUICK_US,
    "lookup, keyring stopped, 300 ms timeout");

  start = g_get_monotonic_time ();
  g_timeout_add (100, keyring_test_cancel_now, cancellable);
  session_cache_lookup_async (SERIAL, NULL, 0, cancellable,
                              keyring_test_on_done, &wait);
  g_assert_null (
    session_cache_lookup_finish (keyring_test_wait_for (&wait), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (keyring_test_elapsed_since (start), <,
                   KEYRING_TEST_QUICK_US);
  keyring_test_report_time ("async lookup, cancelled after 100 ms",
                            keyring_test_elapsed_since (start));

  g_assert_no_errno (kill (keyring_pid (), SIGCONT));
  keyring_test_wait_clear (&wait);
}

static void
test_keyring_stopped (void)
{
  if (g_test_subprocess ()) {
    stopped_keyring_child ();
    return;
  }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  /* Whatever the child did, the keyring runs on. */
  kill (keyring_pid (), SIGCONT);
  g_test_trap_assert_passed ();
  g_assert_null (lookup (SERIAL, NULL, 0));
}

/* --- How fast a cached session is found ---------------------------------- */

static int
compare_times (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gint64
median (gint64 *times, guint n)
{
  qsort (times, n, sizeof *times, compare_times);
  return times[n / 2];
}

static char *
self_path (void)
{
  g_autoptr (GError) error = NULL;
  char *path = g_file_read_link ("/proc/self/exe", &error);

  g_assert_no_error (error);
  return path;
}

/* One lookup in a new process, as `botomfa credential-process` does it:
 * returns the time the lookup took inside the child (connection to the bus
 * included); *wall is the child's whole life. */
static gint64
lookup_in_new_process (const char *self, gint64 *wall)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) child = NULL;
  g_autofree char *out = NULL;
  gint64 start = g_get_monotonic_time ();

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self,
                            "--lookup-once", SERIAL, NULL);
  g_assert_no_error (error);
  g_assert_true (
    g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  *wall = keyring_test_elapsed_since (start);
  g_assert_true (g_subprocess_get_successful (child));
  g_assert_true (g_str_has_prefix (out, "found "));
  return g_ascii_strtoll (out + strlen ("found "), NULL, 10);
}

/* Prints the medians of 100 lookups; asserts no time (see tests/bench). */
static void
test_lookup_time (void)
{
  g_autoptr (Credentials) session =
    session_new (KEY_ID_1, SECRET_1, TOKEN_1, HOUR);
  g_autofree char *self = self_path ();
  gint64 warm[100], fresh[100], wall[100];

  store (SERIAL, NULL, session);
  for (guint i = 0; i < G_N_ELEMENTS (warm); i++) {
    gint64 start = g_get_monotonic_time ();
    g_autoptr (Credentials) found = lookup (SERIAL, NULL, 300);

    warm[i] = keyring_test_elapsed_since (start);
    assert_same_session (found, session);
  }
  for (guint i = 0; i < G_N_ELEMENTS (fresh); i++)
    fresh[i] = lookup_in_new_process (self, &wall[i]);

  keyring_test_report_time ("lookup, median of 100 in one process",
                            median (warm, 100));
  keyring_test_report_time (
    "lookup, median of 100 in new processes (bus connection "
    "included)",
    median (fresh, 100));
  keyring_test_report_time (
    "new process doing one lookup, median of 100 (exec to exit)",
    median (wall, 100));
  clear (SERIAL, NULL);
}

/* --- The refresh lock ---------------------------------------------------- */

typedef struct {
  GSubprocess *process;
  GDataInputStream *output;
} Holder;

/* Another process that takes the lock of @serial and keeps it until told to
 * let go (then after 200 ms), or until its stdin closes. */
static Holder
start_holder (const char *serial)
{
  g_autofree char *self = self_path ();
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;
  Holder holder;

  holder.process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                       | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                     &error, self, "--hold-lock", serial, NULL);
  g_assert_no_error (error);
  holder.output =
    g_data_input_stream_new (g_subprocess_get_stdout_pipe (holder.process));
  line = g_data_input_stream_read_line (holder.output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "locked");
  return holder;
}

static void
holder_let_go (Holder *holder)
{
  GOutputStream *input = g_subprocess_get_stdin_pipe (holder->process);
  g_autoptr (GError) error = NULL;

  g_assert_true (
    g_output_stream_write_all (input, "go\n", 3, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
stop_holder (Holder *holder)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (g_output_stream_close (
    g_subprocess_get_stdin_pipe (holder->process), NULL, &error));
  g_assert_true (g_subprocess_wait_check (holder->process, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&holder->output);
  g_clear_object (&holder->process);
}

static void
test_lock_busy (void)
{
  Holder holder = start_holder (SERIAL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SessionLock) other = NULL;
  g_autoptr (SessionLock) lock = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 us;

  lock = session_lock_acquire (SERIAL, 300, &error);
  us = keyring_test_elapsed_since (start);
  g_assert_null (lock);
  g_assert_error (error, SESSION_CACHE_ERROR, SESSION_CACHE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "Another botomfa is refreshing"));
  g_assert_nonnull (strstr (error->message, SERIAL));
  g_assert_nonnull (strstr (error->message, "try again"));
  g_assert_cmpint (us, >=, 300 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (us, <,
                   300 * G_TIME_SPAN_MILLISECOND + KEYRING_TEST_QUICK_US);
  keyring_test_report_time ("lock held elsewhere, 300 ms timeout", us);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* Without waiting at all. */
  g_assert_null (session_lock_acquire (SERIAL, 0, &error));
  g_assert_error (error, SESSION_CACHE_ERROR, SESSION_CACHE_ERROR_BUSY);
  g_clear_error (&error);

  /* Another MFA device is not held up. */
  other = session_lock_acquire (SERIAL_2, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (other);
  stop_holder (&holder);
}

static void
test_lock_waits (void)
{
  Holder holder = start_holder (SERIAL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SessionLock) lock = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 us;

  holder_let_go (&holder);
  lock = session_lock_acquire (SERIAL, 5000, &error);
  us = keyring_test_elapsed_since (start);
  g_assert_no_error (error);
  g_assert_nonnull (lock);
  /* The holder lets go 200 ms after it was told to. */
  g_assert_cmpint (us, >=, 200 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (us, <,
                   200 * G_TIME_SPAN_MILLISECOND + KEYRING_TEST_QUICK_US);
  keyring_test_report_time ("waited for a lock released after 200 ms", us);
  stop_holder (&holder);

  /* Released here, it is free for the next process. */
  g_clear_pointer (&lock, session_lock_release);
  holder = start_holder (SERIAL);
  stop_holder (&holder);
}

static guint
mode_of (const char *path)
{
  GStatBuf st;

  g_assert_no_errno (g_lstat (path, &st));
  return st.st_mode & 07777;
}

/* Every entry of @dir is a lock file named by a hash, mode 0600. */
static guint
check_lock_files (const char *dir)
{
  g_autoptr (GRegex) hashed = g_regex_new ("^[0-9a-f]{64}\\.lock$", 0, 0, NULL);
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL) {
    g_autofree char *path = g_build_filename (dir, name, NULL);
    GStatBuf st;

    g_assert_true (g_regex_match (hashed, name, 0, NULL));
    g_assert_no_errno (g_lstat (path, &st));
    g_assert_true (S_ISREG (st.st_mode));
    g_assert_cmpuint (st.st_mode & 07777, ==, 0600);
    count++;
  }
  return count;
}

static void
check_lock_dir (const char *base)
{
  g_autofree char *top = g_build_filename (base, "botomfa", NULL);
  g_autofree char *locks = g_build_filename (top, "locks", NULL);

  g_assert_cmpuint (mode_of (top), ==, 0700);
  g_assert_cmpuint (mode_of (locks), ==, 0700);
  g_assert_cmpuint (check_lock_files (locks), >, 0);
}

static void
lock_and_release (const char *serial)
{
  g_autoptr (GError) error = NULL;
  SessionLock *lock = session_lock_acquire (serial, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (lock);
  session_lock_release (lock);
}

/* 0600 files in 0700 directories, whatever the umask and whatever mode an
 * existing directory had; names that cannot leave the directory. */
static void
test_lock_files (void)
{
  if (g_test_subprocess ()) {
    const char *runtime = g_getenv ("XDG_RUNTIME_DIR");
    g_autofree char *top = g_build_filename (runtime, "botomfa", NULL);
    g_autofree char *locks = g_build_filename (top, "locks", NULL);
    g_autofree char *escape = g_build_filename (runtime, "escape", NULL);
    g_autofree char *escape_2 =
      g_build_filename (runtime, "botomfa", "escape.lock", NULL);
    guint before;

    umask (0);
    g_assert_no_errno (g_mkdir_with_parents (locks, 0755));
    g_assert_no_errno (g_chmod (top, 0755));
    g_assert_no_errno (g_chmod (locks, 0777));
    before = check_lock_files (locks);

    lock_and_release ("arn:aws:iam::123456789012:mfa/files");
    lock_and_release ("../../escape");
    lock_and_release ("../escape.lock\n/etc/passwd");
    check_lock_dir (runtime);
    g_assert_cmpuint (check_lock_files (locks), ==, before + 3);
    g_assert_false (g_file_test (escape, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (escape_2, G_FILE_TEST_EXISTS));
    return;
  }

  keyring_test_run_in_subprocess ();
}

static void
test_lock_no_runtime_dir (void)
{
  if (g_test_subprocess ()) {
    g_autofree char *fallback =
      g_build_filename (g_get_home_dir (), "cache-for-locks", NULL);

    g_unsetenv ("XDG_RUNTIME_DIR");
    g_setenv ("XDG_CACHE_HOME", fallback, TRUE);
    lock_and_release (SERIAL);
    g_assert_cmpstr (g_get_user_cache_dir (), ==, fallback);
    check_lock_dir (fallback);
    return;
  }

  keyring_test_run_in_subprocess ();
}

/* --- Helper modes, main -------------------------------------------------- */

static int
hold_lock (const char *serial)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SessionLock) lock = session_lock_acquire (serial, 0, &error);
  char line[16];

  if (lock == NULL) {
    g_printerr ("hold-lock: %s\n", error->message);
    return 1;
  }
  printf ("locked\n");
  fflush (stdout);
  if (fgets (line, sizeof line, stdin) != NULL)
    g_usleep (200 * G_TIME_SPAN_MILLISECOND);
  return 0;
}

static int
lookup_once (const char *serial)
{
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr (Credentials) found =
    session_cache_lookup (serial, NULL, 300, 0, NULL, &error);
  gint64 us = keyring_test_elapsed_since (start);

  if (found == NULL) {
    g_printerr ("lookup-once: %s\n", error ? error->message : "none");
    return 1;
  }
  printf ("found %" G_GINT64_FORMAT "\n", us);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--hold-lock"))
    return hold_lock (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "--lookup-once"))
    return lookup_once (argv[2]);

  g_test_init (&argc, &argv, NULL);

  if (!keyring_test_in_scratch_session ()) {
    g_test_add_func ("/session-cache/scratch-session", keyring_test_refuse);
    return g_test_run ();
  }

  g_test_add_func ("/session-cache/round-trip", test_round_trip);
  g_test_add_func ("/session-cache/item", test_item);
  g_test_add_func ("/session-cache/replace", test_replace);
  g_test_add_func ("/session-cache/keys-distinct", test_keys_distinct);
  g_test_add_func ("/session-cache/min-valid", test_min_valid);
  g_test_add_func ("/session-cache/expired", test_expired);
  g_test_add_func ("/session-cache/clear", test_clear);
  g_test_add_func ("/session-cache/invalid", test_invalid);
  g_test_add_func ("/session-cache/malformed-item", test_malformed_item);
  g_test_add_func ("/session-cache/session-collection",
                   test_session_collection);
  g_test_add_func ("/session-cache/no-secret-in-files",
                   test_no_secret_in_files);
  g_test_add_func ("/session-cache/no-secret-in-log", test_no_secret_in_log);
  g_test_add_func ("/session-cache/default-collection-locked",
                   test_default_collection_locked);
  g_test_add_func ("/session-cache/async", test_async);
  g_test_add_func ("/session-cache/cancelled", test_cancelled);
  g_test_add_func ("/session-cache/no-bus", test_no_bus);
  g_test_add_func ("/session-cache/keyring-stopped", test_keyring_stopped);
  g_test_add_func ("/session-cache/lookup-time", test_lookup_time);
  g_test_add_func ("/session-lock/busy", test_lock_busy);
  g_test_add_func ("/session-lock/waits", test_lock_waits);
  g_test_add_func ("/session-lock/files", test_lock_files);
  g_test_add_func ("/session-lock/no-runtime-dir", test_lock_no_runtime_dir);

  return g_test_run ();
}
