/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#include "keyring-test-util.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

/* --- The scratch session, subprocesses ----------------------------------- */

/* Only ever against the scratch session of tests/keyring-session.sh. */
gboolean
keyring_test_in_scratch_session (void)
{
  const char *home = g_getenv ("HOME");

  return g_getenv ("BOTOMFA_TEST_KEYRING_PASSWORD") != NULL
         && g_getenv ("BOTOMFA_TEST_DBUS_CONFIG") != NULL && home != NULL
         && strstr (home, "botomfa-keyring-") != NULL;
}

/* The one test of a program run outside the scratch session. */
void
keyring_test_refuse (void)
{
  g_test_fail_printf ("run this test through tests/keyring-session.sh; it "
                      "must not touch your own keyring");
}

/* Runs the current test again in a subprocess, whose stderr (with the
 * figures of keyring_test_report_time()) reaches the test log. */
void
keyring_test_run_in_subprocess (void)
{
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* --- Timing -------------------------------------------------------------- */

gint64
keyring_test_elapsed_since (gint64 start)
{
  return g_get_monotonic_time () - start;
}

void
keyring_test_report_time (const char *what, gint64 us)
{
  /* Subprocesses inherit stderr, so their figures reach the test log. */
  g_printerr ("# %s: %.2f ms\n", what, us / 1000.0);
}

/* Takes @error: @code, which says the keyring is unavailable, quickly. */
void
keyring_test_expect_unavailable (GError *error, KeyringError code,
                                 const char *what, gint64 start)
{
  gint64 us = keyring_test_elapsed_since (start);

  g_assert_error (error, KEYRING_ERROR, (int) code);
  g_assert_true (keyring_error_is_unavailable (error));
  g_assert_cmpint (us, <, KEYRING_TEST_QUICK_US);
  keyring_test_report_time (what, us);
  g_printerr ("#   %s\n", error->message);
  g_error_free (error);
}

/* Takes @error: a timeout, after @min_us and before @max_us. */
void
keyring_test_expect_timeout (GError *error, gint64 start, gint64 min_us,
                             gint64 max_us, const char *what)
{
  gint64 us = keyring_test_elapsed_since (start);

  g_assert_error (error, KEYRING_ERROR, KEYRING_ERROR_TIMEOUT);
  g_assert_true (keyring_error_is_unavailable (error));
  g_assert_cmpint (us, >=, min_us);
  g_assert_cmpint (us, <, max_us);
  keyring_test_report_time (what, us);
  g_printerr ("#   %s\n", error->message);
  g_error_free (error);
}

/* --- Asynchronous results ------------------------------------------------ */

/* A wait on the default main context; keyring_test_wait_clear() ends it. */
KeyringTestWait
keyring_test_wait_new (void)
{
  KeyringTestWait wait = { g_main_loop_new (NULL, FALSE), NULL };

  return wait;
}

void
keyring_test_wait_clear (KeyringTestWait *wait)
{
  g_clear_object (&wait->result);
  g_clear_pointer (&wait->loop, g_main_loop_unref);
}

/* A GAsyncReadyCallback whose user data is a KeyringTestWait. */
void
keyring_test_on_done (GObject *source, GAsyncResult *result, gpointer data)
{
  KeyringTestWait *wait = data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

/* Runs the default main context until the next result; the wait owns it. */
GAsyncResult *
keyring_test_wait_for (KeyringTestWait *wait)
{
  g_clear_object (&wait->result);
  g_main_loop_run (wait->loop);
  return wait->result;
}

/* A GSourceFunc that cancels its GCancellable once. */
gboolean
keyring_test_cancel_now (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

/* --- The default collection ("login") ------------------------------------ */

static SecretCollection *
default_collection (SecretService **service)
{
  g_autoptr (GError) error = NULL;
  SecretCollection *collection;

  *service = secret_service_open_sync (
    SECRET_TYPE_SERVICE, NULL, SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (
    *service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  return collection;
}

gboolean
keyring_test_default_collection_is_locked (void)
{
  g_autoptr (SecretService) service = NULL;
  g_autoptr (SecretCollection) collection = default_collection (&service);

  return secret_collection_get_locked (collection);
}

/* Locks the default collection as a screen lock would. */
void
keyring_test_lock_default_collection (void)
{
  g_autoptr (SecretService) service = NULL;
  g_autoptr (SecretCollection) collection = default_collection (&service);
  g_autoptr (GError) error = NULL;
  GList *objects = g_list_append (NULL, collection);
  int count;

  count = secret_service_lock_sync (service, objects, NULL, NULL, &error);
  g_list_free (objects);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 1);
}

/* A "plain" session of the service: secrets travel in clear text, which is
 * fine on a test bus. */
static const char *
open_plain_session (GDBusConnection *bus, GVariant **reply)
{
  g_autoptr (GError) error = NULL;
  const char *session;

  *reply = g_dbus_connection_call_sync (
    bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
    "org.freedesktop.Secret.Service", "OpenSession",
    g_variant_new ("(sv)", "plain", g_variant_new_string ("")),
    G_VARIANT_TYPE ("(vo)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (*reply, "(v&o)", NULL, &session);
  return session;
}

/* Unlocks the default collection with the test password through
 * gnome-keyring's own interface for unlocking without a prompt. */
void
keyring_test_unlock_default_collection (void)
{
  const char *password = g_getenv ("BOTOMFA_TEST_KEYRING_PASSWORD");
  g_autoptr (SecretService) service = NULL;
  g_autoptr (SecretCollection) collection = default_collection (&service);
  GDBusConnection *bus = g_dbus_proxy_get_connection (G_DBUS_PROXY (service));
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) opened = NULL;
  g_autoptr (GVariant) reply = NULL;
  const char *session = open_plain_session (bus, &opened);
  GVariant *secret;

  secret =
    g_variant_new ("(o@ay@ays)", session,
                   g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                   g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, password,
                                              strlen (password), 1),
                   "text/plain");
  reply = g_dbus_connection_call_sync (
    bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
    "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
    "UnlockWithMasterPassword",
    g_variant_new ("(o@(oayays))",
                   g_dbus_proxy_get_object_path (G_DBUS_PROXY (collection)),
                   secret),
    NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (keyring_test_default_collection_is_locked ());
}

/* --- Files --------------------------------------------------------------- */

/**
 * keyring_test_scan_tree:
 * @dir: the directory to scan, recursively
 * @skip: (nullable): a prefix of paths whose hits do not count
 * @needle: what to look for (a secret)
 * @files: incremented for every regular file under @dir
 * @hits: incremented for every file outside @skip that contains @needle
 */
void
keyring_test_scan_tree (const char *dir, const char *skip, const char *needle,
                        guint *files, guint *hits)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL) {
    g_autofree char *path = g_build_filename (dir, name, NULL);
    g_autofree char *contents = NULL;
    gsize len = 0;
    GStatBuf st;

    g_assert_no_errno (g_lstat (path, &st));
    if (S_ISDIR (st.st_mode))
      keyring_test_scan_tree (path, skip, needle, files, hits);
    if (!S_ISREG (st.st_mode))
      continue;
    (*files)++;
    g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
    if (memmem (contents, len, needle, strlen (needle)) != NULL) {
      g_test_message ("the secret is in %s", path);
      *hits += skip == NULL || !g_str_has_prefix (path, skip);
    }
  }
}
