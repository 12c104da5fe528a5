/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The CSV file the AWS console offers when an access key is created
 * ("Download .csv file", saved as NAME_accessKeys.csv): a header line
 * naming the columns "Access key ID" and "Secret access key" (the new-user
 * variant has more columns, such as "User name" and "Password"), then one
 * line of values. The file holds a secret: it is parsed in place, and
 * only the two values leave the buffer, which is wiped. */

#include "config.h"

#include "access-key-csv.h"

#include "long-term-key.h"
#include "wipe.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

/* The console's file is under 200 bytes. */
#define MAX_SIZE (64 * 1024)
#define MAX_CANDIDATES 500

GQuark
access_key_csv_error_quark (void)
{
  return g_quark_from_static_string ("access-key-csv-error-quark");
}

typedef struct {
  const char *start;
  const char *end;
} Span;

/* The next line of @text at *@pos, without its line end. */
static gboolean
next_line (const char *text, gsize len, gsize *pos, Span *line)
{
  const char *end;

  if (*pos >= len)
    return FALSE;
  line->start = text + *pos;
  end = memchr (line->start, '\n', len - *pos);
  line->end = end ? end : text + len;
  *pos = (gsize) (line->end - text) + (end ? 1 : 0);
  if (line->end > line->start && line->end[-1] == '\r')
    line->end--;

  return TRUE;
}

static gboolean
next_nonempty_line (const char *text, gsize len, gsize *pos, Span *line)
{
  while (next_line (text, len, pos, line)) {
    if (line->end > line->start)
      return TRUE;
  }

  return FALSE;
}

/* Field @index of @line, without surrounding blanks and quotes. The
 * console's values never hold a comma or a quote. */
static gboolean
field (const Span *line, guint index, Span *out)
{
  const char *p = line->start;

  for (guint i = 0; i < index; i++) {
    p = memchr (p, ',', (gsize) (line->end - p));
    if (p == NULL)
      return FALSE;
    p++;
  }
  out->start = p;
  out->end = memchr (p, ',', (gsize) (line->end - p));
  if (out->end == NULL)
    out->end = line->end;
  while (out->start < out->end && g_ascii_isspace (*out->start))
    out->start++;
  while (out->end > out->start && g_ascii_isspace (out->end[-1]))
    out->end--;
  if (out->end - out->start >= 2 && *out->start == '"' && out->end[-1] == '"') {
    out->start++;
    out->end--;
  }

  return TRUE;
}

static int
column (const Span *header, const char *name)
{
  gsize name_len = strlen (name);
  Span span;

  for (guint i = 0; field (header, i, &span); i++) {
    if ((gsize) (span.end - span.start) == name_len
        && g_ascii_strncasecmp (span.start, name, name_len) == 0)
      return (int) i;
  }

  return -1;
}

static Credentials *
parse (const char *text, gsize len, const char *path, GError **error)
{
  gsize pos = 0;
  Span header, values, id, secret;
  int id_column, secret_column;
  g_autofree char *id_text = NULL;
  g_auto (WipeString) secret_text = NULL;

  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    pos = 3;
  if (!next_nonempty_line (text, len, &pos, &header)
      || (id_column = column (&header, "Access key ID")) < 0
      || (secret_column = column (&header, "Secret access key")) < 0
      || !next_nonempty_line (text, len, &pos, &values)
      || !field (&values, (guint) id_column, &id)
      || !field (&values, (guint) secret_column, &secret)) {
    g_set_error (error, ACCESS_KEY_CSV_ERROR, ACCESS_KEY_CSV_ERROR_FORMAT,
                 _ ("%s is not an access key file from the AWS console: it "
                    "needs the columns “Access key ID” and “Secret access "
                    "key” and a line of values"),
                 path);
    return NULL;
  }
  id_text = g_strndup (id.start, (gsize) (id.end - id.start));
  secret_text = g_strndup (secret.start, (gsize) (secret.end - secret.start));

  return credentials_new (id_text, secret_text, NULL, NULL);
}

static char *
read_limited (const char *path, gsize *len, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInfo) info = g_file_query_info (
    file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  g_autoptr (GError) local_error = NULL;
  char *contents = NULL;

  if (info != NULL && g_file_info_get_size (info) > MAX_SIZE) {
    g_set_error (error, ACCESS_KEY_CSV_ERROR, ACCESS_KEY_CSV_ERROR_FORMAT,
                 _ ("%s is too large to be an access key file"), path);
    return NULL;
  }
  if (!g_file_get_contents (path, &contents, len, &local_error)) {
    g_set_error (error, ACCESS_KEY_CSV_ERROR, ACCESS_KEY_CSV_ERROR_READ,
                 _ ("Cannot read %s: %s"), path, local_error->message);
    return NULL;
  }

  return contents;
}

/**
 * access_key_csv_read:
 * @path: the file
 * @error: return location for a #GError
 *
 * Reads the access key from a CSV file of the AWS console and checks that
 * it is an IAM user's long-term key (long_term_key_check()). Blocks.
 *
 * Returns: (transfer full): the key (no token, no expiration), or %NULL
 */
Credentials *
access_key_csv_read (const char *path, GError **error)
{
  g_autoptr (Credentials) key = NULL;
  g_autoptr (GError) check_error = NULL;
  gsize len = 0;
  char *contents = read_limited (path, &len, error);

  if (contents == NULL)
    return NULL;
  key = parse (contents, len, path, error);
  wipe_memory (contents, len);
  g_free (contents);
  if (key == NULL)
    return NULL;
  if (!long_term_key_check (key->access_key_id, key->secret_access_key,
                            &check_error)) {
    g_set_error (error, ACCESS_KEY_CSV_ERROR, ACCESS_KEY_CSV_ERROR_KEY,
                 _ ("%s holds no usable access key: %s"), path,
                 check_error->message);
    return NULL;
  }

  return g_steal_pointer (&key);
}

static gboolean
looks_like_key_file (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  return g_str_has_suffix (lower, ".csv")
         && (strstr (lower, "accesskeys") != NULL
             || strstr (lower, "credentials") != NULL);
}

static gboolean
holds_key (const char *path)
{
  g_autoptr (Credentials) key = access_key_csv_read (path, NULL);

  return key != NULL;
}

/**
 * access_key_csv_find:
 * @dir: a directory, normally the user's downloads
 *
 * Looks in @dir (not below it) for the newest file named like the
 * console's (…accessKeys….csv, …credentials….csv) that holds a usable
 * access key. Blocks.
 *
 * Returns: (transfer full) (nullable): its path, or %NULL
 */
char *
access_key_csv_find (const char *dir)
{
  g_autoptr (GFile) file = g_file_new_for_path (dir);
  g_autoptr (GFileEnumerator) children = g_file_enumerate_children (
    file, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_TIME_MODIFIED,
    G_FILE_QUERY_INFO_NONE, NULL, NULL);
  g_autofree char *best = NULL;
  guint64 best_time = 0;
  GFileInfo *info;

  for (guint n = 0; children != NULL && n < MAX_CANDIDATES; n++) {
    g_autofree char *path = NULL;
    guint64 time;

    if (!g_file_enumerator_iterate (children, &info, NULL, NULL, NULL)
        || info == NULL)
      break;
    if (!looks_like_key_file (g_file_info_get_name (info)))
      continue;
    time =
      g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
    path = g_build_filename (dir, g_file_info_get_name (info), NULL);
    if ((best == NULL || time > best_time) && holds_key (path)) {
      g_free (best);
      best = g_steal_pointer (&path);
      best_time = time;
    }
  }

  return g_steal_pointer (&best);
}
