/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* One STS or IAM call as bytes, and its answer as bytes: how botomfa-tray
 * hands its network calls to botomfa-sts-worker over a pipe. Both are
 * serialized GVariants of one fixed type each, read back only when they
 * are in normal form. Secrets (the key's secret, the code, the session)
 * are kept in memory that is wiped when freed, in every copy made here. */

#define G_LOG_DOMAIN "botomfa-sts"

#include "config.h"

#include "sts-job.h"
#include "sts-response.h"
#include "wipe.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* kind, region, legacy_global, (key id, secret), serial, code, role ARN,
 * session name, duration */
#define REQUEST_TYPE "(umsb(ss)msmsmsmsu)"
/* session (key id, secret, token, expiry), devices (serial, user, enabled),
 * error (domain, code, message): one of the three */
#define SESSION_TYPE "(sssmx)"
#define DEVICE_TYPE "(smsmx)"
#define ERROR_TYPE "(sis)"
#define REPLY_TYPE "(m" SESSION_TYPE "a" DEVICE_TYPE "m" ERROR_TYPE ")"

GQuark
sts_job_error_quark (void)
{
  return g_quark_from_static_string ("sts-job-error-quark");
}

static StsJob *
job_new (StsJobKind kind, const Profile *profile, const Credentials *key)
{
  StsJob *job = g_new0 (StsJob, 1);

  job->kind = kind;
  job->region = g_strdup (profile->region);
  job->legacy_global = profile->legacy_global;
  job->key =
    credentials_new (key->access_key_id, key->secret_access_key, NULL, NULL);

  return job;
}

/**
 * sts_job_new_session:
 * @profile: the profile to get a session for
 * @key: its long-term key (copied)
 * @token_code: the six-digit code (copied)
 *
 * Returns: (transfer full): the job refresh_obtain() would do
 */
StsJob *
sts_job_new_session (const Profile *profile, const Credentials *key,
                     const char *token_code)
{
  StsJob *job = job_new (STS_JOB_SESSION, profile, key);

  job->mfa_serial = g_strdup (profile->mfa_serial);
  job->token_code = g_strdup (token_code);
  job->role_arn = g_strdup (profile->role_arn);
  if (profile->role_arn != NULL)
    job->session_name = profile_role_session_name (profile);
  job->duration = profile->duration;

  return job;
}

/**
 * sts_job_new_devices:
 * @profile: the profile whose endpoint to use
 * @key: the IAM user's long-term key (copied)
 *
 * Returns: (transfer full): the job device_discovery_list() would do
 */
StsJob *
sts_job_new_devices (const Profile *profile, const Credentials *key)
{
  return job_new (STS_JOB_DEVICES, profile, key);
}

/**
 * sts_job_free:
 * @job: (nullable) (transfer full): a job
 *
 * Frees @job, wiping its key and code.
 */
void
sts_job_free (StsJob *job)
{
  if (job == NULL)
    return;

  g_free (job->region);
  credentials_free (job->key);
  g_free (job->mfa_serial);
  wipe_string_free (job->token_code);
  g_free (job->role_arn);
  g_free (job->session_name);
  g_free (job);
}

/* A string leaf whose storage is wiped when the value goes; a plain
 * g_variant_new_string() copy would not be. */
static GVariant *
secret_string (const char *text)
{
  gsize size = strlen (text) + 1;
  g_autoptr (GBytes) bytes = wipe_bytes_new_take (g_memdup2 (text, size), size);

  return g_variant_new_from_bytes (G_VARIANT_TYPE_STRING, bytes, FALSE);
}

static GVariant *
maybe_secret_string (const char *text)
{
  return g_variant_new_maybe (G_VARIANT_TYPE_STRING,
                              text ? secret_string (text) : NULL);
}

/* Serialized straight into wiped memory: g_variant_get_data() would
 * serialize into a buffer of GLib's that is freed without a wipe. */
static GBytes *
to_bytes (GVariant *value)
{
  g_autoptr (GVariant) sunk = g_variant_ref_sink (value);
  gsize size = g_variant_get_size (sunk);
  gpointer data = g_malloc (MAX (size, 1));

  g_variant_store (sunk, data);

  return wipe_bytes_new_take (data, size);
}

/* @bytes should be g_malloc()ed, so that GVariant need not copy it to
 * align it. */
static GVariant *
from_bytes (const char *type, GBytes *bytes)
{
  g_autoptr (GVariant) value = g_variant_ref_sink (
    g_variant_new_from_bytes (G_VARIANT_TYPE (type), bytes, FALSE));

  if (!g_variant_is_normal_form (value))
    return NULL;

  return g_steal_pointer (&value);
}

/**
 * sts_job_to_bytes:
 * @job: a job
 *
 * Returns: (transfer full): @job serialized, in memory wiped when the
 * bytes are freed
 */
GBytes *
sts_job_to_bytes (const StsJob *job)
{
  return to_bytes (
    g_variant_new ("(umsb(s@s)ms@msmsmsu)", (guint32) job->kind, job->region,
                   job->legacy_global, job->key->access_key_id,
                   secret_string (job->key->secret_access_key), job->mfa_serial,
                   maybe_secret_string (job->token_code), job->role_arn,
                   job->session_name, (guint32) job->duration));
}

static gboolean
job_is_complete (const StsJob *job)
{
  if (job->key->access_key_id[0] == '\0'
      || job->key->secret_access_key[0] == '\0')
    return FALSE;
  if (job->kind == STS_JOB_DEVICES)
    return TRUE;

  return job->kind == STS_JOB_SESSION && job->mfa_serial != NULL
         && job->token_code != NULL && job->duration > 0
         && (job->role_arn == NULL || job->session_name != NULL);
}

static StsJob *
job_from_variant (GVariant *value)
{
  StsJob *job = g_new0 (StsJob, 1);
  const char *region, *key_id, *secret, *serial, *code, *role, *name;
  guint32 kind, duration;

  g_variant_get (value, "(um&sb(&s&s)m&sm&sm&sm&su)", &kind, &region,
                 &job->legacy_global, &key_id, &secret, &serial, &code, &role,
                 &name, &duration);
  job->kind = kind;
  job->region = g_strdup (region);
  job->key = credentials_new (key_id, secret, NULL, NULL);
  job->mfa_serial = g_strdup (serial);
  job->token_code = g_strdup (code);
  job->role_arn = g_strdup (role);
  job->session_name = g_strdup (name);
  job->duration = duration;

  return job;
}

/**
 * sts_job_from_bytes:
 * @bytes: what sts_job_to_bytes() made, in g_malloc()ed memory
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the job, or %NULL with
 * %STS_JOB_ERROR_INVALID_REQUEST
 */
StsJob *
sts_job_from_bytes (GBytes *bytes, GError **error)
{
  g_autoptr (GVariant) value = from_bytes (REQUEST_TYPE, bytes);
  g_autoptr (StsJob) job = value ? job_from_variant (value) : NULL;

  if (job == NULL || !job_is_complete (job)) {
    g_set_error_literal (
      error, STS_JOB_ERROR, STS_JOB_ERROR_INVALID_REQUEST,
      _ ("botomfa-sts-worker did not understand the request of botomfa-tray: "
         "install both from the same build of botomfa"));
    return NULL;
  }

  return g_steal_pointer (&job);
}

static GBytes *
reply (GVariant *session, GVariant *devices, GVariant *error)
{
  if (devices == NULL)
    devices = g_variant_new_array (G_VARIANT_TYPE (DEVICE_TYPE), NULL, 0);

  return to_bytes (g_variant_new (
    "(@m" SESSION_TYPE "@a" DEVICE_TYPE "@m" ERROR_TYPE ")",
    g_variant_new_maybe (G_VARIANT_TYPE (SESSION_TYPE), session), devices,
    g_variant_new_maybe (G_VARIANT_TYPE (ERROR_TYPE), error)));
}

static GVariant *
maybe_time (GDateTime *time)
{
  return g_variant_new_maybe (
    G_VARIANT_TYPE_INT64,
    time ? g_variant_new_int64 (g_date_time_to_unix (time)) : NULL);
}

/**
 * sts_job_reply_session:
 * @session: the session a %STS_JOB_SESSION job got; it has a token
 *
 * Returns: (transfer full): the reply, in memory wiped when freed
 */
GBytes *
sts_job_reply_session (const Credentials *session)
{
  g_return_val_if_fail (session->session_token != NULL, NULL);

  return reply (g_variant_new ("(s@s@s@mx)", session->access_key_id,
                               secret_string (session->secret_access_key),
                               secret_string (session->session_token),
                               maybe_time (session->expiration)),
                NULL, NULL);
}

/**
 * sts_job_reply_devices:
 * @devices: (element-type IamMfaDevice): what a %STS_JOB_DEVICES job
 *   found, at least one
 *
 * Returns: (transfer full): the reply
 */
GBytes *
sts_job_reply_devices (GPtrArray *devices)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a" DEVICE_TYPE));
  for (guint i = 0; i < devices->len; i++) {
    const IamMfaDevice *device = devices->pdata[i];

    g_variant_builder_add (&builder, "(sm&s@mx)", device->serial_number,
                           device->user_name, maybe_time (device->enable_date));
  }

  return reply (NULL, g_variant_builder_end (&builder), NULL);
}

/**
 * sts_job_reply_error:
 * @error: why the job failed; its message holds no secret
 *
 * Returns: (transfer full): the reply, which sts_job_read_session() or
 * sts_job_read_devices() turn back into @error, domain and code included
 */
GBytes *
sts_job_reply_error (const GError *error)
{
  return reply (NULL, NULL,
                g_variant_new ("(sis)", g_quark_to_string (error->domain),
                               error->code, error->message));
}

static GError *
invalid_reply (void)
{
  return g_error_new_literal (
    STS_JOB_ERROR, STS_JOB_ERROR_INVALID_REPLY,
    _ ("botomfa-tray did not understand the answer of botomfa-sts-worker: "
       "install both from the same build of botomfa"));
}

static GDateTime *
time_from_maybe (GVariant *maybe)
{
  g_autoptr (GVariant) value = g_variant_get_maybe (maybe);

  return value ? g_date_time_new_from_unix_utc (g_variant_get_int64 (value))
               : NULL;
}

/* The error @value carries, rebuilt with its domain and code so callers
 * can match it as if the call had been made here. */
static GError *
error_from_variant (GVariant *value)
{
  const char *domain, *message;
  gint32 code;

  g_variant_get (value, "(&si&s)", &domain, &code, &message);
  if (domain[0] == '\0')
    return invalid_reply ();

  return g_error_new_literal (g_quark_from_string (domain), code, message);
}

/* Splits a reply to a job of @kind; %FALSE (with @error) for a failure,
 * whether the reply carries it or is no reply at all. */
static gboolean
split_reply (GBytes *bytes, StsJobKind kind, GVariant **session,
             GVariant **devices, GError **error)
{
  g_autoptr (GVariant) value = from_bytes (REPLY_TYPE, bytes);
  g_autoptr (GVariant) session_maybe = NULL;
  g_autoptr (GVariant) failure_maybe = NULL;
  g_autoptr (GVariant) failure = NULL;
  gboolean complete;

  if (value == NULL) {
    g_propagate_error (error, invalid_reply ());
    return FALSE;
  }
  g_variant_get (value, "(@m" SESSION_TYPE "@a" DEVICE_TYPE "@m" ERROR_TYPE ")",
                 &session_maybe, devices, &failure_maybe);
  *session = g_variant_get_maybe (session_maybe);
  failure = g_variant_get_maybe (failure_maybe);
  if (failure != NULL)
    complete = *session == NULL && g_variant_n_children (*devices) == 0;
  else if (kind == STS_JOB_SESSION)
    complete = *session != NULL && g_variant_n_children (*devices) == 0;
  else
    complete = *session == NULL && g_variant_n_children (*devices) > 0;

  if (!complete || failure != NULL) {
    g_propagate_error (error, complete ? error_from_variant (failure)
                                       : invalid_reply ());
    g_clear_pointer (session, g_variant_unref);
    g_clear_pointer (devices, g_variant_unref);
    return FALSE;
  }

  return TRUE;
}

/**
 * sts_job_read_session:
 * @reply: the reply to a %STS_JOB_SESSION job, in g_malloc()ed memory
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the session, or %NULL with the error the
 * worker met (its domain and code kept) or %STS_JOB_ERROR_INVALID_REPLY
 */
Credentials *
sts_job_read_session (GBytes *reply, GError **error)
{
  g_autoptr (GVariant) session = NULL;
  g_autoptr (GVariant) devices = NULL;
  g_autoptr (GVariant) expiry = NULL;
  g_autoptr (GDateTime) expiration = NULL;
  const char *key_id, *secret, *token;

  if (!split_reply (reply, STS_JOB_SESSION, &session, &devices, error))
    return NULL;

  g_variant_get (session, "(&s&s&s@mx)", &key_id, &secret, &token, &expiry);
  expiration = time_from_maybe (expiry);

  return credentials_new (key_id, secret, token, expiration);
}

/**
 * sts_job_read_devices:
 * @reply: the reply to a %STS_JOB_DEVICES job, in g_malloc()ed memory
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type IamMfaDevice): at least one
 * device, or %NULL as sts_job_read_session()
 */
GPtrArray *
sts_job_read_devices (GBytes *reply, GError **error)
{
  g_autoptr (GVariant) session = NULL;
  g_autoptr (GVariant) devices = NULL;
  GPtrArray *found;

  if (!split_reply (reply, STS_JOB_DEVICES, &session, &devices, error))
    return NULL;

  found = g_ptr_array_new_with_free_func ((GDestroyNotify) iam_mfa_device_free);
  for (gsize i = 0; i < g_variant_n_children (devices); i++) {
    g_autoptr (GVariant) enabled = NULL;
    IamMfaDevice *device = g_new0 (IamMfaDevice, 1);

    g_variant_get_child (devices, i, "(sms@mx)", &device->serial_number,
                         &device->user_name, &enabled);
    device->enable_date = time_from_maybe (enabled);
    g_ptr_array_add (found, device);
  }

  return found;
}
