/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

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

G_END_DECLS
