/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* libFuzzer target for IniFile. Any input: parsing either fails with an
 * INI_FILE_ERROR or gives back the input byte for byte. Then random edits
 * (drawn from the input's own bytes, on its own sections and keys and on a
 * few others) must each read back as asked, change no other value, and
 * leave a file that parses again to the same values. */

#include "ini-file.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char *const sections[] = { "default", "Credentials", "a",
                                        "profile x", "\xc3\x89" };
static const char *const keys[] = { "aws_session_token", "K", "k", "x y",
                                    "\xc3\xa9" };
static const char *const values[] = {
  "", "v", "a = b", "; c", "[h]", "tok/en+="
};

typedef struct {
  guint32 state;
} Rng;

static guint
rng_next (Rng *rng, guint n)
{
  /* xorshift32: deterministic per input, so crashes reproduce. */
  rng->state ^= rng->state << 13;
  rng->state ^= rng->state >> 17;
  rng->state ^= rng->state << 5;
  return rng->state % n;
}

static char *
pick_name (Rng *rng, char **found, const char *const *pool, guint pool_len)
{
  guint found_len = g_strv_length (found);

  if (found_len > 0 && rng_next (rng, 2) == 0)
    return g_strdup (found[rng_next (rng, found_len)]);
  return g_strdup (pool[rng_next (rng, pool_len)]);
}

/* Every value as "section\x1fkey" -> value. */
static GHashTable *
all_values (IniFile *ini)
{
  GHashTable *table =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto (GStrv) names = ini_file_get_sections (ini);

  for (char **s = names; *s != NULL; s++) {
    g_auto (GStrv) ks = ini_file_get_keys (ini, *s);

    for (char **k = ks; *k != NULL; k++) {
      char *value = ini_file_get_value (ini, *s, *k);

      g_assert (value != NULL);
      g_hash_table_insert (table, g_strconcat (*s, "\x1f", *k, NULL), value);
    }
  }
  return table;
}

/* Everything in @before but @section (or only its @key) is in @after. */
static void
assert_rest_unchanged (GHashTable *before, GHashTable *after,
                       const char *section, const char *key)
{
  g_autofree char *prefix = g_strconcat (section, "\x1f", NULL);
  g_autofree char *folded = key ? g_utf8_strdown (key, -1) : NULL;
  g_autofree char *touched = key ? g_strconcat (prefix, folded, NULL) : NULL;
  GHashTableIter iter;
  gpointer name, value;

  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &name, &value)) {
    if (key != NULL ? g_str_equal (name, touched)
                    : g_str_has_prefix (name, prefix))
      continue;
    g_assert (g_strcmp0 (g_hash_table_lookup (after, name), value) == 0);
  }
}

static void
edit_once (IniFile *ini, Rng *rng)
{
  g_auto (GStrv) found_sections = ini_file_get_sections (ini);
  g_autofree char *section =
    pick_name (rng, found_sections, sections, G_N_ELEMENTS (sections));
  g_auto (GStrv) found_keys = ini_file_get_keys (ini, section);
  g_autofree char *key = pick_name (rng, found_keys, keys, G_N_ELEMENTS (keys));
  const char *value = values[rng_next (rng, G_N_ELEMENTS (values))];
  g_autoptr (GHashTable) before = all_values (ini);
  g_autoptr (GHashTable) after = NULL;
  g_autofree char *read = NULL;
  guint op = rng_next (rng, 6);

  if (op < 4) {
    if (ini_file_set_value (ini, section, key, value, NULL)) {
      read = ini_file_get_value (ini, section, key);
      g_assert (g_strcmp0 (read, value) == 0);
    }
  } else if (op == 4) {
    ini_file_remove_key (ini, section, key);
    g_assert (ini_file_get_value (ini, section, key) == NULL);
  } else {
    /* It refuses (and changes nothing) when an indented line after the
     * section would become a continuation of an earlier setting. */
    if (ini_file_remove_section (ini, section))
      g_assert (!ini_file_has_section (ini, section));
  }
  after = all_values (ini);
  assert_rest_unchanged (before, after, section, op == 5 ? NULL : key);
}

static void
assert_same_values (GHashTable *a, GHashTable *b)
{
  GHashTableIter iter;
  gpointer name, value;

  g_assert (g_hash_table_size (a) == g_hash_table_size (b));
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &name, &value))
    g_assert (g_strcmp0 (g_hash_table_lookup (b, name), value) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (IniFile) ini =
    ini_file_new_from_data ((const char *) data, size, &error);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (IniFile) reread = NULL;
  g_autoptr (GHashTable) edited = NULL;
  g_autoptr (GHashTable) reread_values = NULL;
  Rng rng = { 2166136261u };

  if (ini == NULL) {
    g_assert (error != NULL && error->domain == INI_FILE_ERROR);
    return 0;
  }
  bytes = ini_file_to_bytes (ini);
  g_assert (g_bytes_get_size (bytes) == size);
  g_assert (size == 0
            || memcmp (g_bytes_get_data (bytes, NULL), data, size) == 0);
  g_clear_pointer (&bytes, g_bytes_unref);

  for (size_t i = 0; i < size; i++)
    rng.state = (rng.state ^ data[i]) * 16777619u;
  rng.state |= 1;
  for (guint n = rng_next (&rng, 8); n > 0; n--)
    edit_once (ini, &rng);

  bytes = ini_file_to_bytes (ini);
  reread = ini_file_new_from_data (g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), NULL);
  g_assert (reread != NULL);
  edited = all_values (ini);
  reread_values = all_values (reread);
  assert_same_values (edited, reread_values);
  return 0;
}
