/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The dialog that asks for an MFA code and refreshes one profile. The
 * long-term key is loaded and the targets checked while the user looks up
 * the code (a code is good for one use only); STS's answer shows inline
 * and the entry is ready for the next code. A key read from a plaintext
 * file can be moved into the keyring from here. */

#define G_LOG_DOMAIN "botomfa-tray"

#include "config.h"

#include "mfa-dialog.h"

#include "key-dialog.h"
#include "long-term-key.h"
#include "refresh.h"
#include "sts-worker-client.h"
#include "wipe.h"

#include <glib/gi18n-lib.h>

/* How long the Secret Service may take to hand over the long-term key. */
#define KEYRING_TIMEOUT_MS 10000

struct _MfaDialog {
  GtkDialog parent_instance;

  TrayProfile *profile;
  GtkWidget *entry;
  GtkWidget *spinner;
  GtkWidget *message;
  GtkWidget *import;
  GCancellable *cancellable;
  Credentials *long_term;
  LongTermKeyPlace *place; /* Where a plaintext key was read. */
  char *imported;          /* Said once the key moved into the keyring. */
  gboolean from_keyring;
  gboolean ready;
  gboolean pending;
  gboolean busy;
  gboolean refreshed;
};

G_DEFINE_FINAL_TYPE (MfaDialog, mfa_dialog, GTK_TYPE_DIALOG)

static void
mfa_dialog_dispose (GObject *object)
{
  MfaDialog *self = MFA_DIALOG (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (mfa_dialog_parent_class)->dispose (object);
}

static void
mfa_dialog_finalize (GObject *object)
{
  MfaDialog *self = MFA_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->long_term, credentials_free);
  g_clear_pointer (&self->place, long_term_key_place_free);
  g_free (self->imported);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (mfa_dialog_parent_class)->finalize (object);
}

static void
show_message (MfaDialog *self, const char *text)
{
  gtk_label_set_text (GTK_LABEL (self->message), text ? text : "");
  gtk_widget_set_visible (self->message, text != NULL);
}

static void
set_busy (MfaDialog *self, gboolean busy)
{
  if (busy)
    gtk_spinner_start (GTK_SPINNER (self->spinner));
  else
    gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_widget_set_visible (self->spinner, busy);
}

/* Ready for the next code: the old one is spent either way. */
static void
retry (MfaDialog *self, const char *message)
{
  self->busy = FALSE;
  set_busy (self, FALSE);
  show_message (self, message);
  gtk_widget_set_sensitive (self->entry, TRUE);
  gtk_entry_set_text (GTK_ENTRY (self->entry), "");
  gtk_widget_grab_focus (self->entry);
}

static void
on_refreshed (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (MfaDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (Credentials) session =
    sts_worker_client_refresh_finish (res, &error);

  tray_profile_set_refreshing (self->profile, FALSE);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (session == NULL) {
    g_debug ("%s: no session: %s",
             tray_profile_get_profile (self->profile)->name, error->message);
    retry (self, error->message);
    return;
  }
  tray_profile_remember (self->profile, session);
  self->refreshed = TRUE;
  gtk_widget_destroy (GTK_WIDGET (self));
}

static void
send_code (MfaDialog *self, const char *code)
{
  self->busy = TRUE;
  self->pending = FALSE;
  set_busy (self, TRUE);
  show_message (self, _ ("Asking AWS for a session…"));
  gtk_widget_set_sensitive (self->entry, FALSE);
  tray_profile_set_refreshing (self->profile, TRUE);
  sts_worker_client_refresh_async (tray_profile_get_profile (self->profile),
                                   self->long_term, self->from_keyring, code,
                                   self->cancellable, on_refreshed,
                                   g_object_ref (self));
}

/* @complain: say why the entry's text is no code (Enter, the button);
 * while typing, an incomplete code is no mistake. */
static void
submit (MfaDialog *self, gboolean complain)
{
  g_autoptr (GError) error = NULL;
  char *code;

  if (self->busy)
    return;
  code = refresh_normalize_code (gtk_entry_get_text (GTK_ENTRY (self->entry)),
                                 &error);
  if (code == NULL) {
    if (complain)
      show_message (self, error->message);
    return;
  }
  if (self->ready) {
    send_code (self, code);
  } else {
    self->pending = TRUE;
    set_busy (self, TRUE);
  }
  wipe_string_free (code);
}

static void
on_entry_changed (GtkEditable *editable, gpointer user_data)
{
  submit (MFA_DIALOG (user_data), FALSE);
}

static void
on_response (GtkDialog *dialog, int response, gpointer user_data)
{
  MfaDialog *self = MFA_DIALOG (dialog);

  if (response == GTK_RESPONSE_OK) {
    submit (self, TRUE);
    return;
  }
  /* Esc, Cancel or the window closed: drop an answer still on its way. */
  g_cancellable_cancel (self->cancellable);
  gtk_widget_destroy (GTK_WIDGET (self));
}

typedef struct {
  Credentials *long_term;
  LongTermKeyPlace *place;
  char *notice;
  GError *blocked; /* The targets refuse the session. */
} Prepared;

static void
prepared_free (Prepared *prepared)
{
  g_clear_pointer (&prepared->long_term, credentials_free);
  g_clear_pointer (&prepared->place, long_term_key_place_free);
  g_free (prepared->notice);
  g_clear_error (&prepared->blocked);
  g_free (prepared);
}

/* Everything that can fail before a code is spent, off the main loop. A
 * target that refuses the session is reported with the key, which may be
 * the very plaintext key that sits there and can be moved away. */
static void
prepare_thread (GTask *task, gpointer source_object, gpointer task_data,
                GCancellable *cancellable)
{
  const Profile *profile = task_data;
  Prepared *prepared = g_new0 (Prepared, 1);
  GError *error = NULL;

  if (!profile_require_device (profile, &error)
      || !(prepared->long_term =
             long_term_key_load (profile, KEYRING_TIMEOUT_MS, &prepared->place,
                                 &prepared->notice, &error))) {
    prepared_free (prepared);
    g_task_return_error (task, error);
    return;
  }
  refresh_check_target (
    profile, prepared->place->path == NULL ? prepared->long_term : NULL,
    &prepared->blocked);
  g_task_return_pointer (task, prepared, (GDestroyNotify) prepared_free);
}

static void prepare (MfaDialog *self);

/* First run: ask for the key once it is stored, else give up. */
static void
on_key_dialog_destroyed (GtkWidget *key_dialog, gpointer user_data)
{
  MfaDialog *self = user_data;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!key_dialog_get_stored (KEY_DIALOG (key_dialog))) {
    gtk_widget_destroy (GTK_WIDGET (self));
    return;
  }
  show_message (self, NULL);
  gtk_widget_set_sensitive (self->entry, TRUE);
  gtk_window_present (GTK_WINDOW (self));
  prepare (self);
}

/* No key in the keyring nor in a file: the key dialog comes first, and
 * this one waits hidden. */
static void
ask_for_key (MfaDialog *self)
{
  GtkWidget *key_dialog = GTK_WIDGET (key_dialog_new (self->profile));

  gtk_window_set_application (GTK_WINDOW (key_dialog),
                              gtk_window_get_application (GTK_WINDOW (self)));
  g_signal_connect_object (key_dialog, "destroy",
                           G_CALLBACK (on_key_dialog_destroyed), self, 0);
  /* Closed with this one (the tray quits, a D-Bus caller gives up). */
  g_signal_connect_object (self, "destroy", G_CALLBACK (gtk_widget_destroy),
                           key_dialog, G_CONNECT_SWAPPED);
  gtk_widget_hide (GTK_WIDGET (self));
  gtk_window_present (GTK_WINDOW (key_dialog));
}

static void
on_prepared (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (MfaDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  Prepared *prepared = g_task_propagate_pointer (G_TASK (res), &error);

  if (g_cancellable_is_cancelled (self->cancellable)) {
    g_clear_pointer (&prepared, prepared_free);
    return;
  }
  set_busy (self, FALSE);
  if (g_error_matches (error, LONG_TERM_KEY_ERROR,
                       LONG_TERM_KEY_ERROR_NOT_FOUND)) {
    ask_for_key (self);
    return;
  }
  if (prepared == NULL) {
    show_message (self, error->message);
    gtk_widget_set_sensitive (self->entry, FALSE);
    return;
  }
  g_clear_pointer (&self->place, long_term_key_place_free);
  if (prepared->place->path != NULL)
    self->place = g_steal_pointer (&prepared->place);
  gtk_widget_set_visible (self->import, self->place != NULL);
  if (prepared->blocked != NULL) {
    show_message (self, prepared->blocked->message);
    gtk_widget_set_sensitive (self->entry, FALSE);
    prepared_free (prepared);
    return;
  }
  g_clear_pointer (&self->long_term, credentials_free);
  self->long_term = g_steal_pointer (&prepared->long_term);
  self->from_keyring = self->place == NULL;
  self->ready = TRUE;
  gtk_widget_set_sensitive (self->entry, TRUE);
  show_message (self,
                prepared->notice != NULL ? prepared->notice : self->imported);
  prepared_free (prepared);
  if (self->pending)
    submit (self, TRUE);
}

static void
prepare (MfaDialog *self)
{
  g_autoptr (GTask) task = NULL;

  /* The profile is borrowed: the dialog passed as user_data owns a
   * reference to it until on_prepared() runs, after the thread is done. */
  task = g_task_new (NULL, self->cancellable, on_prepared, g_object_ref (self));
  g_task_set_source_tag (task, prepare);
  g_task_set_task_data (
    task, (gpointer) tray_profile_get_profile (self->profile), NULL);
  set_busy (self, TRUE);
  g_task_run_in_thread (task, prepare_thread);
}

/* ----- Moving a plaintext key into the keyring ----- */

/* Read again rather than trust the key read before: the file may have
 * changed. The plaintext copy goes only once the keyring hands the key
 * back, and only if the file still holds that key. */
static void
import_thread (GTask *task, gpointer source_object, gpointer task_data,
               GCancellable *cancellable)
{
  const Profile *profile = task_data;
  g_autoptr (LongTermKeyPlace) place = NULL;
  g_autoptr (Credentials) key = NULL;
  GError *error = NULL;

  if (!(key = long_term_key_find_plaintext (profile, &place, &error))
      || !long_term_key_store_verified (profile->name, key, KEYRING_TIMEOUT_MS,
                                        &error)
      || !long_term_key_remove_plaintext (place, key, &error)) {
    g_task_return_error (task, error);
    return;
  }
  g_task_return_pointer (task, g_steal_pointer (&place),
                         (GDestroyNotify) long_term_key_place_free);
}

static void
on_imported (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (MfaDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (LongTermKeyPlace) place =
    g_task_propagate_pointer (G_TASK (res), &error);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (place == NULL) {
    set_busy (self, FALSE);
    gtk_widget_set_sensitive (self->import, TRUE);
    show_message (self, error->message);
    return;
  }
  g_free (self->imported);
  self->imported = g_strdup_printf (
    _ ("The long-term key is in the keyring now; it was removed from [%s] "
       "in %s."),
    place->section, place->path);
  gtk_widget_hide (self->import);
  prepare (self);
}

static void
on_import_clicked (GtkButton *button, gpointer user_data)
{
  MfaDialog *self = user_data;
  g_autoptr (GTask) task = NULL;

  if (self->busy || self->place == NULL)
    return;
  /* A code typed meanwhile waits for the key from the keyring. */
  self->ready = FALSE;
  gtk_widget_set_sensitive (self->import, FALSE);
  set_busy (self, TRUE);
  show_message (self, _ ("Moving the long-term key into the keyring…"));
  task = g_task_new (NULL, self->cancellable, on_imported, g_object_ref (self));
  g_task_set_source_tag (task, on_import_clicked);
  /* Borrowed, as in prepare(). */
  g_task_set_task_data (
    task, (gpointer) tray_profile_get_profile (self->profile), NULL);
  g_task_run_in_thread (task, import_thread);
}

static void
mfa_dialog_class_init (MfaDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mfa_dialog_dispose;
  object_class->finalize = mfa_dialog_finalize;
}

static void
set_accessible_name (GtkWidget *widget, const char *name)
{
  atk_object_set_name (gtk_widget_get_accessible (widget), name);
}

static void
build_entry (MfaDialog *self)
{
  /* GtkEntryBuffer overwrites the text it frees, so the code does not
   * linger in freed memory. */
  self->entry = gtk_entry_new ();
  gtk_entry_set_max_length (GTK_ENTRY (self->entry), 20);
  gtk_entry_set_width_chars (GTK_ENTRY (self->entry), 9);
  gtk_entry_set_input_purpose (GTK_ENTRY (self->entry),
                               GTK_INPUT_PURPOSE_DIGITS);
  gtk_entry_set_activates_default (GTK_ENTRY (self->entry), TRUE);
  gtk_entry_set_alignment (GTK_ENTRY (self->entry), 0.5);
  gtk_widget_set_halign (self->entry, GTK_ALIGN_CENTER);
  set_accessible_name (self->entry, _ ("MFA code"));
  g_signal_connect (self->entry, "changed", G_CALLBACK (on_entry_changed),
                    self);
}

static void
build_message (MfaDialog *self)
{
  self->spinner = gtk_spinner_new ();
  set_accessible_name (self->spinner, _ ("Working"));
  self->message = gtk_label_new (NULL);
  gtk_label_set_line_wrap (GTK_LABEL (self->message), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->message), 50);
  gtk_label_set_xalign (GTK_LABEL (self->message), 0);
  gtk_label_set_selectable (GTK_LABEL (self->message), TRUE);
  set_accessible_name (self->message, _ ("Message"));
  self->import =
    gtk_button_new_with_mnemonic (_ ("_Move the key into the keyring"));
  set_accessible_name (self->import, _ ("Move the key into the keyring"));
  gtk_widget_set_halign (self->import, GTK_ALIGN_START);
  gtk_widget_set_no_show_all (self->import, TRUE);
}

static void
mfa_dialog_init (MfaDialog *self)
{
  self->cancellable = g_cancellable_new ();
  build_entry (self);
  build_message (self);
}

static char *
describe_device (const Profile *profile)
{
  if (profile->device_name != NULL)
    return g_strdup (profile->device_name);
  if (profile->mfa_serial != NULL)
    return g_strdup (profile->mfa_serial);

  return g_strdup (_ ("(not known yet)"));
}

static GtkWidget *
build_intro (const Profile *profile)
{
  g_autofree char *device = describe_device (profile);
  g_autofree char *text = g_strdup_printf (
    _ ("Enter the six-digit code shown for the MFA device “%s” to refresh "
       "the AWS session of the profile “%s”."),
    device, profile->name);
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 50);
  gtk_label_set_xalign (GTK_LABEL (label), 0);

  return label;
}

static void
lay_out (MfaDialog *self, const Profile *profile)
{
  GtkWidget *content = gtk_dialog_get_content_area (GTK_DIALOG (self));
  GtkWidget *status = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *intro = build_intro (profile);

  gtk_container_set_border_width (GTK_CONTAINER (content), 12);
  gtk_box_set_spacing (GTK_BOX (content), 12);
  gtk_box_pack_start (GTK_BOX (content), intro, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (content), self->entry, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (status), self->spinner, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (status), self->message, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (content), status, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (content), self->import, FALSE, FALSE, 0);
  g_signal_connect (self->import, "clicked", G_CALLBACK (on_import_clicked),
                    self);
  atk_object_add_relationship (gtk_widget_get_accessible (self->entry),
                               ATK_RELATION_LABELLED_BY,
                               gtk_widget_get_accessible (intro));
  gtk_widget_show_all (content);
  gtk_widget_hide (self->message);
  gtk_widget_hide (self->spinner);
}

/**
 * mfa_dialog_new:
 * @profile: the profile to refresh
 *
 * Creates the dialog (not yet shown) and starts loading the long-term key
 * in a worker thread. It destroys itself when the session is stored or the
 * user cancels.
 *
 * Returns: (transfer none): the dialog, a toplevel window
 */
MfaDialog *
mfa_dialog_new (TrayProfile *profile)
{
  const Profile *p = tray_profile_get_profile (profile);
  g_autofree char *title = g_strdup_printf (_ ("AWS MFA code — %s"), p->name);
  MfaDialog *self =
    g_object_new (MFA_TYPE_DIALOG, "title", title, "resizable", FALSE,
                  "window-position", GTK_WIN_POS_CENTER, NULL);

  self->profile = g_object_ref (profile);
  gtk_dialog_add_buttons (GTK_DIALOG (self), _ ("_Cancel"), GTK_RESPONSE_CANCEL,
                          _ ("_Refresh"), GTK_RESPONSE_OK, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (self), GTK_RESPONSE_OK);
  lay_out (self, p);
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
  prepare (self);

  return self;
}

/**
 * mfa_dialog_get_profile:
 *
 * Returns: (transfer none): the profile the dialog refreshes
 */
TrayProfile *
mfa_dialog_get_profile (MfaDialog *self)
{
  return self->profile;
}

/**
 * mfa_dialog_get_refreshed:
 *
 * Returns: whether a refresh succeeded (the dialog then destroys itself;
 * ask from its "destroy" handler)
 */
gboolean
mfa_dialog_get_refreshed (MfaDialog *self)
{
  return self->refreshed;
}
