/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The tray's state rules: which state, when it changes next, and the
 * line shown for it. */

#include "tray-state.h"

#include <locale.h>

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

static void
test_valid_next_change (void)
{
  g_autoptr (GDateTime) now = at (12, 0, 0);
  g_autoptr (GDateTime) expiry = at (12, 41, 0);
  GTimeSpan next;

  g_assert_cmpint (
    tray_state_classify (REFRESH_STATUS_VALID, expiry, now, NOTIFY, &next), ==,
    TRAY_STATE_VALID);
  /* 41 min left exactly: the text turns to 40 min in one minute. */
  g_assert_cmpint (next, ==, G_TIME_SPAN_MINUTE);
}

static void
test_valid_hours_wake_hourly (void)
{
  g_autoptr (GDateTime) now = at (1, 0, 0);
  g_autoptr (GDateTime) expiry = at (13, 30, 0);
  GTimeSpan next;

  g_assert_cmpint (
    tray_state_classify (REFRESH_STATUS_VALID, expiry, now, NOTIFY, &next), ==,
    TRAY_STATE_VALID);
  g_assert_cmpint (next, ==, 30 * G_TIME_SPAN_MINUTE + 1);
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
  /* 10 min 10 s left: the warning threshold (10 s) comes before the
   * text's change (11 -> 10 min, also at 10 s): the smaller wins. */
  g_assert_cmpint (next, ==, 10 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (
    tray_state_classify (REFRESH_STATUS_VALID, expiry, later, NOTIFY, &next),
    ==, TRAY_STATE_EXPIRING);
  /* 9 min 59 s left: 10 min shown until 9 min are left. */
  g_assert_cmpint (next, ==, 59 * G_TIME_SPAN_SECOND);
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
  g_autoptr (GDateTime) tomorrow = at (23, 59, 0);
  g_autofree char *valid = NULL;
  g_autofree char *expiring = NULL;
  g_autofree char *hours = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *error = NULL;

  valid = tray_state_describe ("default", TRAY_STATE_VALID, expiry, now, NULL);
  g_assert_cmpstr (valid, ==, "default — valid until 14:32, 41 min left");
  expiring =
    tray_state_describe ("work", TRAY_STATE_EXPIRING, expiry, now, NULL);
  g_assert_cmpstr (expiring, ==, "work — expires at 14:32, 41 min left");
  hours =
    tray_state_describe ("default", TRAY_STATE_VALID, tomorrow, now, NULL);
  g_assert_cmpstr (hours, ==, "default — valid until 23:59, 10 h left");
  missing =
    tray_state_describe ("default", TRAY_STATE_MISSING, NULL, now, NULL);
  g_assert_cmpstr (missing, ==, "default — no session");
  error = tray_state_describe ("default", TRAY_STATE_ERROR, NULL, now,
                               "Set AWS_ACT_NUM");
  g_assert_cmpstr (error, ==, "default — Set AWS_ACT_NUM");
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
  g_test_add_func ("/tray-state/hours", test_valid_hours_wake_hourly);
  g_test_add_func ("/tray-state/warning", test_warning_threshold);
  g_test_add_func ("/tray-state/expiring-margin", test_expiring_ends_at_margin);
  g_test_add_func ("/tray-state/unknown-expiry", test_unknown_expiry);
  g_test_add_func ("/tray-state/describe", test_describe);
  g_test_add_func ("/tray-state/icons", test_icons_differ);
  g_test_add_func ("/tray-state/icons-exist", test_icons_exist);

  return g_test_run ();
}
