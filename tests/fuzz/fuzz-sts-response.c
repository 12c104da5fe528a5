/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* libFuzzer target: every parser of sts-response.c on arbitrary bytes.
 * Besides crashes and sanitizer reports, it stops on a broken contract:
 * success without a result, failure without an error, or credentials with
 * an empty field. */

#include "sts-response.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A warning or critical (a GError set twice, a failed precondition) is a
 * bug too: abort, so that libFuzzer keeps the input. */
static void
abort_on_log (const char *domain, GLogLevelFlags level, const char *message,
              gpointer user_data)
{
  g_printerr ("%s: %s\n", domain ? domain : "", message);
  abort ();
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_default_handler (abort_on_log, NULL);
  return 0;
}

static void
check (gboolean condition)
{
  if (!condition)
    abort ();
}

static void
fuzz_credentials (const char *xml, gsize len, const char *result)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (Credentials) credentials = NULL;
  g_autofree char *request_id = NULL;
  gboolean ok;

  ok = sts_response_parse_credentials (xml, len, result, &credentials,
                                       &request_id, &error);
  check (ok == (credentials != NULL) && ok == (error == NULL));
  if (ok)
    check (*credentials->access_key_id != '\0'
           && *credentials->secret_access_key != '\0'
           && *credentials->session_token != '\0'
           && credentials->expiration != NULL);
  else
    check (error->domain == STS_RESPONSE_ERROR && request_id == NULL);
}

static void
fuzz_identity (const char *xml, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (StsCallerIdentity) identity = NULL;
  gboolean ok;

  ok = sts_response_parse_caller_identity (xml, len, &identity, &error);
  check (ok == (identity != NULL) && ok == (error == NULL));
  if (ok)
    check (identity->account && identity->arn && identity->user_id);
}

static void
fuzz_mfa_devices (const char *xml, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) devices = NULL;
  gboolean ok;

  ok = sts_response_parse_mfa_devices (xml, len, &devices, &error);
  check (ok == (devices != NULL) && ok == (error == NULL));
  for (guint i = 0; ok && i < devices->len; i++) {
    IamMfaDevice *device = g_ptr_array_index (devices, i);

    check (device->serial_number != NULL && *device->serial_number != '\0');
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *xml = (const char *) data;
  g_autofree char *text = g_strndup (xml, size);
  g_autoptr (StsErrorDocument) doc = NULL;
  g_autoptr (GDateTime) time = NULL;

  fuzz_credentials (xml, size, "GetSessionTokenResult");
  fuzz_credentials (xml, size, "AssumeRoleResult");
  fuzz_identity (xml, size);
  fuzz_mfa_devices (xml, size);
  doc = sts_response_parse_error (xml, size);
  time = sts_response_parse_timestamp (text);

  return 0;
}
