/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The transport of AWS Query API calls (STS, IAM): a form-encoded POST,
 * signed with SigV4, sent with libcurl, retried on throttling and server
 * errors. Nothing here logs a header or a body: the body carries the MFA
 * code and, in answers, the session's secrets. */

#define G_LOG_DOMAIN "botomfa-sts"

#include "config.h"

#include "aws-query.h"
#include "sigv4.h"
#include "sts-client.h"
#include "sts-response.h"
#include "wipe.h"

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#define MAX_RESPONSE_BYTES (1024 * 1024)
#define MAX_ATTEMPTS 3
#define DEFAULT_CONNECT_TIMEOUT 10
#define DEFAULT_TOTAL_TIMEOUT 30

struct _AwsQuery {
  GMutex lock;
  CURL *curl;
  gboolean system_trust;
  guint connect_timeout;
  guint total_timeout;
};

typedef struct {
  GByteArray *body;
  CURLcode code;
  AwsQueryFlags flags;
  gboolean too_large;
  GDateTime *server_date;
  char *request_id;
  GCancellable *cancellable;
} Transfer;

static gpointer
init_curl_once (gpointer data)
{
  curl_global_init (CURL_GLOBAL_DEFAULT);
  return NULL;
}

void
aws_query_response_free (AwsQueryResponse *response)
{
  if (response == NULL)
    return;

  wipe_byte_array_free (response->body);
  g_clear_pointer (&response->server_date, g_date_time_unref);
  g_clear_pointer (&response->sent_at, g_date_time_unref);
  g_free (response->request_id);
  g_free (response);
}

/**
 * aws_query_new:
 *
 * Returns: (transfer full): a transport that keeps one connection alive
 * between calls. Calls on one #AwsQuery are serialised.
 */
AwsQuery *
aws_query_new (void)
{
  static GOnce curl_once = G_ONCE_INIT;
  AwsQuery *query;
  guint timeout = DEFAULT_TOTAL_TIMEOUT;
  const char *env = g_getenv ("BOTOMFA_STS_TIMEOUT");

  g_once (&curl_once, init_curl_once, NULL);

  /* A knob for slow links and for the tests' slow-server fault. */
  if (env != NULL && g_ascii_strtoull (env, NULL, 10) > 0)
    timeout = MIN (g_ascii_strtoull (env, NULL, 10), 600);

  query = g_new0 (AwsQuery, 1);
  g_mutex_init (&query->lock);
  query->connect_timeout = MIN (DEFAULT_CONNECT_TIMEOUT, timeout);
  query->total_timeout = timeout;

  return query;
}

void
aws_query_free (AwsQuery *query)
{
  if (query == NULL)
    return;

  if (query->curl != NULL)
    curl_easy_cleanup (query->curl);
  g_mutex_clear (&query->lock);
  g_free (query);
}

void
aws_query_set_timeouts (AwsQuery *query, guint connect_seconds,
                        guint total_seconds)
{
  g_return_if_fail (query != NULL);

  query->connect_timeout = connect_seconds;
  query->total_timeout = total_seconds;
}

/* RFC 3986 unreserved characters stay, everything else is %XX: the form
 * that SigV4 and the Query API both expect. */
static void
append_encoded (GString *out, const char *text)
{
  for (const guchar *p = (const guchar *) text; *p; p++) {
    if (g_ascii_isalnum (*p) || strchr ("-_.~", *p) != NULL)
      g_string_append_c (out, *p);
    else
      g_string_append_printf (out, "%%%02X", *p);
  }
}

static GString *
build_body (const char *action, const char *version, const char *const *params)
{
  GString *body = g_string_sized_new (256);

  g_string_append (body, "Action=");
  append_encoded (body, action);
  g_string_append (body, "&Version=");
  append_encoded (body, version);
  for (gsize i = 0; params != NULL && params[i] != NULL; i += 2) {
    g_string_append_c (body, '&');
    append_encoded (body, params[i]);
    g_string_append_c (body, '=');
    append_encoded (body, params[i + 1]);
  }

  return body;
}

static char *
host_header (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  int port;

  if (uri == NULL)
    return NULL;

  port = g_uri_get_port (uri);
  if (port < 0 || (port == 443 && g_str_equal (g_uri_get_scheme (uri), "https"))
      || (port == 80 && g_str_equal (g_uri_get_scheme (uri), "http")))
    return g_strdup (g_uri_get_host (uri));

  return g_strdup_printf ("%s:%d", g_uri_get_host (uri), port);
}

static size_t
on_body (char *data, size_t size, size_t count, void *user_data)
{
  Transfer *transfer = user_data;
  size_t len = size * count;

  if (transfer->body->len + len > MAX_RESPONSE_BYTES) {
    transfer->too_large = TRUE;
    return 0;
  }

  g_byte_array_append (transfer->body, (const guint8 *) data, len);
  return len;
}

static char *
header_value (const char *line, size_t len, const char *name)
{
  size_t name_len = strlen (name);

  if (len <= name_len + 1 || g_ascii_strncasecmp (line, name, name_len) != 0
      || line[name_len] != ':')
    return NULL;

  return g_strstrip (g_strndup (line + name_len + 1, len - name_len - 1));
}

static size_t
on_header (char *data, size_t size, size_t count, void *user_data)
{
  Transfer *transfer = user_data;
  size_t len = size * count;
  g_autofree char *date = header_value (data, len, "Date");
  g_autofree char *request_id = header_value (data, len, "x-amzn-RequestId");

  if (date != NULL) {
    time_t t = curl_getdate (date, NULL);

    g_clear_pointer (&transfer->server_date, g_date_time_unref);
    if (t > 0)
      transfer->server_date = g_date_time_new_from_unix_utc (t);
  }
  if (request_id != NULL) {
    g_free (transfer->request_id);
    transfer->request_id = g_steal_pointer (&request_id);
  }

  return len;
}

static int
on_progress (void *user_data, curl_off_t dltotal, curl_off_t dlnow,
             curl_off_t ultotal, curl_off_t ulnow)
{
  Transfer *transfer = user_data;

  return g_cancellable_is_cancelled (transfer->cancellable) ? 1 : 0;
}

static struct curl_slist *
signed_headers (const AwsEndpoint *endpoint, const Credentials *credentials,
                const GString *body, GDateTime *now)
{
  g_autofree char *host = host_header (endpoint->url);
  g_autofree char *amz_date = sigv4_format_amz_date (now);
  const char *content_type = "application/x-www-form-urlencoded; charset=utf-8";
  Sigv4Header headers[4] = {
    { "host", host },
    { "content-type", content_type },
    { "x-amz-date", amz_date },
    { "x-amz-security-token", credentials->session_token },
  };
  gsize n_headers = credentials_is_temporary (credentials) ? 4 : 3;
  Sigv4Request request = { "POST",   "/",       NULL,
                           headers,  n_headers, (const guint8 *) body->str,
                           body->len };
  g_auto (WipeString) authorization = NULL;
  g_auto (WipeString) line = NULL;
  struct curl_slist *list = NULL;

  authorization = sigv4_sign (&request, credentials->access_key_id,
                              credentials->secret_access_key,
                              endpoint->signing_region, endpoint->service, now);
  for (gsize i = 1; i < n_headers; i++) {
    g_auto (WipeString) header =
      g_strdup_printf ("%s: %s", headers[i].name, headers[i].value);
    list = curl_slist_append (list, header);
  }
  line = g_strconcat ("Authorization: ", authorization, NULL);
  list = curl_slist_append (list, line);
  /* libcurl would otherwise send "Expect: 100-continue" for large bodies. */
  list = curl_slist_append (list, "Expect:");

  return list;
}

static void
wipe_header_list (struct curl_slist *list)
{
  for (struct curl_slist *l = list; l != NULL; l = l->next)
    wipe_memory (l->data, strlen (l->data));
  curl_slist_free_all (list);
}

/* The CA directory libcurl was built to trust. */
static const char *
system_capath (void)
{
  return curl_version_info (CURLVERSION_NOW)->capath;
}

static void
setup_handle (AwsQuery *query, const AwsEndpoint *endpoint, Transfer *transfer)
{
  CURL *curl = query->curl;
  const char *ca_bundle = g_getenv ("AWS_CA_BUNDLE");

  curl_easy_setopt (curl, CURLOPT_URL, endpoint->url);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_USERAGENT, "botomfa/" PACKAGE_VERSION);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT,
                    (long) query->connect_timeout);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, (long) query->total_timeout);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, transfer);
  curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt (curl, CURLOPT_HEADERDATA, transfer);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, transfer);
  /* AWS_CA_BUNDLE adds trust. Reading the system's store costs ~290 file
   * reads per handshake, and a private endpoint rarely needs it, so it is
   * added only once the bundle alone has failed to verify a peer. */
  if (ca_bundle != NULL && *ca_bundle != '\0') {
    curl_easy_setopt (curl, CURLOPT_CAINFO, ca_bundle);
    if (!query->system_trust)
      curl_easy_setopt (curl, CURLOPT_CAPATH, NULL);
    else if (system_capath () != NULL)
      curl_easy_setopt (curl, CURLOPT_CAPATH, system_capath ());
  }
}

/* Failures after which the request may have reached AWS. */
static gboolean
maybe_delivered (CURLcode code)
{
  return code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR
         || code == CURLE_GOT_NOTHING || code == CURLE_PARTIAL_FILE;
}

static gboolean
set_transport_error (CURLcode code, const AwsEndpoint *endpoint,
                     const Transfer *transfer, guint timeout, GError **error)
{
  const char *what = curl_easy_strerror (code);

  if ((transfer->flags & AWS_QUERY_ONE_TIME) && maybe_delivered (code)) {
    g_set_error (error, STS_ERROR, STS_ERROR_NETWORK,
                 _ ("The connection to %s broke after the MFA code was sent "
                    "(%s), so AWS may have used the code. Wait for the next "
                    "code and try again"),
                 endpoint->url, what);
    return FALSE;
  }

  switch (code) {
    case CURLE_ABORTED_BY_CALLBACK:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _ ("The request was cancelled"));
      break;
    case CURLE_WRITE_ERROR:
      if (transfer->too_large) {
        g_set_error (error, STS_ERROR, STS_ERROR_INVALID_RESPONSE,
                     _ ("%s sent an answer larger than %d KiB; it is not "
                        "an AWS endpoint, check AWS_ENDPOINT_URL"),
                     endpoint->url, MAX_RESPONSE_BYTES / 1024);
        break;
      }
      G_GNUC_FALLTHROUGH;
    default:
      g_set_error (error, STS_ERROR, STS_ERROR_NETWORK,
                   _ ("Could not reach %s: %s. Check your network connection "
                      "and proxy settings"),
                   endpoint->url, what);
      break;
    case CURLE_OPERATION_TIMEDOUT:
      g_set_error (error, STS_ERROR, STS_ERROR_TIMEOUT,
                   _ ("%s did not answer within %u seconds. Check your network "
                      "connection and try again"),
                   endpoint->url, timeout);
      break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
      g_set_error (error, STS_ERROR, STS_ERROR_TLS,
                   _ ("The TLS connection to %s failed: %s. If the endpoint "
                      "uses a private CA, name its certificate in "
                      "AWS_CA_BUNDLE"),
                   endpoint->url, what);
      break;
  }

  return FALSE;
}

static gboolean
perform_once (AwsQuery *query, const AwsEndpoint *endpoint,
              const Credentials *credentials, const GString *body,
              Transfer *transfer, GDateTime **sent_at, long *status,
              GError **error)
{
  struct curl_slist *headers;
  CURLcode code;

  *sent_at = g_date_time_new_now_utc ();
  headers = signed_headers (endpoint, credentials, body, *sent_at);
  setup_handle (query, endpoint, transfer);
  curl_easy_setopt (query->curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (query->curl, CURLOPT_POSTFIELDS, body->str);
  curl_easy_setopt (query->curl, CURLOPT_POSTFIELDSIZE, (long) body->len);

  code = transfer->code = curl_easy_perform (query->curl);
  curl_easy_setopt (query->curl, CURLOPT_HTTPHEADER, NULL);
  curl_easy_setopt (query->curl, CURLOPT_POSTFIELDS, NULL);
  wipe_header_list (headers);
  if (code != CURLE_OK)
    return set_transport_error (code, endpoint, transfer, query->total_timeout,
                                error);

  curl_easy_getinfo (query->curl, CURLINFO_RESPONSE_CODE, status);
  return TRUE;
}

static void
transfer_reset (Transfer *transfer)
{
  wipe_byte_array_free (transfer->body);
  transfer->body = g_byte_array_new ();
  transfer->too_large = FALSE;
  transfer->code = CURLE_OK;
  g_clear_pointer (&transfer->server_date, g_date_time_unref);
  g_clear_pointer (&transfer->request_id, g_free);
}

/* perform_once(), and when AWS_CA_BUNDLE alone did not verify the peer,
 * once more with the system's store added: nothing was sent yet. */
static gboolean
perform_trusted (AwsQuery *query, const AwsEndpoint *endpoint,
                 const Credentials *credentials, const GString *body,
                 Transfer *transfer, GDateTime **sent_at, long *status,
                 GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (perform_once (query, endpoint, credentials, body, transfer, sent_at,
                    status, &local_error))
    return TRUE;

  if (transfer->code != CURLE_PEER_FAILED_VERIFICATION || query->system_trust
      || g_getenv ("AWS_CA_BUNDLE") == NULL) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }

  g_debug ("%s: not verified by AWS_CA_BUNDLE alone; adding the system's "
           "CA store",
           endpoint->url);
  query->system_trust = TRUE;
  g_clear_pointer (sent_at, g_date_time_unref);
  transfer_reset (transfer);
  return perform_once (query, endpoint, credentials, body, transfer, sent_at,
                       status, error);
}

static gboolean
is_retryable_answer (long status, const GByteArray *body)
{
  g_autoptr (StsErrorDocument) doc = NULL;

  if (status >= 500)
    return TRUE;
  if (status != 400 && status != 429)
    return FALSE;

  doc = sts_response_parse_error ((const char *) body->data, body->len);
  return doc != NULL && doc->code != NULL
         && (g_str_equal (doc->code, "Throttling")
             || g_str_equal (doc->code, "ThrottlingException")
             || g_str_equal (doc->code, "RequestLimitExceeded"));
}

static gboolean
is_retryable_transport (const Transfer *transfer, const GError *error)
{
  if ((transfer->flags & AWS_QUERY_ONE_TIME)
      && maybe_delivered (transfer->code))
    return FALSE;

  return g_error_matches (error, STS_ERROR, STS_ERROR_NETWORK);
}

/* Exponential backoff with jitter: about 0.2 s, then 0.4 s. */
static gboolean
backoff (guint attempt, GCancellable *cancellable)
{
  gulong wait_ms = (100u << attempt) + g_random_int_range (0, 100);

  for (gulong waited = 0; waited < wait_ms; waited += 10) {
    if (g_cancellable_is_cancelled (cancellable))
      return FALSE;
    g_usleep (10 * 1000);
  }

  return TRUE;
}

static AwsQueryResponse *
response_from_transfer (Transfer *transfer, long status, GDateTime *sent_at)
{
  AwsQueryResponse *response = g_new0 (AwsQueryResponse, 1);

  response->status = status;
  response->body = g_steal_pointer (&transfer->body);
  response->server_date = g_steal_pointer (&transfer->server_date);
  response->request_id = g_steal_pointer (&transfer->request_id);
  response->sent_at = g_date_time_ref (sent_at);

  return response;
}

static AwsQueryResponse *
call_with_retries (AwsQuery *query, const AwsEndpoint *endpoint,
                   const Credentials *credentials, const char *action,
                   const GString *body, AwsQueryFlags flags,
                   GCancellable *cancellable, GError **error)
{
  Transfer transfer = { NULL, CURLE_OK, flags, FALSE, NULL, NULL, cancellable };
  AwsQueryResponse *response = NULL;

  for (guint attempt = 1; response == NULL; attempt++) {
    g_autoptr (GError) local_error = NULL;
    g_autoptr (GDateTime) sent_at = NULL;
    long status = 0;
    gboolean last = attempt == MAX_ATTEMPTS;

    transfer_reset (&transfer);
    perform_trusted (query, endpoint, credentials, body, &transfer, &sent_at,
                     &status, &local_error);
    if (local_error != NULL) {
      g_debug ("POST %s Action=%s attempt %u: %s", endpoint->url, action,
               attempt, local_error->message);
      if (last || !is_retryable_transport (&transfer, local_error)
          || !backoff (attempt, cancellable)) {
        g_propagate_error (error, g_steal_pointer (&local_error));
        break;
      }
      continue;
    }

    g_debug ("POST %s Action=%s attempt %u: HTTP %ld, request id %s",
             endpoint->url, action, attempt, status,
             transfer.request_id ? transfer.request_id : "(none)");
    if (!last && is_retryable_answer (status, transfer.body)
        && backoff (attempt, cancellable))
      continue;
    response = response_from_transfer (&transfer, status, sent_at);
  }

  transfer_reset (&transfer);
  g_clear_pointer (&transfer.body, g_byte_array_unref);
  return response;
}

/**
 * aws_query_call:
 * @query: the transport
 * @endpoint: where to send the call and how to sign it
 * @credentials: the credentials that sign the request
 * @action: the Query API action, e.g. "GetSessionToken"
 * @version: the API version, e.g. "2011-06-15"
 * @params: (nullable) (array zero-terminated=1): name, value, name, value…
 * @flags: whether the call may be sent again
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends one signed call, retrying throttling, server errors and broken
 * connections (unless @flags has %AWS_QUERY_ONE_TIME) up to three attempts.
 * Blocks; run it in a thread from a main loop.
 *
 * Returns: (transfer full): any HTTP answer, or %NULL with @error set
 * (#STS_ERROR transport codes or %G_IO_ERROR_CANCELLED).
 */
AwsQueryResponse *
aws_query_call (AwsQuery *query, const AwsEndpoint *endpoint,
                const Credentials *credentials, const char *action,
                const char *version, const char *const *params,
                AwsQueryFlags flags, GCancellable *cancellable, GError **error)
{
  GString *body;
  AwsQueryResponse *response;

  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (endpoint != NULL, NULL);
  g_return_val_if_fail (credentials != NULL, NULL);

  body = build_body (action, version, params);
  g_mutex_lock (&query->lock);
  if (query->curl == NULL)
    query->curl = curl_easy_init ();
  response = call_with_retries (query, endpoint, credentials, action, body,
                                flags, cancellable, error);
  g_mutex_unlock (&query->lock);
  wipe_gstring_free (body);

  return response;
}
