/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* One profile as the tray sees it: the stored session's state, kept
 * current without polling. The targets are watched, so a refresh made by
 * the CLI shows at once, and one timer fires at the next change of state
 * (the expiry warning, the expiry). What the item shows changes only with
 * the state, so an idle tray sleeps until then. */

#define G_LOG_DOMAIN "botomfa-tray"

#include "config.h"

#include "tray-profile.h"

#include "refresh.h"

/* How long the Secret Service may take to cache a session. */
#define REMEMBER_TIMEOUT_MS 10000

struct _TrayProfile {
  GObject parent_instance;

  Profile *profile;
  GPtrArray *monitors;
  GCancellable *cancellable;
  guint timer;
  gboolean peeking;
  gboolean peek_again;
  gboolean refreshing;

  Credentials *session;
  RefreshStatus status;
  GDateTime *expiration;
  char *error_message;
  TrayStateKind state;
};

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TrayProfile, tray_profile, G_TYPE_OBJECT)

static void
tray_profile_dispose (GObject *object)
{
  TrayProfile *self = TRAY_PROFILE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->monitors != NULL)
    g_ptr_array_set_size (self->monitors, 0);

  G_OBJECT_CLASS (tray_profile_parent_class)->dispose (object);
}

static void
tray_profile_finalize (GObject *object)
{
  TrayProfile *self = TRAY_PROFILE (object);

  g_clear_pointer (&self->monitors, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->session, credentials_free);
  g_clear_pointer (&self->expiration, g_date_time_unref);
  g_free (self->error_message);
  profile_free (self->profile);

  G_OBJECT_CLASS (tray_profile_parent_class)->finalize (object);
}

static void
tray_profile_class_init (TrayProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tray_profile_dispose;
  object_class->finalize = tray_profile_finalize;

  /**
   * TrayProfile::changed:
   *
   * The state changed, or the stored session was read again.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tray_profile_init (TrayProfile *self)
{
  self->monitors = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->status = REFRESH_STATUS_MISSING;
  self->state = TRAY_STATE_REFRESHING;
}

static void schedule (TrayProfile *self);

static gboolean
on_timer (gpointer user_data)
{
  TrayProfile *self = user_data;
  TrayStateKind before = self->state;

  self->timer = 0;
  schedule (self);
  /* A seconds timer may fire a little early; then it is only re-armed. */
  if (self->state != before)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);

  return G_SOURCE_REMOVE;
}

/* Whole seconds, so GLib can fire this with other wakeups of the second.
 * It may round a second timer down by up to a quarter second; one second
 * more keeps the timer from firing before the change it waits for. */
static guint
timer_seconds (GTimeSpan next)
{
  GTimeSpan seconds = (next + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND;

  return (guint) MIN (seconds + 1, G_MAXUINT);
}

/* Works out the state from what the last peek found and the clock, and
 * arms the one timer for the next change. */
static void
schedule (TrayProfile *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan next = -1;

  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->error_message != NULL) {
    self->state = TRAY_STATE_ERROR;
    return;
  }
  self->state = tray_state_classify (self->status, self->expiration, now,
                                     self->profile->notify_before, &next);
  if (next >= 0)
    self->timer = g_timeout_add_seconds_full (
      G_PRIORITY_DEFAULT_IDLE, timer_seconds (next), on_timer, self, NULL);
}

typedef struct {
  RefreshStatus status;
  GDateTime *expiration;
} PeekResult;

static void
peek_result_free (PeekResult *result)
{
  g_clear_pointer (&result->expiration, g_date_time_unref);
  g_free (result);
}

static void
peek_thread (GTask *task, gpointer source_object, gpointer task_data,
             GCancellable *cancellable)
{
  TrayProfile *self = source_object;
  g_autoptr (Credentials) current = NULL;
  GError *error = NULL;
  PeekResult *result = g_new0 (PeekResult, 1);

  if (!refresh_peek (self->profile, &result->status, &current, &error)) {
    peek_result_free (result);
    g_task_return_error (task, error);
    return;
  }
  if (current != NULL && current->expiration != NULL)
    result->expiration = g_date_time_ref (current->expiration);
  g_task_return_pointer (task, result, (GDestroyNotify) peek_result_free);
}

static void start_peek (TrayProfile *self);

static void
on_peeked (GObject *source, GAsyncResult *res, gpointer user_data)
{
  TrayProfile *self = TRAY_PROFILE (source);
  g_autoptr (GError) error = NULL;
  PeekResult *result = g_task_propagate_pointer (G_TASK (res), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->peeking = FALSE;
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->expiration, g_date_time_unref);
  if (result == NULL) {
    self->error_message = g_strdup (error->message);
  } else {
    self->status = result->status;
    self->expiration = g_steal_pointer (&result->expiration);
    peek_result_free (result);
  }
  schedule (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  if (self->peek_again)
    start_peek (self);
}

static void
start_peek (TrayProfile *self)
{
  g_autoptr (GTask) task = NULL;

  self->peek_again = FALSE;
  self->peeking = TRUE;
  task = g_task_new (self, self->cancellable, on_peeked, NULL);
  g_task_set_source_tag (task, start_peek);
  g_task_run_in_thread (task, peek_thread);
}

/**
 * tray_profile_update:
 * @self: the profile
 *
 * Reads the stored session again, in a worker thread; "changed" follows.
 * Calls made while a read runs are folded into one more read.
 */
void
tray_profile_update (TrayProfile *self)
{
  if (self->peeking)
    self->peek_again = TRUE;
  else
    start_peek (self);
}

static void
on_target_changed (GFileMonitor *monitor, GFile *file, GFile *other,
                   GFileMonitorEvent event, gpointer user_data)
{
  /* Writers replace the file by renaming a new one over it: that is a
   * rename or create in the directory, not always a change of the file. */
  if (event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT
      || event == G_FILE_MONITOR_EVENT_DELETED
      || event == G_FILE_MONITOR_EVENT_CREATED
      || event == G_FILE_MONITOR_EVENT_RENAMED
      || event == G_FILE_MONITOR_EVENT_MOVED_IN
      || event == G_FILE_MONITOR_EVENT_MOVED_OUT)
    tray_profile_update (TRAY_PROFILE (user_data));
}

static void
watch (TrayProfile *self, const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  GFileMonitor *monitor;

  monitor =
    g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (monitor == NULL) {
    g_warning ("%s will not be watched: %s", path, error->message);
    return;
  }
  g_signal_connect_object (monitor, "changed", G_CALLBACK (on_target_changed),
                           self, 0);
  g_ptr_array_add (self->monitors, monitor);
}

/**
 * tray_profile_new:
 * @profile: (transfer full): a resolved profile
 *
 * Starts watching the profile's targets and reads its state (in a worker
 * thread; "changed" is emitted when it is known).
 *
 * Returns: (transfer full): the profile's tray state
 */
TrayProfile *
tray_profile_new (Profile *profile)
{
  TrayProfile *self = g_object_new (TRAY_TYPE_PROFILE, NULL);

  self->profile = profile;
  if (profile->targets & PROFILE_TARGET_BOTO)
    watch (self, profile->boto_config_path);
  if ((profile->targets & PROFILE_TARGET_AWS_CREDENTIALS)
      && profile->aws_credentials_path != NULL)
    watch (self, profile->aws_credentials_path);
  start_peek (self);

  return self;
}

/**
 * tray_profile_get_profile:
 *
 * Returns: (transfer none): the resolved profile
 */
const Profile *
tray_profile_get_profile (TrayProfile *self)
{
  return self->profile;
}

/**
 * tray_profile_matches:
 * @self: the profile
 * @profile: a profile resolved again
 *
 * Whether @profile says everything the profile's resolved settings say,
 * so the tray can keep showing this one (its state, its timer, its
 * session in memory) instead of starting over. Does not block.
 *
 * Returns: %TRUE when every field of the two profiles is equal
 */
gboolean
tray_profile_matches (TrayProfile *self, const Profile *profile)
{
  const Profile *p = self->profile;

  return g_strcmp0 (p->name, profile->name) == 0
         && g_strcmp0 (p->mfa_serial, profile->mfa_serial) == 0
         && g_strcmp0 (p->device_name, profile->device_name) == 0
         && p->duration == profile->duration
         && g_strcmp0 (p->role_arn, profile->role_arn) == 0
         && g_strcmp0 (p->region, profile->region) == 0
         && p->legacy_global == profile->legacy_global
         && g_strcmp0 (p->boto_config_path, profile->boto_config_path) == 0
         && g_strcmp0 (p->long_term_section, profile->long_term_section) == 0
         && g_strcmp0 (p->credentials_section, profile->credentials_section)
              == 0
         && g_strcmp0 (p->aws_credentials_path, profile->aws_credentials_path)
              == 0
         && g_strcmp0 (p->aws_config_path, profile->aws_config_path) == 0
         && g_strcmp0 (p->key_profile, profile->key_profile) == 0
         && p->in_boto_config == profile->in_boto_config
         && p->in_aws_files == profile->in_aws_files
         && p->targets == profile->targets
         && g_strcmp0 (p->targets_reason, profile->targets_reason) == 0
         && g_strcmp0 (p->mfa_process, profile->mfa_process) == 0
         && p->notify_before == profile->notify_before;
}

/**
 * tray_profile_get_state:
 *
 * Returns: what to show now (%TRAY_STATE_REFRESHING while a refresh runs
 * or before the first read)
 */
TrayStateKind
tray_profile_get_state (TrayProfile *self)
{
  return self->refreshing ? TRAY_STATE_REFRESHING : self->state;
}

/**
 * tray_profile_get_expiration:
 *
 * Returns: (transfer none) (nullable): the stored session's expiry as last
 *   read, or %NULL when none is known
 */
GDateTime *
tray_profile_get_expiration (TrayProfile *self)
{
  return self->expiration;
}

/**
 * tray_profile_describe:
 *
 * The text changes only when #TrayProfile::changed is emitted, so it fits
 * the item's title and tooltip.
 *
 * Returns: (transfer full): the state line ("default — valid until 14:32")
 */
char *
tray_profile_describe (TrayProfile *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return tray_state_describe (self->profile->name,
                              tray_profile_get_state (self), self->expiration,
                              now, self->error_message);
}

/**
 * tray_profile_describe_left:
 *
 * The state line with the time left as of now; build it right before it
 * is shown (the menu's state line), as it goes stale within a minute.
 *
 * Returns: (transfer full): the state line ("default — valid until 14:32,
 * 41 min left")
 */
char *
tray_profile_describe_left (TrayProfile *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return tray_state_describe_left (self->profile->name,
                                   tray_profile_get_state (self),
                                   self->expiration, now, self->error_message);
}

/**
 * tray_profile_set_refreshing:
 * @self: the profile
 * @refreshing: whether a refresh is under way
 *
 * Shows a refresh under way; ending it reads the stored session again.
 */
void
tray_profile_set_refreshing (TrayProfile *self, gboolean refreshing)
{
  if (self->refreshing == refreshing)
    return;
  self->refreshing = refreshing;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  if (!refreshing)
    tray_profile_update (self);
}

static void
remember_thread (GTask *task, gpointer source_object, gpointer task_data,
                 GCancellable *cancellable)
{
  TrayProfile *self = source_object;

  refresh_remember (self->profile, task_data, REMEMBER_TIMEOUT_MS);
  g_task_return_boolean (task, TRUE);
}

/**
 * tray_profile_keep:
 * @self: the profile
 * @session: (nullable): a session to hold in memory (copied), or %NULL to
 *   wipe the one held
 *
 * Holds @session in memory for tray_profile_get_session(); the copy it
 * replaces is wiped.
 */
void
tray_profile_keep (TrayProfile *self, const Credentials *session)
{
  g_clear_pointer (&self->session, credentials_free);
  if (session != NULL)
    self->session = credentials_copy (session);
}

/**
 * tray_profile_get_session:
 * @self: the profile
 * @min_valid_seconds: how long the session must stay valid from now
 *
 * Does not block.
 *
 * Returns: (transfer full) (nullable): a copy of the session held in memory
 * when it is valid for at least @min_valid_seconds, else %NULL
 */
Credentials *
tray_profile_get_session (TrayProfile *self, guint min_valid_seconds)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) until =
    g_date_time_add_seconds (now, min_valid_seconds);

  if (self->session == NULL || self->session->expiration == NULL
      || g_date_time_compare (self->session->expiration, until) < 0)
    return NULL;

  return credentials_copy (self->session);
}

/**
 * tray_profile_remember:
 * @self: the profile
 * @session: its new session (copied)
 *
 * Holds @session in memory (tray_profile_keep()) and puts it in the
 * keyring's session cache (refresh_remember()) in a worker thread, so
 * `botomfa credential-process` can use it.
 */
void
tray_profile_remember (TrayProfile *self, const Credentials *session)
{
  g_autoptr (GTask) task = g_task_new (self, NULL, NULL, NULL);

  tray_profile_keep (self, session);
  g_task_set_source_tag (task, tray_profile_remember);
  g_task_set_task_data (task, credentials_copy (session),
                        (GDestroyNotify) credentials_free);
  g_task_run_in_thread (task, remember_thread);
}
