/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The chain of libsecret calls that keyring.c and session-cache.c share;
 * see secret-service-private.h. Its debug messages go to the log domain of
 * the module that made the call. */

#define G_LOG_DOMAIN "botomfa-keyring"

#include "config.h"

#include "secret-service-private.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- Errors ------------------------------------------------------------ */

static char *
strip_detail (const GError *error)
{
  g_autoptr (GError) copy = g_error_copy (error);

  g_dbus_error_strip_remote_error (copy);
  return g_strdup (copy->message);
}

/* @cause is why g_bus_get() failed, or NULL when no bus is configured. */
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
timeout_error (const SecretServiceCall *call, guint ms)
{
  double seconds = ms / 1000.0;

  if (call->prompting)
    return g_error_new (KEYRING_ERROR, KEYRING_ERROR_TIMEOUT,
                        _ ("The unlock prompt of the keyring “%s” was not "
                           "answered within %.1f s. Answer it on your "
                           "desktop, then try again."),
                        call->keyring_label, seconds);

  return g_error_new (KEYRING_ERROR, KEYRING_ERROR_TIMEOUT,
                      _ ("The keyring (Secret Service) did not answer within "
                         "%.1f s. Restart it (gnome-keyring, KeePassXC or "
                         "KWallet) or log in to the desktop again, then try "
                         "again."),
                      seconds);
}

/**
 * secret_service_call_locked_error:
 * @call: the call
 * @dismissed: whether a person dismissed the unlock prompt
 *
 * Returns: (transfer full): %KEYRING_ERROR_DISMISSED or
 *   %KEYRING_ERROR_LOCKED, naming call->keyring_label ("default" when unset)
 */
GError *
secret_service_call_locked_error (const SecretServiceCall *call,
                                  gboolean dismissed)
{
  const char *label = call->keyring_label ? call->keyring_label : _ ("default");

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
cancelled_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                              _ ("The keyring operation was cancelled."));
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
translate_error (const SecretServiceCall *call, const GError *error)
{
  g_autofree char *detail = NULL;

  if (is_no_service (error))
    return no_service_error (error);
  if (is_timeout (error))
    return timeout_error (call, call->timeout_ms
                                  ? call->timeout_ms
                                  : SECRET_SERVICE_CALL_DEFAULT_TIMEOUT_MS);
  if (is_bus_gone (error))
    return no_bus_error (error);
  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return secret_service_call_locked_error (call, FALSE);

  detail = strip_detail (error);
  return g_error_new (KEYRING_ERROR, KEYRING_ERROR_FAILED,
                      _ ("The keyring (Secret Service) failed: %s"), detail);
}

/* --- The call itself ---------------------------------------------------- */

/**
 * secret_service_call_init:
 * @call: the first member of a module's new operation, zeroed
 * @klass: (not nullable): the module's part of the chain; static
 * @name: (not nullable): what the call does, for the log; static
 * @subject: (nullable): whose items, for the log; %NULL for all
 * @timeout_ms: the longest wait for the service; 0 for the defaults
 */
void
secret_service_call_init (SecretServiceCall *call,
                          const SecretServiceCallClass *klass, const char *name,
                          const char *subject, guint timeout_ms)
{
  call->klass = klass;
  call->name = name;
  call->subject = g_strdup (subject ? subject : "(all)");
  call->timeout_ms = timeout_ms;
  call->cancel = g_cancellable_new ();
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
release_proxies (SecretServiceCall *call)
{
  g_list_free_full (g_steal_pointer (&call->doomed), g_object_unref);
  g_list_free_full (g_steal_pointer (&call->unlocking), g_object_unref);
  g_clear_object (&call->collection);
  g_clear_object (&call->service);
}

/* Frees what @call holds, not @call itself: for the module's free. */
void
secret_service_call_clear (SecretServiceCall *call)
{
  drop_source (&call->timer);
  drop_source (&call->caller_watch);
  g_clear_object (&call->caller);
  g_clear_object (&call->cancel);
  release_proxies (call);
  g_clear_pointer (&call->subject, g_free);
  g_clear_pointer (&call->keyring_label, g_free);
}

/* Logs "NAME SUBJECT: MESSAGE" in the log domain of the call's module. */
void
secret_service_call_debug (const SecretServiceCall *call, const char *format,
                           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_log (call->klass->log_domain, G_LOG_LEVEL_DEBUG, "%s %s: %s", call->name,
         call->subject, message);
}

/* --- Ending ------------------------------------------------------------- */

/**
 * secret_service_call_end:
 * @call: the call
 *
 * Ends @call unless it has ended already: stops its timer and its watch of
 * the caller, and releases its proxies while their main context still runs,
 * because their last callbacks (which free D-Bus signal data) are
 * dispatched there. Every callback must therefore take the object it
 * finishes from its source, not from @call.
 *
 * Returns: %TRUE when this ended @call, and the caller returns its result
 */
gboolean
secret_service_call_end (SecretServiceCall *call)
{
  if (call->over)
    return FALSE;

  call->over = TRUE;
  drop_source (&call->timer);
  drop_source (&call->caller_watch);
  release_proxies (call);
  return TRUE;
}

/* Ends the call of @task successfully; its module returns the result. */
void
secret_service_call_succeed (GTask *task)
{
  SecretServiceCall *call = g_task_get_task_data (task);

  if (!secret_service_call_end (call))
    return;

  secret_service_call_debug (call, "done");
  call->klass->succeed (task);
}

/* Takes @error. A cancellation by the caller wins over whatever the
 * interrupted call answered. */
void
secret_service_call_return_error (GTask *task, GError *error)
{
  SecretServiceCall *call = g_task_get_task_data (task);

  if (!secret_service_call_end (call)) {
    g_error_free (error);
    return;
  }

  if (call->caller != NULL && g_cancellable_is_cancelled (call->caller)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_clear_error (&error);
    error = cancelled_error ();
  }
  secret_service_call_debug (call, "%s", error->message);
  g_task_return_error (task, error);
}

/* Handles the error of a libsecret or GDBus call. */
static void
call_fail (GTask *task, const GError *error)
{
  SecretServiceCall *call = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    secret_service_call_return_error (task, g_error_copy (error));
  else
    secret_service_call_return_error (task, translate_error (call, error));
}

/**
 * secret_service_call_goes_on:
 * @task: the task of the call
 * @error: (nullable): what the libsecret call that just came back said
 *
 * Returns: %TRUE when the chain goes on; %FALSE when the call has ended
 *   already, or has now, with @error
 */
gboolean
secret_service_call_goes_on (GTask *task, const GError *error)
{
  SecretServiceCall *call = g_task_get_task_data (task);

  if (call->over)
    return FALSE;
  if (error == NULL)
    return TRUE;

  call_fail (task, error);
  return FALSE;
}

/* --- Timer and cancellation --------------------------------------------- */

static gboolean
on_timeout (gpointer data)
{
  g_autoptr (GTask) task = g_object_ref (data);
  SecretServiceCall *call = g_task_get_task_data (task);

  /* What is left of a cleanup can wait for the next call. */
  if (call->cleaning)
    secret_service_call_succeed (task);
  else
    secret_service_call_return_error (task,
                                      timeout_error (call, call->timer_ms));

  /* Abandon the call in flight. */
  g_cancellable_cancel (call->cancel);
  return G_SOURCE_REMOVE;
}

/* (Re)starts the timer of the call of @task: it ends the call after @ms. */
void
secret_service_call_arm_timer (GTask *task, guint ms)
{
  SecretServiceCall *call = g_task_get_task_data (task);

  drop_source (&call->timer);
  call->timer_ms = ms;
  call->timer = g_timeout_source_new (ms);
  g_source_set_callback (call->timer, on_timeout, g_object_ref (task),
                         g_object_unref);
  g_source_attach (call->timer, g_task_get_context (task));
}

/* Runs in the call's main context, whichever thread cancelled. */
static gboolean
on_caller_cancelled (GCancellable *caller, gpointer data)
{
  GTask *task = data;
  SecretServiceCall *call = g_task_get_task_data (task);

  secret_service_call_return_error (task, cancelled_error ());
  g_cancellable_cancel (call->cancel);
  return G_SOURCE_REMOVE;
}

static void
watch_caller (GTask *task, GCancellable *cancellable)
{
  SecretServiceCall *call = g_task_get_task_data (task);

  call->caller = g_object_ref (cancellable);
  call->caller_watch = g_cancellable_source_new (cancellable);
  g_source_set_callback (call->caller_watch,
                         G_SOURCE_FUNC (on_caller_cancelled),
                         g_object_ref (task), g_object_unref);
  g_source_attach (call->caller_watch, g_task_get_context (task));
}

/* --- Bus and service ---------------------------------------------------- */

static void
on_service (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  SecretServiceCall *call = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (SecretService) service =
    secret_service_open_finish (result, &error);

  if (!secret_service_call_goes_on (task, error))
    return;

  call->service = g_steal_pointer (&service);
  call->klass->start (task);
}

static void
on_bus (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  SecretServiceCall *call = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusConnection) bus = g_bus_get_finish (result, &error);

  if (call->over)
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    call_fail (task, error);
    return;
  }
  if (error != NULL) {
    secret_service_call_return_error (task, no_bus_error (error));
    return;
  }

  secret_service_open (SECRET_TYPE_SERVICE, NULL, call->service_flags,
                       call->cancel, on_service, g_object_ref (task));
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

/**
 * secret_service_call_start:
 * @call: (transfer full): a call from secret_service_call_init()
 * @cancellable: (nullable): the caller's #GCancellable
 * @source_tag: the public function that started the call
 * @callback: called in the thread-default main context of the caller
 * @user_data: for @callback
 *
 * Starts the chain: checks that a session bus is configured, connects to
 * it, opens the service with call->service_flags, then hands over to
 * klass->start. The timer runs from here. Does not block.
 */
void
secret_service_call_start (SecretServiceCall *call, GCancellable *cancellable,
                           gpointer source_tag, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, call->klass->free);
  secret_service_call_debug (call, "start");

  if (cancellable != NULL)
    watch_caller (task, cancellable);
  if (!session_bus_configured ()) {
    secret_service_call_return_error (task, no_bus_error (NULL));
    return;
  }

  secret_service_call_arm_timer (
    task, call->timeout_ms ? call->timeout_ms
                           : SECRET_SERVICE_CALL_DEFAULT_TIMEOUT_MS);
  g_bus_get (G_BUS_TYPE_SESSION, call->cancel, on_bus, g_object_ref (task));
}

/* --- Searching, storing, deleting ------------------------------------- */

static void
on_searched (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  SecretServiceCall *call = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  GList *items =
    secret_service_search_finish (SECRET_SERVICE (source), result, &error);

  if (secret_service_call_goes_on (task, error))
    call->searched (task, items);
  g_list_free_full (items, g_object_unref);
}

/* Searches every item (locked ones too) of @schema with @attributes; then
 * @searched runs with what was found. */
void
secret_service_call_search (GTask *task, const SecretSchema *schema,
                            GHashTable *attributes, SecretSearchFlags flags,
                            SecretServiceCallSearched searched)
{
  SecretServiceCall *call = g_task_get_task_data (task);

  call->searched = searched;
  secret_service_search (call->service, schema, attributes,
                         flags | SECRET_SEARCH_ALL, call->cancel, on_searched,
                         g_object_ref (task));
}

static void
on_collection (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  SecretServiceCall *call = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (SecretCollection) collection =
    secret_collection_for_alias_finish (result, &error);

  if (!secret_service_call_goes_on (task, error))
    return;

  g_clear_object (&call->collection);
  call->collection = g_steal_pointer (&collection);
  call->next (task);
}

/* Sets call->collection to the collection of @alias (%NULL when there is
 * none); then @found runs. */
void
secret_service_call_find_collection (GTask *task, const char *alias,
                                     SecretServiceCallStep found)
{
  SecretServiceCall *call = g_task_get_task_data (task);

  call->next = found;
  secret_collection_for_alias (call->service, alias, SECRET_COLLECTION_NONE,
                               call->cancel, on_collection,
                               g_object_ref (task));
}

static void
on_stored (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  SecretServiceCall *call = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  secret_service_store_finish (SECRET_SERVICE (source), result, &error);
  if (secret_service_call_goes_on (task, error))
    call->next (task);
}

/* Stores an item in call->collection, or in the default collection when
 * there is none (the service makes one); then @stored runs. */
void
secret_service_call_store (GTask *task, const SecretSchema *schema,
                           GHashTable *attributes, const char *label,
                           SecretValue *value, SecretServiceCallStep stored)
{
  SecretServiceCall *call = g_task_get_task_data (task);
  const char *collection = SECRET_COLLECTION_DEFAULT;

  if (call->collection != NULL)
    collection = g_dbus_proxy_get_object_path (G_DBUS_PROXY (call->collection));
  call->next = stored;
  secret_service_store (call->service, schema, attributes, collection, label,
                        value, call->cancel, on_stored, g_object_ref (task));
}

/* Adds @item to the items secret_service_call_delete_doomed() deletes. */
void
secret_service_call_doom (SecretServiceCall *call, SecretItem *item)
{
  call->doomed = g_list_prepend (call->doomed, g_object_ref (item));
}

/* Adds @items, in their order, before the items already doomed. */
void
secret_service_call_doom_all (SecretServiceCall *call, GList *items)
{
  for (GList *l = g_list_last (items); l != NULL; l = l->prev)
    secret_service_call_doom (call, l->data);
}

static void
on_deleted (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  SecretServiceCall *call = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  secret_item_delete_finish (SECRET_ITEM (source), result, &error);
  if (call->over)
    return;

  if (error != NULL && !call->cleaning) {
    call_fail (task, error);
    return;
  }
  if (error != NULL)
    secret_service_call_debug (call, "left a stale item: %s", error->message);
  secret_service_call_delete_doomed (task);
}

/* Deletes call->doomed one by one; then the call succeeded. */
void
secret_service_call_delete_doomed (GTask *task)
{
  SecretServiceCall *call = g_task_get_task_data (task);
  g_autoptr (SecretItem) item = NULL;

  if (call->doomed == NULL) {
    secret_service_call_succeed (task);
    return;
  }

  item = call->doomed->data;
  call->doomed = g_list_delete_link (call->doomed, call->doomed);
  secret_service_call_debug (
    call, "deleting %s", g_dbus_proxy_get_object_path (G_DBUS_PROXY (item)));
  secret_item_delete (item, call->cancel, on_deleted, g_object_ref (task));
}

/* --- Blocking calls and results ----------------------------------------- */

static void
on_sync_done (GObject *source, GAsyncResult *result, gpointer data)
{
  GAsyncResult **slot = data;

  *slot = g_object_ref (result);
}

/* Runs @call in a private main context until it has an answer; its timer
 * bounds the wait. */
static GTask *
run_sync (SecretServiceCall *call, GCancellable *cancellable,
          gpointer source_tag)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  GAsyncResult *result = NULL;

  g_main_context_push_thread_default (context);
  secret_service_call_start (call, cancellable, source_tag, on_sync_done,
                             &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  /* What the released proxies and the finished calls left to do. */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);

  return G_TASK (result);
}

/* Runs @call (taken) and returns its boolean result. Blocks. */
gboolean
secret_service_call_run_boolean (SecretServiceCall *call,
                                 GCancellable *cancellable, gpointer source_tag,
                                 GError **error)
{
  g_autoptr (GTask) task = run_sync (call, cancellable, source_tag);

  return g_task_propagate_boolean (task, error);
}

/* Runs @call (taken) and returns its pointer result. Blocks. */
gpointer
secret_service_call_run_pointer (SecretServiceCall *call,
                                 GCancellable *cancellable, gpointer source_tag,
                                 GError **error)
{
  g_autoptr (GTask) task = run_sync (call, cancellable, source_tag);

  return g_task_propagate_pointer (task, error);
}

/* The boolean result of a call started with @source_tag. */
gboolean
secret_service_call_propagate_boolean (GAsyncResult *result,
                                       gpointer source_tag, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, source_tag), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The pointer result of a call started with @source_tag. */
gpointer
secret_service_call_propagate_pointer (GAsyncResult *result,
                                       gpointer source_tag, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, source_tag), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
