/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#include "sigv4.h"
#include "sigv4-request-text.h"
#include "test-util.h"
#include "wipe.h"

#include <string.h>

/* The credentials, scope and time of AWS's SigV4 test suite. */
#define SUITE_ACCESS_KEY_ID "AKIDEXAMPLE"
#define SUITE_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define SUITE_REGION "us-east-1"
#define SUITE_SERVICE "service"
#define SUITE_AMZ_DATE "20150830T123600Z"

#define EMPTY_SHA256 \
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* One folder each under tests/fixtures/sigv4 (see its README). */
static const char *const suite_cases[] = {
  "get-header-key-duplicate",
  "get-header-value-multiline",
  "get-header-value-order",
  "get-header-value-trim",
  "get-query-plus",
  "get-relative-normalized",
  "get-relative-relative-normalized",
  "get-slash-dot-slash-normalized",
  "get-slash-normalized",
  "get-slash-pointless-dot-normalized",
  "get-slashes-normalized",
  "get-space-normalized",
  "get-unreserved",
  "get-utf8",
  "get-vanilla",
  "get-vanilla-empty-query-key",
  "get-vanilla-query",
  "get-vanilla-query-order-encoded",
  "get-vanilla-query-order-key-case",
  "get-vanilla-query-unreserved",
  "get-vanilla-utf8-query",
  "get-vanilla-with-session-token",
  "post-header-key-case",
  "post-header-key-sort",
  "post-header-value-case",
  "post-sts-header-before",
  "post-vanilla",
  "post-vanilla-empty-query-value",
  "post-vanilla-query",
  "post-x-www-form-urlencoded",
  "post-x-www-form-urlencoded-parameters",
};

static char *
load_fixture (const char *name, const char *file, gsize *len)
{
  g_autofree char *path = test_util_fixture_path ("sigv4", name, file, NULL);

  return test_util_read_file (path, len);
}

/* The expected outputs are stored without a final newline; tolerate one
 * that an editor may add. */
static char *
load_expected (const char *name, const char *file)
{
  gsize len = 0;
  char *text = load_fixture (name, file, &len);

  if (len > 0 && text[len - 1] == '\n')
    text[len - 1] = '\0';
  return text;
}

static Sigv4RequestText *
load_request (const char *name, const char *file)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  Sigv4RequestText *request;
  gsize len = 0;

  text = load_fixture (name, file, &len);
  request = sigv4_request_text_parse (text, len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (request);

  return request;
}

static GDateTime *
suite_time (void)
{
  return g_date_time_new_utc (2015, 8, 30, 12, 36, 0);
}

static char *
suite_sign (const Sigv4Request *request)
{
  g_autoptr (GDateTime) time = suite_time ();

  return sigv4_sign (request, SUITE_ACCESS_KEY_ID, SUITE_SECRET, SUITE_REGION,
                     SUITE_SERVICE, time);
}

/* Checks every stage of the pipeline against the case's files. */
static void
check_suite_stages (const char *name, const Sigv4Request *request,
                    const char *expected_authorization)
{
  g_autofree char *expected_canonical = NULL;
  g_autofree char *expected_sts = NULL;
  g_autofree char *expected_signature = NULL;
  g_autofree char *signed_headers = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *string_to_sign = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *authorization = NULL;
  guint8 key[SIGV4_KEY_LEN];

  expected_canonical = load_expected (name, "header-canonical-request.txt");
  expected_sts = load_expected (name, "header-string-to-sign.txt");
  expected_signature = load_expected (name, "header-signature.txt");

  canonical = sigv4_canonical_request (request, &signed_headers);
  g_assert_cmpstr (canonical, ==, expected_canonical);

  scope = sigv4_credential_scope (SUITE_AMZ_DATE, SUITE_REGION, SUITE_SERVICE);
  g_assert_cmpstr (scope, ==, "20150830/us-east-1/service/aws4_request");
  string_to_sign = sigv4_string_to_sign (SUITE_AMZ_DATE, scope, canonical);
  g_assert_cmpstr (string_to_sign, ==, expected_sts);

  sigv4_signing_key (SUITE_SECRET, "20150830", SUITE_REGION, SUITE_SERVICE,
                     key);
  signature = sigv4_signature (key, string_to_sign);
  g_assert_cmpstr (signature, ==, expected_signature);

  authorization =
    sigv4_authorization (SUITE_ACCESS_KEY_ID, scope, signed_headers, signature);
  g_assert_cmpstr (authorization, ==, expected_authorization);
}

static void
test_suite_case (gconstpointer data)
{
  const char *name = data;
  g_autoptr (Sigv4RequestText) request = NULL;
  g_autoptr (Sigv4RequestText) signed_request = NULL;
  g_autofree char *expected_authorization = NULL;
  g_autofree char *whole = NULL;
  g_autofree char *from_signed = NULL;

  request = load_request (name, "request.txt");
  signed_request = load_request (name, "header-signed-request.txt");
  expected_authorization = g_strdup (g_strstrip (
    (char *) sigv4_request_text_get_header (signed_request, "Authorization")));

  check_suite_stages (name, &request->request, expected_authorization);

  whole = suite_sign (&request->request);
  g_assert_cmpstr (whole, ==, expected_authorization);

  /* request.txt is the published signed request without its
   * Authorization line; signing what is left of the latter must agree. */
  g_assert_true (
    sigv4_request_text_remove_header (signed_request, "Authorization"));
  from_signed = suite_sign (&signed_request->request);
  g_assert_cmpstr (from_signed, ==, expected_authorization);
}

static void
test_amz_date (void)
{
  g_autoptr (GTimeZone) plus_0530 = g_time_zone_new_identifier ("+05:30");
  g_autoptr (GTimeZone) minus_08 = g_time_zone_new_identifier ("-08:00");
  g_autoptr (GDateTime) india = NULL;
  g_autoptr (GDateTime) pacific = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  india = g_date_time_new (plus_0530, 2015, 8, 30, 18, 6, 0.75);
  a = sigv4_format_amz_date (india);
  g_assert_cmpstr (a, ==, SUITE_AMZ_DATE);

  /* The UTC date, not the local one, goes into the scope. */
  pacific = g_date_time_new (minus_08, 2015, 12, 31, 20, 0, 0);
  b = sigv4_format_amz_date (pacific);
  g_assert_cmpstr (b, ==, "20160101T040000Z");
}

static void
test_hex_sha256 (void)
{
  g_autofree char *empty = sigv4_hex_sha256 (NULL, 0);
  g_autofree char *abc = sigv4_hex_sha256 ((const guint8 *) "abc", 3);

  g_assert_cmpstr (empty, ==, EMPTY_SHA256);
  /* FIPS 180-2, appendix B.1. */
  g_assert_cmpstr (
    abc, ==,
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
test_signing_key (void)
{
  guint8 key[SIGV4_KEY_LEN];
  g_autofree char *hex = NULL;

  /* The worked example of AWS's "Deriving the signing key" page. */
  sigv4_signing_key (SUITE_SECRET, "20120215", "us-east-1", "iam", key);
  hex = g_strdup_printf (
    "%02x%02x%02x%02x%02x%02x%02x%02x"
    "%02x%02x%02x%02x%02x%02x%02x%02x"
    "%02x%02x%02x%02x%02x%02x%02x%02x"
    "%02x%02x%02x%02x%02x%02x%02x%02x",
    key[0], key[1], key[2], key[3], key[4], key[5], key[6], key[7], key[8],
    key[9], key[10], key[11], key[12], key[13], key[14], key[15], key[16],
    key[17], key[18], key[19], key[20], key[21], key[22], key[23], key[24],
    key[25], key[26], key[27], key[28], key[29], key[30], key[31]);
  g_assert_cmpstr (
    hex, ==,
    "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

static void
test_canonical_uri (void)
{
  static const struct {
    const char *path;
    const char *canonical;
  } cases[] = {
    { "", "/" },
    { "/", "/" },
    { "/foo/bar/..", "/foo" },
    { "/foo/bar/../", "/foo/" },
    { "/../../x", "/x" },
    { "relative/path", "/relative/path" },
    { "/a b/c", "/a%20b/c" },
    /* A path already percent-encoded for the wire is encoded again: AWS's
     * rule for every service but S3. */
    { "/a%20b", "/a%2520b" },
    { "/~user/file.txt", "/~user/file.txt" },
    { "/a:b@c+d=e", "/a%3Ab%40c%2Bd%3De" },
    { "/\xc3\xa9", "/%C3%A9" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *canonical = sigv4_canonical_uri (cases[i].path);

    g_assert_cmpstr (canonical, ==, cases[i].canonical);
  }
}

static void
test_canonical_query (void)
{
  static const struct {
    const char *query;
    const char *canonical;
  } cases[] = {
    { NULL, "" },
    { "", "" },
    { "b=2&a=1", "a=1&b=2" },
    { "a=2&a=1&a=10", "a=1&a=10&a=2" },
    { "acl", "acl=" },
    { "a=1&&b=2&", "a=1&b=2" },
    { "=v", "=v" },
    { "a=%7e%7E", "a=~~" },
    { "a=%2f%2F/", "a=%2F%2F%2F" },
    { "p=a+b", "p=a%2Bb" },
    { "a=%zz&b=%4&c=%", "a=%25zz&b=%254&c=%25" },
    { "%00=x", "%00=x" },
    { "k=a=b", "k=a%3Db" },
    { "Z=1&a=1&_=1", "Z=1&_=1&a=1" },
    { "%E1%88%B4=1&Param=2", "%E1%88%B4=1&Param=2" },
    { "\xe1\x88\xb4=1", "%E1%88%B4=1" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *canonical = sigv4_canonical_query (cases[i].query);

    g_assert_cmpstr (canonical, ==, cases[i].canonical);
  }
}

static void
test_canonical_headers (void)
{
  static const Sigv4Header headers[] = {
    { "X-Amz-Date", SUITE_AMZ_DATE },
    { "Host", "example.amazonaws.com" },
    { "My-Header", "\t first \t\t value  " },
    { "MY-HEADER", "second" },
    { "  Spaced-Name ", "x" },
    { "Empty", "   " },
  };
  Sigv4Request request = { "get", "/", NULL, headers, G_N_ELEMENTS (headers),
                           NULL,  0 };
  g_autofree char *signed_headers = NULL;
  g_autofree char *canonical = NULL;

  canonical = sigv4_canonical_request (&request, &signed_headers);
  g_assert_cmpstr (
    canonical, ==,
    "GET\n/\n\n"
    "empty:\n"
    "host:example.amazonaws.com\n"
    "my-header:first value,second\n"
    "spaced-name:x\n"
    "x-amz-date:" SUITE_AMZ_DATE "\n\n"
    "empty;host;my-header;spaced-name;x-amz-date\n" EMPTY_SHA256);
  g_assert_cmpstr (signed_headers, ==,
                   "empty;host;my-header;spaced-name;x-amz-date");
}

static void
test_body_hash (void)
{
  static const char body[] = "Action=GetCallerIdentity&Version=2011-06-15";
  static const Sigv4Header headers[] = { { "Host", "sts.amazonaws.com" } };
  Sigv4Request request = { "POST",       "/", NULL,
                           headers,      1,   (const guint8 *) body,
                           strlen (body) };
  g_autofree char *canonical = sigv4_canonical_request (&request, NULL);
  g_autofree char *hash = sigv4_hex_sha256 (request.body, request.body_len);

  g_assert_true (g_str_has_suffix (canonical, hash));
  g_assert_false (g_str_has_suffix (canonical, EMPTY_SHA256));
}

#define STS_BODY                                                   \
  "Action=GetSessionToken&Version=2011-06-15&DurationSeconds=900&" \
  "SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fjane&"   \
  "TokenCode=123456"
#define STS_TOKEN "FwoGZXIvYXdzEXAMPLE//token+value=="
#define STS_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

static char *
sign_sts (const char *token, const char *region, GDateTime *time,
          const char *body)
{
  g_autofree char *amz_date = sigv4_format_amz_date (time);
  g_autofree char *host = g_strdup_printf ("sts.%s.amazonaws.com", region);
  Sigv4Header headers[] = {
    { "Content-Type", "application/x-www-form-urlencoded; charset=utf-8" },
    { "Host", host },
    { "X-Amz-Date", amz_date },
    { "X-Amz-Security-Token", token },
  };
  Sigv4Request request = { "POST",       "/",           NULL,
                           headers,      token ? 4 : 3, (const guint8 *) body,
                           strlen (body) };

  return sigv4_sign (&request, "AKIAIOSFODNN7EXAMPLE", STS_SECRET, region,
                     "sts", time);
}

static void
test_sts_request (void)
{
  g_autoptr (GDateTime) time = g_date_time_new_utc (2026, 3, 14, 9, 26, 53);
  g_autoptr (GDateTime) later = g_date_time_add_seconds (time, 1);
  g_autofree char *plain = sign_sts (NULL, "eu-west-2", time, STS_BODY);
  g_autofree char *session = sign_sts (STS_TOKEN, "eu-west-2", time, STS_BODY);
  g_autofree char *other_region = NULL;
  g_autofree char *other_time = NULL;
  g_autofree char *other_body = NULL;

  /* Expected values printed by botocore 1.29 (Debian 12's
   * python3-botocore) SigV4Auth for the same inputs. */
  g_assert_cmpstr (
    plain, ==,
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260314/eu-west-2/"
    "sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, "
    "Signature="
    "1a1ee8e1c40ee4a411edee8293babc20bdfa6e42d577f7ead2b0aacb84d844d8");
  g_assert_cmpstr (
    session, ==,
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260314/eu-west-2/"
    "sts/aws4_request, SignedHeaders=content-type;host;x-amz-date;"
    "x-amz-security-token, Signature="
    "8b871a864179df92b3779dcb76b911dba7c58e795c8a2b572ff77fdde1b443a2");

  other_region = sign_sts (NULL, "eu-west-1", time, STS_BODY);
  other_time = sign_sts (NULL, "eu-west-2", later, STS_BODY);
  other_body = sign_sts (NULL, "eu-west-2", time, STS_BODY "7");
  g_assert_cmpstr (other_region, !=, plain);
  g_assert_cmpstr (other_time, !=, plain);
  g_assert_cmpstr (other_body, !=, plain);
}

static void
test_request_text (void)
{
  static const char text[] = "POST /a b/?x=1&y HTTP/1.1\r\n"
                             "Host:h\r\n"
                             "Multi: one\r\n"
                             "  two\r\n"
                             "\r\n"
                             "body\nwith lines";
  g_autoptr (GError) error = NULL;
  g_autoptr (Sigv4RequestText) parsed = NULL;
  g_autoptr (Sigv4RequestText) bad = NULL;

  parsed = sigv4_request_text_parse (text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parsed->request.method, ==, "POST");
  g_assert_cmpstr (parsed->request.path, ==, "/a b/");
  g_assert_cmpstr (parsed->request.query, ==, "x=1&y");
  g_assert_cmpuint (parsed->request.n_headers, ==, 3);
  g_assert_cmpstr (parsed->request.headers[2].name, ==, "Multi");
  g_assert_cmpstr (parsed->request.headers[2].value, ==, "  two");
  g_assert_cmpmem (parsed->request.body, parsed->request.body_len,
                   "body\nwith lines", 15);

  bad = sigv4_request_text_parse ("GET / HTTP/1.1\nno colon\n", 24, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (bad);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (suite_cases); i++) {
    g_autofree char *path =
      g_strconcat ("/sigv4/aws-suite/", suite_cases[i], NULL);

    g_test_add_data_func (path, suite_cases[i], test_suite_case);
  }
  g_test_add_func ("/sigv4/amz-date", test_amz_date);
  g_test_add_func ("/sigv4/hex-sha256", test_hex_sha256);
  g_test_add_func ("/sigv4/signing-key", test_signing_key);
  g_test_add_func ("/sigv4/canonical-uri", test_canonical_uri);
  g_test_add_func ("/sigv4/canonical-query", test_canonical_query);
  g_test_add_func ("/sigv4/canonical-headers", test_canonical_headers);
  g_test_add_func ("/sigv4/body-hash", test_body_hash);
  g_test_add_func ("/sigv4/sts-request", test_sts_request);
  g_test_add_func ("/sigv4/request-text", test_request_text);

  return g_test_run ();
}
