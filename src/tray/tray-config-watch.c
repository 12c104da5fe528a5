/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* Watches the files the tray's profiles are resolved from. GLib's file
 * monitor sees a file replaced by a rename (how editors and botomfa write)
 * as well as one written in place, and filters out the directory's other
 * files before they reach the main loop. A file whose directory does not
 * exist yet (~/.config/botomfa before the first Apply) is not monitored,
 * since GLib's inotify backend would poll for that directory every few
 * seconds; the first missing directory on the way is monitored instead
 * (as an entry of a directory that exists), and the watch moves down once
 * it appears. A burst of events (an Apply writes
 * one key after another) becomes one callback, after one short timeout.
 * Nothing runs while nothing changes. */

#define G_LOG_DOMAIN "botomfa-tray"

#include "config.h"

#include "tray-config-watch.h"

#include "aws-config.h"
#include "profile-settings.h"

typedef struct {
  TrayConfigWatch *owner;
  GFile *target;
  GFileMonitor *monitor; /* Of @target, or of the first missing directory
                          * on the way to it. */
  gboolean rearm;        /* Something came or went: monitor anew. */
} Watched;

struct _TrayConfigWatch {
  GPtrArray *watched;
  guint delay_ms;
  guint pending; /* The one timeout that ends a burst. */
  TrayConfigWatchFunc func;
  gpointer user_data;
};

static void arm (Watched *watched);

static void
disarm (Watched *watched)
{
  if (watched->monitor != NULL) {
    g_signal_handlers_disconnect_by_data (watched->monitor, watched);
    g_file_monitor_cancel (watched->monitor);
  }
  g_clear_object (&watched->monitor);
}

static void
watched_free (Watched *watched)
{
  disarm (watched);
  g_object_unref (watched->target);
  g_free (watched);
}

static gboolean
on_timeout (gpointer user_data)
{
  TrayConfigWatch *self = user_data;

  self->pending = 0;
  for (guint i = 0; i < self->watched->len; i++) {
    Watched *watched = self->watched->pdata[i];

    if (watched->rearm)
      arm (watched);
  }
  self->func (self->user_data);

  return G_SOURCE_REMOVE;
}

/* Every event restarts the timeout, so the callback follows the last. */
static void
kick (TrayConfigWatch *self)
{
  g_clear_handle_id (&self->pending, g_source_remove);
  self->pending = g_timeout_add (self->delay_ms, on_timeout, self);
}

static gboolean
counts (GFileMonitorEvent event)
{
  /* CHANGED comes before CHANGES_DONE_HINT; attributes say nothing. */
  return event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT
         || event == G_FILE_MONITOR_EVENT_CREATED
         || event == G_FILE_MONITOR_EVENT_DELETED
         || event == G_FILE_MONITOR_EVENT_RENAMED
         || event == G_FILE_MONITOR_EVENT_MOVED_IN
         || event == G_FILE_MONITOR_EVENT_MOVED_OUT;
}

static void
on_changed (GFileMonitor *monitor, GFile *file, GFile *other,
            GFileMonitorEvent event, gpointer user_data)
{
  Watched *watched = user_data;

  if (!counts (event))
    return;
  /* A directory on the way may have come or gone with it: the monitor is
   * set up anew once the burst is over, not from inside its own signal. */
  watched->rearm = TRUE;
  g_debug ("%s changed", g_file_peek_path (watched->target));
  kick (watched->owner);
}

static gboolean
is_directory (GFile *file)
{
  return g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL)
         == G_FILE_TYPE_DIRECTORY;
}

/* Monitors the target, or the first directory on the way to it that is
 * missing. */
static void
arm (Watched *watched)
{
  g_autoptr (GFile) path = g_object_ref (watched->target);
  g_autoptr (GFile) dir = g_file_get_parent (watched->target);
  g_autoptr (GError) error = NULL;

  disarm (watched);
  watched->rearm = FALSE;
  while (dir != NULL && !is_directory (dir)) {
    GFile *parent = g_file_get_parent (dir);

    g_set_object (&path, dir);
    g_object_unref (dir);
    dir = parent;
  }
  if (dir == NULL)
    return;
  watched->monitor =
    g_file_monitor_file (path, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (watched->monitor == NULL) {
    g_warning ("%s will not be watched for changes: %s",
               g_file_peek_path (watched->target), error->message);
    return;
  }
  g_signal_connect (watched->monitor, "changed", G_CALLBACK (on_changed),
                    watched);
}

/**
 * tray_config_watch_default_paths:
 *
 * The files the tray's profiles are resolved from: botomfa's
 * profiles.ini, the AWS config and shared credentials files, and the boto
 * config, as the environment names them. Does not block.
 *
 * Returns: (transfer full): the paths, %NULL-terminated
 */
char **
tray_config_watch_default_paths (void)
{
  const char *boto = g_getenv ("BOTO_CONFIG");
  char **paths = g_new0 (char *, 5);

  paths[0] = profile_settings_path ();
  paths[1] = aws_config_path ();
  paths[2] = aws_config_credentials_path ();
  paths[3] = boto != NULL && *boto != '\0'
               ? g_strdup (boto)
               : g_build_filename (g_get_home_dir (), ".boto", NULL);

  return paths;
}

/**
 * tray_config_watch_new:
 * @paths: (array zero-terminated=1): the files to watch; they need not
 *   exist, nor their directories
 * @delay_ms: how long after the last change of a burst @func runs
 * @func: called once per burst of changes to any of @paths, from the
 *   thread-default main context
 * @user_data: data for @func; must outlive the watch
 *
 * Starts watching. Blocks briefly: it looks up which directories exist.
 *
 * Returns: (transfer full): the watch; free with tray_config_watch_free()
 */
TrayConfigWatch *
tray_config_watch_new (const char *const *paths, guint delay_ms,
                       TrayConfigWatchFunc func, gpointer user_data)
{
  TrayConfigWatch *self;

  g_return_val_if_fail (paths != NULL && func != NULL, NULL);

  self = g_new0 (TrayConfigWatch, 1);
  self->watched =
    g_ptr_array_new_with_free_func ((GDestroyNotify) watched_free);
  self->delay_ms = delay_ms;
  self->func = func;
  self->user_data = user_data;
  for (const char *const *p = paths; *p != NULL; p++) {
    Watched *watched = g_new0 (Watched, 1);

    watched->owner = self;
    watched->target = g_file_new_for_path (*p);
    g_ptr_array_add (self->watched, watched);
    arm (watched);
  }

  return self;
}

/**
 * tray_config_watch_free:
 * @watch: (nullable): a watch
 *
 * Stops watching; a callback still due does not run.
 */
void
tray_config_watch_free (TrayConfigWatch *watch)
{
  if (watch == NULL)
    return;

  g_clear_handle_id (&watch->pending, g_source_remove);
  g_ptr_array_unref (watch->watched);
  g_free (watch);
}
