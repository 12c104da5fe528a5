/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* Signs one request read from stdin with botomfa's SigV4 code, for
 * sigv4-crosscheck.py. Input: "key value" lines (access-key-id,
 * secret-access-key, region, service, time as YYYYMMDDTHHMMSSZ), an empty
 * line, then the request in the text form of sigv4-request-text.h. The
 * credentials come on stdin, never on the command line. Output: each stage
 * as "NAME LENGTH\n" followed by LENGTH bytes and a newline. */

#include "sigv4.h"
#include "sigv4-request-text.h"
#include "wipe.h"

#include <stdio.h>
#include <string.h>

typedef struct {
  char *access_key_id;
  char *secret_access_key;
  char *region;
  char *service;
  char *amz_date;
} ToolParams;

static void
tool_params_clear (ToolParams *params)
{
  g_free (params->access_key_id);
  wipe_string_free (params->secret_access_key);
  g_free (params->region);
  g_free (params->service);
  g_free (params->amz_date);
}

static gboolean
set_param (ToolParams *params, const char *key, const char *value)
{
  char **slot = NULL;

  if (strcmp (key, "access-key-id") == 0)
    slot = &params->access_key_id;
  else if (strcmp (key, "secret-access-key") == 0)
    slot = &params->secret_access_key;
  else if (strcmp (key, "region") == 0)
    slot = &params->region;
  else if (strcmp (key, "service") == 0)
    slot = &params->service;
  else if (strcmp (key, "time") == 0)
    slot = &params->amz_date;
  if (slot == NULL)
    return FALSE;

  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

/* Reads the parameter lines; returns where the request starts. */
static const char *
parse_params (const char *input, ToolParams *params)
{
  const char *p = input;

  while (*p != '\0' && *p != '\n') {
    const char *eol = strchr (p, '\n');
    g_autofree char *line =
      eol ? g_strndup (p, (gsize) (eol - p)) : g_strdup (p);
    char *space = strchr (line, ' ');

    if (space == NULL)
      return NULL;
    *space = '\0';
    if (!set_param (params, line, space + 1))
      return NULL;
    wipe_memory (line, strlen (line) + strlen (space + 1) + 1);
    p = eol ? eol + 1 : p + strlen (p);
  }

  return *p == '\n' ? p + 1 : NULL;
}

static GDateTime *
parse_amz_date (const char *amz_date)
{
  int y, mo, d, h, mi, s;

  if (amz_date == NULL
      || sscanf (amz_date, "%4d%2d%2dT%2d%2d%2dZ", &y, &mo, &d, &h, &mi, &s)
           != 6)
    return NULL;
  return g_date_time_new_utc (y, mo, d, h, mi, s);
}

static void
print_stage (const char *name, const char *value)
{
  printf ("%s %zu\n%s\n", name, strlen (value), value);
}

static int
run (const ToolParams *params, const Sigv4Request *request, GDateTime *time)
{
  g_autofree char *amz_date = sigv4_format_amz_date (time);
  g_autofree char *date = g_strndup (amz_date, 8);
  g_autofree char *signed_headers = NULL;
  g_auto (WipeString) canonical = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *string_to_sign = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *whole = NULL;
  guint8 key[SIGV4_KEY_LEN];

  canonical = sigv4_canonical_request (request, &signed_headers);
  scope = sigv4_credential_scope (amz_date, params->region, params->service);
  string_to_sign = sigv4_string_to_sign (amz_date, scope, canonical);
  sigv4_signing_key (params->secret_access_key, date, params->region,
                     params->service, key);
  signature = sigv4_signature (key, string_to_sign);
  wipe_memory (key, sizeof key);
  whole = sigv4_sign (request, params->access_key_id, params->secret_access_key,
                      params->region, params->service, time);

  print_stage ("canonical-request", canonical);
  print_stage ("string-to-sign", string_to_sign);
  print_stage ("signature", signature);
  print_stage ("authorization", whole);
  return 0;
}

int
main (void)
{
  g_autoptr (GString) input = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (Sigv4RequestText) request = NULL;
  g_autoptr (GDateTime) time = NULL;
  ToolParams params = { 0 };
  const char *request_text;
  char buffer[4096];
  size_t n;
  int status = 2;

  while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
    g_string_append_len (input, buffer, (gssize) n);

  request_text = parse_params (input->str, &params);
  time = parse_amz_date (params.amz_date);
  if (request_text == NULL || time == NULL || params.access_key_id == NULL
      || params.secret_access_key == NULL || params.region == NULL
      || params.service == NULL)
    fprintf (stderr, "sigv4-tool: bad or missing parameter lines\n");
  else if ((request = sigv4_request_text_parse (
              request_text, input->len - (gsize) (request_text - input->str),
              &error))
           == NULL)
    fprintf (stderr, "sigv4-tool: %s\n", error->message);
  else
    status = run (&params, &request->request, time);

  tool_params_clear (&params);
  wipe_memory (input->str, input->len);
  return status;
}
