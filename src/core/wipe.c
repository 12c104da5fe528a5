/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#include "wipe.h"

#include <string.h>

/**
 * wipe_memory:
 * @data: (nullable): memory holding a secret
 * @len: its length in bytes
 *
 * Overwrites @data with zeros in a way the compiler may not elide, since
 * the memory is about to be freed and never read again.
 */
void
wipe_memory (void *data, gsize len)
{
  if (data == NULL || len == 0)
    return;

  explicit_bzero (data, len);
}

/**
 * wipe_string_free:
 * @str: (nullable) (transfer full): a NUL-terminated secret
 *
 * Wipes and frees @str.
 */
void
wipe_string_free (char *str)
{
  if (str == NULL)
    return;

  wipe_memory (str, strlen (str));
  g_free (str);
}

/**
 * wipe_gstring_free:
 * @str: (nullable) (transfer full): a string builder that held a secret
 *
 * Wipes the whole allocation of @str (not only its current length, since
 * a secret may have been truncated away) and frees it.
 */
void
wipe_gstring_free (GString *str)
{
  if (str == NULL)
    return;

  wipe_memory (str->str, str->allocated_len);
  g_string_free (str, TRUE);
}

/**
 * wipe_byte_array_free:
 * @array: (nullable) (transfer full): a buffer that held a secret
 *
 * Wipes the used part of @array and frees it.
 */
void
wipe_byte_array_free (GByteArray *array)
{
  if (array == NULL)
    return;

  wipe_memory (array->data, array->len);
  g_byte_array_free (array, TRUE);
}

typedef struct {
  gpointer data;
  gsize len;
} WipeBlock;

static void
wipe_block_free (gpointer user_data)
{
  WipeBlock *block = user_data;

  wipe_memory (block->data, block->len);
  g_free (block->data);
  g_free (block);
}

/**
 * wipe_bytes_new_take:
 * @data: (transfer full) (nullable): memory from g_malloc() that holds or
 *   will hold a secret; kept as it is, so its alignment is g_malloc()'s
 * @len: the length of @data in bytes
 *
 * Wraps @data in a #GBytes that wipes and frees it when the last
 * reference goes, for secrets handed to APIs that take #GBytes (GVariant,
 * streams).
 *
 * Returns: (transfer full): the bytes
 */
GBytes *
wipe_bytes_new_take (gpointer data, gsize len)
{
  WipeBlock *block = g_new (WipeBlock, 1);

  block->data = data;
  block->len = len;

  return g_bytes_new_with_free_func (data, len, wipe_block_free, block);
}
