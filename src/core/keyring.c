/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* Long-term keys in the desktop keyring, through the Secret Service
 * (libsecret). Every operation is one asynchronous chain of libsecret calls
 * (connect to the bus, open the service, search, maybe unlock, act) bounded
 * by a timer, so no state of the desktop can make it hang; the blocking
 * calls run that chain in a private main context. The chain up to the open
 * service, its timer, its errors and its blocking form are shared with
 * session-cache.c (secret-service.c); the steps after it are here.
 *
 * Timeouts when the caller passes 0 (and for the asynchronous calls):
 * SECRET_SERVICE_CALL_DEFAULT_TIMEOUT_MS for the plain calls before and
 * after an unlock,
 * and KEYRING_PROMPT_TIMEOUT_MS for the unlock itself, which may show a
 * prompt that a person has to answer. A timeout the caller passes bounds the
 * whole operation, prompt included. */

#define G_LOG_DOMAIN "botomfa-keyring"

#include "config.h"

#include "keyring.h"

#include "secret-service-private.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

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

typedef struct {
  SecretServiceCall call; /* first: the task data is both */
  OpKind kind;
  char *profile;    /* NULL for a list */
  Credentials *key; /* what a store stores */
  gboolean unlock_tried;
  gint64 prompt_started;
  SecretServiceCallStep after_unlock;
} KeyringOp;

static void
op_free (gpointer data)
{
  KeyringOp *op = data;

  secret_service_call_clear (&op->call);
  g_free (op->profile);
  credentials_free (op->key);
  g_free (op);
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

/* With the default timeouts, each phase gets its own. */
static void
op_enter_phase (GTask *task, gboolean prompting)
{
  KeyringOp *op = g_task_get_task_data (task);

  op->call.prompting = prompting;
  if (op->call.timeout_ms == 0)
    secret_service_call_arm_timer (
      task, prompting ? KEYRING_PROMPT_TIMEOUT_MS
                      : SECRET_SERVICE_CALL_DEFAULT_TIMEOUT_MS);
}

/* --- Keyring names and the unlock step ---------------------------------- */

static gboolean
path_is_within (const char *path, const char *parent)
{
  gsize len = strlen (parent);

  return strncmp (path, parent, len) == 0
         && (path[len] == '\0' || path[len] == '/');
}

/* ".../collection/NAME[/ITEM]" gives ".../collection/NAME". */
static char *
collection_path (const char *object_path)
{
  const char *name = strstr (object_path, "/collection/");

  if (name == NULL)
    return g_strdup (object_path);
  name += strlen ("/collection/");
  return g_strndup (object_path, strchrnul (name, '/') - object_path);
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

/* @label (taken) when there is one, as the user sees it in Seahorse;
 * otherwise the NAME of the keyring that holds @object_path. */
static char *
label_or_name (char *label, const char *object_path)
{
  if (label != NULL && *label != '\0')
    return label;

  g_free (label);
  return collection_name (object_path);
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

  secret_service_unlock_finish (SECRET_SERVICE (source), result, &unlocked,
                                &error);
  any = unlocked != NULL;
  g_list_free_full (unlocked, g_object_unref);
  if (!secret_service_call_goes_on (task, error))
    return;

  g_list_free_full (g_steal_pointer (&op->call.unlocking), g_object_unref);
  if (!any) {
    secret_service_call_return_error (
      task, secret_service_call_locked_error (&op->call,
                                              prompt_was_answered (elapsed)));
    return;
  }
  secret_service_call_debug (&op->call, "unlocked “%s”",
                             op->call.keyring_label);
  op_enter_phase (task, FALSE);
  op->after_unlock (task);
}

/* Asks the service to unlock op->call.unlocking; it shows its own prompt
 * when it can. */
static void
op_prompt (GTask *task)
{
  KeyringOp *op = g_task_get_task_data (task);

  secret_service_call_debug (&op->call, "“%s” is locked; asking to unlock it",
                             op->call.keyring_label);
  op->prompt_started = g_get_monotonic_time ();

  /* Never cancelled: libsecret 0.20 returns a cancelled prompt twice (a
   * GLib-GIO-CRITICAL), and gnome-keyring leaves its dialog up anyway; an
   * answer after our timeout still unlocks the keyring for the next try.
   * Timeout and cancellation end the operation without waiting. */
  op_enter_phase (task, TRUE);
  secret_service_unlock (op->call.service, op->call.unlocking, NULL,
                         on_unlocked, g_object_ref (task));
}

/* The label is only for the messages: without it the name will do. */
static void
on_label (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  KeyringOp *op = g_task_get_task_data (task);
  g_autoptr (GVariant) reply =
    g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);
  g_autoptr (GVariant) label = NULL;
  char *text = NULL;

  if (op->call.over)
    return;

  if (reply != NULL)
    g_variant_get (reply, "(v)", &label);
  if (label != NULL && g_variant_is_of_type (label, G_VARIANT_TYPE_STRING))
    text = g_variant_dup_string (label, NULL);
  g_free (op->call.keyring_label);
  op->call.keyring_label = label_or_name (
    text, g_dbus_proxy_get_object_path (op->call.unlocking->data));
  op_prompt (task);
}

/* Asks for the Label property of the keyring (collection) that holds
 * @object_path. */
static void
op_read_label (GTask *task, const char *object_path)
{
  KeyringOp *op = g_task_get_task_data (task);
  GDBusProxy *service = G_DBUS_PROXY (op->call.service);
  g_autofree char *keyring = collection_path (object_path);

  g_dbus_connection_call (
    g_dbus_proxy_get_connection (service), g_dbus_proxy_get_name (service),
    keyring, "org.freedesktop.DBus.Properties", "Get",
    g_variant_new ("(ss)", "org.freedesktop.Secret.Collection", "Label"),
    G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, op->call.cancel,
    on_label, g_object_ref (task));
}

/* Unlocks @objects (SecretCollection or SecretItem), then @next runs; a
 * later step still finds out when something stayed locked. First reads the
 * label of the keyring that holds the first of them, for the messages: the
 * service loads no collection to take it from, because a loaded collection
 * goes on loading its items for the service after the service is gone (a
 * critical) when the blocking calls release them in their main context. */
static void
op_unlock (GTask *task, GList *objects, SecretServiceCallStep next)
{
  KeyringOp *op = g_task_get_task_data (task);

  op->after_unlock = next;
  op->unlock_tried = TRUE;
  for (GList *l = g_list_last (objects); l != NULL; l = l->prev)
    op->call.unlocking =
      g_list_prepend (op->call.unlocking, g_object_ref (l->data));
  op_read_label (task, g_dbus_proxy_get_object_path (objects->data));
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
op_search (GTask *task, SecretSearchFlags flags,
           SecretServiceCallSearched searched)
{
  KeyringOp *op = g_task_get_task_data (task);
  g_autoptr (GHashTable) attributes = op_attributes (op, NULL);

  secret_service_call_search (task, &keyring_schema, attributes, flags,
                              searched);
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

static void
delete_searched (GTask *task, GList *items)
{
  KeyringOp *op = g_task_get_task_data (task);
  g_autoptr (GList) locked = locked_items (items);

  if (items == NULL) {
    secret_service_call_return_error (task, not_found_error (op));
    return;
  }

  secret_service_call_doom_all (&op->call, items);
  if (locked != NULL)
    op_unlock (task, locked, secret_service_call_delete_doomed);
  else
    secret_service_call_delete_doomed (task);
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
    secret_service_call_return_error (task, error);
    return;
  }
  if (!secret_service_call_end (&op->call)) {
    credentials_free (key);
    return;
  }
  secret_service_call_debug (&op->call, "found %s", key->access_key_id);
  g_task_return_pointer (task, key, (GDestroyNotify) credentials_free);
}

static void lookup_searched (GTask *task, GList *items);

static void
lookup_search (GTask *task)
{
  op_search (task, SECRET_SEARCH_LOAD_SECRETS, lookup_searched);
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
    secret_service_call_return_error (
      task, secret_service_call_locked_error (&op->call, FALSE));
  } else {
    secret_service_call_return_error (
      task, g_error_new (KEYRING_ERROR, KEYRING_ERROR_FAILED,
                         _ ("The keyring gave no secret for the key of "
                            "profile “%s”. Delete it and store it again."),
                         op->profile));
  }
}

static void
lookup_searched (GTask *task, GList *items)
{
  KeyringOp *op = g_task_get_task_data (task);

  if (items == NULL)
    secret_service_call_return_error (task, not_found_error (op));
  else
    lookup_examine (task, items);
}

/* --- Store -------------------------------------------------------------- */

/* The item is stored; the profile's other items go. */
static void
store_done (GTask *task)
{
  KeyringOp *op = g_task_get_task_data (task);

  secret_service_call_debug (&op->call, "stored %s", op->key->access_key_id);
  secret_service_call_delete_doomed (task);
}

static void
store_write (GTask *task)
{
  KeyringOp *op = g_task_get_task_data (task);
  g_autoptr (GHashTable) attributes =
    op_attributes (op, op->key->access_key_id);
  g_autoptr (SecretValue) value = NULL;
  g_autofree char *label = NULL;

  /* TRANSLATORS: the label of the item in the keyring (Seahorse); the
   * second %s is the access key id, e.g. AKIAIOSFODNN7EXAMPLE. */
  label = g_strdup_printf (_ ("AWS long-term key for profile %s (%s)"),
                           op->profile, op->key->access_key_id);
  value = secret_value_new (op->key->secret_access_key, -1, "text/plain");

  secret_service_call_store (task, &keyring_schema, attributes, label, value,
                             store_done);
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
  SecretCollection *target = op->call.collection;

  return target != NULL && g_strcmp0 (key_id, op->key->access_key_id) == 0
         && path_is_within (
           path, g_dbus_proxy_get_object_path (G_DBUS_PROXY (target)));
}

/* Dooms the items that the store does not replace, then unlocks what is
 * locked among them and the target keyring before writing. */
static void
store_prepare (GTask *task, GList *items)
{
  KeyringOp *op = g_task_get_task_data (task);
  SecretCollection *target = op->call.collection;
  g_autoptr (GList) locked = NULL;

  for (GList *l = items; l != NULL; l = l->next) {
    if (!store_replaces (op, l->data))
      secret_service_call_doom (&op->call, l->data);
  }

  locked = locked_items (op->call.doomed);
  if (target != NULL && secret_collection_get_locked (target))
    locked = g_list_prepend (locked, target);
  if (locked != NULL)
    op_unlock (task, locked, store_write);
  else
    store_write (task);
}

/* Without a default keyring yet, the service creates one when storing. */
static void
store_found_collection (GTask *task)
{
  KeyringOp *op = g_task_get_task_data (task);
  SecretCollection *target = op->call.collection;

  if (target != NULL)
    op->call.keyring_label =
      label_or_name (secret_collection_get_label (target),
                     g_dbus_proxy_get_object_path (G_DBUS_PROXY (target)));
  op_search (task, SECRET_SEARCH_NONE, store_prepare);
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
list_searched (GTask *task, GList *items)
{
  KeyringOp *op = g_task_get_task_data (task);
  GPtrArray *entries = entries_from_items (items);

  secret_service_call_end (&op->call);
  g_debug ("list: %u key(s)", entries->len);
  g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

/* --- The operation after the open service ------------------------------- */

static void
op_begin (GTask *task)
{
  KeyringOp *op = g_task_get_task_data (task);

  switch (op->kind) {
    case OP_STORE:
      secret_service_call_find_collection (task, SECRET_COLLECTION_DEFAULT,
                                           store_found_collection);
      break;
    case OP_LOOKUP:
      lookup_search (task);
      break;
    case OP_DELETE:
      op_search (task, SECRET_SEARCH_NONE, delete_searched);
      break;
    case OP_LIST:
      op_search (task, SECRET_SEARCH_NONE, list_searched);
      break;
  }
}

/* A store or a delete deleted what it had to. */
static void
op_return_true (GTask *task)
{
  g_task_return_boolean (task, TRUE);
}

static const SecretServiceCallClass keyring_call_class = {
  .log_domain = G_LOG_DOMAIN,
  .start = op_begin,
  .succeed = op_return_true,
  .free = op_free,
};

static SecretServiceCall *
op_new (OpKind kind, const char *profile, guint timeout_ms)
{
  static const char *const names[] = { "store", "lookup", "delete", "list" };
  KeyringOp *op = g_new0 (KeyringOp, 1);

  secret_service_call_init (&op->call, &keyring_call_class, names[kind],
                            profile, timeout_ms);
  op->kind = kind;
  op->profile = g_strdup (profile);
  /* Secrets travel encrypted in a session; lists carry no secret. No
   * collection is loaded (see op_unlock()). */
  if (kind != OP_LIST)
    op->call.service_flags = SECRET_SERVICE_OPEN_SESSION;
  return &op->call;
}

static SecretServiceCall *
store_op_new (const char *profile, const Credentials *long_term,
              guint timeout_ms)
{
  SecretServiceCall *call = op_new (OP_STORE, profile, timeout_ms);
  KeyringOp *op = (KeyringOp *) call;

  op->key = credentials_new (long_term->access_key_id,
                             long_term->secret_access_key, NULL, NULL);
  return call;
}

/* --- Public calls ------------------------------------------------------- */

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
  g_return_val_if_fail (profile != NULL && *profile != '\0', FALSE);
  g_return_val_if_fail (long_term != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return secret_service_call_run_boolean (
    store_op_new (profile, long_term, timeout_ms), cancellable, keyring_store,
    error);
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
  g_return_val_if_fail (profile != NULL && *profile != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return secret_service_call_run_pointer (
    op_new (OP_LOOKUP, profile, timeout_ms), cancellable, keyring_lookup,
    error);
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
  g_return_val_if_fail (profile != NULL && *profile != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return secret_service_call_run_boolean (
    op_new (OP_DELETE, profile, timeout_ms), cancellable, keyring_delete,
    error);
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
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return secret_service_call_run_pointer (op_new (OP_LIST, NULL, timeout_ms),
                                          cancellable, keyring_list, error);
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

  secret_service_call_start (store_op_new (profile, long_term, 0), cancellable,
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
  return secret_service_call_propagate_boolean (result, keyring_store_async,
                                                error);
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

  secret_service_call_start (op_new (OP_LOOKUP, profile, 0), cancellable,
                             keyring_lookup_async, callback, user_data);
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
  return secret_service_call_propagate_pointer (result, keyring_lookup_async,
                                                error);
}
