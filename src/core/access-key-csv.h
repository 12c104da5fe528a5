/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

#include "credentials.h"

G_BEGIN_DECLS

#define ACCESS_KEY_CSV_ERROR (access_key_csv_error_quark ())

/**
 * AccessKeyCsvError:
 * @ACCESS_KEY_CSV_ERROR_READ: the file cannot be read
 * @ACCESS_KEY_CSV_ERROR_FORMAT: the file is not an access key CSV
 * @ACCESS_KEY_CSV_ERROR_KEY: the file holds something that is not an IAM
 *   user's access key
 */
typedef enum {
  ACCESS_KEY_CSV_ERROR_READ = 1,
  ACCESS_KEY_CSV_ERROR_FORMAT = 2,
  ACCESS_KEY_CSV_ERROR_KEY = 3,
} AccessKeyCsvError;

GQuark access_key_csv_error_quark (void);

Credentials *access_key_csv_read (const char *path, GError **error);
char *access_key_csv_find (const char *dir);

G_END_DECLS
