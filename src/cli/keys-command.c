/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* botomfa keys: long-term keys in the desktop keyring. Secrets are read
 * from the terminal or standard input, never from the command line. */

#include "config.h"

#include "keys-command.h"
#include "cli-common.h"
#include "keyring.h"
#include "long-term-key.h"
#include "profile.h"
#include "terminal-prompt.h"
#include "wipe.h"

#include <glib/gi18n.h>

typedef struct {
  char *profile;
  gboolean remove_plaintext;
  gboolean debug;
} KeysOptions;

static const char *
profile_name (const KeysOptions *options)
{
  return options->profile ? options->profile : "default";
}

static char *
read_answer (const char *prompt, gboolean secret, GError **error)
{
  char *answer = terminal_prompt_read (prompt, secret, error);

  if (answer != NULL)
    g_strstrip (answer);
  return answer;
}

static int
keys_set (const KeysOptions *options, GError **error)
{
  g_autofree char *key_id = NULL;
  g_auto (WipeString) secret = NULL;
  g_autoptr (Credentials) key = NULL;

  key_id = read_answer (_ ("AWS access key id: "), FALSE, error);
  if (key_id == NULL)
    return cli_status_for_error (*error);
  secret = read_answer (_ ("AWS secret access key: "), TRUE, error);
  if (secret == NULL)
    return cli_status_for_error (*error);
  if (!long_term_key_check (key_id, secret, error))
    return EXIT_USAGE;

  key = credentials_new (key_id, secret, NULL, NULL);
  if (!long_term_key_store_verified (profile_name (options), key,
                                     cli_keyring_timeout (), error))
    return EXIT_CONFIG;

  g_print (_ ("Stored the long-term key %s of profile %s in the keyring.\n"),
           key_id, profile_name (options));
  return EXIT_OK;
}

static int
keys_import (const KeysOptions *options, GError **error)
{
  ProfileOverrides overrides = { .name = options->profile };
  g_autoptr (Profile) profile = NULL;
  g_autoptr (LongTermKeyPlace) place = NULL;
  g_autoptr (Credentials) key = NULL;

  profile = profile_resolve (&overrides, error);
  if (profile == NULL)
    return cli_status_for_error (*error);
  key = long_term_key_find_plaintext (profile, &place, error);
  if (key == NULL
      || !long_term_key_store_verified (profile->name, key,
                                        cli_keyring_timeout (), error))
    return EXIT_CONFIG;

  g_print (_ ("Stored the long-term key %s of profile %s in the keyring.\n"),
           key->access_key_id, profile->name);
  if (!options->remove_plaintext) {
    g_print (_ ("The plaintext copy in [%s] of %s is still there; remove it "
                "with “botomfa keys import --remove-plaintext”.\n"),
             place->section, place->path);
    return EXIT_OK;
  }

  if (!long_term_key_remove_plaintext (place, key, error))
    return EXIT_CONFIG;
  g_print (_ ("Removed the plaintext key from [%s] of %s.\n"), place->section,
           place->path);
  return EXIT_OK;
}

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  const KeyringEntry *x = *(KeyringEntry *const *) a;
  const KeyringEntry *y = *(KeyringEntry *const *) b;

  return g_strcmp0 (x->profile, y->profile);
}

static int
keys_list (GError **error)
{
  g_autoptr (GPtrArray) entries = NULL;

  entries = keyring_list (cli_keyring_timeout (), NULL, error);
  if (entries == NULL)
    return EXIT_CONFIG;

  if (entries->len == 0) {
    g_print ("%s\n", _ ("No long-term keys are stored in the keyring."));
    return EXIT_OK;
  }

  g_ptr_array_sort (entries, compare_entries);
  g_print ("%-24s %s\n", _ ("PROFILE"), _ ("ACCESS KEY ID"));
  for (guint i = 0; i < entries->len; i++) {
    const KeyringEntry *entry = g_ptr_array_index (entries, i);

    g_print ("%-24s %s\n", entry->profile, entry->access_key_id);
  }

  return EXIT_OK;
}

static int
keys_delete (const KeysOptions *options, GError **error)
{
  if (!keyring_delete (profile_name (options), cli_keyring_timeout (), NULL,
                       error))
    return EXIT_CONFIG;

  g_print (_ ("Deleted the long-term key of profile %s from the keyring.\n"),
           profile_name (options));
  return EXIT_OK;
}

static const char *
describe (void)
{
  return _ (
    "Commands:\n"
    "  set      store a long-term key: the access key id and the secret\n"
    "           are read from the terminal (the secret without echo), or\n"
    "           as two lines from standard input\n"
    "  import   move the key from where it is kept in plaintext today —\n"
    "           [long-term] ([PROFILE-long-term]) of the boto config,\n"
    "           [PROFILE-long-term] or a long-term [PROFILE] of\n"
    "           ~/.aws/credentials — into the keyring; it is read back and\n"
    "           compared before --remove-plaintext removes the plaintext\n"
    "           keys, leaving the rest of the file as it was\n"
    "  list     the profiles and access key ids in the keyring (never\n"
    "           secrets)\n"
    "  delete   remove the profile's key from the keyring\n"
    "\n"
    "Exit status: 0 done, 1 keyring or file problem, 2 invalid usage.");
}

static gboolean
parse (int *argc, char ***argv, KeysOptions *options, GError **error)
{
  const GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &options->profile,
      N_ ("The profile whose key it is (default: default)"), N_ ("NAME") },
    { "remove-plaintext", 0, 0, G_OPTION_ARG_NONE, &options->remove_plaintext,
      N_ ("import: remove the plaintext key once the keyring holds it"), NULL },
    { "debug", 0, 0, G_OPTION_ARG_NONE, &options->debug,
      N_ ("Print what botomfa does (never secrets) on standard error"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = NULL;

  context = g_option_context_new (_ ("set|import|list|delete"));
  g_option_context_set_summary (
    context, _ ("Manage long-term AWS keys in the desktop keyring."));
  g_option_context_set_description (context, describe ());
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_set_prgname ("botomfa keys");
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (*argc != 2) {
    g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                         _ ("Name one command: set, import, list or delete "
                            "(see botomfa keys --help)"));
    return FALSE;
  }

  return TRUE;
}

/**
 * keys_command_run:
 * @argc: the argument count, "keys" included
 * @argv: the arguments, starting with "keys"
 *
 * Returns: the exit status of `botomfa keys …`
 */
int
keys_command_run (int argc, char **argv)
{
  KeysOptions options = { 0 };
  g_autoptr (GError) error = NULL;
  int status;

  if (!parse (&argc, &argv, &options, &error)) {
    status = EXIT_USAGE;
  } else {
    if (options.debug)
      g_log_set_debug_enabled (TRUE);
    if (g_str_equal (argv[1], "set"))
      status = keys_set (&options, &error);
    else if (g_str_equal (argv[1], "import"))
      status = keys_import (&options, &error);
    else if (g_str_equal (argv[1], "list"))
      status = keys_list (&error);
    else if (g_str_equal (argv[1], "delete"))
      status = keys_delete (&options, &error);
    else {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _ ("Unknown command “%s”: use set, import, list or "
                      "delete"),
                   argv[1]);
      status = EXIT_USAGE;
    }
  }

  g_set_prgname ("botomfa");
  if (error != NULL)
    cli_fail (status, error);
  g_free (options.profile);
  return status;
}
