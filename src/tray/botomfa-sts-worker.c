/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* botomfa-sts-worker: makes one STS or IAM call for botomfa-tray, so that
 * the tray, which runs all session long, never loads libcurl, GnuTLS and
 * what they pull in (about 6 MB of its memory).
 *
 * The protocol (src/core/sts-job.h): botomfa-tray writes one request to
 * the worker's stdin and closes it; the worker makes the call and writes
 * one reply to stdout (a session, the MFA devices, or the error with its
 * domain and code), then exits 0. Nothing else goes to stdout; logs go to
 * stderr. Secrets (the key's secret, the code, the session) travel only
 * through these two descriptors, never in argv, the environment or a
 * file. A worker that ends without a reply is reported by the tray as a
 * failure of the worker.
 *
 * botomfa-tray starts it from PKGLIBEXECDIR, or from its own build
 * directory when it runs uninstalled. The environment variable
 * BOTOMFA_STS_WORKER, when set, names the program the tray starts instead;
 * it is for tests, which point it at a missing file or at /bin/false. The
 * worker inherits the tray's environment, so AWS_ENDPOINT_URL_STS,
 * AWS_CA_BUNDLE, BOTOMFA_STS_TIMEOUT and G_MESSAGES_DEBUG work as they
 * would in the tray. It is not meant to be run by hand. */

#define G_LOG_DOMAIN "botomfa-sts"

#include "config.h"

#include "device-discovery.h"
#include "sts-client.h"
#include "sts-job.h"
#include "wipe.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <unistd.h>

/* The request, read with read(2) into wiped memory: stdio would keep a
 * copy in its buffer. */
static GBytes *
read_request (GError **error)
{
  guint8 *data = g_malloc (STS_JOB_MAX_SIZE);
  gsize len = 0;
  gssize n;

  do {
    n = read (STDIN_FILENO, data + len, STS_JOB_MAX_SIZE - len);
    if (n > 0)
      len += n;
  } while ((n > 0 && len < STS_JOB_MAX_SIZE) || (n < 0 && errno == EINTR));

  if (n < 0) {
    int saved = errno;

    wipe_memory (data, len);
    g_free (data);
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 _ ("botomfa-sts-worker could not read the request of "
                    "botomfa-tray: %s"),
                 g_strerror (saved));
    return NULL;
  }

  return wipe_bytes_new_take (data, len);
}

static gboolean
write_reply (GBytes *reply)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (reply, &len);
  gssize n;

  while (len > 0) {
    n = write (STDOUT_FILENO, data, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    data += n;
    len -= n;
  }

  return TRUE;
}

static GBytes *
get_session (StsClient *client, const StsJob *job)
{
  g_autoptr (Credentials) session = NULL;
  g_autoptr (GError) error = NULL;

  if (job->role_arn == NULL)
    session = sts_client_get_session_token (client, job->key, job->mfa_serial,
                                            job->token_code, job->duration,
                                            NULL, &error);
  else
    session = sts_client_assume_role (
      client, job->key, job->role_arn, job->session_name, job->mfa_serial,
      job->token_code, job->duration, NULL, &error);

  return session ? sts_job_reply_session (session)
                 : sts_job_reply_error (error);
}

static GBytes *
list_devices (StsClient *client, const StsJob *job)
{
  g_autoptr (GPtrArray) devices = NULL;
  g_autoptr (GError) error = NULL;

  devices = device_discovery_list (client, job->key, NULL, &error);

  return devices ? sts_job_reply_devices (devices)
                 : sts_job_reply_error (error);
}

static GBytes *
run (GBytes *request)
{
  g_autoptr (StsJob) job = NULL;
  g_autoptr (StsClient) client = NULL;
  g_autoptr (GError) error = NULL;

  job = sts_job_from_bytes (request, &error);
  if (job != NULL)
    client = sts_client_new (job->region, job->legacy_global, &error);
  if (client == NULL)
    return sts_job_reply_error (error);

  g_debug ("%s for the tray",
           job->kind == STS_JOB_DEVICES
             ? "ListMFADevices"
             : (job->role_arn ? "AssumeRole" : "GetSessionToken"));
  if (job->kind == STS_JOB_DEVICES)
    return list_devices (client, job);
  return get_session (client, job);
}

int
main (int argc, char **argv)
{
  g_autoptr (GBytes) request = NULL;
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (GError) error = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("botomfa-sts-worker");

  if (argc != 1) {
    g_printerr ("%s\n", _ ("botomfa-sts-worker: botomfa-tray runs this "
                           "program; it takes no arguments"));
    return 2;
  }

  request = read_request (&error);
  reply = request ? run (request) : sts_job_reply_error (error);
  if (!write_reply (reply)) {
    g_printerr (_ ("botomfa-sts-worker: could not answer botomfa-tray: %s\n"),
                g_strerror (errno));
    return 1;
  }

  return 0;
}
