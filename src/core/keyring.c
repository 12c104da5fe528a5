/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* Long-term keys in the desktop keyring, through the Secret Service
 * (libsecret). Every operation is one asynchronous chain of libsecret calls
 * (connect to the bus, open the service, search, maybe unlock, act) bounded
 * by a timer, so no state of the desktop can make it hang; the blocking
 * calls run that chain in a private main context.
 *
 * Timeouts when the caller passes 0 (and for the asynchronous calls):
 * KEYRING_DEFAULT_TIMEOUT_MS for the plain calls before and after an unlock,
 * and KEYRING_PROMPT_TIMEOUT_MS for the unlock itself, which may show a
 * prompt that a person has to answer. A timeout the caller passes bounds the
 * whole operation, prompt included. */

#define G_LOG_DOMAIN "botomfa-keyring"

#include "config.h"

#include "keyring.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEYRING_DEFAULT_TIMEOUT_MS 5000
#define KEYRING_PROMPT_TIMEOUT_MS 60000

/* An unlock prompt that comes back dismissed sooner than this was never in
 * front of a person: the service could not show it. */
#define KEYRING_HUMAN_ANSWER_US (500 * G_TIME_SPAN_MILLISECOND)

#define ATTR_PROFILE "profile"
#define ATTR_KEY_ID "access-key-id"

static const SecretSchema keyring_schema = {
  .name = "io.github.botomfa.LongTermKey",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { ATTR_PROFILE, SECRET_SCHEMA_ATTRIBUTE_STRING },
    { ATTR_KEY_ID, SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

GQuark
keyring_error_quark (void)
{
  return g_quark_from_static_string ("keyring-error-quark");
}

/**
 * keyring_error_is_unavailable:
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE when @error says the keyring cannot be used right now (no
 * bus, no Secret Service, locked, prompt dismissed, no answer in time), as
 * opposed to "no key stored" or a failure of the service; a plaintext
 * fallback may apply.
 */
gboolean
keyring_error_is_unavailable (const GError *error)
{
  if (error == NULL || error->domain != KEYRING_ERROR)
    return FALSE;

  switch ((KeyringError) error->code) {
    case KEYRING_ERROR_NO_BUS:
    case KEYRING_ERROR_NO_SERVICE:
    case KEYRING_ERROR_LOCKED:
    case KEYRING_ERROR_DISMISSED:
    case KEYRING_ERROR_TIMEOUT:
      return TRUE;
    case KEYRING_ERROR_NOT_FOUND:
    case KEYRING_ERROR_FAILED:
    default:
      return FALSE;
  }
}

/**
 * keyring_entry_free:
 * @entry: (nullable): an entry from keyring_list()
 */
void
keyring_entry_free (KeyringEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->profile);
  g_free (entry->access_key_id);
  g_free (entry);
}

typedef enum {
  OP_STORE,
  OP_LOOKUP,
  OP_DELETE,
  OP_LIST,
} OpKind;

typedef struct _KeyringOp KeyringOp;
typedef void (*OpStep) (GTask *task);

struct _KeyringOp {
  OpKind kind;
  char *profile;        /* NULL for a list */
  Credentials *key;     /* what a store stores */
  guint timeout_ms;     /* 0: the defaults */
  GCancellable *cancel; /* cancels the libsecret call in flight */
  GCancellable *caller;
  GSource *caller_watch; /* answers the caller's cancellation */
  GSource *timer;
  gboolean prompting;
  gboolean unlock_tried;
  gboolean over;
  gint64 prompt_started;
  OpStep after_unlock;
  GDBusConnection *bus;
  SecretService *service;
  SecretCollection *collection; /* a store's target, when it exists */
  GList *doomed;                /* SecretItems still to delete */
  char *keyring_label;          /* of the keyring being unlocked */
};

static const char *
op_name (const KeyringOp *op)
{
  static const char *const names[] = { "store", "lookup", "delete", "list" };

  return names[op->kind];
}

static void
drop_source (GSource **source)
{
  if (*source == NULL)
    return;

  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
op_free (gpointer data)
{
  KeyringOp *op = data;

  drop_source (&op->timer);
  drop_source (&op->caller_watch);
  g_clear_object (&op->caller);
  g_free (op->profile);
  credentials_free (op->key);
  g_clear_object (&op->cancel);
  g_clear_object (&op->bus);
  g_clear_object (&op->service);
  g_clear_object (&op->collection);
  g_list_free_full (op->doomed, g_object_unref);
  g_free (op->keyring_label);
  g_free (op);
}

/* --- Errors ------------------------------------------------------------ */

static char *
strip_detail (const GError *error)
{
  g_autoptr (GError) copy = g_error_copy (error);

  g_dbus_error_strip_remote_error (copy);
  return g_strdup (copy->message);
}

static GError *
no_bus_error (const GError *cause)
{
  g_autofree char *detail = NULL;

  if (cause == NULL)
    return g_error_new_literal (
      KEYRING_ERROR, KEYRING_ERROR_NO_BUS,
      _ ("There is no desktop session bus (DBUS_SESSION_BUS_ADDRESS is not "
         "set), so the keyring cannot be reached. Run botomfa inside your "
         "desktop session, or start a session bus with a keyring in it "
         "(for example “dbus-run-session -- bash”, then "
         "“gnome-keyring-daemon --unlock”)."));

  detail = strip_detail (cause);
  return g_error_new (KEYRING_ERROR, KEYRING_ERROR_NO_BUS,
                      _ ("Cannot connect to the desktop session bus (%s), so "
                         "the keyring cannot be reached. Run botomfa inside "
                         "your desktop session, or start a session bus with "
                         "“dbus-run-session -- bash”."),
                      detail);
}

static GError *
no_service_error (const GError *cause)
{
  g_autofree char *detail = strip_detail (cause);

  return g_error_new (
    KEYRING_ERROR, KEYRING_ERROR_NO_SERVICE,
    _ ("No keyring (Secret Service) answers on the session bus (%s). Install "
       "and start gnome-keyring (“gnome-keyring-daemon --start "
       "--components=secrets”), or enable the Secret Service integration of "
       "KeePassXC or KWallet."),
    detail);
}

static GError *
timeout_error (const KeyringOp *op, guint ms)
{
  double seconds = ms / 1000.0;

  if (op->prompting)
    return g_error_new (KEYRING_ERROR, KEYRING_ERROR_TIMEOUT,
                        _ ("The unlock prompt of the keyring “%s” was not "
                           "answered within %.1f s. Answer it on your "
                           "desktop, then try again."),
                        op->keyring_label, seconds);

  return g_error_new (KEYRING_ERROR, KEYRING_ERROR_TIMEOUT,
                      _ ("The keyring (Secret Service) did not answer within "
                         "%.1f s. Restart it (gnome-keyring, KeePassXC or "
                         "KWallet) or log in to the desktop again, then try "
                         "again."),
                      seconds);
}

static GError *
locked_error (const KeyringOp *op, gboolean dismissed)
{
  const char *label = op->keyring_label ? op->keyring_label : _ ("default");

  if (dismissed)
    return g_error_new (KEYRING_ERROR, KEYRING_ERROR_DISMISSED,
                        _ ("The keyring “%s” stays locked: its unlock prompt "
                           "was dismissed. Try again and enter the keyring's "
                           "password when asked."),
                        label);

  return g_error_new (KEYRING_ERROR, KEYRING_ERROR_LOCKED,
                      _ ("The keyring “%s” is locked and no unlock prompt "
                         "could be shown here. Unlock it in your desktop "
                         "session (for example in Passwords and Keys), then "
                         "try again."),
                      label);
}

static GError *
not_found_error (const KeyringOp *op)
{
  return g_error_new (KEYRING_ERROR, KEYRING_ERROR_NOT_FOUND,
                      _ ("No long-term key of profile “%s” is in the "
                         "keyring. Store it with “botomfa keys set "
                         "--profile %s” or “botomfa keys import --profile "
                         "%s”."),
                      op->profile, op->profile, op->profile);
}

static gboolean
is_no_service (const GError *error)
{
  if (error->domain != G_DBUS_ERROR)
    return FALSE;

  switch (error->code) {
    case G_DBUS_ERROR_SERVICE_UNKNOWN:
    case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
    case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
    case G_DBUS_ERROR_SPAWN_FORK_FAILED:
    case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
    case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
    case G_DBUS_ERROR_SPAWN_FAILED:
    case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
    case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
    case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
    case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
    case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
    case G_DBUS_ERROR_SPAWN_FILE_INVALID:
    case G_DBUS_ERROR_SPAWN_NO_MEMORY:
      return TRUE;
    default:
      return FALSE;
  }
}

static gboolean
is_timeout (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
         || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY)
         || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_TIMEOUT)
         || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_TIMED_OUT);
}

static gboolean
is_bus_gone (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED)
         || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_DISCONNECTED);
}

/* Translates what libsecret or GDBus said into a KeyringError. */
static GError *
op_translate_error (const KeyringOp *op, const GError *error)
{
  g_autofree char *detail = NULL;

  if (is_no_service (error))
    return no_service_error (error);
  if (is_timeout (error))
    return timeout_error (op, op->timeout_ms ? op->timeout_ms
                                             : KEYRING_DEFAULT_TIMEOUT_MS);
  if (is_bus_gone (error))
    return no_bus_error (error);
  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return locked_error (op, FALSE);

  detail = strip_detail (error);
  return g_error_new (KEYRING_ERROR, KEYRING_ERROR_FAILED,
                      _ ("The keyring (Secret Service) failed: %s"), detail);
}

/* --- Finishing, timer, cancellation ------------------------------------ */

static gboolean
op_finish (KeyringOp *op)
{
  if (op->over)
    return FALSE;

  op->over = TRUE;
  drop_source (&op->timer);
  drop_source (&op->caller_watch);
  return TRUE;
}

/* Takes @error. A cancellation by the caller wins over whatever the
 * interrupted call answered. */
static void
op_return_error (GTask *task, GError *error)
{
  KeyringOp *op = g_task_get_task_data (task);

  if (!op_finish (op)) {
    g_error_free (error);
    return;
  }

  if (op->caller != NULL && g_cancellable_is_cancelled (op->caller)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_clear_error (&error);
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 _ ("The keyring operation was cancelled."));
  }
  g_debug ("%s %s: %s", op_name (op), op->profile ? op->profile : "(all)",
           error->message);
  g_task_return_error (task, error);
}

/* Handles the error of a libsecret or GDBus call. */
static void
op_fail (GTask *task, const GError *error)
{
  KeyringOp *op = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    op_return_error (task, g_error_copy (error));
  else
    op_return_error (task, op_translate_error (op, error));
}

static gboolean
on_timeout (gpointer data)
{
  g_autoptr (GTask) task = g_object_ref (data);
  KeyringOp *op = g_task_get_task_data (task);
  guint ms = op->timeout_ms;
  GError *error;

  if (ms == 0)
    ms = op->prompting ? KEYRING_PROMPT_TIMEOUT_MS : KEYRING_DEFAULT_TIMEOUT_MS;
  error = timeout_error (op, ms);
  if (op_finish (op)) {
    g_debug ("%s %s: %s", op_name (op), op->profile ? op->profile : "(all)",
             error->message);
    g_task_return_error (task, error);
  } else {
    g_error_free (error);
  }
  /* Abandon the call in flight. */
  g_cancellable_cancel (op->cancel);
  return G_SOURCE_REMOVE;
}

static void
op_arm_timer (GTask *task, guint ms)
{
  KeyringOp *op = g_task_get_task_data (task);

  drop_source (&op->timer);
  op->timer = g_timeout_source_new (ms);
  g_source_set_callback (op->timer, on_timeout, g_object_ref (task),
                         g_object_unref);
  g_source_attach (op->timer, g_task_get_context (task));
}

/* With the default timeouts, each phase gets its own. */
static void
op_enter_phase (GTask *task, gboolean prompting)
{
  KeyringOp *op = g_task_get_task_data (task);

  op->prompting = prompting;
  if (op->timeout_ms == 0)
    op_arm_timer (task, prompting ? KEYRING_PROMPT_TIMEOUT_MS
                                  : KEYRING_DEFAULT_TIMEOUT_MS);
}

/* Runs in the operation's main context, whichever thread cancelled. */
static gboolean
on_caller_cancelled (GCancellable *caller, gpointer data)
{
  GTask *task = data;
  KeyringOp *op = g_task_get_task_data (task);

  op_return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                              _ ("The keyring operation was "
                                                 "cancelled.")));
  g_cancellable_cancel (op->cancel);
  return G_SOURCE_REMOVE;
}

static void
op_watch_caller (GTask *task, GCancellable *cancellable)
{
  KeyringOp *op = g_task_get_task_data (task);

  op->caller = g_object_ref (cancellable);
  op->caller_watch = g_cancellable_source_new (cancellable);
  g_source_set_callback (op->caller_watch, G_SOURCE_FUNC (on_caller_cancelled),
                         g_object_ref (task), g_object_unref);
  g_source_attach (op->caller_watch, g_task_get_context (task));
}

/* --- Keyring names and the unlock step ---------------------------------- */

static gboolean
path_is_within (const char *path, const char *parent)
{
  gsize len = strlen (parent);

  return strncmp (path, parent, len) == 0
         && (path[len] == '\0' || path[len] == '/');
}

/* ".../collection/NAME[/ITEM]" gives NAME. */
static char *
collection_name (const char *object_path)
{
  const char *name = strstr (object_path, "/collection/");
  const char *end;

  if (name == NULL)
    return g_strdup (object_path);
  name += strlen ("/collection/");
  end = strchrnul (name, '/');
  return g_strndup (name, end - name);
}

/* The label of the keyring (collection) that holds @object_path, as the
 * user sees it in Seahorse. */
static char *
op_keyring_label (KeyringOp *op, const char *object_path)
{
  GList *collections = secret_service_get_collections (op->service);
  char *label = NULL;

  for (GList *l = collections; l != NULL && label == NULL; l = l->next) {
    GDBusProxy *proxy = l->data;

    if (path_is_within (object_path, g_dbus_proxy_get_object_path (proxy)))
      label = secret_collection_get_label (l->data);
  }
  g_list_free_full (collections, g_object_unref);

  if (label == NULL || *label == '\0') {
    g_free (label);
    label = collection_name (object_path);
  }
  return label;
}

/* A dismissed prompt is a person's answer only when a display exists here
 * and the answer took a person's time; otherwise no prompt could be shown. */
static gboolean
prompt_was_answered (gint64 elapsed_us)
{
  const char *x11 = g_getenv ("DISPLAY");
  const char *wayland = g_getenv ("WAYLAND_DISPLAY");
  gboolean display = (x11 && *x11) || (wayland && *wayland);

  return display && elapsed_us >= KEYRING_HUMAN_ANSWER_US;
}

static void
on_unlocked (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  KeyringOp *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  GList *unlocked = NULL;
  gint64 elapsed = g_get_monotonic_time () - op->prompt_started;
  gboolean any;

  secret_service_unlock_finish (op->service, result, &unlocked, &error);
  any = unlocked != NULL;
  g_list_free_full (unlocked, g_object_unref);
  if (op->over)
    return;

  if (error != NULL) {
    op_fail (task, error);
  } else if (!any) {
    op_return_error (task, locked_error (op, prompt_was_answered (elapsed)));
  } else {
    g_debug ("%s %s: unlocked “%s”", op_name (op), op->profile,
             op->keyring_label);
    op_enter_phase (task, FALSE);
    op->after_unlock (task);
  }
}

/* Asks the service to unlock @objects (SecretCollection or SecretItem); it
 * shows its own prompt when it can. Then @next runs; a later step still
 * finds out when something stayed locked. */
static void
op_unlock (GTask *task, GList *objects, OpStep next)
{
  KeyringOp *op = g_task_get_task_data (task);
  const char *path = g_dbus_proxy_get_object_path (objects->data);

  g_free (op->keyring_label);
  op->keyring_label = op_keyring_label (op, path);
  op->after_unlock = next;
  op->unlock_tried = TRUE;
  op->prompt_started = g_get_monotonic_time ();
  g_debug ("%s %s: “%s” is locked; asking to unlock it", op_name (op),
           op->profile, op->keyring_label);

  /* Never cancelled: libsecret 0.20 returns a cancelled prompt twice (a
   * GLib-GIO-CRITICAL), and gnome-keyring leaves its dialog up anyway; an
   * answer after our timeout still unlocks the keyring for the next try.
   * Timeout and cancellation end the operation without waiting. */
  op_enter_phase (task, TRUE);
  secret_service_unlock (op->service, objects, NULL, on_unlocked,
                         g_object_ref (task));
}

/* --- Searching and deleting --------------------------------------------- */

static GHashTable *
op_attributes (const KeyringOp *op, const char *key_id)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  if (op->profile != NULL)
    g_hash_table_insert (attributes, ATTR_PROFILE, op->profile);
  if (key_id != NULL)
    g_hash_table_insert (attributes, ATTR_KEY_ID, (char *) key_id);
  return attributes;
}

static void
op_search (GTask *task, SecretSearchFlags flags, GAsyncReadyCallback done)
{
  KeyringOp *op = g_task_get_task_data (task);
  g_autoptr (GHashTable) attributes = op_attributes (op, NULL);

  secret_service_search (op->service, &keyring_schema, attributes,
                         flags | SECRET_SEARCH_ALL, op->cancel, done,
                         g_object_ref (task));
}

static GList *
locked_items (GList *items)
{
  GList *locked = NULL;

  for (GList *l = items; l != NULL; l = l->next) {
    if (secret_item_get_locked (l->data))
      locked = g_list_prepend (locked, l->data);
  }
  return g_list_reverse (locked);
}

static void delete_next (GTask *task);

static void
on_deleted (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  KeyringOp *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  secret_item_delete_finish (SECRET_ITEM (source), result, &error);
  if (op->over)
    return;

  if (error != NULL)
    op_fail (task, error);
  else
    delete_next (task);
}

/* Deletes op->doomed one by one; then the operation succeeded. */
static void
delete_next (GTask *task)
{
  KeyringOp *op = g_task_get_task_data (task);
  g_autoptr (SecretItem) item = NULL;

  if (op->doomed == NULL) {
    if (op_finish (op)) {
      g_debug ("%s %s: done", op_name (op), op->profile);
      g_task_return_boolean (task, TRUE);
    }
    return;
  }

  item = op->doomed->data;
  op->doomed = g_list_delete_link (op->doomed, op->doomed);
  g_debug ("%s %s: deleting %s", op_name (op), op->profile,
           g_dbus_proxy_get_object_path (G_DBUS_PROXY (item)));
  secret_item_delete (item, op->cancel, on_deleted, g_object_ref (task));
}

static void
on_delete_searched (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  KeyringOp *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  GList *items = secret_service_search_finish (op->service, result, &error);
  g_autoptr (GList) locked = locked_items (items);

  op->doomed = items;
  if (op->over)
    return;

  if (error != NULL)
    op_fail (task, error);
  else if (items == NULL)
    op_return_error (task, not_found_error (op));
  else if (locked != NULL)
    op_unlock (task, locked, delete_next);
  else
    delete_next (task);
}

/* --- Lookup ------------------------------------------------------------- */

static SecretItem *
item_with_secret (GList *items)
{
  for (GList *l = items; l != NULL; l = l->next) {
    g_autoptr (SecretValue) value = secret_item_get_secret (l->data);

    if (value != NULL)
      return l->data;
  }
  return NULL;
}

/* Copies the key out of @item into wiped-on-free Credentials. */
static Credentials *
credentials_from_item (SecretItem *item, GError **error)
{
  g_autoptr (GHashTable) attributes = secret_item_get_attributes (item);
  g_autoptr (SecretValue) value = secret_item_get_secret (item);
  const char *key_id = g_hash_table_lookup (attributes, ATTR_KEY_ID);
  const char *secret = secret_value_get_text (value);
  g_autofree char *label = NULL;

  if (key_id == NULL || *key_id == '\0' || secret == NULL || *secret == '\0') {
    label = secret_item_get_label (item);
    g_set_error (error, KEYRING_ERROR, KEYRING_ERROR_FAILED,
                 _ ("The keyring item “%s” does not hold an access key id "
                    "and a text secret. Delete it and store the key again."),
                 label);
    return NULL;
  }

  return credentials_new (key_id, secret, NULL, NULL);
}

static void
lookup_return (GTask *task, SecretItem *item)
{
  KeyringOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  Credentials *key = credentials_from_item (item, &error);

  if (key == NULL) {
    op_return_error (task, error);
    return;
  }
  if (!op_finish (op)) {
    credentials_free (key);
    return;
  }
  g_debug ("lookup %s: found %s", op->profile, key->access_key_id);
  g_task_return_pointer (task, key, (GDestroyNotify) credentials_free);
}

static void on_lookup_searched (GObject *source, GAsyncResult *result,
                                gpointer data);

static void
lookup_search (GTask *task)
{
  op_search (task, SECRET_SEARCH_LOAD_SECRETS, on_lookup_searched);
}

/* An item whose secret did not come with the search is locked. */
static void
lookup_examine (GTask *task, GList *items)
{
  KeyringOp *op = g_task_get_task_data (task);
  SecretItem *item = item_with_secret (items);
  g_autoptr (GList) locked = NULL;

  if (item != NULL) {
    lookup_return (task, item);
    return;
  }

  locked = locked_items (items);
  if (locked != NULL && !op->unlock_tried) {
    op_unlock (task, locked, lookup_search);
  } else if (locked != NULL) {
    op_return_error (task, locked_error (op, FALSE));
  } else {
    op_return_error (
      task, g_error_new (KEYRING_ERROR, KEYRING_ERROR_FAILED,
                         _ ("The keyring gave no secret for the key of "
                            "profile “%s”. Delete it and store it again."),
                         op->profile));
  }
}

static void
on_lookup_searched (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  KeyringOp *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  GList *items = secret_service_search_finish (op->service, result, &error);

  if (error != NULL)
    op_fail (task, error);
  else if (items == NULL)
    op_return_error (task, not_found_error (op));
  else if (!op->over)
    lookup_examine (task, items);

  g_list_free_full (items, g_object_unref);
}

/* --- Store -------------------------------------------------------------- */

static void
on_stored (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  KeyringOp *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  secret_service_store_finish (op->service, result, &error);
  if (op->over)
    return;

  if (error != NULL) {
    op_fail (task, error);
    return;
  }
  g_debug ("store %s: stored %s", op->profile, op->key->access_key_id);
  delete_next (task);
}

static void
store_write (GTask *task)
{
  KeyringOp *op = g_task_get_task_data (task);
  g_autoptr (GHashTable) attributes =
    op_attributes (op, op->key->access_key_id);
  g_autoptr (SecretValue) value = NULL;
  g_autofree char *label = NULL;
  const char *collection = SECRET_COLLECTION_DEFAULT;

  if (op->collection != NULL)
    collection = g_dbus_proxy_get_object_path (G_DBUS_PROXY (op->collection));
  /* TRANSLATORS: the label of the item in the keyring (Seahorse); the
   * second %s is the access key id, e.g. AKIAIOSFODNN7EXAMPLE. */
  label = g_strdup_printf (_ ("AWS long-term key for profile %s (%s)"),
                           op->profile, op->key->access_key_id);
  value = secret_value_new (op->key->secret_access_key, -1, "text/plain");

  secret_service_store (op->service, &keyring_schema, attributes, collection,
                        label, value, op->cancel, on_stored,
                        g_object_ref (task));
}

/* The item a store replaces in place has the same key id and sits in the
 * target keyring; every other item of the profile is deleted after the
 * store, so that exactly one remains. */
static gboolean
store_replaces (const KeyringOp *op, SecretItem *item)
{
  g_autoptr (GHashTable) attributes = secret_item_get_attributes (item);
  const char *key_id = g_hash_table_lookup (attributes, ATTR_KEY_ID);
  const char *path = g_dbus_proxy_get_object_path (G_DBUS_PROXY (item));

  return op->collection != NULL
         && g_strcmp0 (key_id, op->key->access_key_id) == 0
         && path_is_within (
           path, g_dbus_proxy_get_object_path (G_DBUS_PROXY (op->collection)));
}

static void
on_store_searched (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  KeyringOp *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  GList *items = secret_service_search_finish (op->service, result, &error);
  g_autoptr (GList) locked = NULL;

  for (GList *l = items; l != NULL; l = l->next) {
    if (!store_replaces (op, l->data))
      op->doomed = g_list_prepend (op->doomed, g_object_ref (l->data));
  }
  g_list_free_full (items, g_object_unref);
  if (op->over)
    return;
  if (error != NULL) {
    op_fail (task, error);
    return;
  }

  locked = locked_items (op->doomed);
  if (op->collection != NULL && secret_collection_get_locked (op->collection))
    locked = g_list_prepend (locked, op->collection);
  if (locked != NULL)
    op_unlock (task, locked, store_write);
  else
    store_write (task);
}

static void
on_store_collection (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  KeyringOp *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  op->collection = secret_collection_for_alias_finish (result, &error);
  if (op->over)
    return;
  if (error != NULL) {
    op_fail (task, error);
    return;
  }

  /* Without a default keyring yet, the service creates one when storing. */
  if (op->collection != NULL)
    op->keyring_label = op_keyring_label (
      op, g_dbus_proxy_get_object_path (G_DBUS_PROXY (op->collection)));
  op_search (task, SECRET_SEARCH_NONE, on_store_searched);
}

/* --- List --------------------------------------------------------------- */

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  const KeyringEntry *x = *(KeyringEntry *const *) a;
  const KeyringEntry *y = *(KeyringEntry *const *) b;
  int order = g_strcmp0 (x->profile, y->profile);

  return order != 0 ? order : g_strcmp0 (x->access_key_id, y->access_key_id);
}

static GPtrArray *
entries_from_items (GList *items)
{
  GPtrArray *entries =
    g_ptr_array_new_with_free_func ((GDestroyNotify) keyring_entry_free);

  for (GList *l = items; l != NULL; l = l->next) {
    g_autoptr (GHashTable) attributes = secret_item_get_attributes (l->data);
    const char *profile = g_hash_table_lookup (attributes, ATTR_PROFILE);
    const char *key_id = g_hash_table_lookup (attributes, ATTR_KEY_ID);
    KeyringEntry *entry;

    if (profile == NULL || key_id == NULL)
      continue;
    entry = g_new0 (KeyringEntry, 1);
    entry->profile = g_strdup (profile);
    entry->access_key_id = g_strdup (key_id);
    g_ptr_array_add (entries, entry);
  }
  g_ptr_array_sort (entries, compare_entries);
  return entries;
}

static void
on_listed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  KeyringOp *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  GList *items = secret_service_search_finish (op->service, result, &error);
  GPtrArray *entries = entries_from_items (items);

  g_list_free_full (items, g_object_unref);
  if (error != NULL) {
    op_fail (task, error);
    g_ptr_array_unref (entries);
  } else if (op_finish (op)) {
    g_debug ("list: %u key(s)", entries->len);
    g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
  } else {
    g_ptr_array_unref (entries);
  }
}

/* --- The start of every operation --------------------------------------- */

static void
on_service (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  KeyringOp *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  op->service = secret_service_open_finish (result, &error);
  if (op->over)
    return;
  if (error != NULL) {
    op_fail (task, error);
    return;
  }

  switch (op->kind) {
    case OP_STORE:
      secret_collection_for_alias (op->service, SECRET_COLLECTION_DEFAULT,
                                   SECRET_COLLECTION_NONE, op->cancel,
                                   on_store_collection, g_object_ref (task));
      break;
    case OP_LOOKUP:
      lookup_search (task);
      break;
    case OP_DELETE:
      op_search (task, SECRET_SEARCH_NONE, on_delete_searched);
      break;
    case OP_LIST:
      op_search (task, SECRET_SEARCH_NONE, on_listed);
      break;
  }
}

static void
on_bus (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  KeyringOp *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  SecretServiceFlags flags = SECRET_SERVICE_NONE;

  op->bus = g_bus_get_finish (result, &error);
  if (op->over)
    return;
  if (error != NULL) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      op_fail (task, error);
    else
      op_return_error (task, no_bus_error (error));
    return;
  }

  /* Secrets travel encrypted in a session; lists carry no secret. */
  if (op->kind != OP_LIST)
    flags = SECRET_SERVICE_OPEN_SESSION | SECRET_SERVICE_LOAD_COLLECTIONS;
  secret_service_open (SECRET_TYPE_SERVICE, NULL, flags, op->cancel, on_service,
                       g_object_ref (task));
}

/* Without an address GDBus would try X11 autolaunch (dbus-launch), which can
 * be slow and would start a bus that holds no unlocked keyring anyway. Like
 * GDBus, accept our own socket "bus" in the user runtime directory. */
static gboolean
session_bus_configured (void)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  g_autofree char *socket = NULL;
  GStatBuf st;

  if (address != NULL && *address != '\0')
    return TRUE;

  socket = g_build_filename (g_get_user_runtime_dir (), "bus", NULL);
  return g_stat (socket, &st) == 0 && st.st_uid == geteuid ()
         && S_ISSOCK (st.st_mode);
}

static KeyringOp *
op_new (OpKind kind, const char *profile, guint timeout_ms)
{
  KeyringOp *op = g_new0 (KeyringOp, 1);

  op->kind = kind;
  op->profile = g_strdup (profile);
  op->timeout_ms = timeout_ms;
  op->cancel = g_cancellable_new ();
  return op;
}

static void
op_start (KeyringOp *op, GCancellable *cancellable, gpointer source_tag,
          GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, op_free);
  g_debug ("%s %s: start", op_name (op), op->profile ? op->profile : "(all)");

  if (cancellable != NULL)
    op_watch_caller (task, cancellable);
  if (!session_bus_configured ()) {
    op_return_error (task, no_bus_error (NULL));
    return;
  }

  op_arm_timer (task,
                op->timeout_ms ? op->timeout_ms : KEYRING_DEFAULT_TIMEOUT_MS);
  g_bus_get (G_BUS_TYPE_SESSION, op->cancel, on_bus, g_object_ref (task));
}

/* --- Public calls ------------------------------------------------------- */

static void
on_sync_done (GObject *source, GAsyncResult *result, gpointer data)
{
  GAsyncResult **slot = data;

  *slot = g_object_ref (result);
}

/* Runs @op in a private main context until it has an answer; the timer of
 * the operation bounds the wait. */
static GTask *
op_run_sync (KeyringOp *op, GCancellable *cancellable, gpointer source_tag)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  GAsyncResult *result = NULL;

  g_main_context_push_thread_default (context);
  op_start (op, cancellable, source_tag, on_sync_done, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  /* Let calls that have finished release what they hold. */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);

  return G_TASK (result);
}

static KeyringOp *
store_op_new (const char *profile, const Credentials *long_term,
              guint timeout_ms)
{
  KeyringOp *op = op_new (OP_STORE, profile, timeout_ms);

  op->key = credentials_new (long_term->access_key_id,
                             long_term->secret_access_key, NULL, NULL);
  return op;
}

/**
 * keyring_store:
 * @profile: the profile the key belongs to
 * @long_term: the long-term key (its session token, if any, is not stored)
 * @timeout_ms: the longest wait for the Secret Service, unlock prompt
 *   included; 0 for the defaults (5 s for the service, 60 s for a prompt)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Stores @long_term as the key of @profile in the default keyring,
 * replacing whatever key the profile had there: afterwards exactly one
 * item belongs to @profile. A locked keyring is unlocked first (the Secret
 * Service shows its prompt when it can). Blocks.
 *
 * Returns: %TRUE on success; on failure a #KEYRING_ERROR, or
 *   %G_IO_ERROR_CANCELLED when @cancellable was cancelled
 */
gboolean
keyring_store (const char *profile, const Credentials *long_term,
               guint timeout_ms, GCancellable *cancellable, GError **error)
{
  g_autoptr (GTask) task = NULL;

  g_return_val_if_fail (profile != NULL && *profile != '\0', FALSE);
  g_return_val_if_fail (long_term != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  task = op_run_sync (store_op_new (profile, long_term, timeout_ms),
                      cancellable, keyring_store);
  return g_task_propagate_boolean (task, error);
}

/**
 * keyring_lookup:
 * @profile: the profile
 * @timeout_ms: as for keyring_store()
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the long-term key of @profile. A locked item is found and unlocked
 * (the Secret Service shows its prompt when it can); if it stays locked the
 * error is %KEYRING_ERROR_LOCKED or %KEYRING_ERROR_DISMISSED, never
 * %KEYRING_ERROR_NOT_FOUND, which means no item exists. Blocks.
 *
 * Returns: (transfer full) (nullable): the key (no session token, no
 *   expiration; wiped by credentials_free()), or %NULL with @error set
 */
Credentials *
keyring_lookup (const char *profile, guint timeout_ms,
                GCancellable *cancellable, GError **error)
{
  g_autoptr (GTask) task = NULL;

  g_return_val_if_fail (profile != NULL && *profile != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  task = op_run_sync (op_new (OP_LOOKUP, profile, timeout_ms), cancellable,
                      keyring_lookup);
  return g_task_propagate_pointer (task, error);
}

/**
 * keyring_delete:
 * @profile: the profile
 * @timeout_ms: as for keyring_store()
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes every keyring item of @profile, unlocking them first if needed.
 * Blocks.
 *
 * Returns: %TRUE when something was deleted; %FALSE with
 *   %KEYRING_ERROR_NOT_FOUND when @profile had no item, or another error
 */
gboolean
keyring_delete (const char *profile, guint timeout_ms,
                GCancellable *cancellable, GError **error)
{
  g_autoptr (GTask) task = NULL;

  g_return_val_if_fail (profile != NULL && *profile != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  task = op_run_sync (op_new (OP_DELETE, profile, timeout_ms), cancellable,
                      keyring_delete);
  return g_task_propagate_boolean (task, error);
}

/**
 * keyring_list:
 * @timeout_ms: as for keyring_store()
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists the long-term keys botomfa stored, by profile and access key id,
 * sorted by profile. Never reads a secret, so locked items are listed too
 * and no prompt is shown. Blocks.
 *
 * Returns: (transfer full) (element-type KeyringEntry) (nullable): the
 *   entries (possibly none), or %NULL with @error set
 */
GPtrArray *
keyring_list (guint timeout_ms, GCancellable *cancellable, GError **error)
{
  g_autoptr (GTask) task = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  task =
    op_run_sync (op_new (OP_LIST, NULL, timeout_ms), cancellable, keyring_list);
  return g_task_propagate_pointer (task, error);
}

/**
 * keyring_store_async:
 * @profile: the profile the key belongs to
 * @long_term: the long-term key (copied at once)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the thread-default main context of the caller
 * @user_data: for @callback
 *
 * keyring_store() without blocking, with the default timeouts.
 */
void
keyring_store_async (const char *profile, const Credentials *long_term,
                     GCancellable *cancellable, GAsyncReadyCallback callback,
                     gpointer user_data)
{
  g_return_if_fail (profile != NULL && *profile != '\0');
  g_return_if_fail (long_term != NULL);

  op_start (store_op_new (profile, long_term, 0), cancellable,
            keyring_store_async, callback, user_data);
}

/**
 * keyring_store_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: as keyring_store()
 */
gboolean
keyring_store_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (
    g_task_get_source_tag (G_TASK (result)) == keyring_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * keyring_lookup_async:
 * @profile: the profile
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the thread-default main context of the caller
 * @user_data: for @callback
 *
 * keyring_lookup() without blocking, with the default timeouts.
 */
void
keyring_lookup_async (const char *profile, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (profile != NULL && *profile != '\0');

  op_start (op_new (OP_LOOKUP, profile, 0), cancellable, keyring_lookup_async,
            callback, user_data);
}

/**
 * keyring_lookup_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): as keyring_lookup()
 */
Credentials *
keyring_lookup_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (
    g_task_get_source_tag (G_TASK (result)) == keyring_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- For other modules of the Secret Service ---------------------------- */

/**
 * keyring_check_bus:
 * @error: return location for a #GError
 *
 * Checks, without connecting, that a session bus is configured, so that the
 * caller never waits for GDBus's X11 autolaunch. Does not block.
 *
 * Returns: %TRUE when a session bus is configured; otherwise %FALSE with
 *   %KEYRING_ERROR_NO_BUS
 */
gboolean
keyring_check_bus (GError **error)
{
  if (session_bus_configured ())
    return TRUE;

  g_propagate_error (error, no_bus_error (NULL));
  return FALSE;
}

/**
 * keyring_error_new_no_bus:
 * @cause: (nullable): why g_bus_get() failed, or %NULL when no bus is
 *   configured
 *
 * Returns: (transfer full): a %KEYRING_ERROR_NO_BUS error
 */
GError *
keyring_error_new_no_bus (const GError *cause)
{
  return no_bus_error (cause);
}

/**
 * keyring_error_new_timeout:
 * @timeout_ms: how long the Secret Service was waited for; 0 for the
 *   default
 *
 * Returns: (transfer full): a %KEYRING_ERROR_TIMEOUT error (no prompt)
 */
GError *
keyring_error_new_timeout (guint timeout_ms)
{
  KeyringOp op = { .kind = OP_LOOKUP, .timeout_ms = timeout_ms };

  return timeout_error (&op,
                        timeout_ms ? timeout_ms : KEYRING_DEFAULT_TIMEOUT_MS);
}

/**
 * keyring_error_translate:
 * @error: what libsecret or GDBus answered (not a cancellation)
 * @timeout_ms: the timeout of the call, for the message; 0 for the default
 *
 * Returns: (transfer full): the #KEYRING_ERROR for @error, with a message a
 *   user can act on
 */
GError *
keyring_error_translate (const GError *error, guint timeout_ms)
{
  KeyringOp op = { .kind = OP_LOOKUP, .timeout_ms = timeout_ms };

  g_return_val_if_fail (error != NULL, NULL);

  return op_translate_error (&op, error);
}
