/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#define G_LOG_DOMAIN "botomfa-sigv4"

#include "sigv4.h"
#include "wipe.h"

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <string.h>

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define SIGV4_TERMINATOR "aws4_request"

typedef struct {
  char *name;
  char *value;
  gsize index;
} CanonicalHeader;

typedef struct {
  char *name;
  char *value;
} QueryParam;

static char *
hex_encode (const guint8 *data, gsize len)
{
  static const char digits[] = "0123456789abcdef";
  char *hex = g_malloc (len * 2 + 1);

  for (gsize i = 0; i < len; i++) {
    hex[2 * i] = digits[data[i] >> 4];
    hex[2 * i + 1] = digits[data[i] & 0x0f];
  }
  hex[len * 2] = '\0';

  return hex;
}

static void
hmac_sha256 (const void *key, gsize key_len, const char *text,
             guint8 out[SIGV4_KEY_LEN])
{
  int ret;

  ret = gnutls_hmac_fast (GNUTLS_MAC_SHA256, key, key_len, text, strlen (text),
                          out);
  /* HMAC-SHA256 over memory fails only when GnuTLS itself is broken; a
   * request signed with garbage would be worse than stopping here. */
  if (ret < 0)
    g_error ("GnuTLS cannot compute HMAC-SHA256: %s", gnutls_strerror (ret));
}

/**
 * sigv4_format_amz_date:
 * @time: the signing time, in any time zone
 *
 * Returns: (transfer full): @time in UTC as SigV4's basic ISO 8601 form,
 *   e.g. "20150830T123600Z", the value of the x-amz-date header.
 */
char *
sigv4_format_amz_date (GDateTime *time)
{
  g_autoptr (GDateTime) utc = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
}

/**
 * sigv4_hex_sha256:
 * @data: (nullable): the bytes to hash
 * @len: their number
 *
 * Returns: (transfer full): the SHA-256 digest of @data as 64 lowercase
 *   hexadecimal digits.
 */
char *
sigv4_hex_sha256 (const guint8 *data, gsize len)
{
  guint8 digest[32];
  int ret;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  ret = gnutls_hash_fast (GNUTLS_DIG_SHA256, data ? (const void *) data : "",
                          len, digest);
  if (ret < 0)
    g_error ("GnuTLS cannot compute SHA-256: %s", gnutls_strerror (ret));

  return hex_encode (digest, sizeof digest);
}

static gboolean
is_unreserved (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* SigV4 encodes every byte outside RFC 3986's unreserved set, with
 * uppercase hexadecimal digits. */
static void
uri_encode_append (GString *out, const char *data, gsize len)
{
  for (gsize i = 0; i < len; i++) {
    guchar c = (guchar) data[i];

    if (is_unreserved (c))
      g_string_append_c (out, (char) c);
    else
      g_string_append_printf (out, "%%%02X", c);
  }
}

static GPtrArray *
normalize_segments (char **segments)
{
  GPtrArray *kept = g_ptr_array_new ();

  /* RFC 3986 dot-segment removal; AWS also drops empty segments, so
   * "//example//" signs as "/example/". */
  for (char **s = segments; *s != NULL; s++) {
    if (**s == '\0' || strcmp (*s, ".") == 0)
      continue;
    if (strcmp (*s, "..") != 0)
      g_ptr_array_add (kept, *s);
    else if (kept->len > 0)
      g_ptr_array_remove_index (kept, kept->len - 1);
  }

  return kept;
}

/**
 * sigv4_canonical_uri:
 * @path: the path as sent
 *
 * Normalizes @path (removes ".", "..", and empty segments, keeps a
 * trailing slash) and URI-encodes each segment, as SigV4 requires for
 * every service but S3. @path is encoded as given: a path that was
 * percent-encoded once for the wire gets encoded a second time, which is
 * what AWS expects of non-S3 services.
 *
 * Returns: (transfer full): the canonical URI, always starting with "/".
 */
char *
sigv4_canonical_uri (const char *path)
{
  g_auto (GStrv) segments = NULL;
  g_autoptr (GPtrArray) kept = NULL;
  GString *out;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  segments = g_strsplit (path, "/", -1);
  kept = normalize_segments (segments);

  out = g_string_new ("/");
  for (guint i = 0; i < kept->len; i++) {
    const char *segment = g_ptr_array_index (kept, i);

    if (i > 0)
      g_string_append_c (out, '/');
    uri_encode_append (out, segment, strlen (segment));
  }

  len = strlen (path);
  if (kept->len > 0 && len > 0 && path[len - 1] == '/')
    g_string_append_c (out, '/');

  return g_string_free (out, FALSE);
}

static int
hex_value (char c)
{
  return g_ascii_isxdigit (c) ? g_ascii_xdigit_value (c) : -1;
}

/* Decodes %XX escapes of @len bytes at @data (a '+' stays a '+', and a '%'
 * not followed by two hex digits stays literal), then encodes the result
 * the SigV4 way, so the same parameter signs the same however it was
 * escaped on the wire. */
static char *
reencode (const char *data, gsize len)
{
  g_autoptr (GString) decoded = g_string_sized_new (len);
  GString *encoded;

  for (gsize i = 0; i < len; i++) {
    int high = -1;
    int low = -1;

    if (data[i] == '%' && i + 2 < len) {
      high = hex_value (data[i + 1]);
      low = hex_value (data[i + 2]);
    }
    if (high >= 0 && low >= 0) {
      g_string_append_c (decoded, (char) (high << 4 | low));
      i += 2;
    } else
      g_string_append_c (decoded, data[i]);
  }

  encoded = g_string_sized_new (decoded->len * 3 + 1);
  uri_encode_append (encoded, decoded->str, decoded->len);
  return g_string_free (encoded, FALSE);
}

static void
query_param_clear (gpointer data)
{
  QueryParam *param = data;

  g_free (param->name);
  g_free (param->value);
}

static int
query_param_compare (gconstpointer a, gconstpointer b)
{
  const QueryParam *pa = a;
  const QueryParam *pb = b;
  int by_name = strcmp (pa->name, pb->name);

  return by_name != 0 ? by_name : strcmp (pa->value, pb->value);
}

static GArray *
parse_query (const char *query)
{
  GArray *params = g_array_new (FALSE, TRUE, sizeof (QueryParam));
  g_auto (GStrv) pieces = g_strsplit (query, "&", -1);

  g_array_set_clear_func (params, query_param_clear);
  for (char **piece = pieces; *piece != NULL; piece++) {
    const char *eq = strchr (*piece, '=');
    gsize name_len = eq ? (gsize) (eq - *piece) : strlen (*piece);
    QueryParam param;

    if (**piece == '\0')
      continue;
    param.name = reencode (*piece, name_len);
    param.value = eq ? reencode (eq + 1, strlen (eq + 1)) : g_strdup ("");
    g_array_append_val (params, param);
  }

  return params;
}

/**
 * sigv4_canonical_query:
 * @query: (nullable): the raw query string as sent, without the '?'
 *
 * Decodes and re-encodes each name and value with SigV4's unreserved set,
 * gives a value-less name an empty value ("acl" becomes "acl="), and sorts
 * the parameters by name, then value.
 *
 * Returns: (transfer full): the canonical query string, "" for none.
 */
char *
sigv4_canonical_query (const char *query)
{
  g_autoptr (GArray) params = NULL;
  GString *out = g_string_new (NULL);

  if (query == NULL || *query == '\0')
    return g_string_free (out, FALSE);

  params = parse_query (query);
  g_array_sort (params, query_param_compare);
  for (guint i = 0; i < params->len; i++) {
    const QueryParam *param = &g_array_index (params, QueryParam, i);

    if (i > 0)
      g_string_append_c (out, '&');
    g_string_append_printf (out, "%s=%s", param->name, param->value);
  }

  return g_string_free (out, FALSE);
}

/* Trims the value and turns every run of white space inside it (including
 * the line breaks of a folded header) into one space. Written into one
 * buffer of the input's size, never reallocated, so no stray copy of a
 * secret value is left behind. */
static char *
trim_all (const char *value)
{
  char *out = g_malloc (strlen (value) + 1);
  gsize len = 0;
  gboolean pending_space = FALSE;

  for (const char *p = value; *p != '\0'; p++) {
    if (g_ascii_isspace (*p)) {
      pending_space = len > 0;
      continue;
    }
    if (pending_space)
      out[len++] = ' ';
    out[len++] = *p;
    pending_space = FALSE;
  }
  out[len] = '\0';

  return out;
}

static void
canonical_header_clear (gpointer data)
{
  CanonicalHeader *header = data;

  g_free (header->name);
  /* A value may be the session token. */
  wipe_string_free (header->value);
}

static int
canonical_header_compare (gconstpointer a, gconstpointer b)
{
  const CanonicalHeader *ha = a;
  const CanonicalHeader *hb = b;
  int by_name = strcmp (ha->name, hb->name);

  /* Values of a repeated header keep the order they were given in. */
  if (by_name != 0)
    return by_name;
  return ha->index < hb->index ? -1 : ha->index > hb->index;
}

static GArray *
sorted_headers (const Sigv4Header *headers, gsize n_headers)
{
  GArray *sorted = g_array_sized_new (FALSE, TRUE, sizeof (CanonicalHeader),
                                      (guint) n_headers);

  g_array_set_clear_func (sorted, canonical_header_clear);
  for (gsize i = 0; i < n_headers; i++) {
    CanonicalHeader header;

    header.name = g_strstrip (g_ascii_strdown (headers[i].name, -1));
    header.value = trim_all (headers[i].value);
    header.index = i;
    g_array_append_val (sorted, header);
  }
  g_array_sort (sorted, canonical_header_compare);

  return sorted;
}

/* Appends "name:value\n" per distinct name, joining repeated names' values
 * with commas, and collects the names into @signed_headers. Values go in
 * with plain appends (no printf temporaries) because one may be the
 * session token. */
static void
append_canonical_headers (GString *out, GArray *sorted, GString *signed_headers)
{
  const char *previous = NULL;

  for (guint i = 0; i < sorted->len; i++) {
    const CanonicalHeader *h = &g_array_index (sorted, CanonicalHeader, i);

    if (previous != NULL && strcmp (previous, h->name) == 0) {
      g_string_append_c (out, ',');
      g_string_append (out, h->value);
      continue;
    }
    if (previous != NULL) {
      g_string_append_c (out, '\n');
      g_string_append_c (signed_headers, ';');
    }
    g_string_append (out, h->name);
    g_string_append_c (out, ':');
    g_string_append (out, h->value);
    g_string_append (signed_headers, h->name);
    previous = h->name;
  }
  if (previous != NULL)
    g_string_append_c (out, '\n');
}

/* An upper bound of the canonical request's length, so that its builder
 * is allocated once and never leaves a reallocated copy behind. */
static gsize
canonical_request_bound (const Sigv4Request *request, gsize fixed_len)
{
  gsize bound = fixed_len + 64 + 8;

  for (gsize i = 0; i < request->n_headers; i++)
    bound += 2 * strlen (request->headers[i].name)
             + strlen (request->headers[i].value) + 3;

  return bound;
}

/**
 * sigv4_canonical_request:
 * @request: the request to sign
 * @signed_headers: (out) (optional) (transfer full): the signed headers
 *   list, e.g. "host;x-amz-date"
 *
 * Builds SigV4's canonical request: method, canonical URI, canonical query,
 * canonical headers (names lowercased, values trimmed, sorted, repeated
 * names joined with commas), signed headers and the hex SHA-256 of the
 * body.
 *
 * Returns: (transfer full): the canonical request. It contains the header
 *   values, the session token among them: free it with wipe_string_free().
 */
char *
sigv4_canonical_request (const Sigv4Request *request, char **signed_headers)
{
  g_autoptr (GArray) headers = NULL;
  g_autofree char *method = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *query = NULL;
  g_autofree char *payload_hash = NULL;
  g_autoptr (GString) names = NULL;
  GString *out;
  char *result;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (request->method != NULL, NULL);
  g_return_val_if_fail (request->path != NULL, NULL);
  g_return_val_if_fail (request->headers != NULL || request->n_headers == 0,
                        NULL);

  method = g_ascii_strup (request->method, -1);
  uri = sigv4_canonical_uri (request->path);
  query = sigv4_canonical_query (request->query);
  payload_hash = sigv4_hex_sha256 (request->body, request->body_len);
  headers = sorted_headers (request->headers, request->n_headers);

  names = g_string_new (NULL);
  out = g_string_sized_new (canonical_request_bound (
    request, strlen (method) + strlen (uri) + strlen (query)));
  g_string_append_printf (out, "%s\n%s\n%s\n", method, uri, query);
  append_canonical_headers (out, headers, names);
  g_string_append_printf (out, "\n%s\n%s", names->str, payload_hash);

  result = g_strndup (out->str, out->len);
  wipe_gstring_free (out);
  if (signed_headers != NULL)
    *signed_headers = g_string_free (g_steal_pointer (&names), FALSE);

  return result;
}

/**
 * sigv4_credential_scope:
 * @amz_date: the x-amz-date value, e.g. "20150830T123600Z"
 * @region: the signing region, e.g. "us-east-1"
 * @service: the signing service, e.g. "sts"
 *
 * Returns: (transfer full): "DATE/REGION/SERVICE/aws4_request".
 */
char *
sigv4_credential_scope (const char *amz_date, const char *region,
                        const char *service)
{
  g_return_val_if_fail (amz_date != NULL && strlen (amz_date) >= 8, NULL);
  g_return_val_if_fail (region != NULL, NULL);
  g_return_val_if_fail (service != NULL, NULL);

  return g_strdup_printf ("%.8s/%s/%s/" SIGV4_TERMINATOR, amz_date, region,
                          service);
}

/**
 * sigv4_string_to_sign:
 * @amz_date: the x-amz-date value
 * @scope: the credential scope from sigv4_credential_scope()
 * @canonical_request: the canonical request from sigv4_canonical_request()
 *
 * Returns: (transfer full): the string to sign: algorithm, @amz_date,
 *   @scope and the hex SHA-256 of @canonical_request, one per line.
 */
char *
sigv4_string_to_sign (const char *amz_date, const char *scope,
                      const char *canonical_request)
{
  g_autofree char *hash = NULL;

  g_return_val_if_fail (amz_date != NULL, NULL);
  g_return_val_if_fail (scope != NULL, NULL);
  g_return_val_if_fail (canonical_request != NULL, NULL);

  hash = sigv4_hex_sha256 ((const guint8 *) canonical_request,
                           strlen (canonical_request));
  return g_strdup_printf (SIGV4_ALGORITHM "\n%s\n%s\n%s", amz_date, scope,
                          hash);
}

/**
 * sigv4_signing_key:
 * @secret_access_key: the secret access key
 * @date: the date part of x-amz-date, "YYYYMMDD"
 * @region: the signing region
 * @service: the signing service
 * @key: (out caller-allocates): where the signing key is written
 *
 * Derives the signing key through the HMAC chain that starts from
 * "AWS4" + @secret_access_key. The intermediate keys are wiped; the caller
 * wipes @key with wipe_memory() when done.
 */
void
sigv4_signing_key (const char *secret_access_key, const char *date,
                   const char *region, const char *service,
                   guint8 key[SIGV4_KEY_LEN])
{
  g_auto (WipeString) k_secret = NULL;
  guint8 k_date[SIGV4_KEY_LEN];
  guint8 k_region[SIGV4_KEY_LEN];
  guint8 k_service[SIGV4_KEY_LEN];

  g_return_if_fail (secret_access_key != NULL);
  g_return_if_fail (date != NULL);
  g_return_if_fail (region != NULL);
  g_return_if_fail (service != NULL);
  g_return_if_fail (key != NULL);

  k_secret = g_strconcat ("AWS4", secret_access_key, NULL);
  hmac_sha256 (k_secret, strlen (k_secret), date, k_date);
  hmac_sha256 (k_date, sizeof k_date, region, k_region);
  hmac_sha256 (k_region, sizeof k_region, service, k_service);
  hmac_sha256 (k_service, sizeof k_service, SIGV4_TERMINATOR, key);

  wipe_memory (k_date, sizeof k_date);
  wipe_memory (k_region, sizeof k_region);
  wipe_memory (k_service, sizeof k_service);
}

/**
 * sigv4_signature:
 * @key: the signing key from sigv4_signing_key()
 * @string_to_sign: the string to sign from sigv4_string_to_sign()
 *
 * Returns: (transfer full): the signature, 64 lowercase hex digits.
 */
char *
sigv4_signature (const guint8 key[SIGV4_KEY_LEN], const char *string_to_sign)
{
  guint8 mac[SIGV4_KEY_LEN];

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (string_to_sign != NULL, NULL);

  hmac_sha256 (key, SIGV4_KEY_LEN, string_to_sign, mac);
  return hex_encode (mac, sizeof mac);
}

/**
 * sigv4_authorization:
 * @access_key_id: the access key id
 * @scope: the credential scope
 * @signed_headers: the signed headers list
 * @signature: the signature
 *
 * Returns: (transfer full): the Authorization header value.
 */
char *
sigv4_authorization (const char *access_key_id, const char *scope,
                     const char *signed_headers, const char *signature)
{
  g_return_val_if_fail (access_key_id != NULL, NULL);
  g_return_val_if_fail (scope != NULL, NULL);
  g_return_val_if_fail (signed_headers != NULL, NULL);
  g_return_val_if_fail (signature != NULL, NULL);

  return g_strdup_printf (SIGV4_ALGORITHM " Credential=%s/%s, "
                                          "SignedHeaders=%s, Signature=%s",
                          access_key_id, scope, signed_headers, signature);
}

/**
 * sigv4_sign:
 * @request: the request; its headers must include host and an x-amz-date
 *   equal to sigv4_format_amz_date (@time)
 * @access_key_id: the access key id
 * @secret_access_key: the secret access key
 * @region: the signing region
 * @service: the signing service
 * @time: the signing time; the clock is never read
 *
 * Runs the whole SigV4 pipeline. Every intermediate secret (the canonical
 * request, the signing key and the HMAC chain) is wiped before returning.
 * Does not block.
 *
 * Returns: (transfer full): the Authorization header value.
 */
char *
sigv4_sign (const Sigv4Request *request, const char *access_key_id,
            const char *secret_access_key, const char *region,
            const char *service, GDateTime *time)
{
  g_autofree char *amz_date = NULL;
  g_autofree char *date = NULL;
  g_autofree char *signed_headers = NULL;
  g_auto (WipeString) canonical = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *string_to_sign = NULL;
  g_autofree char *signature = NULL;
  guint8 key[SIGV4_KEY_LEN];

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (access_key_id != NULL, NULL);
  g_return_val_if_fail (secret_access_key != NULL, NULL);
  g_return_val_if_fail (time != NULL, NULL);

  amz_date = sigv4_format_amz_date (time);
  date = g_strndup (amz_date, 8);
  canonical = sigv4_canonical_request (request, &signed_headers);
  scope = sigv4_credential_scope (amz_date, region, service);
  string_to_sign = sigv4_string_to_sign (amz_date, scope, canonical);

  sigv4_signing_key (secret_access_key, date, region, service, key);
  signature = sigv4_signature (key, string_to_sign);
  wipe_memory (key, sizeof key);

  return sigv4_authorization (access_key_id, scope, signed_headers, signature);
}
