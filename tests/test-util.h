/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Helpers shared by the GTest programs: scratch directories, fixtures and
 * byte comparison. Every helper asserts on failure, so a test never goes
 * on with a file it could not make or read.
 */

/**
 * TestUtilScratch:
 * @dir: a new scratch directory, named after the test program
 * @path: @dir/NAME, not created
 *
 * A g_test_add() fixture whose test data is the file name NAME.
 */
typedef struct {
  char *dir;
  char *path;
} TestUtilScratch;

char *test_util_scratch_dir (const char *prefix);
void test_util_remove_tree (const char *path);
void test_util_scratch_set_up (TestUtilScratch *scratch,
                               gconstpointer file_name);
void test_util_scratch_tear_down (TestUtilScratch *scratch,
                                  gconstpointer file_name);
char *test_util_fixture_path (const char *first_element,
                              ...) G_GNUC_NULL_TERMINATED;

char *test_util_read_file (const char *path, gsize *len);
GBytes *test_util_read_bytes (const char *path);
void test_util_write_file (const char *path, const char *contents, gssize len);
char *test_util_scratch_file (const char *dir, const char *name,
                              const char *contents, gssize len);

void test_util_assert_bytes_equal (GBytes *actual, GBytes *expected);
void test_util_assert_file_text (const char *path, const char *expected);
void test_util_assert_mode (const char *path, guint mode);

/**
 * TestUtilStsServer:
 * @process: tests/sts_server.py, dying with the test program
 * @url: where it answers, https://127.0.0.1:PORT
 * @ca_path: its throwaway CA, PEM
 *
 * The loopback STS server for GTest programs.
 */
typedef struct {
  GSubprocess *process;
  char *url;
  char *ca_path;
} TestUtilStsServer;

TestUtilStsServer *test_util_sts_server_start (const char *state_dir);
char *test_util_sts_server_get (const TestUtilStsServer *server,
                                const char *path, const char *data);
void test_util_sts_server_control (const TestUtilStsServer *server,
                                   const char *json);
void test_util_sts_server_stop (TestUtilStsServer *server);

/**
 * TestUtilWaiter:
 * @loop: runs until the call is done
 * @result: the call's result, once it is
 *
 * Runs the main loop until an async call finishes: initialise it with
 * `{ g_main_loop_new (NULL, FALSE), NULL }` and pass
 * test_util_waiter_done() and the waiter as the call's callback and data.
 */
typedef struct {
  GMainLoop *loop;
  GAsyncResult *result;
} TestUtilWaiter;

void test_util_waiter_done (GObject *source, GAsyncResult *result,
                            gpointer waiter);
GAsyncResult *test_util_waiter_wait (TestUtilWaiter *waiter);

G_END_DECLS
