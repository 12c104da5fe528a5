/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* GNotification for a profile's two thresholds: "expiring" (notify_before
 * ahead of expiry) and "expired". Each is sent once per session (the expiry
 * it was sent for is kept) and withdrawn as soon as it stops being true,
 * for example after a refresh the CLI made. Driven by TrayProfile::changed,
 * which the profile's one timer and its file monitors emit: no polling. */

#define G_LOG_DOMAIN "botomfa-tray"

#include "config.h"

#include "tray-notify.h"

#include <glib/gi18n-lib.h>

typedef struct {
  gboolean sent;
  gint64 expiry; /* unix time of the session it was sent for, or 0 */
} Threshold;

struct _TrayNotify {
  GApplication *app; /* not owned: the application owns this */
  TrayProfile *profile;
  Threshold expiring;
  Threshold expired;
};

/**
 * tray_notify_id:
 * @profile_name: a profile's name
 * @kind: %TRAY_STATE_EXPIRING or %TRAY_STATE_EXPIRED
 *
 * Returns: (transfer full): the notification id for that profile and
 *   threshold, stable across sends so a new one replaces the old
 */
char *
tray_notify_id (const char *profile_name, TrayStateKind kind)
{
  return g_strdup_printf ("%s:%s",
                          kind == TRAY_STATE_EXPIRING ? "expiring" : "expired",
                          profile_name);
}

static const char *
profile_name (TrayNotify *self)
{
  return tray_profile_get_profile (self->profile)->name;
}

static char *
expiring_title (TrayNotify *self, GDateTime *expiration)
{
  g_autoptr (GDateTime) local = g_date_time_to_local (expiration);
  g_autofree char *at = g_date_time_format (local, "%H:%M");

  /* TRANSLATORS: AWS credentials for PROFILE expire at 14:32 */
  return g_strdup_printf (_ ("AWS credentials for %s expire at %s"),
                          profile_name (self), at);
}

static void
send (TrayNotify *self, TrayStateKind kind, GDateTime *expiration)
{
  g_autofree char *id = tray_notify_id (profile_name (self), kind);
  g_autofree char *title = NULL;
  g_autoptr (GNotification) notification = NULL;
  g_autoptr (GIcon) icon = NULL;

  if (kind == TRAY_STATE_EXPIRING)
    title = expiring_title (self, expiration);
  else
    title = g_strdup_printf (_ ("AWS credentials for %s have expired"),
                             profile_name (self));
  notification = g_notification_new (title);
  g_notification_set_body (
    notification, _ ("Enter a code from your MFA device to get new ones."));
  icon = g_themed_icon_new (tray_state_icon_name (kind));
  g_notification_set_icon (notification, icon);
  g_notification_set_priority (
    notification, kind == TRAY_STATE_EXPIRED ? G_NOTIFICATION_PRIORITY_HIGH
                                             : G_NOTIFICATION_PRIORITY_NORMAL);
  g_notification_add_button_with_target (
    notification, _ ("Refresh"), "app.refresh", "s", profile_name (self));
  g_notification_set_default_action_and_target (notification, "app.refresh",
                                                "s", profile_name (self));
  g_debug ("notification %s: %s", id, title);
  g_application_send_notification (self->app, id, notification);
}

static void
withdraw (TrayNotify *self, TrayStateKind kind, Threshold *threshold)
{
  g_autofree char *id = NULL;

  if (!threshold->sent)
    return;
  id = tray_notify_id (profile_name (self), kind);
  g_debug ("withdrawing notification %s", id);
  g_application_withdraw_notification (self->app, id);
  threshold->sent = FALSE;
  threshold->expiry = 0;
}

/* Sends the threshold's notification unless it was sent for this session. */
static void
reach (TrayNotify *self, TrayStateKind kind, Threshold *threshold,
       GDateTime *expiration)
{
  gint64 expiry = expiration ? g_date_time_to_unix (expiration) : 0;

  if (threshold->sent && threshold->expiry == expiry)
    return;
  send (self, kind, expiration);
  threshold->sent = TRUE;
  threshold->expiry = expiry;
}

static void
on_changed (TrayProfile *profile, gpointer user_data)
{
  TrayNotify *self = user_data;
  GDateTime *expiration = tray_profile_get_expiration (profile);

  switch (tray_profile_get_state (profile)) {
    case TRAY_STATE_EXPIRING:
      withdraw (self, TRAY_STATE_EXPIRED, &self->expired);
      if (expiration != NULL)
        reach (self, TRAY_STATE_EXPIRING, &self->expiring, expiration);
      break;
    case TRAY_STATE_EXPIRED:
      withdraw (self, TRAY_STATE_EXPIRING, &self->expiring);
      reach (self, TRAY_STATE_EXPIRED, &self->expired, expiration);
      break;
    case TRAY_STATE_VALID:
    case TRAY_STATE_MISSING:
      withdraw (self, TRAY_STATE_EXPIRING, &self->expiring);
      withdraw (self, TRAY_STATE_EXPIRED, &self->expired);
      break;
    case TRAY_STATE_REFRESHING:
    case TRAY_STATE_ERROR:
    default:
      /* Passing states: what was said still holds until the file is read
       * again. */
      break;
  }
}

/**
 * tray_notify_new:
 * @app: (transfer none): the registered application; must outlive the
 *   result
 * @profile: (transfer none): the profile to watch (a reference is taken)
 *
 * Starts sending @profile's notifications as its state changes. Does not
 * block.
 *
 * Returns: (transfer full): the notifier; free with tray_notify_free()
 */
TrayNotify *
tray_notify_new (GApplication *app, TrayProfile *profile)
{
  TrayNotify *self = g_new0 (TrayNotify, 1);

  self->app = app;
  self->profile = g_object_ref (profile);
  g_signal_connect (profile, "changed", G_CALLBACK (on_changed), self);
  on_changed (profile, self);

  return self;
}

/**
 * tray_notify_free:
 * @notify: (nullable): a notifier
 *
 * Stops watching; notifications already shown stay.
 */
void
tray_notify_free (TrayNotify *notify)
{
  if (notify == NULL)
    return;

  g_signal_handlers_disconnect_by_data (notify->profile, notify);
  g_object_unref (notify->profile);
  g_free (notify);
}
