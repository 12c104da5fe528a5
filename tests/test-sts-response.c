/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#include "sts-response.h"
#include "test-util.h"

#include <string.h>

#define DOC_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
#define DOC_TOKEN                                                       \
  "AQoEXAMPLEH4aoAH0gNCAPyJxz4BlCFFxWNE1OPTgk5TthT+FvwqnKwRcOIfrRh3c/L" \
  "To6UDdyJwOOvEVPvLXCrrrUtdnniCEXAMPLE/IvU1dYUg2RVAJBanLiHb4IgRmpRV3z" \
  "rkuWJOgQs8IZZaIv2BXIa2R4OlgkBN9bkUDNCJiBeb/AXlzBBko7b15fjrBs2+cTQtp" \
  "Z3CYWFXG8C5zqx37wnOE49mRl/+OtkIKGO7fAE"
#define NS "xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\""

static char *
load_fixture (const char *file, gsize *len)
{
  g_autofree char *path = test_util_fixture_path ("sts-response", file, NULL);

  return test_util_read_file (path, len);
}

static Credentials *
parse_credentials_ok (const char *xml, const char *result, char **request_id)
{
  g_autoptr (GError) error = NULL;
  Credentials *credentials = NULL;

  g_assert_true (sts_response_parse_credentials (
    xml, strlen (xml), result, &credentials, request_id, &error));
  g_assert_no_error (error);
  g_assert_nonnull (credentials);

  return credentials;
}

/* Parses @xml expecting failure, and checks the message quotes no secret
 * and no part of the document's values. */
static void
assert_credentials_error (const char *xml, gsize len, int code,
                          const char *must_name)
{
  g_autoptr (GError) error = NULL;
  Credentials *credentials = (Credentials *) 0x1;

  g_assert_false (sts_response_parse_credentials (
    xml, len, "GetSessionTokenResult", &credentials, NULL, &error));
  g_assert_error (error, STS_RESPONSE_ERROR, code);
  g_assert_null (credentials);
  g_assert_null (strstr (error->message, "wJalrXUtnFEMI"));
  g_assert_null (strstr (error->message, "AQoEXAMPLE"));
  g_assert_null (strstr (error->message, "SECRETVALUE"));
  if (must_name != NULL)
    g_assert_nonnull (strstr (error->message, must_name));
}

static void
assert_time (GDateTime *time, const char *expected_utc)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (time);
  utc = g_date_time_to_utc (time);
  text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.%fZ");
  g_assert_cmpstr (text, ==, expected_utc);
}

static void
test_get_session_token (void)
{
  g_autofree char *xml = load_fixture ("get-session-token.xml", NULL);
  g_autofree char *request_id = NULL;
  g_autoptr (Credentials) credentials = NULL;

  credentials =
    parse_credentials_ok (xml, "GetSessionTokenResult", &request_id);
  g_assert_cmpstr (credentials->access_key_id, ==, "ASIAIOSFODNN7EXAMPLE");
  g_assert_cmpstr (credentials->secret_access_key, ==, DOC_SECRET);
  /* The documented token is wrapped over lines; real ones never hold white
   * space, so it is read as one string. */
  g_assert_cmpstr (credentials->session_token, ==, DOC_TOKEN);
  assert_time (credentials->expiration, "2011-07-11T19:55:29.611000Z");
  g_assert_cmpstr (request_id, ==, "58c5dbae-abef-11e0-8cfe-09039844ac7d");
}

static void
test_assume_role (void)
{
  g_autofree char *xml = load_fixture ("assume-role.xml", NULL);
  g_autoptr (Credentials) credentials = NULL;

  credentials = parse_credentials_ok (xml, "AssumeRoleResult", NULL);
  g_assert_cmpstr (credentials->access_key_id, ==, "ASIAIOSFODNN7EXAMPLE");
  g_assert_cmpstr (credentials->secret_access_key, ==, DOC_SECRET);
  g_assert_cmpstr (
    credentials->session_token, ==,
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW"
    "LWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGd"
    "QrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU"
    "9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz"
    "+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==");
  assert_time (credentials->expiration, "2019-11-09T13:34:41.000000Z");

  /* The same document is not an answer to GetSessionToken. */
  assert_credentials_error (xml, strlen (xml), STS_RESPONSE_ERROR_MALFORMED,
                            "GetSessionTokenResponse");
}

static void
test_caller_identity (void)
{
  g_autofree char *xml = load_fixture ("get-caller-identity.xml", NULL);
  g_autoptr (StsCallerIdentity) identity = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (StsCallerIdentity) none = NULL;
  static const char no_arn[] = "<GetCallerIdentityResponse><GetCallerIdentity"
                               "Result><UserId>AIDA</UserId><Account>1"
                               "</Account></GetCallerIdentityResult>"
                               "</GetCallerIdentityResponse>";

  g_assert_true (
    sts_response_parse_caller_identity (xml, strlen (xml), &identity, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (identity->account, ==, "123456789012");
  g_assert_cmpstr (identity->arn, ==, "arn:aws:iam::123456789012:user/Alice");
  g_assert_cmpstr (identity->user_id, ==, "AKIAI44QH8DHBEXAMPLE");

  g_assert_false (sts_response_parse_caller_identity (no_arn, strlen (no_arn),
                                                      &none, &error));
  g_assert_error (error, STS_RESPONSE_ERROR, STS_RESPONSE_ERROR_MISSING_FIELD);
  g_assert_nonnull (strstr (error->message, "Arn"));
  g_assert_null (none);
}

static void
test_mfa_devices (void)
{
  g_autofree char *xml = load_fixture ("list-mfa-devices.xml", NULL);
  g_autoptr (GPtrArray) devices = NULL;
  g_autoptr (GError) error = NULL;
  IamMfaDevice *first;
  IamMfaDevice *second;

  g_assert_true (
    sts_response_parse_mfa_devices (xml, strlen (xml), &devices, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 2);
  first = g_ptr_array_index (devices, 0);
  second = g_ptr_array_index (devices, 1);
  g_assert_cmpstr (first->user_name, ==, "Bob");
  g_assert_cmpstr (first->serial_number, ==, "R1234");
  assert_time (first->enable_date, "2011-10-06T17:46:35.000000Z");
  g_assert_cmpstr (second->serial_number, ==,
                   "arn:aws:iam::123456789012:mfa/bob-phone");
  assert_time (second->enable_date, "2023-02-01T08:00:00.250000Z");
}

static gboolean
parse_mfa (const char *members, GPtrArray **devices, GError **error)
{
  g_autofree char *xml = NULL;

  xml = g_strdup_printf ("<ListMFADevicesResponse><ListMFADevicesResult>"
                         "%s</ListMFADevicesResult></ListMFADevicesResponse>",
                         members);
  return sts_response_parse_mfa_devices (xml, strlen (xml), devices, error);
}

static void
test_mfa_devices_edges (void)
{
  g_autoptr (GPtrArray) devices = NULL;
  g_autoptr (GError) error = NULL;
  IamMfaDevice *device;

  g_assert_true (parse_mfa ("<MFADevices/>", &devices, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 0);
  g_clear_pointer (&devices, g_ptr_array_unref);

  g_assert_true (parse_mfa ("<MFADevices><member><SerialNumber>S1"
                            "</SerialNumber></member></MFADevices>",
                            &devices, &error));
  device = g_ptr_array_index (devices, 0);
  g_assert_cmpstr (device->serial_number, ==, "S1");
  g_assert_null (device->user_name);
  g_assert_null (device->enable_date);
  g_clear_pointer (&devices, g_ptr_array_unref);

  g_assert_false (
    parse_mfa ("<IsTruncated>false</IsTruncated>", &devices, &error));
  g_assert_error (error, STS_RESPONSE_ERROR, STS_RESPONSE_ERROR_MISSING_FIELD);
  g_assert_null (devices);
  g_clear_error (&error);

  g_assert_false (parse_mfa ("<MFADevices><member><UserName>u</UserName>"
                             "</member></MFADevices>",
                             &devices, &error));
  g_assert_error (error, STS_RESPONSE_ERROR, STS_RESPONSE_ERROR_MISSING_FIELD);
  g_assert_nonnull (strstr (error->message, "SerialNumber"));
  g_clear_error (&error);

  g_assert_false (parse_mfa ("<MFADevices><member><SerialNumber>a"
                             "</SerialNumber><SerialNumber>b</SerialNumber>"
                             "</member></MFADevices>",
                             &devices, &error));
  g_assert_error (error, STS_RESPONSE_ERROR, STS_RESPONSE_ERROR_MALFORMED);
  g_clear_error (&error);

  g_assert_false (parse_mfa ("<MFADevices><member><SerialNumber>a"
                             "</SerialNumber><EnableDate>soon</EnableDate>"
                             "</member></MFADevices>",
                             &devices, &error));
  g_assert_error (error, STS_RESPONSE_ERROR, STS_RESPONSE_ERROR_MALFORMED);
}

static const char *const credential_children[] = {
  "<AccessKeyId>ASIAORDER</AccessKeyId>",
  "<SecretAccessKey>" DOC_SECRET "</SecretAccessKey>",
  "<SessionToken>TOKEN</SessionToken>",
  "<Expiration>2030-01-02T03:04:05Z</Expiration>",
};

static char *
credentials_doc (const int order[4], gboolean metadata_first)
{
  GString *xml = g_string_new ("<GetSessionTokenResponse " NS ">");
  const char *metadata = "<ResponseMetadata><RequestId>rid</RequestId>"
                         "</ResponseMetadata>";

  if (metadata_first)
    g_string_append (xml, metadata);
  g_string_append (xml, "<GetSessionTokenResult><Credentials>");
  for (int i = 0; i < 4; i++)
    g_string_append (xml, credential_children[order[i]]);
  g_string_append (xml, "</Credentials></GetSessionTokenResult>");
  if (!metadata_first)
    g_string_append (xml, metadata);
  g_string_append (xml, "</GetSessionTokenResponse>");

  return g_string_free (xml, FALSE);
}

static void
test_any_order (void)
{
  guint tried = 0;

  /* Every permutation of the four children (4^4 filtered to distinct). */
  for (int n = 0; n < 256; n++) {
    int order[4] = { n & 3, (n >> 2) & 3, (n >> 4) & 3, (n >> 6) & 3 };
    int seen =
      (1 << order[0]) | (1 << order[1]) | (1 << order[2]) | (1 << order[3]);
    g_autofree char *xml = NULL;
    g_autofree char *request_id = NULL;
    g_autoptr (Credentials) credentials = NULL;

    if (seen != 0xf)
      continue;
    xml = credentials_doc (order, tried % 2 == 0);
    credentials =
      parse_credentials_ok (xml, "GetSessionTokenResult", &request_id);
    g_assert_cmpstr (credentials->access_key_id, ==, "ASIAORDER");
    g_assert_cmpstr (credentials->secret_access_key, ==, DOC_SECRET);
    g_assert_cmpstr (credentials->session_token, ==, "TOKEN");
    g_assert_cmpstr (request_id, ==, "rid");
    tried++;
  }
  g_assert_cmpuint (tried, ==, 24);
}

static void
test_whitespace_crlf (void)
{
  g_autofree char *xml = load_fixture ("get-session-token.xml", NULL);
  g_auto (GStrv) lines = g_strsplit (xml, "\n", -1);
  g_autofree char *crlf = g_strjoinv ("\r\n", lines);
  g_autoptr (Credentials) credentials = NULL;
  g_autoptr (Credentials) spaced = NULL;
  static const char tabs[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
    "<!-- a comment -->\r\n"
    "<GetSessionTokenResponse>\t<GetSessionTokenResult>\r\n"
    "<Credentials attr=\"ignored\">\r\n"
    "<AccessKeyId>\t ASIA<!-- split -->SPACED \r\n</AccessKeyId>"
    "<SecretAccessKey><![CDATA[ s&cret ]]></SecretAccessKey>"
    "<SessionToken> tok&amp;en&#x3d; </SessionToken>"
    "<Expiration>\r\n 2011-07-11T19:55:29Z \r\n</Expiration>"
    "<Unknown><AccessKeyId>DECOY</AccessKeyId></Unknown>"
    "</Credentials></GetSessionTokenResult></GetSessionTokenResponse>\r\n";

  credentials = parse_credentials_ok (crlf, "GetSessionTokenResult", NULL);
  g_assert_cmpstr (credentials->session_token, ==, DOC_TOKEN);
  g_assert_cmpstr (credentials->secret_access_key, ==, DOC_SECRET);

  spaced = parse_credentials_ok (tabs, "GetSessionTokenResult", NULL);
  g_assert_cmpstr (spaced->access_key_id, ==, "ASIASPACED");
  g_assert_cmpstr (spaced->secret_access_key, ==, "s&cret");
  g_assert_cmpstr (spaced->session_token, ==, "tok&en=");
  assert_time (spaced->expiration, "2011-07-11T19:55:29.000000Z");
}

static void
test_namespace_prefixes (void)
{
  static const char xml[] =
    "<sts:GetSessionTokenResponse "
    "xmlns:sts=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
    "<sts:GetSessionTokenResult><sts:Credentials>"
    "<sts:AccessKeyId>ASIAPREFIX</sts:AccessKeyId>"
    "<sts:SecretAccessKey>k</sts:SecretAccessKey>"
    "<sts:SessionToken>t</sts:SessionToken>"
    "<sts:Expiration>2011-07-11T19:55:29Z</sts:Expiration>"
    "</sts:Credentials></sts:GetSessionTokenResult>"
    "<sts:ResponseMetadata><sts:RequestId>r</sts:RequestId>"
    "</sts:ResponseMetadata></sts:GetSessionTokenResponse>";
  g_autofree char *request_id = NULL;
  g_autoptr (Credentials) credentials = NULL;

  credentials =
    parse_credentials_ok (xml, "GetSessionTokenResult", &request_id);
  g_assert_cmpstr (credentials->access_key_id, ==, "ASIAPREFIX");
  g_assert_cmpstr (request_id, ==, "r");
}

static void
test_huge_token (void)
{
  GString *token = g_string_new (NULL);
  g_autofree char *xml = NULL;
  g_autoptr (Credentials) credentials = NULL;
  static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuv"
                            "wxyz0123456789+/";

  for (gsize i = 0; i < 100 * 1024; i++)
    g_string_append_c (token, b64[(i * 7 + i / 64) % 64]);
  xml = g_strdup_printf ("<GetSessionTokenResponse><GetSessionTokenResult>"
                         "<Credentials><AccessKeyId>ASIAHUGE</AccessKeyId>"
                         "<SecretAccessKey>k</SecretAccessKey>"
                         "<SessionToken>%s</SessionToken>"
                         "<Expiration>2011-07-11T19:55:29Z</Expiration>"
                         "</Credentials></GetSessionTokenResult>"
                         "</GetSessionTokenResponse>",
                         token->str);

  credentials = parse_credentials_ok (xml, "GetSessionTokenResult", NULL);
  g_assert_cmpuint (strlen (credentials->session_token), ==, 100 * 1024);
  g_assert_cmpstr (credentials->session_token, ==, token->str);
  g_string_free (token, TRUE);
}

/* Where the root element closes: every shorter prefix is truncated. */
static gsize
document_end (const char *xml, gsize len)
{
  while (len > 0 && xml[len - 1] != '>')
    len--;
  return len;
}

static void
test_truncated_credentials (void)
{
  static const struct {
    const char *file;
    const char *result;
  } docs[] = {
    { "get-session-token.xml", "GetSessionTokenResult" },
    { "assume-role.xml", "AssumeRoleResult" },
  };

  for (gsize d = 0; d < G_N_ELEMENTS (docs); d++) {
    gsize len = 0;
    g_autofree char *xml = load_fixture (docs[d].file, &len);
    gsize end = document_end (xml, len);

    for (gsize cut = 0; cut < end; cut++) {
      g_autofree char *copy = g_memdup2 (xml, cut);
      g_autoptr (GError) error = NULL;
      Credentials *credentials = NULL;

      /* A heap copy of exactly @cut bytes, so a read past the end shows
       * under valgrind or ASan. */
      g_assert_false (sts_response_parse_credentials (
        copy, cut, docs[d].result, &credentials, NULL, &error));
      g_assert_nonnull (error);
      g_assert_null (credentials);
      g_assert_null (strstr (error->message, "wJalrXUtnFEMI"));
      g_assert_null (strstr (error->message, "AQoD"));
    }
  }
}

static void
test_truncated_others (void)
{
  static const char *const files[] = { "get-caller-identity.xml",
                                       "list-mfa-devices.xml",
                                       "error-access-denied.xml",
                                       "error-signature-expired.xml" };

  for (gsize f = 0; f < G_N_ELEMENTS (files); f++) {
    gsize len = 0;
    g_autofree char *xml = load_fixture (files[f], &len);
    gsize end = document_end (xml, len);

    for (gsize cut = 0; cut < end; cut++) {
      g_autofree char *copy = g_memdup2 (xml, cut);
      g_autoptr (GPtrArray) devices = NULL;
      g_autoptr (StsCallerIdentity) identity = NULL;

      g_assert_false (
        sts_response_parse_caller_identity (copy, cut, &identity, NULL));
      g_assert_false (
        sts_response_parse_mfa_devices (copy, cut, &devices, NULL));
      g_assert_null (sts_response_parse_error (copy, cut));
    }
  }
}

static void
test_doctype_entities (void)
{
  gsize len = 0;
  g_autofree char *xml = load_fixture ("doctype-entity.xml", &len);
  static const char unused_dtd[] =
    "<!DOCTYPE GetSessionTokenResponse>"
    "<GetSessionTokenResponse><GetSessionTokenResult><Credentials>"
    "<AccessKeyId>A</AccessKeyId><SecretAccessKey>S</SecretAccessKey>"
    "<SessionToken>T</SessionToken><Expiration>2011-07-11T19:55:29Z"
    "</Expiration></Credentials></GetSessionTokenResult>"
    "</GetSessionTokenResponse>";
  static const char laughs[] =
    "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
    "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
    "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
    "<ErrorResponse><Error><Code>&lol3;</Code></Error></ErrorResponse>";
  static const char undeclared[] =
    "<ErrorResponse><Error><Code>&xxe;</Code></Error></ErrorResponse>";
  g_autoptr (GError) error = NULL;
  Credentials *credentials = NULL;

  assert_credentials_error (xml, len, STS_RESPONSE_ERROR_MALFORMED, NULL);
  g_assert_false (sts_response_parse_credentials (
    xml, len, "GetSessionTokenResult", &credentials, NULL, &error));
  g_assert_null (strstr (error->message, "INJECTED"));
  g_assert_null (strstr (error->message, "passwd"));
  g_assert_null (strstr (error->message, "root:"));

  /* A DTD is refused even when nothing refers to it. */
  assert_credentials_error (unused_dtd, strlen (unused_dtd),
                            STS_RESPONSE_ERROR_MALFORMED, "document type");

  g_assert_null (sts_response_parse_error (laughs, strlen (laughs)));
  g_assert_null (sts_response_parse_error (undeclared, strlen (undeclared)));
}

static void
test_wrong_root (void)
{
  g_autofree char *identity = load_fixture ("get-caller-identity.xml", NULL);
  g_autofree char *denied = load_fixture ("error-access-denied.xml", NULL);
  g_autoptr (GPtrArray) devices = NULL;
  g_autoptr (GError) error = NULL;

  assert_credentials_error (identity, strlen (identity),
                            STS_RESPONSE_ERROR_MALFORMED, NULL);
  assert_credentials_error (denied, strlen (denied),
                            STS_RESPONSE_ERROR_MALFORMED, NULL);
  g_assert_false (sts_response_parse_mfa_devices (identity, strlen (identity),
                                                  &devices, &error));
  g_assert_error (error, STS_RESPONSE_ERROR, STS_RESPONSE_ERROR_MALFORMED);
  g_assert_null (sts_response_parse_error (identity, strlen (identity)));
}

static void
test_wrong_parent (void)
{
  static const char decoy_only[] =
    "<GetSessionTokenResponse><GetSessionTokenResult><Other><Credentials>"
    "<AccessKeyId>DECOY</AccessKeyId><SecretAccessKey>SECRETVALUE"
    "</SecretAccessKey><SessionToken>T</SessionToken>"
    "<Expiration>2011-07-11T19:55:29Z</Expiration></Credentials></Other>"
    "</GetSessionTokenResult></GetSessionTokenResponse>";
  static const char decoy_and_real[] =
    "<GetSessionTokenResponse><Credentials><AccessKeyId>DECOY1</AccessKeyId>"
    "</Credentials><GetSessionTokenResult><AccessKeyId>DECOY2</AccessKeyId>"
    "<Credentials><AccessKeyId>REAL</AccessKeyId><SecretAccessKey>K"
    "</SecretAccessKey><SessionToken>T</SessionToken>"
    "<Expiration>2011-07-11T19:55:29Z</Expiration></Credentials>"
    "</GetSessionTokenResult><RequestId>not-here</RequestId>"
    "</GetSessionTokenResponse>";
  g_autofree char *request_id = NULL;
  g_autoptr (Credentials) credentials = NULL;

  assert_credentials_error (decoy_only, strlen (decoy_only),
                            STS_RESPONSE_ERROR_MISSING_FIELD, "AccessKeyId");

  credentials =
    parse_credentials_ok (decoy_and_real, "GetSessionTokenResult", &request_id);
  g_assert_cmpstr (credentials->access_key_id, ==, "REAL");
  g_assert_null (request_id);
}

static char *
replace (const char *xml, const char *old, const char *new_text)
{
  g_auto (GStrv) parts = g_strsplit (xml, old, 2);

  g_assert_nonnull (parts[1]);
  return g_strconcat (parts[0], new_text, parts[1], NULL);
}

static void
test_duplicates (void)
{
  g_autofree char *xml = load_fixture ("get-session-token.xml", NULL);
  static const char *const fields[] = {
    "<AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>",
    "<Expiration>2011-07-11T19:55:29.611Z</Expiration>",
    "<RequestId>58c5dbae-abef-11e0-8cfe-09039844ac7d</RequestId>",
  };
  g_autofree char *two_results = NULL;
  g_autofree char *two_roots = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++) {
    g_autofree char *doubled = g_strconcat (fields[i], fields[i], NULL);
    g_autofree char *dup = replace (xml, fields[i], doubled);

    assert_credentials_error (dup, strlen (dup), STS_RESPONSE_ERROR_MALFORMED,
                              "more than one");
  }

  {
    g_autofree char *dup = replace (
      xml, "<SecretAccessKey>",
      "<SecretAccessKey>SECRETVALUE</SecretAccessKey><SecretAccessKey>");
    assert_credentials_error (dup, strlen (dup), STS_RESPONSE_ERROR_MALFORMED,
                              "SecretAccessKey");
  }

  two_results =
    replace (xml, "</GetSessionTokenResult>",
             "</GetSessionTokenResult><GetSessionTokenResult><Credentials>"
             "<SessionToken>SECRETVALUE</SessionToken></Credentials>"
             "</GetSessionTokenResult>");
  assert_credentials_error (two_results, strlen (two_results),
                            STS_RESPONSE_ERROR_MALFORMED, "SessionToken");

  two_roots = g_strconcat (xml, xml, NULL);
  assert_credentials_error (two_roots, strlen (two_roots),
                            STS_RESPONSE_ERROR_MALFORMED, NULL);
}

static void
test_missing_fields (void)
{
  static const char *const names[] = { "AccessKeyId", "SecretAccessKey",
                                       "SessionToken", "Expiration" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++) {
    GString *xml = g_string_new ("<GetSessionTokenResponse>"
                                 "<GetSessionTokenResult><Credentials>");
    GString *empty = g_string_new (xml->str);

    for (gsize j = 0; j < G_N_ELEMENTS (names); j++) {
      const char *value = j == 3 ? "2011-07-11T19:55:29Z" : "SECRETVALUE";

      if (j != i)
        g_string_append_printf (xml, "<%s>%s</%s>", names[j], value, names[j]);
      g_string_append_printf (empty, "<%s>%s</%s>", names[j],
                              j == i ? " \n " : value, names[j]);
    }
    g_string_append (xml, "</Credentials></GetSessionTokenResult>"
                          "</GetSessionTokenResponse>");
    g_string_append (empty, "</Credentials></GetSessionTokenResult>"
                            "</GetSessionTokenResponse>");

    assert_credentials_error (xml->str, xml->len,
                              STS_RESPONSE_ERROR_MISSING_FIELD, names[i]);
    assert_credentials_error (empty->str, empty->len,
                              STS_RESPONSE_ERROR_MISSING_FIELD, names[i]);
    g_string_free (xml, TRUE);
    g_string_free (empty, TRUE);
  }
}

static void
test_bad_expiration (void)
{
  g_autofree char *xml = load_fixture ("get-session-token.xml", NULL);
  g_autofree char *bad =
    replace (xml, "2011-07-11T19:55:29.611Z", "next tuesday");

  assert_credentials_error (bad, strlen (bad), STS_RESPONSE_ERROR_MALFORMED,
                            "Expiration");
}

static void
test_error_codes (void)
{
  static const struct {
    const char *type;
    const char *code;
    const char *message;
  } cases[] = {
    { "Sender", "AccessDenied",
      "MultiFactorAuthentication failed with invalid MFA one time pass "
      "code." },
    { "Sender", "ExpiredToken",
      "The security token included in the request is expired" },
    { "Sender", "InvalidClientTokenId",
      "The security token included in the request is invalid." },
    { "Sender", "SignatureDoesNotMatch",
      "Signature expired: 20221005T132736Z is now earlier than "
      "20221006T041807Z (20221006T043307Z - 15 min.)" },
    { "Sender", "RequestExpired", "Request has expired." },
    { "Sender", "Throttling", "Rate exceeded" },
    { "Sender", "ValidationError",
      "1 validation error detected: Value '99' at 'durationSeconds' failed "
      "to satisfy constraint" },
    { "Sender", "RegionDisabledException",
      "STS is not activated in this region for account:123456789012." },
    { "Receiver", "InternalFailure", "An internal error occurred & so on." },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *escaped = g_markup_escape_text (cases[i].message, -1);
    g_autofree char *xml = g_strdup_printf (
      "<ErrorResponse " NS ">\n  <Error>\n    <Type>%s</Type>\n"
      "    <Code>%s</Code>\n    <Message>%s</Message>\n  </Error>\n"
      "  <RequestId>req-%zu</RequestId>\n</ErrorResponse>\n",
      cases[i].type, cases[i].code, escaped, i);
    g_autofree char *request_id = g_strdup_printf ("req-%zu", i);
    g_autoptr (StsErrorDocument) doc = NULL;

    doc = sts_response_parse_error (xml, strlen (xml));
    g_assert_nonnull (doc);
    g_assert_cmpstr (doc->type, ==, cases[i].type);
    g_assert_cmpstr (doc->code, ==, cases[i].code);
    g_assert_cmpstr (doc->message, ==, cases[i].message);
    g_assert_cmpstr (doc->request_id, ==, request_id);
  }
}

static void
test_error_shapes (void)
{
  g_autofree char *skew = load_fixture ("error-signature-expired.xml", NULL);
  static const char inner_id[] = "<ErrorResponse><Error><Code>Throttling"
                                 "</Code><RequestId>inner</RequestId></Error>"
                                 "</ErrorResponse>";
  static const char bare[] = "<Error><Code>AccessDenied</Code><Message>no"
                             "</Message><RequestId>bare</RequestId></Error>";
  static const char no_code[] = "<ErrorResponse><Error/></ErrorResponse>";
  static const char dup_code[] = "<ErrorResponse><Error><Code>A</Code>"
                                 "<Code>B</Code></Error></ErrorResponse>";
  g_autoptr (StsErrorDocument) a = NULL;
  g_autoptr (StsErrorDocument) b = NULL;
  g_autoptr (StsErrorDocument) c = NULL;
  g_autoptr (StsErrorDocument) d = NULL;

  a = sts_response_parse_error (skew, strlen (skew));
  g_assert_cmpstr (a->code, ==, "SignatureDoesNotMatch");
  g_assert_true (g_str_has_prefix (a->message, "Signature expired: "));
  g_assert_cmpstr (a->request_id, ==, "8d1c9f3e-aaaa-4bbb-8ccc-EXAMPLE");

  b = sts_response_parse_error (inner_id, strlen (inner_id));
  g_assert_cmpstr (b->code, ==, "Throttling");
  g_assert_cmpstr (b->request_id, ==, "inner");
  g_assert_null (b->type);
  g_assert_null (b->message);

  c = sts_response_parse_error (bare, strlen (bare));
  g_assert_cmpstr (c->code, ==, "AccessDenied");
  g_assert_cmpstr (c->request_id, ==, "bare");

  d = sts_response_parse_error (no_code, strlen (no_code));
  g_assert_nonnull (d);
  g_assert_null (d->code);

  g_assert_null (sts_response_parse_error (dup_code, strlen (dup_code)));
}

static void
test_not_xml (void)
{
  gsize len = 0;
  g_autofree char *html = load_fixture ("html-503.html", &len);
  static const char *const bodies[] = {
    "",
    "Service Unavailable",
    "{\"__type\":\"AccessDenied\",\"message\":\"no\"}",
    "<html><body><h1>503 Service Unavailable</h1></body></html>",
    "<ErrorResponse><Error><Code>x</Code></Error>",
    "<ErrorResponse>\xff\xfe</ErrorResponse>",
  };
  g_autoptr (GError) error = NULL;
  Credentials *credentials = NULL;

  /* Found by the fuzzer: NUL bytes inside a DOCTYPE made GLib 2.74's
   * GMarkup go on parsing with an error already set. */
  static const char nul_in_doctype[] = "<!DOCTYPE HTML \"-/\0\0/\">\n"
                                       "<html><h1>x</h0></html>";
  g_autofree char *regress = NULL;
  gsize regress_len = 0;

  g_assert_null (
    sts_response_parse_error (nul_in_doctype, sizeof nul_in_doctype - 1));
  regress = load_fixture ("regress-nul-in-doctype.html", &regress_len);
  g_assert_null (sts_response_parse_error (regress, regress_len));
  g_assert_false (sts_response_parse_credentials (
    regress, regress_len, "GetSessionTokenResult", &credentials, NULL, &error));
  g_assert_error (error, STS_RESPONSE_ERROR, STS_RESPONSE_ERROR_MALFORMED);
  g_clear_error (&error);

  g_assert_null (sts_response_parse_error (html, len));
  g_assert_null (sts_response_parse_error (NULL, 0));
  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    g_assert_null (sts_response_parse_error (bodies[i], strlen (bodies[i])));

  g_assert_false (sts_response_parse_credentials (
    html, len, "GetSessionTokenResult", &credentials, NULL, &error));
  g_assert_error (error, STS_RESPONSE_ERROR, STS_RESPONSE_ERROR_MALFORMED);
  g_assert_null (strstr (error->message, "Unavailable"));
}

static void
test_timestamps (void)
{
  static const struct {
    const char *text;
    const char *utc;
  } good[] = {
    { "2011-07-11T19:55:29.611Z", "2011-07-11T19:55:29.611000Z" },
    { "2011-07-11T19:55:29Z", "2011-07-11T19:55:29.000000Z" },
    { "2011-07-11T21:55:29+02:00", "2011-07-11T19:55:29.000000Z" },
    { "2011-07-11T14:25:29.5-05:30", "2011-07-11T19:55:29.500000Z" },
    { "2024-02-29T23:59:59Z", "2024-02-29T23:59:59.000000Z" },
  };
  static const char *const bad[] = {
    "",
    "2011-07-11",
    "2011-07-11T19:55:29",
    "yesterday",
    "2011-13-11T19:55:29Z",
    "2023-02-29T00:00:00Z",
    "2011-07-11T25:00:00Z",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++) {
    g_autoptr (GDateTime) time = sts_response_parse_timestamp (good[i].text);

    assert_time (time, good[i].utc);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr (GDateTime) time = sts_response_parse_timestamp (bad[i]);

    g_assert_null (time);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sts-response/get-session-token", test_get_session_token);
  g_test_add_func ("/sts-response/assume-role", test_assume_role);
  g_test_add_func ("/sts-response/caller-identity", test_caller_identity);
  g_test_add_func ("/sts-response/mfa-devices", test_mfa_devices);
  g_test_add_func ("/sts-response/mfa-devices-edges", test_mfa_devices_edges);
  g_test_add_func ("/sts-response/any-order", test_any_order);
  g_test_add_func ("/sts-response/whitespace-crlf", test_whitespace_crlf);
  g_test_add_func ("/sts-response/namespace-prefixes", test_namespace_prefixes);
  g_test_add_func ("/sts-response/huge-token", test_huge_token);
  g_test_add_func ("/sts-response/truncated-credentials",
                   test_truncated_credentials);
  g_test_add_func ("/sts-response/truncated-others", test_truncated_others);
  g_test_add_func ("/sts-response/doctype-entities", test_doctype_entities);
  g_test_add_func ("/sts-response/wrong-root", test_wrong_root);
  g_test_add_func ("/sts-response/wrong-parent", test_wrong_parent);
  g_test_add_func ("/sts-response/duplicates", test_duplicates);
  g_test_add_func ("/sts-response/missing-fields", test_missing_fields);
  g_test_add_func ("/sts-response/bad-expiration", test_bad_expiration);
  g_test_add_func ("/sts-response/error-codes", test_error_codes);
  g_test_add_func ("/sts-response/error-shapes", test_error_shapes);
  g_test_add_func ("/sts-response/not-xml", test_not_xml);
  g_test_add_func ("/sts-response/timestamps", test_timestamps);

  return g_test_run ();
}
