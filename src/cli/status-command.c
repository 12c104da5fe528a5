/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* botomfa status: every profile, its session's state, where its key comes
 * from and where its session goes. No network unless --check asks. */

#include "config.h"

#include "status-command.h"
#include "aws-config.h"
#include "cli-common.h"
#include "json-writer.h"
#include "credential-file.h"
#include "keyring.h"
#include "long-term-key.h"
#include "profile.h"
#include "refresh-sts.h"
#include "sts-client.h"

#include <glib/gi18n.h>

typedef struct {
  char *profile;
  gboolean json;
  gboolean check;
  gboolean debug;
} Options;

typedef struct {
  const char *state;
  Credentials *session;
  GTimeSpan left;
  const char *key_source;
  char *key_id;
  char *key_place;
} Report;

static GHashTable *
keyring_key_ids (char **problem)
{
  GHashTable *ids =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = keyring_list (0, NULL, &error);

  if (entries == NULL) {
    *problem = g_strdup (error->message);
    return ids;
  }
  for (guint i = 0; i < entries->len; i++) {
    KeyringEntry *entry = entries->pdata[i];

    g_hash_table_replace (ids, g_strdup (entry->profile),
                          g_strdup (entry->access_key_id));
  }

  return ids;
}

static void
describe_key (const Profile *profile, GHashTable *keyring_ids, Report *report)
{
  const char *id = g_hash_table_lookup (keyring_ids, profile->key_profile);
  g_autoptr (LongTermKeyPlace) place = NULL;
  g_autoptr (Credentials) key = NULL;

  if (id != NULL) {
    report->key_source = "keyring";
    report->key_id = g_strdup (id);
    return;
  }

  key = long_term_key_find_plaintext (profile, &place, NULL);
  report->key_source = key ? "plaintext" : "none";
  if (key != NULL) {
    report->key_id = g_strdup (key->access_key_id);
    report->key_place =
      g_strdup_printf ("%s [%s]", place->path, place->section);
  }
}

static void
describe_session (const Profile *profile, const Options *options,
                  Report *report)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (StsClient) client = NULL;
  RefreshStatus status = REFRESH_STATUS_MISSING;
  g_autoptr (GError) error = NULL;

  if (options->check)
    client = sts_client_new (profile->region, profile->legacy_global, &error);
  if (client != NULL
      && !refresh_validate (profile, client, &status, &report->session, NULL,
                            &error)) {
    report->state = "unknown";
    return;
  }
  if (client == NULL) {
    g_autoptr (GError) ignored = NULL;
    /* Local facts only: what the file says. */
    refresh_peek (profile, &status, &report->session, &ignored);
  }

  report->left = report->session && report->session->expiration
                   ? credentials_time_left (report->session, now)
                   : 0;
  if (status == REFRESH_STATUS_MISSING)
    report->state = "missing";
  else if (status == REFRESH_STATUS_EXPIRED)
    report->state = "expired";
  else if (status == REFRESH_STATUS_REJECTED)
    report->state = "rejected";
  else if (report->session->expiration != NULL
           && report->left
                < (GTimeSpan) profile->notify_before * G_TIME_SPAN_SECOND)
    report->state = "expiring";
  else
    report->state = "valid";
}

static char *
targets_text (const Profile *profile, const char *separator)
{
  GString *text = g_string_new (NULL);

  if (profile->targets & PROFILE_TARGET_BOTO)
    g_string_append_printf (text, "%s [%s]", profile->boto_config_path,
                            profile->credentials_section);
  if ((profile->targets & PROFILE_TARGET_AWS_CREDENTIALS)
      && profile->aws_credentials_path != NULL)
    g_string_append_printf (text, "%s%s [%s]", text->len ? separator : "",
                            profile->aws_credentials_path, profile->name);

  return g_string_free (text, FALSE);
}

/* A stable name for --json, and words for the text. */
static const char *
duration_source_id (ProfileDurationSource source)
{
  static const char *const ids[] = {
    [PROFILE_DURATION_FROM_FLAG] = "flag",
    [PROFILE_DURATION_FROM_ENV] = "environment",
    [PROFILE_DURATION_FROM_SETTINGS] = "settings",
    [PROFILE_DURATION_FROM_AWS_CONFIG] = "aws-config",
    [PROFILE_DURATION_FROM_SEED_DEFAULT] = "default",
    [PROFILE_DURATION_FROM_AWS_DEFAULT] = "aws-default",
  };

  return source < G_N_ELEMENTS (ids) ? ids[source] : "default";
}

static const char *
duration_source_text (ProfileDurationSource source)
{
  switch (source) {
    case PROFILE_DURATION_FROM_FLAG:
      return "--duration";
    case PROFILE_DURATION_FROM_ENV:
      return "STS_DURATION";
    case PROFILE_DURATION_FROM_SETTINGS:
      return _ ("duration in profiles.ini");
    case PROFILE_DURATION_FROM_AWS_CONFIG:
      return _ ("duration_seconds in the AWS config");
    case PROFILE_DURATION_FROM_AWS_DEFAULT:
      return _ ("AWS's default");
    case PROFILE_DURATION_FROM_SEED_DEFAULT:
    default:
      return _ ("botomfa's default");
  }
}

static void
print_text (const Profile *profile, const Report *report)
{
  g_autofree char *targets = targets_text (profile, ", ");
  g_autofree char *until = NULL;

  if (report->session != NULL && report->session->expiration != NULL) {
    g_autoptr (GDateTime) local =
      g_date_time_to_local (report->session->expiration);
    until = g_date_time_format (local, "%Y-%m-%d %H:%M");
  }

  g_print ("%s\n", profile->name);
  if (until != NULL)
    g_print (_ ("  session:  %s, until %s (%ld min left)\n"), report->state,
             until, (long) (MAX (report->left, 0) / G_TIME_SPAN_MINUTE));
  else
    g_print (_ ("  session:  %s\n"), report->state);
  if (report->key_place != NULL)
    g_print (_ ("  key:      %s %s in %s\n"), report->key_source,
             report->key_id, report->key_place);
  else if (report->key_id != NULL)
    g_print (_ ("  key:      %s %s\n"), report->key_source, report->key_id);
  else
    g_print (_ ("  key:      %s\n"), report->key_source);
  g_print (_ ("  device:   %s\n"),
           profile->mfa_serial ? profile->mfa_serial : _ ("unknown"));
  g_print (_ ("  duration: %u s (%s)\n"), profile->duration,
           duration_source_text (profile->duration_source));
  g_print (_ ("  targets:  %s (%s)\n"), targets, profile->targets_reason);
  if (profile_boto_shadowed (profile))
    g_print (_ ("  note:     boto 2 reads [default] of %s first, not this "
                "session\n"),
             profile->aws_credentials_path);
}

static void
append_json (GString *out, const Profile *profile, const Report *report)
{
  g_autofree char *expiration =
    report->session && report->session->expiration
      ? credential_file_format_expiration (report->session->expiration)
      : NULL;

  g_string_append (out, "{\"profile\": ");
  json_writer_append_string (out, profile->name);
  g_string_append (out, ", \"state\": ");
  json_writer_append_string (out, report->state);
  g_string_append (out, ", \"expiration\": ");
  json_writer_append_string (out, expiration);
  g_string_append_printf (out, ", \"seconds_left\": %" G_GINT64_FORMAT,
                          MAX (report->left, 0) / G_TIME_SPAN_SECOND);
  g_string_append (out, ", \"key_source\": ");
  json_writer_append_string (out, report->key_source);
  g_string_append (out, ", \"access_key_id\": ");
  json_writer_append_string (out, report->key_id);
  g_string_append (out, ", \"mfa_serial\": ");
  json_writer_append_string (out, profile->mfa_serial);
  g_string_append_printf (
    out, ", \"targets\": {\"boto\": %s, \"aws_credentials\": %s}",
    profile->targets & PROFILE_TARGET_BOTO ? "true" : "false",
    profile->targets & PROFILE_TARGET_AWS_CREDENTIALS ? "true" : "false");
  g_string_append_printf (
    out, ", \"duration\": %u, \"duration_source\": ", profile->duration);
  json_writer_append_string (out,
                             duration_source_id (profile->duration_source));
  g_string_append (out, ", \"targets_reason\": ");
  json_writer_append_string (out, profile->targets_reason);
  g_string_append (out, "}");
}

static gboolean
report_profile (const char *name, const Options *options,
                GHashTable *keyring_ids, GString *json, GError **error)
{
  ProfileOverrides overrides = { .name = name };
  g_autoptr (Profile) profile = profile_resolve (&overrides, error);
  Report report = { NULL };

  if (profile == NULL)
    return FALSE;

  describe_key (profile, keyring_ids, &report);
  describe_session (profile, options, &report);
  if (json != NULL) {
    if (json->len > 1)
      g_string_append (json, ",\n ");
    append_json (json, profile, &report);
  } else {
    print_text (profile, &report);
  }

  credentials_free (report.session);
  g_free (report.key_id);
  g_free (report.key_place);
  return TRUE;
}

static int
run (const Options *options, GError **error)
{
  g_autofree char *keyring_problem = NULL;
  g_autoptr (GHashTable) ids = keyring_key_ids (&keyring_problem);
  g_autoptr (GPtrArray) names = NULL;
  GString *json = options->json ? g_string_new ("[") : NULL;
  gboolean ok = TRUE;

  if (options->profile != NULL) {
    names = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (names, g_strdup (options->profile));
  } else {
    names = profile_list_names (ids, error);
    if (names == NULL)
      return EXIT_CONFIG;
  }

  for (guint i = 0; ok && i < names->len; i++)
    ok = report_profile (names->pdata[i], options, ids, json, error);
  if (json != NULL) {
    g_string_append (json, "]\n");
    if (ok)
      g_print ("%s", json->str);
    g_string_free (json, TRUE);
  }
  if (keyring_problem != NULL && !options->json)
    g_printerr (_ ("botomfa status: the keyring could not be read: %s\n"),
                keyring_problem);

  return ok ? EXIT_OK : cli_status_for_error (*error);
}

/**
 * status_command_run:
 * @argc: the argument count, "status" included
 * @argv: the arguments
 *
 * Returns: the exit status of `botomfa status …`
 */
int
status_command_run (int argc, char **argv)
{
  Options options = { 0 };
  const GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &options.profile,
      N_ ("Only this profile"), N_ ("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options.json,
      N_ ("Print JSON instead of text"), NULL },
    { "check", 0, 0, G_OPTION_ARG_NONE, &options.check,
      N_ ("Ask AWS whether each session is accepted (GetCallerIdentity)"),
      NULL },
    { "debug", 0, 0, G_OPTION_ARG_NONE, &options.debug,
      N_ ("Print what botomfa does (never secrets) on standard error"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  int status;

  g_set_prgname ("botomfa status");
  g_option_context_set_summary (
    context, _ ("Show every profile: the session's state and expiry, where "
                "the long-term key comes from, the MFA device, and where "
                "the session is written and why."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    status = EXIT_USAGE;
  } else {
    if (options.debug)
      g_log_set_debug_enabled (TRUE);
    status = run (&options, &error);
  }

  if (error != NULL)
    cli_fail (status, error);
  g_free (options.profile);
  return status;
}
