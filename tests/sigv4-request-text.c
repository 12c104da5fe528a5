/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#include "sigv4-request-text.h"

#include <string.h>

static void
sync_request (Sigv4RequestText *text)
{
  text->request.method = text->method;
  text->request.path = text->path;
  text->request.query = text->query;
  text->request.headers = (const Sigv4Header *) text->headers->data;
  text->request.n_headers = text->headers->len;
  text->request.body = text->body->data;
  text->request.body_len = text->body->len;
}

static const char *
keep_string (Sigv4RequestText *text, const char *start, gsize len)
{
  char *copy = g_strndup (start, len);

  g_ptr_array_add (text->strings, copy);
  return copy;
}

static void
add_header (Sigv4RequestText *text, const char *name, const char *value,
            gsize value_len)
{
  Sigv4Header header;

  header.name = name;
  header.value = keep_string (text, value, value_len);
  g_array_append_val (text->headers, header);
}

static gboolean
parse_request_line (Sigv4RequestText *text, const char *line, gsize len,
                    GError **error)
{
  const char *first = memchr (line, ' ', len);
  const char *last = g_strrstr_len (line, (gssize) len, " ");
  const char *target;
  const char *question;
  gsize target_len;

  /* The target may itself hold spaces ("GET /example space/ HTTP/1.1"),
   * so it runs from the first space to the last. */
  if (first == NULL || last == first) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "request line is not METHOD TARGET VERSION");
    return FALSE;
  }

  target = first + 1;
  target_len = (gsize) (last - target);
  question = memchr (target, '?', target_len);
  text->method = g_strndup (line, (gsize) (first - line));
  text->path =
    g_strndup (target, question ? (gsize) (question - target) : target_len);
  if (question != NULL)
    text->query =
      g_strndup (question + 1, (gsize) (target + target_len - question - 1));

  return TRUE;
}

static gboolean
parse_header_line (Sigv4RequestText *text, const char *line, gsize len,
                   GError **error)
{
  const char *colon;
  const char *name;

  if ((line[0] == ' ' || line[0] == '\t') && text->headers->len > 0) {
    Sigv4Header *previous =
      &g_array_index (text->headers, Sigv4Header, text->headers->len - 1);

    add_header (text, previous->name, line, len);
    return TRUE;
  }

  colon = memchr (line, ':', len);
  if (colon == NULL) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "header line without a colon");
    return FALSE;
  }

  name = keep_string (text, line, (gsize) (colon - line));
  add_header (text, name, colon + 1, (gsize) (line + len - colon - 1));
  return TRUE;
}

static gboolean
parse_lines (Sigv4RequestText *text, const char *p, const char *end,
             GError **error)
{
  gboolean first = TRUE;

  while (p < end) {
    const char *newline = memchr (p, '\n', (gsize) (end - p));
    const char *line_end = newline ? newline : end;
    gsize len = (gsize) (line_end - p);
    gboolean ok;

    if (len > 0 && p[len - 1] == '\r')
      len--;
    if (!first && len == 0) {
      if (newline != NULL)
        g_byte_array_append (text->body, (const guint8 *) newline + 1,
                             (guint) (end - newline - 1));
      return TRUE;
    }
    ok = first ? parse_request_line (text, p, len, error)
               : parse_header_line (text, p, len, error);
    if (!ok)
      return FALSE;
    first = FALSE;
    p = newline ? newline + 1 : end;
  }

  if (first) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "empty request");
    return FALSE;
  }
  return TRUE;
}

/**
 * sigv4_request_text_parse:
 * @text: the request as text
 * @len: its length in bytes
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the parsed request, or %NULL when
 *   @text has no request line or a header line without a colon.
 */
Sigv4RequestText *
sigv4_request_text_parse (const char *text, gsize len, GError **error)
{
  g_autoptr (Sigv4RequestText) parsed = g_new0 (Sigv4RequestText, 1);

  parsed->headers = g_array_new (FALSE, TRUE, sizeof (Sigv4Header));
  parsed->strings = g_ptr_array_new_with_free_func (g_free);
  parsed->body = g_byte_array_new ();

  if (!parse_lines (parsed, text, text + len, error))
    return NULL;

  sync_request (parsed);
  return g_steal_pointer (&parsed);
}

/**
 * sigv4_request_text_get_header:
 * @text: a parsed request
 * @name: a header name, in any case
 *
 * Returns: (nullable): the first value of header @name.
 */
const char *
sigv4_request_text_get_header (const Sigv4RequestText *text, const char *name)
{
  for (guint i = 0; i < text->headers->len; i++) {
    const Sigv4Header *h = &g_array_index (text->headers, Sigv4Header, i);

    if (g_ascii_strcasecmp (h->name, name) == 0)
      return h->value;
  }
  return NULL;
}

/**
 * sigv4_request_text_remove_header:
 * @text: a parsed request
 * @name: a header name, in any case
 *
 * Removes every header called @name.
 *
 * Returns: %TRUE when one was there.
 */
gboolean
sigv4_request_text_remove_header (Sigv4RequestText *text, const char *name)
{
  gboolean removed = FALSE;

  for (guint i = text->headers->len; i > 0; i--) {
    const Sigv4Header *h = &g_array_index (text->headers, Sigv4Header, i - 1);

    if (g_ascii_strcasecmp (h->name, name) != 0)
      continue;
    g_array_remove_index (text->headers, i - 1);
    removed = TRUE;
  }

  sync_request (text);
  return removed;
}

/**
 * sigv4_request_text_free:
 * @text: (nullable) (transfer full): a parsed request
 */
void
sigv4_request_text_free (Sigv4RequestText *text)
{
  if (text == NULL)
    return;

  g_free (text->method);
  g_free (text->path);
  g_free (text->query);
  g_clear_pointer (&text->headers, g_array_unref);
  g_clear_pointer (&text->strings, g_ptr_array_unref);
  g_clear_pointer (&text->body, g_byte_array_unref);
  g_free (text);
}
