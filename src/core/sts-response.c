/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#define G_LOG_DOMAIN "botomfa-sts"

#include "sts-response.h"
#include "wipe.h"

#include <string.h>

/* AWS's documents nest five levels at most; anything far deeper is not
 * one of them. */
#define MAX_DEPTH 32
#define MAX_PATH 5

/* Spelled out rather than G_DEFINE_QUARK, whose hyphenated argument
 * clang-format 14 splits into "sts - response - …". */
GQuark
sts_response_error_quark (void)
{
  return g_quark_from_static_string ("sts-response-error-quark");
}

typedef enum {
  FIELD_TEXT,      /* an element whose text is wanted, trimmed */
  FIELD_KEY,       /* credential material: white space anywhere is dropped */
  FIELD_SECRET,    /* the same, for a secret: every buffer is wiped */
  FIELD_CONTAINER, /* an element whose presence is wanted */
} FieldKind;

/* An element of interest, named by its path below the root element. */
typedef struct {
  const char *path[MAX_PATH + 1];
  FieldKind kind;
} FieldSpec;

typedef struct Parser Parser;
typedef gboolean (*RecordFunc) (Parser *parser, GError **error);

struct Parser {
  const char *root;
  const FieldSpec *specs;
  guint n_specs;
  /* Optional: an element that repeats (a list "member"); record_end runs
   * as each one closes, then the fields below it are cleared. */
  const char *const *record_path;
  RecordFunc record_end;
  gpointer record_data;

  GPtrArray *stack;
  char **values;
  gboolean root_seen;
  gboolean wrong_root;
  int capture;
  GString *text;
};

static const char *
local_name (const char *name)
{
  const char *colon = strrchr (name, ':');

  return colon ? colon + 1 : name;
}

static const char *
spec_name (const FieldSpec *spec)
{
  guint n = 0;

  while (n < MAX_PATH && spec->path[n] != NULL)
    n++;
  return spec->path[n - 1];
}

/* Whether the open elements below the root are exactly @path. */
static gboolean
stack_is (const Parser *parser, const char *const *path)
{
  guint depth = parser->stack->len - 1;
  guint i;

  if (depth > MAX_PATH)
    return FALSE;
  for (i = 0; i < depth; i++) {
    if (path[i] == NULL
        || strcmp (path[i], g_ptr_array_index (parser->stack, i + 1)) != 0)
      return FALSE;
  }
  return path[i] == NULL;
}

static int
find_spec (const Parser *parser)
{
  for (guint i = 0; i < parser->n_specs; i++) {
    if (stack_is (parser, parser->specs[i].path))
      return (int) i;
  }
  return -1;
}

static void
clear_value (Parser *parser, guint i)
{
  if (parser->specs[i].kind == FIELD_SECRET)
    wipe_string_free (parser->values[i]);
  else
    g_free (parser->values[i]);
  parser->values[i] = NULL;
}

static void
parser_init (Parser *parser, const char *root, const FieldSpec *specs,
             guint n_specs)
{
  memset (parser, 0, sizeof *parser);
  parser->root = root;
  parser->specs = specs;
  parser->n_specs = n_specs;
  parser->stack = g_ptr_array_new_with_free_func (g_free);
  parser->values = g_new0 (char *, n_specs);
  parser->capture = -1;
}

static void
parser_clear (Parser *parser)
{
  for (guint i = 0; i < parser->n_specs; i++)
    clear_value (parser, i);
  g_clear_pointer (&parser->values, g_free);
  g_clear_pointer (&parser->stack, g_ptr_array_unref);
  g_clear_pointer (&parser->text, wipe_gstring_free);
}

static void
set_malformed (GError **error, const char *message)
{
  g_set_error_literal (error, STS_RESPONSE_ERROR, STS_RESPONSE_ERROR_MALFORMED,
                       message);
}

static gboolean
enter_root (Parser *parser, const char *name, GError **error)
{
  if (parser->root_seen) {
    set_malformed (error, "the response has more than one root element");
    return FALSE;
  }
  parser->root_seen = TRUE;
  if (strcmp (name, parser->root) != 0) {
    parser->wrong_root = TRUE;
    g_set_error (error, STS_RESPONSE_ERROR, STS_RESPONSE_ERROR_MALFORMED,
                 "the response is not a %s document", parser->root);
    return FALSE;
  }
  return TRUE;
}

static gboolean
enter_field (Parser *parser, int spec, GError **error)
{
  if (parser->values[spec] != NULL) {
    g_set_error (error, STS_RESPONSE_ERROR, STS_RESPONSE_ERROR_MALFORMED,
                 "the response has more than one %s element",
                 spec_name (&parser->specs[spec]));
    return FALSE;
  }

  if (parser->specs[spec].kind == FIELD_CONTAINER) {
    parser->values[spec] = g_strdup ("");
    return TRUE;
  }
  parser->capture = spec;
  parser->text = g_string_sized_new (64);
  return TRUE;
}

static void
on_start_element (GMarkupParseContext *context, const char *element_name,
                  const char **attribute_names, const char **attribute_values,
                  gpointer user_data, GError **error)
{
  Parser *parser = user_data;
  const char *name = local_name (element_name);
  int spec;

  if (parser->stack->len == 0 && !enter_root (parser, name, error))
    return;
  if (parser->stack->len >= MAX_DEPTH) {
    set_malformed (error, "the response nests elements too deeply");
    return;
  }

  g_ptr_array_add (parser->stack, g_strdup (name));
  spec = find_spec (parser);
  if (spec >= 0)
    enter_field (parser, spec, error);
}

/* Appends to a buffer that may hold a secret. GString would grow with
 * realloc and leave the old copy in freed memory, so grow by hand and wipe
 * what is left behind. */
static void
append_wiping (GString **buffer, const char *text, gsize len)
{
  GString *old = *buffer;
  GString *grown;

  if (old->len + len < old->allocated_len) {
    g_string_append_len (old, text, (gssize) len);
    return;
  }

  grown = g_string_sized_new ((old->len + len) * 2);
  g_string_append_len (grown, old->str, (gssize) old->len);
  g_string_append_len (grown, text, (gssize) len);
  wipe_gstring_free (old);
  *buffer = grown;
}

static gboolean
is_capturing (const Parser *parser)
{
  guint depth;

  if (parser->capture < 0)
    return FALSE;

  depth = 1;
  while (parser->specs[parser->capture].path[depth - 1] != NULL)
    depth++;
  return parser->stack->len == depth;
}

static void
on_text (GMarkupParseContext *context, const char *text, gsize text_len,
         gpointer user_data, GError **error)
{
  Parser *parser = user_data;

  /* Only the field's own text counts, not that of elements inside it. */
  if (is_capturing (parser))
    append_wiping (&parser->text, text, text_len);
}

/* Credential material is base64 or alphanumeric and never holds white
 * space, yet AWS's documented GetSessionToken example wraps the session
 * token over several lines: drop it all. Written into one buffer of the
 * final size, so no stray copy of a secret is left. */
static char *
copy_without_space (const char *start, const char *end)
{
  char *copy = g_malloc ((gsize) (end - start) + 1);
  gsize len = 0;

  for (const char *p = start; p < end; p++) {
    if (!g_ascii_isspace (*p))
      copy[len++] = *p;
  }
  copy[len] = '\0';

  return copy;
}

/* Stores the captured text, trimmed: AWS's own examples have white space
 * around values. */
static void
finish_capture (Parser *parser)
{
  const char *start = parser->text->str;
  const char *end = start + parser->text->len;
  FieldKind kind = parser->specs[parser->capture].kind;

  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  if (kind == FIELD_KEY || kind == FIELD_SECRET)
    parser->values[parser->capture] = copy_without_space (start, end);
  else
    parser->values[parser->capture] = g_strndup (start, (gsize) (end - start));
  g_clear_pointer (&parser->text, wipe_gstring_free);
  parser->capture = -1;
}

static void
clear_record_fields (Parser *parser)
{
  guint depth = 0;

  while (parser->record_path[depth] != NULL)
    depth++;

  for (guint i = 0; i < parser->n_specs; i++) {
    const FieldSpec *spec = &parser->specs[i];
    gboolean below = TRUE;

    for (guint j = 0; j < depth && below; j++)
      below = spec->path[j] != NULL
              && strcmp (spec->path[j], parser->record_path[j]) == 0;
    if (below && spec->path[depth] != NULL)
      clear_value (parser, i);
  }
}

static void
on_end_element (GMarkupParseContext *context, const char *element_name,
                gpointer user_data, GError **error)
{
  Parser *parser = user_data;

  if (is_capturing (parser))
    finish_capture (parser);

  if (parser->record_path != NULL && stack_is (parser, parser->record_path)) {
    if (parser->record_end (parser, error))
      clear_record_fields (parser);
  }

  g_ptr_array_remove_index (parser->stack, parser->stack->len - 1);
}

/* GMarkup hands over comments, processing instructions and declarations
 * untouched. A DOCTYPE (and with it any entity declaration) is refused:
 * AWS never sends one, and nothing in it may be acted upon. */
static void
on_passthrough (GMarkupParseContext *context, const char *text, gsize text_len,
                gpointer user_data, GError **error)
{
  if (text_len >= 2 && text[0] == '<' && text[1] == '!'
      && !(text_len >= 4 && text[2] == '-' && text[3] == '-'))
    set_malformed (error, "the response has a document type declaration, "
                          "which AWS never sends");
}

static const GMarkupParser markup_callbacks = {
  on_start_element, on_end_element, on_text, on_passthrough, NULL,
};

/* GMarkup's own messages may quote parts of the document, secrets among
 * them, so they are replaced with the position of the fault. */
static void
set_not_well_formed (GMarkupParseContext *context, GError **error)
{
  int line = 0;
  int column = 0;

  g_markup_parse_context_get_position (context, &line, &column);
  g_set_error (error, STS_RESPONSE_ERROR, STS_RESPONSE_ERROR_MALFORMED,
               "the response is not well-formed XML (line %d, column %d)", line,
               column);
}

static gboolean
parser_run (Parser *parser, const char *xml, gsize len, GError **error)
{
  g_autoptr (GMarkupParseContext) context = NULL;
  g_autoptr (GError) local_error = NULL;

  if (len > G_MAXSSIZE) {
    set_malformed (error, "the response is too large");
    return FALSE;
  }

  /* AWS answers in UTF-8. Checking first also keeps GMarkup away from its
   * own invalid-text path, after which GLib 2.74 goes on parsing with the
   * error already set. */
  if (!g_utf8_validate_len (xml ? xml : "", len, NULL)) {
    set_malformed (error, "the response is not UTF-8 text");
    return FALSE;
  }

  context = g_markup_parse_context_new (
    &markup_callbacks, G_MARKUP_TREAT_CDATA_AS_TEXT, parser, NULL);
  if (g_markup_parse_context_parse (context, xml ? xml : "", (gssize) len,
                                    &local_error)
      && g_markup_parse_context_end_parse (context, &local_error))
    return TRUE;

  if (local_error->domain == STS_RESPONSE_ERROR)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    set_not_well_formed (context, error);
  return FALSE;
}

static gboolean
require_field (const Parser *parser, guint spec, GError **error)
{
  const char *value = parser->values[spec];
  gboolean container = parser->specs[spec].kind == FIELD_CONTAINER;

  if (value != NULL && (*value != '\0' || container))
    return TRUE;

  g_set_error (error, STS_RESPONSE_ERROR, STS_RESPONSE_ERROR_MISSING_FIELD,
               value == NULL ? "the response has no %s"
                             : "the response has an empty %s",
               spec_name (&parser->specs[spec]));
  return FALSE;
}

/**
 * sts_response_parse_timestamp:
 * @iso8601: an ISO 8601 time with a zone, e.g. "2011-07-11T19:55:29.611Z"
 *   or "2011-07-11T21:55:29+02:00"; the fraction is optional
 *
 * Returns: (transfer full) (nullable): the time, or %NULL when @iso8601 is
 *   not a time with a zone.
 */
GDateTime *
sts_response_parse_timestamp (const char *iso8601)
{
  g_return_val_if_fail (iso8601 != NULL, NULL);

  return g_date_time_new_from_iso8601 (iso8601, NULL);
}

/* Builds "XResponse" from "XResult": the Query API names both after the
 * action. */
static char *
response_root (const char *result_element)
{
  gsize stem = strlen (result_element) - strlen ("Result");

  return g_strdup_printf ("%.*sResponse", (int) stem, result_element);
}

enum {
  CRED_ACCESS_KEY_ID,
  CRED_SECRET_ACCESS_KEY,
  CRED_SESSION_TOKEN,
  CRED_EXPIRATION,
  CRED_REQUEST_ID,
  CRED_N_FIELDS
};

static Credentials *
credentials_from_fields (const Parser *parser, GError **error)
{
  g_autoptr (GDateTime) expiration = NULL;

  for (guint i = CRED_ACCESS_KEY_ID; i <= CRED_EXPIRATION; i++) {
    if (!require_field (parser, i, error))
      return NULL;
  }

  expiration = sts_response_parse_timestamp (parser->values[CRED_EXPIRATION]);
  if (expiration == NULL) {
    set_malformed (error, "the response's Expiration is not an ISO 8601 time");
    return NULL;
  }

  return credentials_new (parser->values[CRED_ACCESS_KEY_ID],
                          parser->values[CRED_SECRET_ACCESS_KEY],
                          parser->values[CRED_SESSION_TOKEN], expiration);
}

/**
 * sts_response_parse_credentials:
 * @xml: the response body
 * @len: its length in bytes
 * @result_element: "GetSessionTokenResult" or "AssumeRoleResult" (any
 *   "…Result" of an action answering with Credentials)
 * @credentials: (out) (transfer full): the temporary credentials
 * @request_id: (out) (optional) (nullable) (transfer full): the AWS
 *   request id, %NULL when the response has none
 * @error: return location for a #GError
 *
 * Reads the Credentials (AccessKeyId, SecretAccessKey, SessionToken,
 * Expiration) of an STS answer from exactly RESPONSE/RESULT/Credentials;
 * elements elsewhere are ignored. Every copy of the secrets made here is
 * wiped; @xml itself stays the caller's to wipe. Does not block.
 *
 * Returns: %TRUE on success; %FALSE with @error set in the
 *   #STS_RESPONSE_ERROR domain, whose message never quotes the document.
 */
gboolean
sts_response_parse_credentials (const char *xml, gsize len,
                                const char *result_element,
                                Credentials **credentials, char **request_id,
                                GError **error)
{
  g_autofree char *root = NULL;
  const FieldSpec specs[CRED_N_FIELDS] = {
    { { result_element, "Credentials", "AccessKeyId" }, FIELD_KEY },
    { { result_element, "Credentials", "SecretAccessKey" }, FIELD_SECRET },
    { { result_element, "Credentials", "SessionToken" }, FIELD_SECRET },
    { { result_element, "Credentials", "Expiration" }, FIELD_TEXT },
    { { "ResponseMetadata", "RequestId" }, FIELD_TEXT },
  };
  Parser parser;
  Credentials *result = NULL;

  g_return_val_if_fail (xml != NULL || len == 0, FALSE);
  g_return_val_if_fail (result_element != NULL, FALSE);
  g_return_val_if_fail (g_str_has_suffix (result_element, "Result"), FALSE);
  g_return_val_if_fail (credentials != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  root = response_root (result_element);
  parser_init (&parser, root, specs, CRED_N_FIELDS);
  if (parser_run (&parser, xml, len, error))
    result = credentials_from_fields (&parser, error);
  if (result != NULL && request_id != NULL)
    *request_id = g_steal_pointer (&parser.values[CRED_REQUEST_ID]);
  parser_clear (&parser);

  *credentials = result;
  return result != NULL;
}

enum { IDENTITY_ACCOUNT, IDENTITY_ARN, IDENTITY_USER_ID, IDENTITY_N_FIELDS };

static const FieldSpec identity_specs[IDENTITY_N_FIELDS] = {
  { { "GetCallerIdentityResult", "Account" }, FIELD_TEXT },
  { { "GetCallerIdentityResult", "Arn" }, FIELD_TEXT },
  { { "GetCallerIdentityResult", "UserId" }, FIELD_TEXT },
};

/**
 * sts_response_parse_caller_identity:
 * @xml: the GetCallerIdentity response body
 * @len: its length in bytes
 * @identity: (out) (transfer full): who made the call
 * @error: return location for a #GError
 *
 * Reads Account, Arn and UserId from
 * GetCallerIdentityResponse/GetCallerIdentityResult. Does not block.
 *
 * Returns: %TRUE on success; %FALSE with @error set in the
 *   #STS_RESPONSE_ERROR domain.
 */
gboolean
sts_response_parse_caller_identity (const char *xml, gsize len,
                                    StsCallerIdentity **identity,
                                    GError **error)
{
  Parser parser;
  gboolean ok;

  g_return_val_if_fail (xml != NULL || len == 0, FALSE);
  g_return_val_if_fail (identity != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *identity = NULL;
  parser_init (&parser, "GetCallerIdentityResponse", identity_specs,
               IDENTITY_N_FIELDS);
  ok = parser_run (&parser, xml, len, error)
       && require_field (&parser, IDENTITY_ACCOUNT, error)
       && require_field (&parser, IDENTITY_ARN, error)
       && require_field (&parser, IDENTITY_USER_ID, error);
  if (ok) {
    *identity = g_new0 (StsCallerIdentity, 1);
    (*identity)->account = g_steal_pointer (&parser.values[IDENTITY_ACCOUNT]);
    (*identity)->arn = g_steal_pointer (&parser.values[IDENTITY_ARN]);
    (*identity)->user_id = g_steal_pointer (&parser.values[IDENTITY_USER_ID]);
  }
  parser_clear (&parser);

  return ok;
}

enum {
  MFA_DEVICES,
  MFA_USER_NAME,
  MFA_SERIAL_NUMBER,
  MFA_ENABLE_DATE,
  MFA_N_FIELDS
};

#define MFA_MEMBER "ListMFADevicesResult", "MFADevices", "member"

static const FieldSpec mfa_specs[MFA_N_FIELDS] = {
  { { "ListMFADevicesResult", "MFADevices" }, FIELD_CONTAINER },
  { { MFA_MEMBER, "UserName" }, FIELD_TEXT },
  { { MFA_MEMBER, "SerialNumber" }, FIELD_TEXT },
  { { MFA_MEMBER, "EnableDate" }, FIELD_TEXT },
};

static const char *const mfa_member_path[] = { MFA_MEMBER, NULL };

static gboolean
add_mfa_device (Parser *parser, GError **error)
{
  GPtrArray *devices = parser->record_data;
  const char *enable_date = parser->values[MFA_ENABLE_DATE];
  g_autoptr (IamMfaDevice) device = g_new0 (IamMfaDevice, 1);

  if (!require_field (parser, MFA_SERIAL_NUMBER, error))
    return FALSE;
  if (enable_date != NULL && *enable_date != '\0') {
    device->enable_date = sts_response_parse_timestamp (enable_date);
    if (device->enable_date == NULL) {
      set_malformed (error,
                     "the response's EnableDate is not an ISO 8601 time");
      return FALSE;
    }
  }

  device->serial_number = g_steal_pointer (&parser->values[MFA_SERIAL_NUMBER]);
  if (parser->values[MFA_USER_NAME] != NULL
      && *parser->values[MFA_USER_NAME] != '\0')
    device->user_name = g_steal_pointer (&parser->values[MFA_USER_NAME]);
  g_ptr_array_add (devices, g_steal_pointer (&device));
  return TRUE;
}

/**
 * sts_response_parse_mfa_devices:
 * @xml: the IAM ListMFADevices response body
 * @len: its length in bytes
 * @devices: (out) (transfer full) (element-type IamMfaDevice): the devices,
 *   possibly none, in document order; the array frees its elements
 * @error: return location for a #GError
 *
 * Reads ListMFADevicesResponse/ListMFADevicesResult/MFADevices/member.
 * Each member needs a SerialNumber; UserName and EnableDate may be absent.
 * Does not block.
 *
 * Returns: %TRUE on success; %FALSE with @error set in the
 *   #STS_RESPONSE_ERROR domain.
 */
gboolean
sts_response_parse_mfa_devices (const char *xml, gsize len, GPtrArray **devices,
                                GError **error)
{
  g_autoptr (GPtrArray) found = NULL;
  Parser parser;
  gboolean ok;

  g_return_val_if_fail (xml != NULL || len == 0, FALSE);
  g_return_val_if_fail (devices != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  found = g_ptr_array_new_with_free_func ((GDestroyNotify) iam_mfa_device_free);
  parser_init (&parser, "ListMFADevicesResponse", mfa_specs, MFA_N_FIELDS);
  parser.record_path = mfa_member_path;
  parser.record_end = add_mfa_device;
  parser.record_data = found;
  ok = parser_run (&parser, xml, len, error)
       && require_field (&parser, MFA_DEVICES, error);
  parser_clear (&parser);

  *devices = ok ? g_steal_pointer (&found) : NULL;
  return ok;
}

enum {
  ERROR_TYPE,
  ERROR_CODE,
  ERROR_MESSAGE,
  ERROR_INNER_REQUEST_ID,
  ERROR_REQUEST_ID,
  ERROR_N_FIELDS
};

/* The Query API's <ErrorResponse><Error>…</Error><RequestId>, and the bare
 * <Error> some compatible endpoints answer with. */
static const FieldSpec error_response_specs[ERROR_N_FIELDS] = {
  { { "Error", "Type" }, FIELD_TEXT },
  { { "Error", "Code" }, FIELD_TEXT },
  { { "Error", "Message" }, FIELD_TEXT },
  { { "Error", "RequestId" }, FIELD_TEXT },
  { { "RequestId" }, FIELD_TEXT },
};

/* The bare form has no outer RequestId: only the first four apply. */
static const FieldSpec bare_error_specs[ERROR_REQUEST_ID] = {
  { { "Type" }, FIELD_TEXT },
  { { "Code" }, FIELD_TEXT },
  { { "Message" }, FIELD_TEXT },
  { { "RequestId" }, FIELD_TEXT },
};

static StsErrorDocument *
error_document_from_fields (Parser *parser)
{
  StsErrorDocument *doc = g_new0 (StsErrorDocument, 1);
  char **values = parser->values;
  guint outer = ERROR_REQUEST_ID;

  doc->type = g_steal_pointer (&values[ERROR_TYPE]);
  doc->code = g_steal_pointer (&values[ERROR_CODE]);
  doc->message = g_steal_pointer (&values[ERROR_MESSAGE]);
  /* AWS puts RequestId beside Error; take it from inside Error if not. */
  if (parser->n_specs > outer && values[outer] != NULL)
    doc->request_id = g_steal_pointer (&values[outer]);
  else
    doc->request_id = g_steal_pointer (&values[ERROR_INNER_REQUEST_ID]);
  return doc;
}

static StsErrorDocument *
parse_error_as (const char *root, const FieldSpec *specs, guint n_specs,
                const char *xml, gsize len, gboolean *wrong_root)
{
  StsErrorDocument *doc = NULL;
  Parser parser;

  parser_init (&parser, root, specs, n_specs);
  if (parser_run (&parser, xml, len, NULL))
    doc = error_document_from_fields (&parser);
  *wrong_root = parser.wrong_root;
  parser_clear (&parser);

  return doc;
}

/**
 * sts_response_parse_error:
 * @xml: (nullable): a response body
 * @len: its length in bytes
 *
 * Reads an AWS Query API error document: Type, Code and Message from
 * ErrorResponse/Error, RequestId from ErrorResponse (or from inside Error).
 * A bare Error root is accepted too. Does not block.
 *
 * Returns: (transfer full) (nullable): the error document, whose fields
 *   may each be %NULL; %NULL when @xml is not a well-formed error document
 *   (an HTML error page, an empty body, another document).
 */
StsErrorDocument *
sts_response_parse_error (const char *xml, gsize len)
{
  StsErrorDocument *doc;
  gboolean wrong_root = FALSE;

  if (xml == NULL || len == 0)
    return NULL;

  doc =
    parse_error_as ("ErrorResponse", error_response_specs,
                    G_N_ELEMENTS (error_response_specs), xml, len, &wrong_root);
  if (doc == NULL && wrong_root)
    doc =
      parse_error_as ("Error", bare_error_specs,
                      G_N_ELEMENTS (bare_error_specs), xml, len, &wrong_root);
  return doc;
}

/**
 * sts_error_document_free:
 * @doc: (nullable) (transfer full): an #StsErrorDocument
 */
void
sts_error_document_free (StsErrorDocument *doc)
{
  if (doc == NULL)
    return;

  g_free (doc->type);
  g_free (doc->code);
  g_free (doc->message);
  g_free (doc->request_id);
  g_free (doc);
}

/**
 * sts_caller_identity_free:
 * @identity: (nullable) (transfer full): an #StsCallerIdentity
 */
void
sts_caller_identity_free (StsCallerIdentity *identity)
{
  if (identity == NULL)
    return;

  g_free (identity->account);
  g_free (identity->arn);
  g_free (identity->user_id);
  g_free (identity);
}

/**
 * iam_mfa_device_free:
 * @device: (nullable) (transfer full): an #IamMfaDevice
 */
void
iam_mfa_device_free (IamMfaDevice *device)
{
  if (device == NULL)
    return;

  g_free (device->user_name);
  g_free (device->serial_number);
  g_clear_pointer (&device->enable_date, g_date_time_unref);
  g_free (device);
}
