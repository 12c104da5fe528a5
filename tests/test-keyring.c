/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The keyring module against a real gnome-keyring-daemon. Runs only inside
 * tests/keyring-session.sh (scratch HOME, private bus, unlocked "login"
 * keyring): it must never see the developer's keyring. States that need
 * another bus (none, one without a keyring, one whose keyring hangs) run in
 * subprocesses, because GDBus keeps one session bus per process. */

#include "keyring.h"

#include "keyring-test-util.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#define KEY_ID_1 "AKIAIOSFODNN7EXAMPLE"
#define SECRET_1 "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define KEY_ID_2 "AKIAI44QH8DHBEXAMPLE"
#define SECRET_2 "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"

static const SecretSchema test_schema = {
  .name = "io.github.botomfa.LongTermKey",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "access-key-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

static void
store_key (const char *profile, const char *key_id, const char *secret)
{
  g_autoptr (Credentials) key = credentials_new (key_id, secret, NULL, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (keyring_store (profile, key, 0, NULL, &error));
  g_assert_no_error (error);
}

static void
assert_lookup (const char *profile, const char *key_id, const char *secret)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (Credentials) key = keyring_lookup (profile, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (key);
  g_assert_cmpstr (key->access_key_id, ==, key_id);
  g_assert_cmpstr (key->secret_access_key, ==, secret);
  g_assert_null (key->session_token);
  g_assert_null (key->expiration);
}

static void
forget (const char *profile)
{
  g_autoptr (GError) error = NULL;

  if (!keyring_delete (profile, 0, NULL, &error))
    g_assert_error (error, KEYRING_ERROR, KEYRING_ERROR_NOT_FOUND);
}

/* The entries of keyring_list() that belong to @profile. */
static guint
count_listed (const char *profile, const char **key_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = keyring_list (0, NULL, &error);
  guint count = 0;

  g_assert_no_error (error);
  g_assert_nonnull (entries);
  for (guint i = 0; i < entries->len; i++) {
    const KeyringEntry *entry = g_ptr_array_index (entries, i);

    if (g_str_equal (entry->profile, profile)) {
      count++;
      if (key_id != NULL)
        *key_id = g_intern_string (entry->access_key_id);
    }
  }
  return count;
}

static void
test_round_trip (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (Credentials) key = NULL;
  gint64 start = g_get_monotonic_time ();

  store_key ("round-trip", KEY_ID_1, SECRET_1);
  keyring_test_report_time ("store, unlocked keyring",
                            keyring_test_elapsed_since (start));
  start = g_get_monotonic_time ();
  assert_lookup ("round-trip", KEY_ID_1, SECRET_1);
  keyring_test_report_time ("lookup, unlocked keyring",
                            keyring_test_elapsed_since (start));

  start = g_get_monotonic_time ();
  g_assert_true (keyring_delete ("round-trip", 0, NULL, &error));
  g_assert_no_error (error);
  keyring_test_report_time ("delete, unlocked keyring",
                            keyring_test_elapsed_since (start));
  key = keyring_lookup ("round-trip", 0, NULL, &error);
  g_assert_null (key);
  g_assert_error (error, KEYRING_ERROR, KEYRING_ERROR_NOT_FOUND);
  g_assert_false (keyring_error_is_unavailable (error));
  g_clear_error (&error);

  g_assert_false (keyring_delete ("round-trip", 0, NULL, &error));
  g_assert_error (error, KEYRING_ERROR, KEYRING_ERROR_NOT_FOUND);
  g_assert_cmpuint (count_listed ("round-trip", NULL), ==, 0);
}

static void
test_replace (void)
{
  const char *listed = NULL;

  store_key ("replace-other", KEY_ID_1, SECRET_1);
  store_key ("replace", KEY_ID_1, SECRET_1);
  store_key ("replace", KEY_ID_1, SECRET_1);
  g_assert_cmpuint (count_listed ("replace", NULL), ==, 1);

  store_key ("replace", KEY_ID_2, SECRET_2);
  g_assert_cmpuint (count_listed ("replace", &listed), ==, 1);
  g_assert_cmpstr (listed, ==, KEY_ID_2);
  assert_lookup ("replace", KEY_ID_2, SECRET_2);

  /* Another profile with the same key is not touched. */
  assert_lookup ("replace-other", KEY_ID_1, SECRET_1);
  forget ("replace");
  forget ("replace-other");
}

static void
test_not_found (void)
{
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr (Credentials) key = keyring_lookup ("missing", 0, NULL, &error);

  g_assert_null (key);
  g_assert_error (error, KEYRING_ERROR, KEYRING_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“missing”"));
  g_assert_cmpint (keyring_test_elapsed_since (start), <,
                   KEYRING_TEST_QUICK_US);
}

static void
test_unavailable_codes (void)
{
  static const struct {
    KeyringError code;
    gboolean unavailable;
  } cases[] = {
    { KEYRING_ERROR_NO_BUS, TRUE },  { KEYRING_ERROR_NO_SERVICE, TRUE },
    { KEYRING_ERROR_LOCKED, TRUE },  { KEYRING_ERROR_DISMISSED, TRUE },
    { KEYRING_ERROR_TIMEOUT, TRUE }, { KEYRING_ERROR_NOT_FOUND, FALSE },
    { KEYRING_ERROR_FAILED, FALSE },
  };
  g_autoptr (GError) other = g_error_new_literal (
    G_IO_ERROR, KEYRING_ERROR_NO_BUS, "same code, other domain");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GError) error =
      g_error_new_literal (KEYRING_ERROR, cases[i].code, "x");

    g_assert_cmpint (keyring_error_is_unavailable (error), ==,
                     cases[i].unavailable);
  }
  g_assert_false (keyring_error_is_unavailable (NULL));
  g_assert_false (keyring_error_is_unavailable (other));
}

static void
assert_entry_clean (const KeyringEntry *entry)
{
  const char *secrets[] = { SECRET_1, SECRET_2 };

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++) {
    g_assert_null (strstr (entry->profile, secrets[i]));
    g_assert_null (strstr (entry->access_key_id, secrets[i]));
  }
}

static void
test_list (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  gboolean seen_a = FALSE, seen_b = FALSE;

  store_key ("list-b", KEY_ID_2, SECRET_2);
  store_key ("list-a", KEY_ID_1, SECRET_1);
  entries = keyring_list (0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entries);

  for (guint i = 0; i < entries->len; i++) {
    const KeyringEntry *entry = g_ptr_array_index (entries, i);

    assert_entry_clean (entry);
    if (g_str_equal (entry->profile, "list-a")) {
      g_assert_cmpstr (entry->access_key_id, ==, KEY_ID_1);
      seen_a = TRUE;
    } else if (g_str_equal (entry->profile, "list-b")) {
      g_assert_cmpstr (entry->access_key_id, ==, KEY_ID_2);
      g_assert_true (seen_a); /* sorted by profile */
      seen_b = TRUE;
    }
  }
  g_assert_true (seen_a && seen_b);
  forget ("list-a");
  forget ("list-b");
}

/* What a person sees in Seahorse. */
static void
test_label (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) attributes =
    g_hash_table_new (g_str_hash, g_str_equal);
  GList *items;

  store_key ("label", KEY_ID_1, SECRET_1);
  g_hash_table_insert (attributes, "profile", "label");
  items = secret_password_searchv_sync (&test_schema, attributes,
                                        SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_assert_cmpstr (secret_retrievable_get_label (items->data), ==,
                   "AWS long-term key for profile label (" KEY_ID_1 ")");
  g_list_free_full (items, g_object_unref);
  forget ("label");
}

static void
test_async (void)
{
  KeyringTestWait wait = keyring_test_wait_new ();
  Credentials *key = credentials_new (KEY_ID_2, SECRET_2, NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (Credentials) found = NULL;

  /* The key is copied at once. */
  keyring_store_async ("async", key, NULL, keyring_test_on_done, &wait);
  credentials_free (key);
  g_assert_true (keyring_store_finish (keyring_test_wait_for (&wait), &error));
  g_assert_no_error (error);

  keyring_lookup_async ("async", NULL, keyring_test_on_done, &wait);
  found = keyring_lookup_finish (keyring_test_wait_for (&wait), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->access_key_id, ==, KEY_ID_2);
  g_assert_cmpstr (found->secret_access_key, ==, SECRET_2);
  g_clear_pointer (&found, credentials_free);

  keyring_lookup_async ("async-missing", NULL, keyring_test_on_done, &wait);
  found = keyring_lookup_finish (keyring_test_wait_for (&wait), &error);
  g_assert_null (found);
  g_assert_error (error, KEYRING_ERROR, KEYRING_ERROR_NOT_FOUND);

  keyring_test_wait_clear (&wait);
  forget ("async");
}

/* --- A locked keyring ---------------------------------------------------- */

static void
assert_locked_error (GError *error, gint64 start, const char *what)
{
  gint64 us = keyring_test_elapsed_since (start);

  g_assert_error (error, KEYRING_ERROR, KEYRING_ERROR_LOCKED);
  g_assert_true (keyring_error_is_unavailable (error));
  g_assert_nonnull (strstr (error->message, "“Login”"));
  g_assert_cmpint (us, <, KEYRING_TEST_QUICK_US);
  keyring_test_report_time (what, us);
  g_test_message ("%s: %s", what, error->message);
}

static void
test_locked (void)
{
  g_autoptr (Credentials) other =
    credentials_new (KEY_ID_2, SECRET_2, NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (Credentials) key = NULL;
  gint64 start;

  store_key ("locked", KEY_ID_1, SECRET_1);
  keyring_test_lock_default_collection ();
  g_assert_true (keyring_test_default_collection_is_locked ());

  start = g_get_monotonic_time ();
  key = keyring_lookup ("locked", 0, NULL, &error);
  g_assert_null (key);
  assert_locked_error (error, start, "lookup, locked keyring");
  g_clear_error (&error);

  start = g_get_monotonic_time ();
  g_assert_false (keyring_store ("locked", other, 0, NULL, &error));
  assert_locked_error (error, start, "store, locked keyring");
  g_clear_error (&error);

  start = g_get_monotonic_time ();
  g_assert_false (keyring_delete ("locked", 0, NULL, &error));
  assert_locked_error (error, start, "delete, locked keyring");
  g_clear_error (&error);

  /* Attributes stay readable: a missing key is still told apart, and the
   * list still shows the locked key. */
  key = keyring_lookup ("locked-missing", 0, NULL, &error);
  g_assert_error (error, KEYRING_ERROR, KEYRING_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (count_listed ("locked", NULL), ==, 1);
  g_assert_true (keyring_test_default_collection_is_locked ());

  /* Nothing changed while locked. */
  keyring_test_unlock_default_collection ();
  assert_lookup ("locked", KEY_ID_1, SECRET_1);
  forget ("locked");
}

/* --- No secret in files, none in the log --------------------------------- */

static void
test_no_secret_in_files (void)
{
  g_autofree char *secret = g_strdup_printf ("botomfaTestSecret%08x%08x",
                                             g_random_int (), g_random_int ());
  g_autofree char *keyrings =
    g_build_filename (g_get_user_data_dir (), "keyrings", "", NULL);
  guint files = 0, hits = 0, keyring_files = 0, keyring_hits = 0;

  store_key ("files", KEY_ID_1, secret);
  assert_lookup ("files", KEY_ID_1, secret);
  g_assert_cmpuint (count_listed ("files", NULL), ==, 1);

  keyring_test_scan_tree (g_get_home_dir (), keyrings, secret, &files, &hits);
  keyring_test_scan_tree (keyrings, "", secret, &keyring_files, &keyring_hits);
  g_test_message ("%u files scanned; the keyring's own %u files hold the "
                  "secret in plaintext %u times",
                  files, keyring_files, keyring_hits);
  g_assert_cmpuint (keyring_files, >, 0);
  g_assert_cmpuint (hits, ==, 0);
  forget ("files");
}

static void
test_no_secret_in_log (void)
{
  if (g_test_subprocess ()) {
    g_setenv ("G_MESSAGES_DEBUG", "botomfa-keyring", TRUE);
    store_key ("logged", KEY_ID_1, SECRET_1);
    assert_lookup ("logged", KEY_ID_1, SECRET_1);
    g_assert_cmpuint (count_listed ("logged", NULL), ==, 1);
    forget ("logged");
    return;
  }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*lookup logged: found " KEY_ID_1 "*");
  g_test_trap_assert_stdout ("*store logged: stored " KEY_ID_1 "*");
  g_test_trap_assert_stdout_unmatched ("*" SECRET_1 "*");
  g_test_trap_assert_stderr_unmatched ("*" SECRET_1 "*");
}

/* --- Other buses: none, one without a keyring, one that hangs ------------ */

/* Every call gives @code quickly. */
static void
expect_everywhere (KeyringError code)
{
  g_autoptr (Credentials) key =
    credentials_new (KEY_ID_1, SECRET_1, NULL, NULL);
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_null (keyring_lookup ("any", 0, NULL, &error));
  keyring_test_expect_unavailable (error, code, "lookup", start);
  error = NULL;
  start = g_get_monotonic_time ();
  g_assert_false (keyring_store ("any", key, 0, NULL, &error));
  keyring_test_expect_unavailable (error, code, "store", start);
  error = NULL;
  start = g_get_monotonic_time ();
  g_assert_false (keyring_delete ("any", 0, NULL, &error));
  keyring_test_expect_unavailable (error, code, "delete", start);
  error = NULL;
  start = g_get_monotonic_time ();
  g_assert_null (keyring_list (0, NULL, &error));
  keyring_test_expect_unavailable (error, code, "list", start);
}

static void
test_no_bus_unset (void)
{
  if (g_test_subprocess ()) {
    g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
    g_unsetenv ("DISPLAY");
    expect_everywhere (KEYRING_ERROR_NO_BUS);
    return;
  }
  keyring_test_run_in_subprocess ();
}

/* The X11 autolaunch of GDBus is never tried: the answer does not come from
 * GDBus (whose error would name dbus-launch or X11). */
static void
test_no_bus_no_autolaunch (void)
{
  if (g_test_subprocess ()) {
    g_autoptr (GError) error = NULL;

    g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
    g_setenv ("DISPLAY", ":73", TRUE);
    g_assert_null (keyring_lookup ("any", 0, NULL, &error));
    g_assert_error (error, KEYRING_ERROR, KEYRING_ERROR_NO_BUS);
    g_assert_nonnull (strstr (error->message, "is not set"));
    return;
  }
  keyring_test_run_in_subprocess ();
}

static void
test_no_bus_bad_address (void)
{
  if (g_test_subprocess ()) {
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", TRUE);
    expect_everywhere (KEYRING_ERROR_NO_BUS);
    return;
  }
  keyring_test_run_in_subprocess ();
}

/* A socket file nobody listens on. */
static void
make_dead_socket (const char *path)
{
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GSocketAddress) address = g_unix_socket_address_new (path);
  g_autoptr (GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (g_socket_close (socket, &error));
}

/* Without an address GDBus tries $XDG_RUNTIME_DIR/bus: here a dead one. The
 * child runs alone, so the scratch runtime directory is its own. */
static void
test_no_bus_stale_socket (void)
{
  if (g_test_subprocess ()) {
    g_autofree char *bus =
      g_build_filename (g_get_user_runtime_dir (), "bus", NULL);

    make_dead_socket (bus);
    g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
    expect_everywhere (KEYRING_ERROR_NO_BUS);
    g_assert_no_errno (g_unlink (bus));
    return;
  }
  keyring_test_run_in_subprocess ();
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* A bus of the test configuration with nothing on it (and nothing to
 * activate): the caller's session bus from now on. */
static GSubprocess *
start_bare_bus (void)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GDataInputStream) output = NULL;
  g_autofree char *config = NULL;
  g_autofree char *address = NULL;
  g_autoptr (GError) error = NULL;
  GSubprocess *bus;

  config =
    g_strconcat ("--config-file=", g_getenv ("BOTOMFA_TEST_DBUS_CONFIG"), NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  bus = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon", config,
                                     "--nofork", "--print-address=1", NULL);
  g_assert_no_error (error);

  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bus));
  address = g_data_input_stream_read_line (output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  return bus;
}

static void
stop_bus (GSubprocess *bus)
{
  g_subprocess_send_signal (bus, SIGTERM);
  g_assert_true (g_subprocess_wait (bus, NULL, NULL));
  g_object_unref (bus);
}

static void
test_no_service (void)
{
  if (g_test_subprocess ()) {
    GSubprocess *bus = start_bare_bus ();

    expect_everywhere (KEYRING_ERROR_NO_SERVICE);
    stop_bus (bus);
    return;
  }
  keyring_test_run_in_subprocess ();
}

/* Owns org.freedesktop.secrets and never answers: its calls are dispatched
 * to a main context nobody runs. */
static GDBusConnection *
own_secrets_silently (void)
{
  static const GDBusSubtreeVTable vtable = { NULL, NULL, NULL };
  g_autoptr (GMainContext) nobody = g_main_context_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = NULL;
  GDBusConnection *connection;

  connection = g_dbus_connection_new_for_address_sync (
    g_getenv ("DBUS_SESSION_BUS_ADDRESS"),
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
      | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  g_assert_no_error (error);

  g_main_context_push_thread_default (nobody);
  g_dbus_connection_register_subtree (
    connection, "/org/freedesktop/secrets", &vtable,
    G_DBUS_SUBTREE_FLAGS_DISPATCH_TO_UNENUMERATED_NODES, NULL, NULL, &error);
  g_main_context_pop_thread_default (nobody);
  g_assert_no_error (error);

  reply = g_dbus_connection_call_sync (
    connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
    "org.freedesktop.DBus", "RequestName",
    g_variant_new ("(su)", "org.freedesktop.secrets", 4 /* do not queue */),
    G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

static void
test_timeout (void)
{
  if (g_test_subprocess ()) {
    g_autoptr (Credentials) key =
      credentials_new (KEY_ID_1, SECRET_1, NULL, NULL);
    KeyringTestWait wait = keyring_test_wait_new ();
    GSubprocess *bus = start_bare_bus ();
    g_autoptr (GDBusConnection) silent = own_secrets_silently ();
    GError *error = NULL;
    gint64 start = g_get_monotonic_time ();

    g_assert_null (keyring_lookup ("any", 300, NULL, &error));
    keyring_test_expect_timeout (error, start, 300 * 1000,
                                 KEYRING_TEST_QUICK_US,
                                 "lookup, 300 ms timeout");
    error = NULL;
    start = g_get_monotonic_time ();
    g_assert_false (keyring_store ("any", key, 300, NULL, &error));
    keyring_test_expect_timeout (
      error, start, 300 * 1000, KEYRING_TEST_QUICK_US, "store, 300 ms timeout");

    error = NULL;
    start = g_get_monotonic_time ();
    keyring_lookup_async ("any", NULL, keyring_test_on_done, &wait);
    g_assert_null (
      keyring_lookup_finish (keyring_test_wait_for (&wait), &error));
    keyring_test_expect_timeout (error, start, 5 * G_USEC_PER_SEC,
                                 6 * G_USEC_PER_SEC,
                                 "async lookup, default timeout");

    keyring_test_wait_clear (&wait);
    stop_bus (bus);
    return;
  }
  keyring_test_run_in_subprocess ();
}

static void
test_cancel (void)
{
  if (g_test_subprocess ()) {
    KeyringTestWait wait = keyring_test_wait_new ();
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    GSubprocess *bus = start_bare_bus ();
    g_autoptr (GDBusConnection) silent = own_secrets_silently ();
    g_autoptr (GError) error = NULL;
    gint64 start = g_get_monotonic_time ();

    g_timeout_add (100, keyring_test_cancel_now, cancellable);
    keyring_lookup_async ("any", cancellable, keyring_test_on_done, &wait);
    g_assert_null (
      keyring_lookup_finish (keyring_test_wait_for (&wait), &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpint (keyring_test_elapsed_since (start), <,
                     KEYRING_TEST_QUICK_US);
    keyring_test_report_time ("async lookup, cancelled after 100 ms",
                              keyring_test_elapsed_since (start));

    keyring_test_wait_clear (&wait);
    stop_bus (bus);
    return;
  }
  keyring_test_run_in_subprocess ();
}

/* --- The unlock prompt, answered by tests/fake-prompter.py ------------- */

typedef struct {
  GSubprocess *process;
  GDataInputStream *output;
} Prompter;

/* Starts the stand-in for the person at the prompt: MODE is "password",
 * "dismiss" or "silent"; it answers after DELAY_MS. */
static Prompter
start_prompter (const char *mode, const char *delay_ms)
{
  g_autofree char *script =
    g_test_build_filename (G_TEST_DIST, "fake-prompter.py", NULL);
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;
  Prompter prompter;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  prompter.process = g_subprocess_launcher_spawn (
    launcher, &error, "/usr/bin/python3", script, mode, delay_ms, NULL);
  g_assert_no_error (error);
  prompter.output =
    g_data_input_stream_new (g_subprocess_get_stdout_pipe (prompter.process));

  line = g_data_input_stream_read_line (prompter.output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "ready");
  return prompter;
}

/* Reads the prompter's events up to @expected; fails at the end of them. */
static void
wait_for_event (Prompter *prompter, const char *expected)
{
  g_autoptr (GError) error = NULL;

  for (;;) {
    g_autofree char *line =
      g_data_input_stream_read_line (prompter->output, NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (line);
    if (g_str_equal (line, expected))
      return;
  }
}

static void
stop_prompter (Prompter *prompter)
{
  g_subprocess_send_signal (prompter->process, SIGTERM);
  g_assert_true (g_subprocess_wait (prompter->process, NULL, NULL));
  g_clear_object (&prompter->output);
  g_clear_object (&prompter->process);
}

/* The person types the right password: the lookup and the store go on. */
static void
test_prompt_unlocks (void)
{
  if (g_test_subprocess ()) {
    Prompter prompter = start_prompter ("password", "100");
    gint64 start;

    store_key ("prompted", KEY_ID_1, SECRET_1);
    keyring_test_lock_default_collection ();
    start = g_get_monotonic_time ();
    assert_lookup ("prompted", KEY_ID_1, SECRET_1);
    keyring_test_report_time (
      "lookup, unlocked at a prompt answered after 100 ms",
      keyring_test_elapsed_since (start));
    wait_for_event (&prompter, "prompt password");
    g_assert_false (keyring_test_default_collection_is_locked ());

    keyring_test_lock_default_collection ();
    store_key ("prompted", KEY_ID_2, SECRET_2);
    g_assert_false (keyring_test_default_collection_is_locked ());
    assert_lookup ("prompted", KEY_ID_2, SECRET_2);
    g_assert_cmpuint (count_listed ("prompted", NULL), ==, 1);

    forget ("prompted");
    stop_prompter (&prompter);
    return;
  }
  keyring_test_run_in_subprocess ();
}

static void
expect_lookup_error (KeyringError code, gint64 min_us, const char *what)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (Credentials) key = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 us;

  key = keyring_lookup ("prompted", 0, NULL, &error);
  us = keyring_test_elapsed_since (start);
  g_assert_null (key);
  g_assert_error (error, KEYRING_ERROR, (int) code);
  g_assert_true (keyring_error_is_unavailable (error));
  g_assert_nonnull (strstr (error->message, "“Login”"));
  g_assert_cmpint (us, >=, min_us);
  g_assert_cmpint (us, <, min_us + KEYRING_TEST_QUICK_US);
  keyring_test_report_time (what, us);
  g_printerr ("#   %s\n", error->message);
}

/* Cancel after a person's time with a display is a dismissal; a prompt that
 * comes back at once was never seen, and the keyring is just locked. */
static void
test_prompt_dismissed (void)
{
  if (g_test_subprocess ()) {
    Prompter prompter = start_prompter ("dismiss", "600");

    g_setenv ("DISPLAY", ":73", TRUE);
    store_key ("prompted", KEY_ID_1, SECRET_1);
    keyring_test_lock_default_collection ();
    expect_lookup_error (KEYRING_ERROR_DISMISSED, 600 * 1000,
                         "lookup, prompt dismissed after 600 ms");
    wait_for_event (&prompter, "stop");
    stop_prompter (&prompter);

    prompter = start_prompter ("dismiss", "0");
    expect_lookup_error (KEYRING_ERROR_LOCKED, 0,
                         "lookup, prompt dismissed at once");
    stop_prompter (&prompter);

    keyring_test_unlock_default_collection ();
    forget ("prompted");
    return;
  }
  keyring_test_run_in_subprocess ();
}

static void
wait_until_unlocked (void)
{
  gint64 start = g_get_monotonic_time ();

  while (keyring_test_default_collection_is_locked ()) {
    g_assert_cmpint (keyring_test_elapsed_since (start), <, 5 * G_USEC_PER_SEC);
    g_usleep (20 * 1000);
  }
}

/* The person is slower than the timeout: the wait ends on time, and the
 * answer still unlocks the keyring for the next try. */
static void
test_prompt_timeout (void)
{
  if (g_test_subprocess ()) {
    Prompter prompter = start_prompter ("password", "1500");
    g_autoptr (GError) error = NULL;
    g_autoptr (Credentials) key = NULL;
    gint64 start;

    store_key ("prompted", KEY_ID_1, SECRET_1);
    keyring_test_lock_default_collection ();
    start = g_get_monotonic_time ();
    key = keyring_lookup ("prompted", 800, NULL, &error);
    g_assert_null (key);
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "unlock prompt"));
    keyring_test_expect_timeout (
      g_steal_pointer (&error), start, 800 * 1000,
      800 * 1000 + KEYRING_TEST_QUICK_US,
      "lookup, prompt answered after 1.5 s, 800 ms timeout");

    wait_for_event (&prompter, "answer yes");
    wait_until_unlocked ();
    assert_lookup ("prompted", KEY_ID_1, SECRET_1);
    forget ("prompted");
    stop_prompter (&prompter);
    return;
  }
  keyring_test_run_in_subprocess ();
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* Cancelled while the prompt is up: the answer comes at once, and what
 * libsecret does later (the prompt goes away with the prompter) is ignored
 * without complaint (G_DEBUG=fatal-criticals). */
static void
test_prompt_cancel (void)
{
  if (g_test_subprocess ()) {
    KeyringTestWait wait = keyring_test_wait_new ();
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    Prompter prompter = start_prompter ("silent", "0");
    g_autoptr (GError) error = NULL;
    gint64 start;

    store_key ("prompted", KEY_ID_1, SECRET_1);
    keyring_test_lock_default_collection ();
    start = g_get_monotonic_time ();
    g_timeout_add (300, keyring_test_cancel_now, cancellable);
    keyring_lookup_async ("prompted", cancellable, keyring_test_on_done, &wait);
    g_assert_null (
      keyring_lookup_finish (keyring_test_wait_for (&wait), &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpint (keyring_test_elapsed_since (start), <,
                     300 * 1000 + KEYRING_TEST_QUICK_US);
    keyring_test_report_time (
      "async lookup, cancelled during the prompt after 300 ms",
      keyring_test_elapsed_since (start));

    wait_for_event (&prompter, "prompt password");
    stop_prompter (&prompter);
    g_timeout_add (300, quit_loop, wait.loop);
    g_main_loop_run (wait.loop);

    keyring_test_unlock_default_collection ();
    forget ("prompted");
    keyring_test_wait_clear (&wait);
    return;
  }
  keyring_test_run_in_subprocess ();
}

/* --- main ---------------------------------------------------------------- */

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (!keyring_test_in_scratch_session ()) {
    g_test_add_func ("/keyring/scratch-session", keyring_test_refuse);
    return g_test_run ();
  }

  g_test_add_func ("/keyring/unavailable-codes", test_unavailable_codes);
  g_test_add_func ("/keyring/round-trip", test_round_trip);
  g_test_add_func ("/keyring/replace", test_replace);
  g_test_add_func ("/keyring/not-found", test_not_found);
  g_test_add_func ("/keyring/list", test_list);
  g_test_add_func ("/keyring/label", test_label);
  g_test_add_func ("/keyring/async", test_async);
  g_test_add_func ("/keyring/locked", test_locked);
  g_test_add_func ("/keyring/prompt/unlocks", test_prompt_unlocks);
  g_test_add_func ("/keyring/prompt/dismissed", test_prompt_dismissed);
  g_test_add_func ("/keyring/prompt/timeout", test_prompt_timeout);
  g_test_add_func ("/keyring/prompt/cancel", test_prompt_cancel);
  g_test_add_func ("/keyring/no-secret-in-files", test_no_secret_in_files);
  g_test_add_func ("/keyring/no-secret-in-log", test_no_secret_in_log);
  g_test_add_func ("/keyring/no-bus/unset", test_no_bus_unset);
  g_test_add_func ("/keyring/no-bus/no-autolaunch", test_no_bus_no_autolaunch);
  g_test_add_func ("/keyring/no-bus/bad-address", test_no_bus_bad_address);
  g_test_add_func ("/keyring/no-bus/stale-socket", test_no_bus_stale_socket);
  g_test_add_func ("/keyring/no-service", test_no_service);
  g_test_add_func ("/keyring/timeout", test_timeout);
  g_test_add_func ("/keyring/cancel", test_cancel);

  return g_test_run ();
}
