/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* What the tray shows for a profile, worked out from the stored session
 * and the clock alone, and when that changes next. No GTK here, so the
 * rules are unit-tested. */

#include "config.h"

#include "tray-state.h"

#include <glib/gi18n-lib.h>

/**
 * tray_state_classify:
 * @status: what refresh_peek() said of the stored session
 * @expiration: (nullable): the stored session's expiry
 * @now: the current time
 * @notify_before: seconds before expiry that count as "expiring"
 * @next_change: (out): microseconds from @now until the state changes, or
 *   -1 when only a change of the file can change it
 *
 * A session within %REFRESH_EXPIRY_MARGIN of its expiry counts as expired,
 * as it does for refresh_peek(). Nothing but the state changes what
 * tray_state_describe() says, so @next_change is the only wakeup an idle
 * tray needs. Does not block.
 *
 * Returns: the state to show
 */
TrayStateKind
tray_state_classify (RefreshStatus status, GDateTime *expiration,
                     GDateTime *now, guint notify_before,
                     GTimeSpan *next_change)
{
  GTimeSpan left, warn;

  *next_change = -1;
  if (status == REFRESH_STATUS_MISSING)
    return TRAY_STATE_MISSING;
  if (status != REFRESH_STATUS_VALID)
    return TRAY_STATE_EXPIRED;
  if (expiration == NULL)
    return TRAY_STATE_VALID;

  left = g_date_time_difference (expiration, now);
  warn = (GTimeSpan) notify_before * G_TIME_SPAN_SECOND;
  if (left <= REFRESH_EXPIRY_MARGIN)
    return TRAY_STATE_EXPIRED;
  if (left <= warn) {
    *next_change = left - REFRESH_EXPIRY_MARGIN;
    return TRAY_STATE_EXPIRING;
  }
  /* A lead time shorter than the margin skips "expiring". */
  *next_change = left - MAX (warn, REFRESH_EXPIRY_MARGIN);

  return TRAY_STATE_VALID;
}

static char *
format_time (GDateTime *when, GDateTime *now)
{
  g_autoptr (GDateTime) local = g_date_time_to_local (when);
  g_autoptr (GDateTime) local_now = g_date_time_to_local (now);

  if (g_date_time_get_day_of_year (local)
        == g_date_time_get_day_of_year (local_now)
      && g_date_time_get_year (local) == g_date_time_get_year (local_now))
    return g_date_time_format (local, "%H:%M");

  /* TRANSLATORS: a g_date_time_format() pattern: weekday and time */
  return g_date_time_format (local, _ ("%a %H:%M"));
}

/* Minutes are rounded up, as "valid until 14:32" minus the clock's
 * minute reads: at 13:51:30 that is 41 min, not 40. */
static char *
format_left (GDateTime *expiration, GDateTime *now)
{
  GTimeSpan left = g_date_time_difference (expiration, now);
  gulong minutes, hours;

  if (left < G_TIME_SPAN_MINUTE)
    return g_strdup (_ ("less than a minute left"));
  minutes = (left + G_TIME_SPAN_MINUTE - 1) / G_TIME_SPAN_MINUTE;
  if (minutes < 60)
    return g_strdup_printf (ngettext ("%lu min left", "%lu min left", minutes),
                            minutes);
  hours = minutes / 60;
  minutes %= 60;
  if (minutes == 0)
    return g_strdup_printf (ngettext ("%lu h left", "%lu h left", hours),
                            hours);

  /* TRANSLATORS: hours and minutes left, "1 h 5 min left"; the plural
   * follows the minutes */
  return g_strdup_printf (
    ngettext ("%lu h %lu min left", "%lu h %lu min left", minutes), hours,
    minutes);
}

static char *
describe_expiry (const char *name, TrayStateKind kind, GDateTime *expiration,
                 GDateTime *now)
{
  g_autofree char *at = format_time (expiration, now);

  if (kind == TRAY_STATE_VALID)
    /* TRANSLATORS: PROFILE — valid until 14:32 */
    return g_strdup_printf (_ ("%s — valid until %s"), name, at);

  /* TRANSLATORS: PROFILE — expires at 14:32 */
  return g_strdup_printf (_ ("%s — expires at %s"), name, at);
}

/**
 * tray_state_describe:
 * @profile_name: the profile's name
 * @kind: its state
 * @expiration: (nullable): the stored session's expiry
 * @now: the current time
 * @error_message: (nullable): why the state is %TRAY_STATE_ERROR
 *
 * The text changes only with the state (see tray_state_classify()), so it
 * can sit in the item's title without a timer to keep it current. @now
 * only decides whether the expiry is today (a time) or not (weekday and
 * time); either stays true as the clock moves on.
 *
 * Returns: (transfer full): the state line ("default — valid until 14:32"),
 * in the user's time zone
 */
char *
tray_state_describe (const char *profile_name, TrayStateKind kind,
                     GDateTime *expiration, GDateTime *now,
                     const char *error_message)
{
  switch (kind) {
    case TRAY_STATE_VALID:
    case TRAY_STATE_EXPIRING:
      if (expiration != NULL)
        return describe_expiry (profile_name, kind, expiration, now);
      return g_strdup_printf (_ ("%s — valid, expiry unknown"), profile_name);
    case TRAY_STATE_EXPIRED:
      return g_strdup_printf (_ ("%s — session expired"), profile_name);
    case TRAY_STATE_MISSING:
      return g_strdup_printf (_ ("%s — no session"), profile_name);
    case TRAY_STATE_REFRESHING:
      return g_strdup_printf (_ ("%s — refreshing…"), profile_name);
    case TRAY_STATE_ERROR:
    default:
      return g_strdup_printf (_ ("%s — %s"), profile_name,
                              error_message ? error_message : _ ("error"));
  }
}

/**
 * tray_state_describe_left:
 * @profile_name: the profile's name
 * @kind: its state
 * @expiration: (nullable): the stored session's expiry
 * @now: the current time
 * @error_message: (nullable): why the state is %TRAY_STATE_ERROR
 *
 * The line of tray_state_describe() with the time left added while a
 * session is valid or expiring ("default — valid until 14:32, 41 min
 * left"; "1 h 5 min left", "2 h left" from an hour on; "less than a
 * minute left" in the last one, minutes rounded up). Meant for text built
 * just before it is shown, such as the menu's state line; it goes stale
 * within a minute, so it does not belong in the item's title.
 *
 * Returns: (transfer full): the state line with the time left
 */
char *
tray_state_describe_left (const char *profile_name, TrayStateKind kind,
                          GDateTime *expiration, GDateTime *now,
                          const char *error_message)
{
  g_autofree char *line =
    tray_state_describe (profile_name, kind, expiration, now, error_message);
  g_autofree char *left = NULL;

  if (expiration == NULL
      || (kind != TRAY_STATE_VALID && kind != TRAY_STATE_EXPIRING))
    return g_steal_pointer (&line);
  left = format_left (expiration, now);

  /* TRANSLATORS: STATE LINE, 41 min left */
  return g_strdup_printf (_ ("%s, %s"), line, left);
}

/**
 * tray_state_icon_name:
 * @kind: a state
 *
 * botomfa's own symbolic icons (data/icons), one shape per state, so the
 * state shows without relying on colour.
 *
 * Returns: (transfer none): the themed icon name for @kind
 */
const char *
tray_state_icon_name (TrayStateKind kind)
{
  switch (kind) {
    case TRAY_STATE_VALID:
      return "io.github.botomfa.Botomfa-valid-symbolic";
    case TRAY_STATE_EXPIRING:
      return "io.github.botomfa.Botomfa-expiring-symbolic";
    case TRAY_STATE_EXPIRED:
    case TRAY_STATE_MISSING:
      return "io.github.botomfa.Botomfa-expired-symbolic";
    case TRAY_STATE_REFRESHING:
      return "io.github.botomfa.Botomfa-refreshing-symbolic";
    case TRAY_STATE_ERROR:
    default:
      return "io.github.botomfa.Botomfa-error-symbolic";
  }
}

/**
 * tray_state_icon_description:
 * @kind: a state
 *
 * Returns: (transfer none): the icon's accessible description, translated
 */
const char *
tray_state_icon_description (TrayStateKind kind)
{
  switch (kind) {
    case TRAY_STATE_VALID:
      return _ ("AWS session valid");
    case TRAY_STATE_EXPIRING:
      return _ ("AWS session expiring soon");
    case TRAY_STATE_EXPIRED:
      return _ ("AWS session expired");
    case TRAY_STATE_MISSING:
      return _ ("No AWS session");
    case TRAY_STATE_REFRESHING:
      return _ ("Refreshing the AWS session");
    case TRAY_STATE_ERROR:
    default:
      return _ ("AWS session state unknown: error");
  }
}
