/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gio/gio.h>

#include "credentials.h"
#include "profile.h"

G_BEGIN_DECLS

#define LONG_TERM_KEY_ERROR (long_term_key_error_quark ())

typedef enum {
  LONG_TERM_KEY_ERROR_NOT_FOUND = 1,
  LONG_TERM_KEY_ERROR_NOT_LONG_TERM = 2,
  LONG_TERM_KEY_ERROR_MISMATCH = 3,
  LONG_TERM_KEY_ERROR_INVALID = 4,
} LongTermKeyError;

GQuark long_term_key_error_quark (void);

/**
 * LongTermKeyPlace:
 * @path: (nullable): the plaintext file, %NULL for the keyring
 * @section: (nullable): the file's section
 *
 * Where a long-term key was found.
 */
typedef struct {
  char *path;
  char *section;
} LongTermKeyPlace;

void long_term_key_place_free (LongTermKeyPlace *place);

gboolean long_term_key_check (const char *access_key_id,
                              const char *secret_access_key, GError **error);
Credentials *long_term_key_find_plaintext (const Profile *profile,
                                           LongTermKeyPlace **place,
                                           GError **error);
gboolean long_term_key_remove_plaintext (const LongTermKeyPlace *place,
                                         const Credentials *expected,
                                         GError **error);
Credentials *long_term_key_load (const Profile *profile, guint timeout_ms,
                                 LongTermKeyPlace **place, char **notice,
                                 GError **error);
gboolean long_term_key_store_verified (const char *profile_name,
                                       const Credentials *key, guint timeout_ms,
                                       GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LongTermKeyPlace, long_term_key_place_free)

G_END_DECLS
