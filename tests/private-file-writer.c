/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* A helper of test-private-file, run as a separate process so that it can be
 * killed at any instant:
 *
 *   private-file-writer PATH VERSION-A VERSION-B COUNT
 *     updates PATH COUNT times (0: until killed), each time to whichever
 *     of the two versions (files) it does not hold now;
 *   private-file-writer --hold PATH SECONDS
 *     takes PATH's lock through private_file_update(), prints "locked" and
 *     keeps it SECONDS seconds, changing nothing.
 */

#include "private-file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  GBytes *a;
  GBytes *b;
} Versions;

static gboolean
toggle (const char *contents, gsize len, GBytes **new_contents,
        gpointer user_data, GError **error)
{
  Versions *versions = user_data;
  gsize a_len;
  const char *a = g_bytes_get_data (versions->a, &a_len);

  if (contents != NULL && len == a_len && memcmp (contents, a, len) == 0)
    *new_contents = g_bytes_ref (versions->b);
  else
    *new_contents = g_bytes_ref (versions->a);
  return TRUE;
}

static gboolean
hold (const char *contents, gsize len, GBytes **new_contents,
      gpointer user_data, GError **error)
{
  printf ("locked\n");
  fflush (stdout);
  g_usleep (GPOINTER_TO_UINT (user_data) * G_USEC_PER_SEC);
  return TRUE;
}

static GBytes *
load (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, &error)) {
    fprintf (stderr, "private-file-writer: %s\n", error->message);
    exit (2);
  }
  return g_bytes_new_take (data, len);
}

static int
run_toggle (const char *path, const char *a, const char *b, long count)
{
  Versions versions = { load (a), load (b) };

  for (long i = 0; count == 0 || i < count; i++) {
    g_autoptr (GError) error = NULL;

    if (!private_file_update (path, toggle, &versions, &error)) {
      fprintf (stderr, "private-file-writer: %s\n", error->message);
      return 1;
    }
  }
  g_bytes_unref (versions.a);
  g_bytes_unref (versions.b);
  return 0;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;

  if (argc == 4 && strcmp (argv[1], "--hold") == 0) {
    guint seconds = atoi (argv[3]);

    if (private_file_update (argv[2], hold, GUINT_TO_POINTER (seconds), &error))
      return 0;
    fprintf (stderr, "private-file-writer: %s\n", error->message);
    return 1;
  }
  if (argc == 5)
    return run_toggle (argv[1], argv[2], argv[3], atol (argv[4]));

  fprintf (stderr, "usage: private-file-writer PATH A B COUNT | --hold PATH "
                   "SECONDS\n");
  return 2;
}
