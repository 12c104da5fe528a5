/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* Temporary sessions in the desktop keyring, one per MFA device (and role),
 * shared by the profiles that use the device, plus the lock that makes
 * processes refreshing the same device wait for each other.
 *
 * A session is one item of its own schema. Its attributes say whose it is
 * (the MFA serial; the role ARN, empty for GetSessionToken sessions) and,
 * readable without the secret, its access key id and its expiry. The secret
 * is "SECRET_ACCESS_KEY\nSESSION_TOKEN": neither contains a newline, which
 * a store checks. Items go to the "session" collection, which gnome-keyring
 * keeps in memory only; a service without one gets the default collection.
 *
 * Like keyring.c, every operation is one asynchronous chain of libsecret
 * calls bounded by a timer, which the blocking calls run in a private main
 * context; the chain up to the open service is shared with it
 * (secret-service.c). Unlike it, nothing here shows an unlock prompt: a
 * locked item is a KEYRING_ERROR_LOCKED. A lookup is one search that loads
 * the secrets. */

#define G_LOG_DOMAIN "botomfa-session"

#include "config.h"

#include "session-cache.h"

#include "keyring.h"
#include "secret-service-private.h"
#include "wipe.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* The longest pause between two tries of a held lock. */
#define LOCK_POLL_MAX_US (50 * G_TIME_SPAN_MILLISECOND)

#define ATTR_SERIAL "mfa-serial"
#define ATTR_ROLE "role-arn"
#define ATTR_KEY_ID "access-key-id"
#define ATTR_EXPIRATION "expiration"

static const SecretSchema session_schema = {
  .name = "io.github.botomfa.Session",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { ATTR_SERIAL, SECRET_SCHEMA_ATTRIBUTE_STRING },
    { ATTR_ROLE, SECRET_SCHEMA_ATTRIBUTE_STRING },
    { ATTR_KEY_ID, SECRET_SCHEMA_ATTRIBUTE_STRING },
    { ATTR_EXPIRATION, SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

GQuark
session_cache_error_quark (void)
{
  return g_quark_from_static_string ("session-cache-error-quark");
}

typedef enum {
  OP_STORE,
  OP_LOOKUP,
  OP_CLEAR,
} OpKind;

typedef struct {
  SecretServiceCall call; /* first: the task data is both */
  OpKind kind;
  char *serial;
  char *role;           /* "" for none */
  Credentials *session; /* what a store stores */
  char *expiration;     /* its attribute */
  Credentials *found;   /* what a lookup found */
  guint min_valid;
  gboolean tried_default;
} CacheOp;

static void
op_free (gpointer data)
{
  CacheOp *op = data;

  secret_service_call_clear (&op->call);
  g_free (op->serial);
  g_free (op->role);
  credentials_free (op->session);
  g_free (op->expiration);
  credentials_free (op->found);
  g_free (op);
}

static GError *
locked_error (void)
{
  return g_error_new_literal (
    KEYRING_ERROR, KEYRING_ERROR_LOCKED,
    _ ("The keyring that holds cached AWS sessions is locked. Unlock it in "
       "your desktop session (for example in Passwords and Keys), then try "
       "again."));
}

/* --- Items ------------------------------------------------------------- */

static GHashTable *
op_attributes (const CacheOp *op)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, ATTR_SERIAL, op->serial);
  g_hash_table_insert (attributes, ATTR_ROLE, op->role);
  return attributes;
}

static char *
expiration_attribute (GDateTime *expiration)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (expiration);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static GDateTime *
item_expiration (GHashTable *attributes)
{
  const char *text = g_hash_table_lookup (attributes, ATTR_EXPIRATION);

  return text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

static char *
session_label (const CacheOp *op)
{
  g_autoptr (GDateTime) local = g_date_time_to_local (op->session->expiration);
  g_autofree char *until = g_date_time_format (local, "%H:%M");

  if (*op->role == '\0')
    /* TRANSLATORS: the label of the item in the keyring (Seahorse): the
     * MFA device's serial (an ARN) and the local time the session expires,
     * e.g. 14:32. */
    return g_strdup_printf (_ ("AWS session for MFA device %s (expires %s)"),
                            op->serial, until);

  /* TRANSLATORS: as above, with the ARN of the role first. */
  return g_strdup_printf (
    _ ("AWS session for role %s with MFA device %s (expires %s)"), op->role,
    op->serial, until);
}

/* The value owns the text and wipes it when freed. */
static SecretValue *
session_secret (const Credentials *session)
{
  char *text = g_strconcat (session->secret_access_key, "\n",
                            session->session_token, NULL);

  return secret_value_new_full (text, -1, "text/plain",
                                (GDestroyNotify) wipe_string_free);
}

/* Splits the secret of @value into wiped-on-free Credentials, or NULL when
 * it is not "SECRET\nTOKEN" with neither part empty. */
static Credentials *
session_from_secret (SecretValue *value, const char *key_id,
                     GDateTime *expiration)
{
  gsize len = 0;
  const char *text = secret_value_get (value, &len);
  const char *newline = memchr (text, '\n', len);
  gsize secret_len = newline ? (gsize) (newline - text) : 0;
  gsize token_len = newline ? len - secret_len - 1 : 0;
  Credentials *session;

  if (secret_len == 0 || token_len == 0
      || memchr (newline + 1, '\n', token_len) != NULL
      || memchr (text, '\0', len) != NULL)
    return NULL;

  session = g_new0 (Credentials, 1);
  session->access_key_id = g_strdup (key_id);
  session->secret_access_key = g_strndup (text, secret_len);
  session->session_token = g_strndup (newline + 1, token_len);
  session->expiration = g_date_time_ref (expiration);
  return session;
}

static Credentials *
session_from_item (SecretItem *item, GHashTable *attributes,
                   GDateTime *expiration)
{
  g_autoptr (SecretValue) value = secret_item_get_secret (item);
  const char *key_id = g_hash_table_lookup (attributes, ATTR_KEY_ID);

  if (value == NULL || key_id == NULL || *key_id == '\0')
    return NULL;

  return session_from_secret (value, key_id, expiration);
}

/* --- Searching --------------------------------------------------------- */

static void
op_search (GTask *task, SecretSearchFlags flags,
           SecretServiceCallSearched searched)
{
  CacheOp *op = g_task_get_task_data (task);
  g_autoptr (GHashTable) attributes = op_attributes (op);

  secret_service_call_search (task, &session_schema, attributes, flags,
                              searched);
}

/* --- Lookup ------------------------------------------------------------- */

/* Keeps @item in op->found when it is the longest-lived usable session so
 * far; dooms it when expired or unreadable. */
static void
lookup_consider (CacheOp *op, SecretItem *item, GDateTime *now,
                 gboolean *locked)
{
  g_autoptr (GHashTable) attributes = secret_item_get_attributes (item);
  g_autoptr (GDateTime) expiration = item_expiration (attributes);
  GTimeSpan left = expiration ? g_date_time_difference (expiration, now) : 0;
  Credentials *session;

  if (left <= 0) {
    secret_service_call_doom (&op->call, item);
    return;
  }
  if (left < (GTimeSpan) op->min_valid * G_TIME_SPAN_SECOND
      || (op->found != NULL
          && g_date_time_compare (expiration, op->found->expiration) <= 0))
    return;

  /* The search loads no secret of a locked item. */
  if (secret_item_get_locked (item)) {
    *locked = TRUE;
    return;
  }
  session = session_from_item (item, attributes, expiration);
  if (session == NULL) {
    secret_service_call_doom (&op->call, item);
    return;
  }
  credentials_free (op->found);
  op->found = session;
}

static void
lookup_examine (GTask *task, GList *items)
{
  CacheOp *op = g_task_get_task_data (task);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  gboolean locked = FALSE;

  for (GList *l = items; l != NULL; l = l->next)
    lookup_consider (op, l->data, now, &locked);

  if (op->found != NULL) {
    secret_service_call_debug (&op->call, "found %s", op->found->access_key_id);
    secret_service_call_succeed (task);
  } else if (locked) {
    secret_service_call_return_error (task, locked_error ());
  } else {
    /* Expired items go now, so that none outlives its use. */
    op->call.cleaning = TRUE;
    secret_service_call_delete_doomed (task);
  }
}

/* --- Store -------------------------------------------------------------- */

/* The session is stored; other items of its key go, if they can. */
static void
store_done (GTask *task)
{
  CacheOp *op = g_task_get_task_data (task);

  secret_service_call_debug (&op->call, "stored %s",
                             op->session->access_key_id);
  op->call.cleaning = TRUE;
  secret_service_call_delete_doomed (task);
}

static void
store_write (GTask *task)
{
  CacheOp *op = g_task_get_task_data (task);
  g_autoptr (GHashTable) attributes = op_attributes (op);
  g_autoptr (SecretValue) value = session_secret (op->session);
  g_autofree char *label = session_label (op);

  g_hash_table_insert (attributes, ATTR_KEY_ID, op->session->access_key_id);
  g_hash_table_insert (attributes, ATTR_EXPIRATION, op->expiration);
  secret_service_call_store (task, &session_schema, attributes, label, value,
                             store_done);
}

/* The Secret Service replaces an item with the very same attributes in the
 * target collection in place; every other item of the key goes. */
static gboolean
store_replaces (const CacheOp *op, SecretItem *item)
{
  g_autoptr (GHashTable) attributes = secret_item_get_attributes (item);
  const char *path = g_dbus_proxy_get_object_path (G_DBUS_PROXY (item));
  g_autofree char *parent = g_path_get_dirname (path);
  const char *key_id = g_hash_table_lookup (attributes, ATTR_KEY_ID);
  const char *expiration = g_hash_table_lookup (attributes, ATTR_EXPIRATION);
  SecretCollection *target = op->call.collection;

  if (target == NULL)
    return FALSE;

  return g_str_equal (parent,
                      g_dbus_proxy_get_object_path (G_DBUS_PROXY (target)))
         && g_strcmp0 (key_id, op->session->access_key_id) == 0
         && g_strcmp0 (expiration, op->expiration) == 0;
}

static void
store_searched (GTask *task, GList *items)
{
  CacheOp *op = g_task_get_task_data (task);

  for (GList *l = items; l != NULL; l = l->next) {
    if (!store_replaces (op, l->data))
      secret_service_call_doom (&op->call, l->data);
  }
  store_write (task);
}

/* The session collection, or else the default one; a locked one will not
 * do. Without a default collection yet, the service makes one. */
static void
store_found_collection (GTask *task)
{
  CacheOp *op = g_task_get_task_data (task);
  SecretCollection *target = op->call.collection;

  if (target == NULL && !op->tried_default) {
    secret_service_call_debug (&op->call,
                               "no session collection; using the default one");
    op->tried_default = TRUE;
    secret_service_call_find_collection (task, SECRET_COLLECTION_DEFAULT,
                                         store_found_collection);
  } else if (target != NULL && secret_collection_get_locked (target)) {
    secret_service_call_return_error (task, locked_error ());
  } else {
    op_search (task, SECRET_SEARCH_NONE, store_searched);
  }
}

/* --- Clear -------------------------------------------------------------- */

static void
clear_searched (GTask *task, GList *items)
{
  CacheOp *op = g_task_get_task_data (task);

  secret_service_call_doom_all (&op->call, items);
  secret_service_call_delete_doomed (task);
}

/* --- The operation after the open service ------------------------------- */

static void
op_begin (GTask *task)
{
  CacheOp *op = g_task_get_task_data (task);

  switch (op->kind) {
    case OP_STORE:
      secret_service_call_find_collection (task, SECRET_COLLECTION_SESSION,
                                           store_found_collection);
      break;
    case OP_LOOKUP:
      op_search (task, SECRET_SEARCH_LOAD_SECRETS, lookup_examine);
      break;
    case OP_CLEAR:
      op_search (task, SECRET_SEARCH_NONE, clear_searched);
      break;
  }
}

static void
op_return_result (GTask *task)
{
  CacheOp *op = g_task_get_task_data (task);

  if (op->kind == OP_LOOKUP)
    g_task_return_pointer (task, g_steal_pointer (&op->found),
                           (GDestroyNotify) credentials_free);
  else
    g_task_return_boolean (task, TRUE);
}

static const SecretServiceCallClass session_call_class = {
  .log_domain = G_LOG_DOMAIN,
  .start = op_begin,
  .succeed = op_return_result,
  .free = op_free,
};

static SecretServiceCall *
op_new (OpKind kind, const char *serial, const char *role, guint timeout_ms)
{
  static const char *const names[] = { "store", "lookup", "clear" };
  CacheOp *op = g_new0 (CacheOp, 1);
  g_autofree char *subject = NULL;

  op->kind = kind;
  op->serial = g_strdup (serial);
  op->role = g_strdup (role != NULL ? role : "");
  subject = *op->role ? g_strdup_printf ("%s (%s)", serial, op->role)
                      : g_strdup (serial);
  /* The session for the secrets is opened by the first call that needs
   * one, within the same chain: service_flags stay 0. */
  secret_service_call_init (&op->call, &session_call_class, names[kind],
                            subject, timeout_ms);
  return &op->call;
}

static gboolean
session_is_complete (const Credentials *session)
{
  const char *parts[] = { session->access_key_id, session->secret_access_key,
                          session->session_token };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++) {
    if (parts[i] == NULL || *parts[i] == '\0' || strchr (parts[i], '\n'))
      return FALSE;
  }
  return session->expiration != NULL;
}

static gboolean
session_check (const Credentials *session, GError **error)
{
  if (session_is_complete (session))
    return TRUE;

  g_set_error_literal (
    error, SESSION_CACHE_ERROR, SESSION_CACHE_ERROR_INVALID,
    _ ("Only a complete temporary AWS session (access key id, secret key and "
       "session token, each on one line, and an expiry) can be cached. This "
       "is a bug in botomfa: please report it."));
  return FALSE;
}

static SecretServiceCall *
store_op_new (const char *serial, const char *role, const Credentials *session,
              guint timeout_ms)
{
  SecretServiceCall *call = op_new (OP_STORE, serial, role, timeout_ms);
  CacheOp *op = (CacheOp *) call;

  op->session = credentials_copy (session);
  op->expiration = expiration_attribute (session->expiration);
  return call;
}

static SecretServiceCall *
lookup_op_new (const char *serial, const char *role, guint min_valid,
               guint timeout_ms)
{
  SecretServiceCall *call = op_new (OP_LOOKUP, serial, role, timeout_ms);

  ((CacheOp *) call)->min_valid = min_valid;
  return call;
}

/* --- Public calls ------------------------------------------------------- */

/**
 * session_cache_store:
 * @mfa_serial: the serial (ARN) of the MFA device the session was made with
 * @role_arn: (nullable): the role of an AssumeRole session; %NULL for a
 *   GetSessionToken session
 * @session: the temporary session: access key id, secret key, session
 *   token and expiration, none of them with a newline
 * @timeout_ms: the longest wait for the Secret Service; 0 for 5 s
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Stores @session as the one cached session of @mfa_serial and @role_arn,
 * in the keyring's session collection (in memory only with gnome-keyring),
 * or in the default collection when the service has no session collection.
 * Other items of the same key are deleted afterwards. Shows no prompt.
 * Blocks.
 *
 * Returns: %TRUE on success; on failure a #KEYRING_ERROR (a locked default
 *   collection is %KEYRING_ERROR_LOCKED), %SESSION_CACHE_ERROR_INVALID for
 *   an incomplete @session, or %G_IO_ERROR_CANCELLED
 */
gboolean
session_cache_store (const char *mfa_serial, const char *role_arn,
                     const Credentials *session, guint timeout_ms,
                     GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (mfa_serial != NULL && *mfa_serial != '\0', FALSE);
  g_return_val_if_fail (session != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!session_check (session, error))
    return FALSE;
  return secret_service_call_run_boolean (
    store_op_new (mfa_serial, role_arn, session, timeout_ms), cancellable,
    session_cache_store, error);
}

/**
 * session_cache_lookup:
 * @mfa_serial: the serial (ARN) of the MFA device
 * @role_arn: (nullable): the role, or %NULL for a GetSessionToken session
 * @min_valid_seconds: how long the session must still be valid
 * @timeout_ms: the longest wait for the Secret Service; 0 for 5 s
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the cached session of @mfa_serial and @role_arn with one search
 * that loads the secrets; when several are cached, the one that lives
 * longest. Expired items are deleted when no valid one is found. Shows no
 * prompt. Blocks.
 *
 * Returns: (transfer full) (nullable): the session (wiped by
 *   credentials_free()), or %NULL with no error when none is cached or it
 *   expires within @min_valid_seconds; %NULL with a #KEYRING_ERROR when the
 *   keyring cannot be asked (a locked item is %KEYRING_ERROR_LOCKED), or
 *   %G_IO_ERROR_CANCELLED
 */
Credentials *
session_cache_lookup (const char *mfa_serial, const char *role_arn,
                      guint min_valid_seconds, guint timeout_ms,
                      GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (mfa_serial != NULL && *mfa_serial != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return secret_service_call_run_pointer (
    lookup_op_new (mfa_serial, role_arn, min_valid_seconds, timeout_ms),
    cancellable, session_cache_lookup, error);
}

/**
 * session_cache_clear:
 * @mfa_serial: the serial (ARN) of the MFA device
 * @role_arn: (nullable): the role, or %NULL for a GetSessionToken session
 * @timeout_ms: the longest wait for the Secret Service; 0 for 5 s
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes the cached session of @mfa_serial and @role_arn (only that key:
 * %NULL does not mean every role). Blocks.
 *
 * Returns: %TRUE when no such session is cached any more, whether or not
 *   there was one; otherwise %FALSE with a #KEYRING_ERROR or
 *   %G_IO_ERROR_CANCELLED
 */
gboolean
session_cache_clear (const char *mfa_serial, const char *role_arn,
                     guint timeout_ms, GCancellable *cancellable,
                     GError **error)
{
  g_return_val_if_fail (mfa_serial != NULL && *mfa_serial != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return secret_service_call_run_boolean (
    op_new (OP_CLEAR, mfa_serial, role_arn, timeout_ms), cancellable,
    session_cache_clear, error);
}

/**
 * session_cache_store_async:
 * @mfa_serial: as for session_cache_store()
 * @role_arn: (nullable): as for session_cache_store()
 * @session: the session (copied at once)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the thread-default main context of the caller
 * @user_data: for @callback
 *
 * session_cache_store() without blocking, with the default timeout.
 */
void
session_cache_store_async (const char *mfa_serial, const char *role_arn,
                           const Credentials *session,
                           GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  GError *error = NULL;

  g_return_if_fail (mfa_serial != NULL && *mfa_serial != '\0');
  g_return_if_fail (session != NULL);

  if (!session_check (session, &error)) {
    g_task_report_error (NULL, callback, user_data, session_cache_store_async,
                         error);
    return;
  }
  secret_service_call_start (store_op_new (mfa_serial, role_arn, session, 0),
                             cancellable, session_cache_store_async, callback,
                             user_data);
}

/**
 * session_cache_store_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: as session_cache_store()
 */
gboolean
session_cache_store_finish (GAsyncResult *result, GError **error)
{
  return secret_service_call_propagate_boolean (
    result, session_cache_store_async, error);
}

/**
 * session_cache_lookup_async:
 * @mfa_serial: as for session_cache_lookup()
 * @role_arn: (nullable): as for session_cache_lookup()
 * @min_valid_seconds: as for session_cache_lookup()
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the thread-default main context of the caller
 * @user_data: for @callback
 *
 * session_cache_lookup() without blocking, with the default timeout.
 */
void
session_cache_lookup_async (const char *mfa_serial, const char *role_arn,
                            guint min_valid_seconds, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (mfa_serial != NULL && *mfa_serial != '\0');

  secret_service_call_start (
    lookup_op_new (mfa_serial, role_arn, min_valid_seconds, 0), cancellable,
    session_cache_lookup_async, callback, user_data);
}

/**
 * session_cache_lookup_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): as session_cache_lookup()
 */
Credentials *
session_cache_lookup_finish (GAsyncResult *result, GError **error)
{
  return secret_service_call_propagate_pointer (
    result, session_cache_lookup_async, error);
}

/* --- The refresh lock ---------------------------------------------------- */

struct _SessionLock {
  int fd;
  char *name; /* for the log */
};

static GError *
lock_error (const char *path, int saved_errno)
{
  return g_error_new (SESSION_CACHE_ERROR, SESSION_CACHE_ERROR_LOCK_FAILED,
                      _ ("Cannot use the lock file “%s”: %s. Check that it "
                         "and its directory belong to you, then try again."),
                      path, g_strerror (saved_errno));
}

/* Makes @path a directory that only its owner, this user, can enter. */
static gboolean
private_directory (const char *path, GError **error)
{
  GStatBuf st;

  if (g_mkdir (path, 0700) != 0 && errno != EEXIST) {
    g_propagate_error (error, lock_error (path, errno));
    return FALSE;
  }
  if (g_lstat (path, &st) != 0) {
    g_propagate_error (error, lock_error (path, errno));
    return FALSE;
  }
  if (!S_ISDIR (st.st_mode) || st.st_uid != geteuid ()) {
    g_propagate_error (error, lock_error (path, ENOTDIR));
    return FALSE;
  }
  if ((st.st_mode & 07777) != 0700 && g_chmod (path, 0700) != 0) {
    g_propagate_error (error, lock_error (path, errno));
    return FALSE;
  }
  return TRUE;
}

/* $XDG_RUNTIME_DIR/botomfa/locks, or the same under the cache directory
 * when there is no runtime directory. */
static char *
lock_directory (GError **error)
{
  const char *runtime = g_getenv ("XDG_RUNTIME_DIR");
  const char *base = runtime != NULL && g_path_is_absolute (runtime)
                       ? runtime
                       : g_get_user_cache_dir ();
  g_autofree char *top = g_build_filename (base, "botomfa", NULL);
  g_autofree char *locks = g_build_filename (top, "locks", NULL);

  if (g_mkdir_with_parents (base, 0700) != 0) {
    g_propagate_error (error, lock_error (base, errno));
    return NULL;
  }
  if (!private_directory (top, error) || !private_directory (locks, error))
    return NULL;
  return g_steal_pointer (&locks);
}

/* The file name is a hash of the serial, so that no serial can name a path
 * of its own. */
static char *
lock_path (const char *mfa_serial, GError **error)
{
  g_autofree char *dir = lock_directory (error);
  g_autofree char *hash = NULL;
  g_autofree char *name = NULL;

  if (dir == NULL)
    return NULL;

  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, mfa_serial, -1);
  name = g_strconcat (hash, ".lock", NULL);
  return g_build_filename (dir, name, NULL);
}

/* Opens (creating) the lock file: a regular file of this user, 0600. */
static int
lock_open (const char *path, GError **error)
{
  int fd =
    open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
  int failure = 0;
  struct stat st;

  if (fd < 0)
    failure = errno;
  else if (fstat (fd, &st) != 0)
    failure = errno;
  else if (!S_ISREG (st.st_mode) || st.st_uid != geteuid ())
    failure = EPERM;
  else if ((st.st_mode & 07777) != 0600 && fchmod (fd, 0600) != 0)
    failure = errno;

  if (failure == 0)
    return fd;

  if (fd >= 0)
    close (fd);
  g_propagate_error (error, lock_error (path, failure));
  return -1;
}

/* Tries the lock until @timeout_ms have passed, pausing a little longer
 * each time. Returns 0 once locked, else an errno value (EWOULDBLOCK when
 * the time ran out). */
static int
lock_wait (int fd, guint timeout_ms)
{
  gint64 deadline =
    g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  gint64 pause = G_TIME_SPAN_MILLISECOND;

  for (;;) {
    gint64 now;

    if (flock (fd, LOCK_EX | LOCK_NB) == 0)
      return 0;
    if (errno == EINTR)
      continue;
    if (errno != EWOULDBLOCK)
      return errno;

    now = g_get_monotonic_time ();
    if (now >= deadline)
      return EWOULDBLOCK;
    g_usleep (MIN (pause, deadline - now));
    pause = MIN (pause * 2, LOCK_POLL_MAX_US);
  }
}

static GError *
busy_error (const char *mfa_serial, guint timeout_ms)
{
  return g_error_new (
    SESSION_CACHE_ERROR, SESSION_CACHE_ERROR_BUSY,
    _ ("Another botomfa is refreshing the session of MFA device %s and did "
       "not finish within %.1f s (it may be waiting for an MFA code). Finish "
       "or cancel that one, then try again."),
    mfa_serial, timeout_ms / 1000.0);
}

/**
 * session_lock_acquire:
 * @mfa_serial: the serial (ARN) of the MFA device about to be refreshed
 * @timeout_ms: the longest wait for another process that holds the lock;
 *   0 tries once
 * @error: return location for a #GError
 *
 * Takes the refresh lock of @mfa_serial, shared by every botomfa process of
 * this user: an flock() on a file in $XDG_RUNTIME_DIR/botomfa/locks (the
 * user's cache directory when XDG_RUNTIME_DIR is unset), made 0600 in a
 * 0700 directory. The lock ends with session_lock_release() or with the
 * process; it is not inherited across exec. Blocks up to @timeout_ms.
 *
 * Returns: (transfer full) (nullable): the lock, or %NULL with
 *   %SESSION_CACHE_ERROR_BUSY when another process held it all along, or
 *   %SESSION_CACHE_ERROR_LOCK_FAILED
 */
SessionLock *
session_lock_acquire (const char *mfa_serial, guint timeout_ms, GError **error)
{
  g_autofree char *path = NULL;
  SessionLock *lock;
  int fd;
  int failure;

  g_return_val_if_fail (mfa_serial != NULL && *mfa_serial != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = lock_path (mfa_serial, error);
  fd = path != NULL ? lock_open (path, error) : -1;
  if (fd < 0)
    return NULL;

  failure = lock_wait (fd, timeout_ms);
  if (failure != 0) {
    close (fd);
    g_propagate_error (error, failure == EWOULDBLOCK
                                ? busy_error (mfa_serial, timeout_ms)
                                : lock_error (path, failure));
    return NULL;
  }

  lock = g_new0 (SessionLock, 1);
  lock->fd = fd;
  lock->name = g_path_get_basename (path);
  g_debug ("locked %s for %s", lock->name, mfa_serial);
  return lock;
}

/**
 * session_lock_release:
 * @lock: (nullable) (transfer full): a lock from session_lock_acquire()
 *
 * Releases and frees @lock; a process waiting for it proceeds. The lock
 * file stays, so that every process always locks the same file.
 */
void
session_lock_release (SessionLock *lock)
{
  if (lock == NULL)
    return;

  g_debug ("unlocked %s", lock->name);
  flock (lock->fd, LOCK_UN);
  close (lock->fd);
  g_free (lock->name);
  g_free (lock);
}
