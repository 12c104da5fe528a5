/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* STS actions on top of the Query transport, and the translation of every
 * STS error code into a message that says what to do. */

#define G_LOG_DOMAIN "botomfa-sts"

#include "config.h"

#include "sts-client.h"
#include "aws-query.h"
#include "wipe.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#define STS_VERSION "2011-06-15"
#define IAM_VERSION "2010-05-08"

GQuark
sts_error_quark (void)
{
  return g_quark_from_static_string ("sts-error-quark");
}

struct _StsClient {
  AwsEndpoint *endpoint;
  AwsEndpoint *iam_endpoint;
  char *region;
  AwsQuery *query;
};

/**
 * sts_error_is_transport:
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE when @error says nothing about the credentials: the
 * endpoint could not be reached, did not answer properly, or was busy.
 */
gboolean
sts_error_is_transport (const GError *error)
{
  return error != NULL && error->domain == STS_ERROR
         && (error->code <= STS_ERROR_SERVICE_UNAVAILABLE
             || error->code == STS_ERROR_THROTTLED);
}

/**
 * sts_client_new:
 * @region: (nullable): the region whose endpoint to use; %NULL for global
 * @legacy_global: use the global endpoint for commercial regions
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a client, or %NULL when the endpoint settings
 * (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, @region) are invalid.
 */
StsClient *
sts_client_new (const char *region, gboolean legacy_global, GError **error)
{
  AwsEndpoint *endpoint;
  StsClient *client;

  endpoint = aws_endpoint_resolve ("sts", region, legacy_global, error);
  if (endpoint == NULL)
    return NULL;

  client = g_new0 (StsClient, 1);
  client->endpoint = endpoint;
  client->region = g_strdup (region);
  client->query = aws_query_new ();

  return client;
}

void
sts_client_free (StsClient *client)
{
  if (client == NULL)
    return;

  aws_endpoint_free (client->endpoint);
  aws_endpoint_free (client->iam_endpoint);
  g_free (client->region);
  aws_query_free (client->query);
  g_free (client);
}

const AwsEndpoint *
sts_client_get_endpoint (StsClient *client)
{
  g_return_val_if_fail (client != NULL, NULL);

  return client->endpoint;
}

void
sts_client_set_timeouts (StsClient *client, guint connect_seconds,
                         guint total_seconds)
{
  g_return_if_fail (client != NULL);

  aws_query_set_timeouts (client->query, connect_seconds, total_seconds);
}

/* The clock offset in whole minutes, positive when our clock is ahead. AWS
 * stamps every answer with its own time; the request carried ours. */
static gint64
clock_skew_minutes (const AwsQueryResponse *response)
{
  GTimeSpan diff;

  if (response->server_date == NULL)
    return 0;

  /* The Date header has whole seconds: round to the nearest minute. */
  diff = g_date_time_difference (response->sent_at, response->server_date);
  return (diff + (diff < 0 ? -1 : 1) * G_TIME_SPAN_MINUTE / 2)
         / G_TIME_SPAN_MINUTE;
}

static gboolean
is_clock_skew (const StsErrorDocument *doc)
{
  return g_strcmp0 (doc->code, "RequestExpired") == 0
         || (g_strcmp0 (doc->code, "SignatureDoesNotMatch") == 0
             && doc->message != NULL
             && (strstr (doc->message, "Signature expired") != NULL
                 || strstr (doc->message, "Signature not yet current")
                      != NULL));
}

static void
set_clock_skew_error (const AwsQueryResponse *response, GError **error)
{
  gint64 minutes = clock_skew_minutes (response);
  long off = (long) ABS (minutes);

  if (minutes == 0) {
    g_set_error_literal (error, STS_ERROR, STS_ERROR_CLOCK_SKEW,
                         _ ("AWS says this computer's clock is wrong. Set "
                            "the time correctly (for example turn on "
                            "automatic time with “timedatectl set-ntp true”) "
                            "and try again"));
    return;
  }

  /* The count is a long, not a gint64: xgettext cannot see through
   * G_GINT64_FORMAT, and a message it cuts short is never translated. */
  g_set_error (
    error, STS_ERROR, STS_ERROR_CLOCK_SKEW,
    minutes > 0
      ? g_dngettext (GETTEXT_PACKAGE,
                     "This computer's clock is %ld minute ahead of "
                     "AWS's. Set the time correctly (for example turn "
                     "on automatic time with “timedatectl set-ntp "
                     "true”) and try again",
                     "This computer's clock is %ld minutes ahead of "
                     "AWS's. Set the time correctly (for example turn "
                     "on automatic time with “timedatectl set-ntp "
                     "true”) and try again",
                     off)
      : g_dngettext (GETTEXT_PACKAGE,
                     "This computer's clock is %ld minute behind "
                     "AWS's. Set the time correctly (for example turn "
                     "on automatic time with “timedatectl set-ntp "
                     "true”) and try again",
                     "This computer's clock is %ld minutes behind "
                     "AWS's. Set the time correctly (for example turn "
                     "on automatic time with “timedatectl set-ntp "
                     "true”) and try again",
                     off),
    off);
}

static void
set_access_denied_error (const StsErrorDocument *doc, GError **error)
{
  const char *message = doc->message ? doc->message : "";

  if (strstr (message, "MultiFactorAuthentication") != NULL) {
    g_set_error_literal (error, STS_ERROR, STS_ERROR_MFA_FAILED,
                         _ ("AWS rejected the MFA code: it was wrong or has "
                            "already been used. Wait for the next code on "
                            "your device and try again"));
  } else if (strstr (message, "session credentials") != NULL) {
    g_set_error_literal (error, STS_ERROR, STS_ERROR_SESSION_CREDENTIALS,
                         _ ("The long-term key is itself a temporary session "
                            "key. Store your IAM user's own access key "
                            "(AKIA…) as the long-term key"));
  } else {
    g_set_error (error, STS_ERROR, STS_ERROR_ACCESS_DENIED,
                 _ ("AWS denied the request: %s"),
                 g_strstrip (g_strdup (message)));
  }
}

/* The AWS codes that are about the key, with what the user should do.
 * The access key id is an identifier, not a secret. */
static gboolean
set_key_error (const char *code, const char *key_id, GError **error)
{
  if (g_strcmp0 (code, "ExpiredToken") == 0)
    g_set_error_literal (error, STS_ERROR, STS_ERROR_EXPIRED_TOKEN,
                         _ ("The temporary credentials have expired; refresh "
                            "them with a new MFA code"));
  else if (g_strcmp0 (code, "InvalidClientTokenId") == 0)
    g_set_error (error, STS_ERROR, STS_ERROR_INVALID_CLIENT_TOKEN,
                 _ ("AWS does not recognise the access key %s: it may have "
                    "been deleted or deactivated. Check it in the IAM console "
                    "and store the current key"),
                 key_id);
  else if (g_strcmp0 (code, "SignatureDoesNotMatch") == 0
           || g_strcmp0 (code, "IncompleteSignature") == 0)
    g_set_error (error, STS_ERROR, STS_ERROR_SIGNATURE_MISMATCH,
                 _ ("AWS rejected the signature: the secret access key does "
                    "not belong to access key %s. Store the matching secret"),
                 key_id);
  else if (g_strcmp0 (code, "MissingAuthenticationToken") == 0)
    g_set_error (error, STS_ERROR, STS_ERROR_MISSING_AUTHENTICATION,
                 _ ("AWS received no credentials for access key %s; the "
                    "endpoint may be wrong, check AWS_ENDPOINT_URL"),
                 key_id);
  else if (g_strcmp0 (code, "Throttling") == 0
           || g_strcmp0 (code, "ThrottlingException") == 0
           || g_strcmp0 (code, "RequestLimitExceeded") == 0)
    g_set_error (error, STS_ERROR, STS_ERROR_THROTTLED,
                 _ ("AWS is throttling requests for access key %s; wait a "
                    "minute and try again"),
                 key_id);
  else
    return FALSE;

  return TRUE;
}

static void
set_aws_error (const StsErrorDocument *doc, const Credentials *credentials,
               const AwsEndpoint *endpoint, GError **error)
{
  g_autofree char *message =
    g_strstrip (g_strdup (doc->message ? doc->message : ""));

  if (set_key_error (doc->code, credentials->access_key_id, error))
    return;

  if (g_strcmp0 (doc->code, "ValidationError") == 0)
    g_set_error (error, STS_ERROR, STS_ERROR_VALIDATION,
                 _ ("AWS refused a parameter: %s"), message);
  else if (g_strcmp0 (doc->code, "RegionDisabledException") == 0)
    g_set_error (error, STS_ERROR, STS_ERROR_REGION_DISABLED,
                 _ ("STS is not activated in region %s. Activate it in the "
                    "IAM console (Account settings) or use another region"),
                 endpoint->signing_region);
  else
    g_set_error (error, STS_ERROR, STS_ERROR_UNKNOWN, _ ("AWS answered %s: %s"),
                 doc->code, message);
}

static gboolean
check_answer (const AwsQueryResponse *response, const Credentials *credentials,
              const AwsEndpoint *endpoint, GError **error)
{
  g_autoptr (StsErrorDocument) doc = NULL;

  if (response->status == 200)
    return TRUE;

  doc = sts_response_parse_error ((const char *) response->body->data,
                                  response->body->len);
  if (doc == NULL || doc->code == NULL) {
    if (response->status >= 500)
      g_set_error (error, STS_ERROR, STS_ERROR_SERVICE_UNAVAILABLE,
                   _ ("%s is not available (HTTP %ld); try again later"),
                   endpoint->url, response->status);
    else
      g_set_error (error, STS_ERROR, STS_ERROR_INVALID_RESPONSE,
                   _ ("%s answered HTTP %ld without an AWS error document; "
                      "check AWS_ENDPOINT_URL and your proxy settings"),
                   endpoint->url, response->status);
    return FALSE;
  }

  g_debug ("%s answered HTTP %ld %s (request id %s)", endpoint->url,
           response->status, doc->code,
           doc->request_id ? doc->request_id : "(none)");
  if (response->status >= 500)
    g_set_error (error, STS_ERROR, STS_ERROR_SERVICE_UNAVAILABLE,
                 _ ("%s is not available (HTTP %ld %s); try again later"),
                 endpoint->url, response->status, doc->code);
  else if (is_clock_skew (doc))
    set_clock_skew_error (response, error);
  else if (g_strcmp0 (doc->code, "AccessDenied") == 0)
    set_access_denied_error (doc, error);
  else
    set_aws_error (doc, credentials, endpoint, error);

  return FALSE;
}

static AwsQueryResponse *
call_endpoint (StsClient *client, const AwsEndpoint *endpoint,
               const char *version, const Credentials *credentials,
               const char *action, const char *const *params,
               AwsQueryFlags flags, GCancellable *cancellable, GError **error)
{
  g_autoptr (AwsQueryResponse) response = NULL;

  response = aws_query_call (client->query, endpoint, credentials, action,
                             version, params, flags, cancellable, error);
  if (response == NULL
      || !check_answer (response, credentials, endpoint, error))
    return NULL;

  return g_steal_pointer (&response);
}

static AwsQueryResponse *
call (StsClient *client, const Credentials *credentials, const char *action,
      const char *const *params, AwsQueryFlags flags, GCancellable *cancellable,
      GError **error)
{
  return call_endpoint (client, client->endpoint, STS_VERSION, credentials,
                        action, params, flags, cancellable, error);
}

static Credentials *
parse_credentials (const AwsQueryResponse *response, const char *result,
                   const AwsEndpoint *endpoint, GError **error)
{
  Credentials *credentials = NULL;
  g_autoptr (GError) local_error = NULL;

  if (!sts_response_parse_credentials ((const char *) response->body->data,
                                       response->body->len, result,
                                       &credentials, NULL, &local_error)) {
    g_set_error (error, STS_ERROR, STS_ERROR_INVALID_RESPONSE,
                 _ ("%s sent an answer botomfa cannot read (%s); check "
                    "AWS_ENDPOINT_URL"),
                 endpoint->url, local_error->message);
    return NULL;
  }

  return credentials;
}

/**
 * sts_client_get_session_token:
 * @client: an #StsClient
 * @long_term: the IAM user's long-term credentials
 * @serial_number: the MFA device's serial or ARN
 * @token_code: the six-digit code shown by the device
 * @duration_seconds: the session's lifetime
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Calls GetSessionToken. Blocks; see the _async variant for main loops.
 *
 * Returns: (transfer full): the session credentials, or %NULL
 */
Credentials *
sts_client_get_session_token (StsClient *client, const Credentials *long_term,
                              const char *serial_number, const char *token_code,
                              guint duration_seconds, GCancellable *cancellable,
                              GError **error)
{
  char duration[16];
  const char *params[] = {
    "DurationSeconds", duration, "SerialNumber", serial_number, "TokenCode",
    token_code,        NULL
  };
  g_autoptr (AwsQueryResponse) response = NULL;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (long_term != NULL, NULL);
  g_return_val_if_fail (serial_number != NULL, NULL);
  g_return_val_if_fail (token_code != NULL, NULL);

  g_snprintf (duration, sizeof duration, "%u", duration_seconds);
  response = call (client, long_term, "GetSessionToken", params,
                   AWS_QUERY_ONE_TIME, cancellable, error);
  if (response == NULL)
    return NULL;

  return parse_credentials (response, "GetSessionTokenResult", client->endpoint,
                            error);
}

/**
 * sts_client_assume_role:
 * @client: an #StsClient
 * @credentials: the credentials that assume the role
 * @role_arn: the role's ARN
 * @session_name: the role session name (2..64 of [\w+=,.@-])
 * @serial_number: (nullable): the MFA device, when the role requires MFA
 * @token_code: (nullable): the code, with @serial_number
 * @duration_seconds: the session's lifetime
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Calls AssumeRole. Blocks.
 *
 * Returns: (transfer full): the role's session credentials, or %NULL
 */
Credentials *
sts_client_assume_role (StsClient *client, const Credentials *credentials,
                        const char *role_arn, const char *session_name,
                        const char *serial_number, const char *token_code,
                        guint duration_seconds, GCancellable *cancellable,
                        GError **error)
{
  char duration[16];
  const char *params[] = { "DurationSeconds",
                           duration,
                           "RoleArn",
                           role_arn,
                           "RoleSessionName",
                           session_name,
                           "SerialNumber",
                           serial_number,
                           "TokenCode",
                           token_code,
                           NULL };
  g_autoptr (AwsQueryResponse) response = NULL;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (credentials != NULL, NULL);
  g_return_val_if_fail (role_arn != NULL && session_name != NULL, NULL);

  g_snprintf (duration, sizeof duration, "%u", duration_seconds);
  if (serial_number == NULL || token_code == NULL)
    params[6] = NULL;
  response = call (client, credentials, "AssumeRole", params,
                   params[6] ? AWS_QUERY_ONE_TIME : AWS_QUERY_IDEMPOTENT,
                   cancellable, error);
  if (response == NULL)
    return NULL;

  return parse_credentials (response, "AssumeRoleResult", client->endpoint,
                            error);
}

/**
 * sts_client_get_caller_identity:
 * @client: an #StsClient
 * @credentials: the credentials to check
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Calls GetCallerIdentity, which needs no permission: it succeeds exactly
 * when AWS accepts @credentials. Blocks.
 *
 * Returns: (transfer full): who the credentials belong to, or %NULL
 */
StsCallerIdentity *
sts_client_get_caller_identity (StsClient *client,
                                const Credentials *credentials,
                                GCancellable *cancellable, GError **error)
{
  g_autoptr (AwsQueryResponse) response = NULL;
  g_autoptr (GError) local_error = NULL;
  StsCallerIdentity *identity = NULL;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (credentials != NULL, NULL);

  response = call (client, credentials, "GetCallerIdentity", NULL,
                   AWS_QUERY_IDEMPOTENT, cancellable, error);
  if (response == NULL)
    return NULL;

  if (!sts_response_parse_caller_identity ((const char *) response->body->data,
                                           response->body->len, &identity,
                                           &local_error)) {
    g_set_error (error, STS_ERROR, STS_ERROR_INVALID_RESPONSE,
                 _ ("%s sent an answer botomfa cannot read (%s); check "
                    "AWS_ENDPOINT_URL"),
                 client->endpoint->url, local_error->message);
    return NULL;
  }

  return identity;
}

/**
 * sts_client_list_mfa_devices:
 * @client: an #StsClient
 * @credentials: the IAM user's credentials
 * @user_name: (nullable): whose devices; %NULL for the caller's own
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Calls IAM ListMFADevices on the partition's IAM endpoint
 * (AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL). Administrators often deny it
 * to users without MFA: the answer is then %STS_ERROR_ACCESS_DENIED.
 * Blocks.
 *
 * Returns: (transfer full) (element-type IamMfaDevice): the devices, or
 * %NULL
 */
GPtrArray *
sts_client_list_mfa_devices (StsClient *client, const Credentials *credentials,
                             const char *user_name, GCancellable *cancellable,
                             GError **error)
{
  const char *params[] = { "UserName", user_name, NULL };
  g_autoptr (AwsQueryResponse) response = NULL;
  g_autoptr (GError) local_error = NULL;
  GPtrArray *devices = NULL;

  g_return_val_if_fail (client != NULL && credentials != NULL, NULL);

  if (client->iam_endpoint == NULL)
    client->iam_endpoint =
      aws_endpoint_resolve ("iam", client->region, FALSE, error);
  if (client->iam_endpoint == NULL)
    return NULL;

  response = call_endpoint (
    client, client->iam_endpoint, IAM_VERSION, credentials, "ListMFADevices",
    user_name ? params : NULL, AWS_QUERY_IDEMPOTENT, cancellable, error);
  if (response == NULL)
    return NULL;

  if (!sts_response_parse_mfa_devices ((const char *) response->body->data,
                                       response->body->len, &devices,
                                       &local_error)) {
    g_set_error (error, STS_ERROR, STS_ERROR_INVALID_RESPONSE,
                 _ ("%s sent an answer botomfa cannot read (%s); check "
                    "AWS_ENDPOINT_URL_IAM"),
                 client->iam_endpoint->url, local_error->message);
    return NULL;
  }

  return devices;
}

/* The async face: each call copies its inputs into a GTask and runs the
 * blocking call in GIO's thread pool, so a main loop never waits. */

typedef enum { OP_SESSION_TOKEN, OP_ASSUME_ROLE, OP_CALLER_IDENTITY } Op;

typedef struct {
  Op op;
  StsClient *client;
  Credentials *credentials;
  char *role_arn;
  char *session_name;
  char *serial_number;
  char *token_code;
  guint duration_seconds;
} OpData;

static void
op_data_free (OpData *data)
{
  credentials_free (data->credentials);
  g_free (data->role_arn);
  g_free (data->session_name);
  g_free (data->serial_number);
  wipe_string_free (data->token_code);
  g_free (data);
}

static void
run_op (GTask *task, gpointer source, gpointer task_data,
        GCancellable *cancellable)
{
  OpData *data = task_data;
  GError *error = NULL;
  gpointer result = NULL;
  GDestroyNotify free_func = (GDestroyNotify) credentials_free;

  if (data->op == OP_SESSION_TOKEN) {
    result = sts_client_get_session_token (
      data->client, data->credentials, data->serial_number, data->token_code,
      data->duration_seconds, cancellable, &error);
  } else if (data->op == OP_ASSUME_ROLE) {
    result = sts_client_assume_role (
      data->client, data->credentials, data->role_arn, data->session_name,
      data->serial_number, data->token_code, data->duration_seconds,
      cancellable, &error);
  } else {
    result = sts_client_get_caller_identity (data->client, data->credentials,
                                             cancellable, &error);
    free_func = (GDestroyNotify) sts_caller_identity_free;
  }

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, free_func);
}

static OpData *
op_data_new (Op op, StsClient *client, const Credentials *credentials)
{
  OpData *data = g_new0 (OpData, 1);

  data->op = op;
  data->client = client;
  data->credentials = credentials_copy (credentials);

  return data;
}

/* StsClient is not a GObject: the caller keeps it alive until the callback
 * has run. */
static void
start_op (OpData *data, GCancellable *cancellable, GAsyncReadyCallback callback,
          gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, start_op);
  g_task_set_task_data (task, data, (GDestroyNotify) op_data_free);
  g_task_run_in_thread (task, run_op);
}

/**
 * sts_client_get_session_token_async:
 *
 * The asynchronous form of sts_client_get_session_token(); finish it with
 * sts_client_credentials_finish(). The inputs are copied.
 */
void
sts_client_get_session_token_async (
  StsClient *client, const Credentials *long_term, const char *serial_number,
  const char *token_code, guint duration_seconds, GCancellable *cancellable,
  GAsyncReadyCallback callback, gpointer user_data)
{
  OpData *data;

  g_return_if_fail (client != NULL && long_term != NULL);

  data = op_data_new (OP_SESSION_TOKEN, client, long_term);
  data->serial_number = g_strdup (serial_number);
  data->token_code = g_strdup (token_code);
  data->duration_seconds = duration_seconds;
  start_op (data, cancellable, callback, user_data);
}

/**
 * sts_client_assume_role_async:
 *
 * The asynchronous form of sts_client_assume_role(); finish it with
 * sts_client_credentials_finish(). The inputs are copied.
 */
void
sts_client_assume_role_async (StsClient *client, const Credentials *credentials,
                              const char *role_arn, const char *session_name,
                              const char *serial_number, const char *token_code,
                              guint duration_seconds, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  OpData *data;

  g_return_if_fail (client != NULL && credentials != NULL);

  data = op_data_new (OP_ASSUME_ROLE, client, credentials);
  data->role_arn = g_strdup (role_arn);
  data->session_name = g_strdup (session_name);
  data->serial_number = g_strdup (serial_number);
  data->token_code = g_strdup (token_code);
  data->duration_seconds = duration_seconds;
  start_op (data, cancellable, callback, user_data);
}

/**
 * sts_client_credentials_finish:
 *
 * Returns: (transfer full): the credentials of a finished
 * get_session_token or assume_role call, or %NULL with @error set.
 */
Credentials *
sts_client_credentials_finish (StsClient *client, GAsyncResult *result,
                               GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sts_client_get_caller_identity_async:
 *
 * The asynchronous form of sts_client_get_caller_identity().
 */
void
sts_client_get_caller_identity_async (StsClient *client,
                                      const Credentials *credentials,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  g_return_if_fail (client != NULL && credentials != NULL);

  start_op (op_data_new (OP_CALLER_IDENTITY, client, credentials), cancellable,
            callback, user_data);
}

StsCallerIdentity *
sts_client_get_caller_identity_finish (StsClient *client, GAsyncResult *result,
                                       GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
