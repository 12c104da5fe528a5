/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The tray's state rules: which state, when it changes next, and the
 * line shown for it. */

#include "tray-state.h"

#include <locale.h>
#include <string.h>

#define NOTIFY (10 * 60)

static GDateTime *
at (int hour, int minute, int second)
{
  return g_date_time_new_utc (2026, 12, 3, hour, minute, second);
}

static void
test_missing_and_expired (void)
{
  g_autoptr (GDateTime) now = at (12, 0, 0);
  g_autoptr (GDateTime) past = at (11, 0, 0);
  GTimeSpan next = 0;

  g_assert_cmpint (
    tray_state_classify (REFRESH_STATUS_MISSING, NULL, now, NOTIFY, &next), ==,
    TRAY_STATE_MISSING);
  g_assert_cmpint (next, ==, -1);
  next = 0;
  g_assert_cmpint (
    tray_state_classify (REFRESH_STATUS_EXPIRED, past, now, NOTIFY, &next), ==,
    TRAY_STATE_EXPIRED);
  g_assert_cmpint (next, ==, -1);
}

/* Within the expiry margin a session counts as expired, as refresh_peek()
 * has it, even when the file was read a moment earlier. */
static void
test_margin (void)
{
  g_autoptr (GDateTime) now = at (12, 0, 0);
  g_autoptr (GDateTime) soon = at (12, 0, 59);
  GTimeSpan next;

  g_assert_cmpint (
    tray_state_classify (REFRESH_STATUS_VALID, soon, now, NOTIFY, &next), ==,
    TRAY_STATE_EXPIRED);
  g_assert_cmpint (next, ==, -1);
}

/* The only wakeup of an idle tray is the next change of state: 41 min
 * left with a 10 min lead time sleeps 31 min, not one. */
static void
test_valid_next_change (void)
{
  g_autoptr (GDateTime) now = at (12, 0, 0);
  g_autoptr (GDateTime) expiry = at (12, 41, 0);
  GTimeSpan next;

  g_assert_cmpint (
    tray_state_classify (REFRESH_STATUS_VALID, expiry, now, NOTIFY, &next), ==,
    TRAY_STATE_VALID);
  g_assert_cmpint (next, ==, 31 * G_TIME_SPAN_MINUTE);
}

static void
test_valid_hours_sleep_through (void)
{
  g_autoptr (GDateTime) now = at (1, 0, 0);
  g_autoptr (GDateTime) expiry = at (13, 30, 0);
  GTimeSpan next;

  g_assert_cmpint (
    tray_state_classify (REFRESH_STATUS_VALID, expiry, now, NOTIFY, &next), ==,
    TRAY_STATE_VALID);
  g_assert_cmpint (next, ==, 12 * G_TIME_SPAN_HOUR + 20 * G_TIME_SPAN_MINUTE);
}

static void
test_warning_threshold (void)
{
  g_autoptr (GDateTime) now = at (12, 0, 30);
  g_autoptr (GDateTime) expiry = at (12, 10, 40);
  g_autoptr (GDateTime) later = at (12, 0, 41);
  GTimeSpan next;

  g_assert_cmpint (
    tray_state_classify (REFRESH_STATUS_VALID, expiry, now, NOTIFY, &next), ==,
    TRAY_STATE_VALID);
  g_assert_cmpint (next, ==, 10 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (
    tray_state_classify (REFRESH_STATUS_VALID, expiry, later, NOTIFY, &next),
    ==, TRAY_STATE_EXPIRING);
  /* 9 min 59 s left: expiring until the one-minute margin is reached. */
  g_assert_cmpint (next, ==, (9 * 60 - 1) * G_TIME_SPAN_SECOND);
}

/* A lead time below the expiry margin: valid turns straight to expired,
 * and the timer is set for that, not for the (never reached) warning. */
static void
test_short_lead_time (void)
{
  g_autoptr (GDateTime) now = at (12, 0, 0);
  g_autoptr (GDateTime) expiry = at (12, 5, 0);
  g_autoptr (GDateTime) then = NULL;
  GTimeSpan next, after;

  g_assert_cmpint (
    tray_state_classify (REFRESH_STATUS_VALID, expiry, now, 30, &next), ==,
    TRAY_STATE_VALID);
  g_assert_cmpint (next, ==, 4 * G_TIME_SPAN_MINUTE);
  then = g_date_time_add (now, next);
  g_assert_cmpint (
    tray_state_classify (REFRESH_STATUS_VALID, expiry, then, 30, &after), ==,
    TRAY_STATE_EXPIRED);
}

/* Walks a session's life in uneven steps: the state holds right up to
 * next_change and changes exactly there, so no wakeup is spent on a
 * moment when nothing changes, and none is missed. */
static void
test_next_is_a_transition (void)
{
  g_autoptr (GDateTime) expiry = at (13, 0, 0);
  GTimeSpan offset;

  for (offset = 0; offset < G_TIME_SPAN_HOUR; offset += 37 * 1000 * 1001) {
    g_autoptr (GDateTime) now = g_date_time_add (at (12, 0, 0), offset);
    g_autoptr (GDateTime) before = NULL;
    g_autoptr (GDateTime) then = NULL;
    GTimeSpan next, unused;
    TrayStateKind kind =
      tray_state_classify (REFRESH_STATUS_VALID, expiry, now, NOTIFY, &next);

    if (kind == TRAY_STATE_EXPIRED) {
      g_assert_cmpint (next, ==, -1);
      continue;
    }
    g_assert_cmpint (next, >, 0);
    before = g_date_time_add (now, next - G_TIME_SPAN_SECOND);
    then = g_date_time_add (now, next);
    g_assert_cmpint (tray_state_classify (REFRESH_STATUS_VALID, expiry, before,
                                          NOTIFY, &unused),
                     ==, kind);
    g_assert_cmpint (
      tray_state_classify (REFRESH_STATUS_VALID, expiry, then, NOTIFY, &unused),
      !=, kind);
  }
}

static void
test_expiring_ends_at_margin (void)
{
  g_autoptr (GDateTime) now = at (12, 0, 0);
  g_autoptr (GDateTime) expiry = at (12, 1, 30);
  GTimeSpan next;

  g_assert_cmpint (
    tray_state_classify (REFRESH_STATUS_VALID, expiry, now, NOTIFY, &next), ==,
    TRAY_STATE_EXPIRING);
  g_assert_cmpint (next, ==, 30 * G_TIME_SPAN_SECOND);
}

static void
test_unknown_expiry (void)
{
  g_autoptr (GDateTime) now = at (12, 0, 0);
  GTimeSpan next;

  g_assert_cmpint (
    tray_state_classify (REFRESH_STATUS_VALID, NULL, now, NOTIFY, &next), ==,
    TRAY_STATE_VALID);
  g_assert_cmpint (next, ==, -1);
}

static void
test_describe (void)
{
  g_autoptr (GDateTime) now = at (13, 51, 0);
  g_autoptr (GDateTime) expiry = at (14, 32, 0);
  g_autoptr (GDateTime) late = at (23, 59, 0);
  g_autoptr (GDateTime) tomorrow = g_date_time_new_utc (2026, 12, 4, 1, 5, 0);
  g_autofree char *valid = NULL;
  g_autofree char *expiring = NULL;
  g_autofree char *hours = NULL;
  g_autofree char *next_day = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *error = NULL;

  valid = tray_state_describe ("default", TRAY_STATE_VALID, expiry, now, NULL);
  g_assert_cmpstr (valid, ==, "default — valid until 14:32");
  expiring =
    tray_state_describe ("work", TRAY_STATE_EXPIRING, expiry, now, NULL);
  g_assert_cmpstr (expiring, ==, "work — expires at 14:32");
  hours = tray_state_describe ("default", TRAY_STATE_VALID, late, now, NULL);
  g_assert_cmpstr (hours, ==, "default — valid until 23:59");
  next_day =
    tray_state_describe ("default", TRAY_STATE_VALID, tomorrow, now, NULL);
  g_assert_cmpstr (next_day, ==, "default — valid until Fri 01:05");
  missing =
    tray_state_describe ("default", TRAY_STATE_MISSING, NULL, now, NULL);
  g_assert_cmpstr (missing, ==, "default — no session");
  error = tray_state_describe ("default", TRAY_STATE_ERROR, NULL, now,
                               "Set AWS_ACT_NUM");
  g_assert_cmpstr (error, ==, "default — Set AWS_ACT_NUM");
}

/* The title's text does not move with the clock inside one state, so
 * nothing needs re-rendering (or sending over D-Bus) between changes. */
static void
test_describe_is_steady (void)
{
  g_autoptr (GDateTime) expiry = at (14, 32, 0);
  g_autoptr (GDateTime) start = at (12, 0, 0);
  g_autofree char *first =
    tray_state_describe ("default", TRAY_STATE_VALID, expiry, start, NULL);

  for (int minute = 1; minute < 150; minute += 7) {
    g_autoptr (GDateTime) now = g_date_time_add_minutes (start, minute);
    g_autofree char *line =
      tray_state_describe ("default", TRAY_STATE_VALID, expiry, now, NULL);

    g_assert_cmpstr (line, ==, first);
    g_assert_null (strstr (line, "left"));
  }
}

/* The menu's line, built when shown, carries the time left. */
static void
test_describe_left (void)
{
  g_autoptr (GDateTime) now = at (13, 51, 0);
  g_autoptr (GDateTime) expiry = at (14, 32, 0);
  g_autoptr (GDateTime) late = at (23, 59, 0);
  g_autoptr (GDateTime) past = at (13, 0, 0);
  g_autofree char *valid = NULL;
  g_autofree char *expiring = NULL;
  g_autofree char *hours = NULL;
  g_autofree char *expired = NULL;
  g_autofree char *missing = NULL;

  valid =
    tray_state_describe_left ("default", TRAY_STATE_VALID, expiry, now, NULL);
  g_assert_cmpstr (valid, ==, "default — valid until 14:32, 41 min left");
  expiring =
    tray_state_describe_left ("work", TRAY_STATE_EXPIRING, expiry, now, NULL);
  g_assert_cmpstr (expiring, ==, "work — expires at 14:32, 41 min left");
  hours =
    tray_state_describe_left ("default", TRAY_STATE_VALID, late, now, NULL);
  g_assert_cmpstr (hours, ==, "default — valid until 23:59, 10 h 8 min left");
  expired =
    tray_state_describe_left ("default", TRAY_STATE_EXPIRED, past, now, NULL);
  g_assert_cmpstr (expired, ==, "default — session expired");
  missing =
    tray_state_describe_left ("default", TRAY_STATE_MISSING, NULL, now, NULL);
  g_assert_cmpstr (missing, ==, "default — no session");
}

/* The time left as it reads at a few moments: minutes rounded up, hours
 * from 60 minutes on, and the last minute said in words. */
static void
test_time_left (void)
{
  static const struct {
    int seconds_left;
    const char *left;
  } cases[] = {
    { 41 * 60, "41 min left" },
    { 40 * 60 + 30, "41 min left" },
    { 40 * 60 + 1, "41 min left" },
    { 61, "2 min left" },
    { 60, "1 min left" },
    { 59, "less than a minute left" },
    { 0, "less than a minute left" },
    { 59 * 60 + 1, "1 h left" },
    { 60 * 60, "1 h left" },
    { 65 * 60, "1 h 5 min left" },
    { 64 * 60 + 1, "1 h 5 min left" },
    { 2 * 60 * 60, "2 h left" },
    { 12 * 60 * 60 - 1, "12 h left" },
    { 11 * 60 * 60 + 59 * 60, "11 h 59 min left" },
  };
  g_autoptr (GDateTime) now = at (6, 0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GDateTime) expiry =
      g_date_time_add_seconds (now, cases[i].seconds_left);
    g_autofree char *at_text = g_date_time_format (expiry, "%H:%M");
    g_autofree char *expected =
      g_strdup_printf ("default — valid until %s, %s", at_text, cases[i].left);
    g_autofree char *line =
      tray_state_describe_left ("default", TRAY_STATE_VALID, expiry, now, NULL);

    g_assert_cmpstr (line, ==, expected);
  }
}

static void
test_icons_differ (void)
{
  g_assert_cmpstr (tray_state_icon_name (TRAY_STATE_VALID), ==,
                   "io.github.botomfa.Botomfa-valid-symbolic");
  g_assert_cmpstr (tray_state_icon_name (TRAY_STATE_MISSING), ==,
                   tray_state_icon_name (TRAY_STATE_EXPIRED));
  for (int a = TRAY_STATE_VALID; a <= TRAY_STATE_ERROR; a++) {
    g_assert_nonnull (tray_state_icon_description (a));
    for (int b = a + 1; b <= TRAY_STATE_ERROR; b++) {
      if (b == TRAY_STATE_MISSING && a == TRAY_STATE_EXPIRED)
        continue;
      g_assert_cmpstr (tray_state_icon_name (a), !=, tray_state_icon_name (b));
    }
  }
}

/* Every state's icon is one of ours, in data/icons. */
static void
test_icons_exist (void)
{
  for (int kind = TRAY_STATE_VALID; kind <= TRAY_STATE_ERROR; kind++) {
    g_autofree char *name =
      g_strconcat (tray_state_icon_name (kind), ".svg", NULL);
    g_autofree char *path =
      g_test_build_filename (G_TEST_DIST, "..", "data", "icons", "hicolor",
                             "symbolic", "apps", name, NULL);

    g_assert_true (g_str_has_prefix (name, "io.github.botomfa.Botomfa-"));
    if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
      g_error ("no icon %s", path);
  }
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  /* Times are shown in local time; the expected lines are in UTC. */
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tray-state/missing-expired", test_missing_and_expired);
  g_test_add_func ("/tray-state/margin", test_margin);
  g_test_add_func ("/tray-state/valid-next", test_valid_next_change);
  g_test_add_func ("/tray-state/hours", test_valid_hours_sleep_through);
  g_test_add_func ("/tray-state/warning", test_warning_threshold);
  g_test_add_func ("/tray-state/short-lead", test_short_lead_time);
  g_test_add_func ("/tray-state/next-is-transition", test_next_is_a_transition);
  g_test_add_func ("/tray-state/expiring-margin", test_expiring_ends_at_margin);
  g_test_add_func ("/tray-state/unknown-expiry", test_unknown_expiry);
  g_test_add_func ("/tray-state/describe", test_describe);
  g_test_add_func ("/tray-state/describe-steady", test_describe_is_steady);
  g_test_add_func ("/tray-state/describe-left", test_describe_left);
  g_test_add_func ("/tray-state/time-left", test_time_left);
  g_test_add_func ("/tray-state/icons", test_icons_differ);
  g_test_add_func ("/tray-state/icons-exist", test_icons_exist);

  return g_test_run ();
}
