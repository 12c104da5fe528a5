/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* First run: the profile has no long-term key anywhere. The dialog takes
 * the IAM user's access key (typed, or read from the CSV file the AWS
 * console hands out, when one is in the downloads folder) and the MFA
 * device (typed, or found with the key through IAM), stores the key in the
 * keyring, reading it back, and the device in profiles.ini. IAM is asked
 * by botomfa-sts-worker; file and keyring work run in worker threads. */

#define G_LOG_DOMAIN "botomfa-tray"

#include "config.h"

#include "key-dialog.h"

#include "access-key-csv.h"
#include "long-term-key.h"
#include "profile-settings.h"
#include "sts-response.h"
#include "sts-worker-client.h"

#include <glib/gi18n-lib.h>

/* How long the Secret Service may take to store and hand back the key. */
#define KEYRING_TIMEOUT_MS 10000

struct _KeyDialog {
  GtkDialog parent_instance;

  TrayProfile *profile;
  GtkWidget *grid;
  GtkWidget *key_id;
  GtkWidget *secret;
  GtkWidget *device;
  GtkWidget *find;
  GtkWidget *spinner;
  GtkWidget *message;
  GtkWidget *found_box;
  GtkWidget *found_label;
  GtkWidget *use_found;
  GtkWidget *trash_found;
  char *found_path;
  Credentials *found_key;
  GCancellable *cancellable;
  int rows;
  gboolean busy;
  gboolean stored;
};

G_DEFINE_FINAL_TYPE (KeyDialog, key_dialog, GTK_TYPE_DIALOG)

static void
key_dialog_dispose (GObject *object)
{
  g_cancellable_cancel (KEY_DIALOG (object)->cancellable);

  G_OBJECT_CLASS (key_dialog_parent_class)->dispose (object);
}

static void
key_dialog_finalize (GObject *object)
{
  KeyDialog *self = KEY_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->profile);
  g_free (self->found_path);
  credentials_free (self->found_key);

  G_OBJECT_CLASS (key_dialog_parent_class)->finalize (object);
}

static void
key_dialog_class_init (KeyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = key_dialog_dispose;
  object_class->finalize = key_dialog_finalize;
}

static void
show_message (KeyDialog *self, const char *text)
{
  gtk_label_set_text (GTK_LABEL (self->message), text ? text : "");
  gtk_widget_set_visible (self->message, text != NULL);
}

static void
set_busy (KeyDialog *self, gboolean busy, const char *text)
{
  self->busy = busy;
  if (busy)
    gtk_spinner_start (GTK_SPINNER (self->spinner));
  else
    gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_widget_set_visible (self->spinner, busy);
  gtk_widget_set_sensitive (self->grid, !busy);
  gtk_dialog_set_response_sensitive (GTK_DIALOG (self), GTK_RESPONSE_OK, !busy);
  show_message (self, text);
}

/* The typed key, checked for shape; NULL with a message shown. */
static Credentials *
entered_key (KeyDialog *self)
{
  g_autofree char *id =
    g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (self->key_id))));
  const char *secret = gtk_entry_get_text (GTK_ENTRY (self->secret));
  g_autoptr (GError) error = NULL;

  if (!long_term_key_check (id, secret, &error)) {
    show_message (self, error->message);
    return NULL;
  }
  return credentials_new (id, secret, NULL, NULL);
}

static char *
entered_device (KeyDialog *self)
{
  GtkWidget *entry = gtk_bin_get_child (GTK_BIN (self->device));

  return g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (entry))));
}

/* ----- Finding the MFA device ----- */

static void
on_discovered (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (KeyDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) devices =
    sts_worker_client_list_devices_finish (res, &error);
  GtkComboBoxText *combo = GTK_COMBO_BOX_TEXT (self->device);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  set_busy (self, FALSE, devices ? NULL : error->message);
  if (devices == NULL)
    return;
  gtk_combo_box_text_remove_all (combo);
  for (guint i = 0; i < devices->len; i++) {
    const IamMfaDevice *device = g_ptr_array_index (devices, i);

    gtk_combo_box_text_append_text (combo, device->serial_number);
  }
  gtk_combo_box_set_active (GTK_COMBO_BOX (combo), 0);
}

static void
on_find_clicked (GtkButton *button, gpointer user_data)
{
  KeyDialog *self = user_data;
  g_autoptr (Credentials) key = NULL;

  if (self->busy || (key = entered_key (self)) == NULL)
    return;
  set_busy (self, TRUE, _ ("Asking AWS for your MFA devices…"));
  sts_worker_client_list_devices_async (
    tray_profile_get_profile (self->profile), key, self->cancellable,
    on_discovered, g_object_ref (self));
}

/* ----- The console's key file ----- */

typedef struct {
  char *path;
  Credentials *key;
} Found;

static void
found_free (Found *found)
{
  g_free (found->path);
  credentials_free (found->key);
  g_free (found);
}

/* Where a browser saves what the console offers for download. */
static char *
downloads_dir (void)
{
  const char *dir = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);

  if (dir != NULL)
    return g_strdup (dir);
  return g_build_filename (g_get_home_dir (), "Downloads", NULL);
}

static void
find_file_thread (GTask *task, gpointer source_object, gpointer task_data,
                  GCancellable *cancellable)
{
  g_autofree char *dir = downloads_dir ();
  g_autofree char *path = access_key_csv_find (dir);
  g_autoptr (GError) error = NULL;
  Credentials *key;
  Found *found;

  if (path == NULL) {
    g_task_return_pointer (task, NULL, NULL);
    return;
  }
  /* Read again: the file may have changed since it was found. */
  key = access_key_csv_read (path, &error);
  if (key == NULL) {
    g_debug ("%s: %s", path, error->message);
    g_task_return_pointer (task, NULL, NULL);
    return;
  }
  found = g_new0 (Found, 1);
  found->path = g_steal_pointer (&path);
  found->key = key;
  g_task_return_pointer (task, found, (GDestroyNotify) found_free);
}

static void
on_file_found (GObject *source, GAsyncResult *res, gpointer user_data)
{
  KeyDialog *self = KEY_DIALOG (source);
  Found *found = g_task_propagate_pointer (G_TASK (res), NULL);
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (found == NULL)
    return;
  if (g_cancellable_is_cancelled (self->cancellable)) {
    found_free (found);
    return;
  }
  self->found_path = g_steal_pointer (&found->path);
  self->found_key = g_steal_pointer (&found->key);
  found_free (found);
  name = g_filename_display_basename (self->found_path);
  text = g_strdup_printf (
    /* TRANSLATORS: the access key ID, then the file's name */
    _ ("The access key %s is in “%s”, the file the AWS console lets you "
       "download."),
    self->found_key->access_key_id, name);
  gtk_label_set_text (GTK_LABEL (self->found_label), text);
  gtk_widget_set_no_show_all (self->found_box, FALSE);
  gtk_widget_show_all (self->found_box);
  gtk_widget_hide (self->trash_found);
}

static void
on_use_found_clicked (GtkButton *button, gpointer user_data)
{
  KeyDialog *self = user_data;

  gtk_entry_set_text (GTK_ENTRY (self->key_id), self->found_key->access_key_id);
  gtk_entry_set_text (GTK_ENTRY (self->secret),
                      self->found_key->secret_access_key);
  gtk_widget_hide (self->use_found);
  gtk_widget_show (self->trash_found);
  gtk_widget_grab_focus (self->trash_found);
}

static void
find_file (KeyDialog *self)
{
  g_autoptr (GTask) task =
    g_task_new (self, self->cancellable, on_file_found, NULL);

  g_task_set_source_tag (task, find_file);
  g_task_run_in_thread (task, find_file_thread);
}

/* Once the key is in the keyring, the file is a plaintext copy of the
 * secret: the user may have it moved to the trash. Only the key stored,
 * never a file that held another. */
static void
trash_found_file (KeyDialog *self, const Credentials *stored)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;

  if (self->found_key == NULL || !gtk_widget_get_visible (self->trash_found)
      || !gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->trash_found))
      || !g_str_equal (stored->access_key_id, self->found_key->access_key_id)
      || !g_str_equal (stored->secret_access_key,
                       self->found_key->secret_access_key))
    return;
  file = g_file_new_for_path (self->found_path);
  if (!g_file_trash (file, NULL, &error))
    g_warning ("%s was not moved to the trash: %s", self->found_path,
               error->message);
}

/* ----- Storing ----- */

typedef struct {
  char *profile_name;
  Credentials *key;
  char *device;
} Store;

static void
store_free (Store *store)
{
  g_free (store->profile_name);
  credentials_free (store->key);
  g_free (store->device);
  g_free (store);
}

/* The device first: it is checked as it is written, and a refused one
 * leaves the keyring untouched. */
static void
store_thread (GTask *task, gpointer source_object, gpointer task_data,
              GCancellable *cancellable)
{
  Store *store = task_data;
  g_autofree char *path = profile_settings_path ();
  GError *error = NULL;

  if ((store->device[0] != '\0'
       && !profile_settings_set (path, store->profile_name, "mfa_serial",
                                 store->device, &error))
      || !long_term_key_store_verified (store->profile_name, store->key,
                                        KEYRING_TIMEOUT_MS, &error)) {
    g_task_return_error (task, error);
    return;
  }
  g_task_return_boolean (task, TRUE);
}

static void
on_stored (GObject *source, GAsyncResult *res, gpointer user_data)
{
  KeyDialog *self = KEY_DIALOG (source);
  g_autoptr (GError) error = NULL;

  gboolean stored = g_task_propagate_boolean (G_TASK (res), &error);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!stored) {
    set_busy (self, FALSE, error->message);
    return;
  }
  self->stored = TRUE;
  trash_found_file (self, ((Store *) g_task_get_task_data (G_TASK (res)))->key);
  gtk_widget_destroy (GTK_WIDGET (self));
}

static void
save (KeyDialog *self)
{
  Credentials *key = entered_key (self);
  Store *store;
  g_autoptr (GTask) task = NULL;

  if (key == NULL || self->busy)
    return;
  store = g_new0 (Store, 1);
  store->profile_name =
    g_strdup (tray_profile_get_profile (self->profile)->name);
  store->key = key;
  store->device = entered_device (self);
  task = g_task_new (self, self->cancellable, on_stored, NULL);
  g_task_set_source_tag (task, save);
  g_task_set_task_data (task, store, (GDestroyNotify) store_free);
  set_busy (self, TRUE, _ ("Storing the key in the keyring…"));
  g_task_run_in_thread (task, store_thread);
}

static void
on_response (GtkDialog *dialog, int response, gpointer user_data)
{
  KeyDialog *self = KEY_DIALOG (dialog);

  if (response == GTK_RESPONSE_OK) {
    save (self);
    return;
  }
  g_cancellable_cancel (self->cancellable);
  gtk_widget_destroy (GTK_WIDGET (self));
}

/* ----- Layout ----- */

static void
set_accessible_name (GtkWidget *widget, const char *name)
{
  atk_object_set_name (gtk_widget_get_accessible (widget), name);
}

static void
add_row (KeyDialog *self, const char *label_text, const char *name,
         GtkWidget *control, GtkWidget *focus)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (label_text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), focus);
  set_accessible_name (focus, name);
  gtk_widget_set_hexpand (control, TRUE);
  gtk_grid_attach (GTK_GRID (self->grid), label, 0, self->rows, 1, 1);
  gtk_grid_attach (GTK_GRID (self->grid), control, 1, self->rows, 1, 1);
  self->rows++;
}

static GtkWidget *
new_entry (gboolean visible)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_visibility (GTK_ENTRY (entry), visible);
  gtk_entry_set_width_chars (GTK_ENTRY (entry), 40);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);

  return entry;
}

static void
build_device (KeyDialog *self, const Profile *profile)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *entry;

  self->device = gtk_combo_box_text_new_with_entry ();
  entry = gtk_bin_get_child (GTK_BIN (self->device));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry),
                                  "arn:aws:iam::123456789012:mfa/NAME");
  if (profile->mfa_serial != NULL)
    gtk_entry_set_text (GTK_ENTRY (entry), profile->mfa_serial);
  self->find = gtk_button_new_with_mnemonic (_ ("_Find my MFA device"));
  set_accessible_name (self->find, _ ("Find my MFA device"));
  g_signal_connect (self->find, "clicked", G_CALLBACK (on_find_clicked), self);
  gtk_box_pack_start (GTK_BOX (box), self->device, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (box), self->find, FALSE, FALSE, 0);
  add_row (self, _ ("MFA _device"), _ ("MFA device ARN or serial"), box, entry);
}

static void
build_grid (KeyDialog *self, const Profile *profile)
{
  self->grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 12);
  self->key_id = new_entry (TRUE);
  add_row (self, _ ("Access _key ID"), _ ("Access key ID"), self->key_id,
           self->key_id);
  self->secret = new_entry (FALSE);
  add_row (self, _ ("_Secret access key"), _ ("Secret access key"),
           self->secret, self->secret);
  build_device (self, profile);
}

static GtkWidget *
build_intro (const Profile *profile)
{
  g_autofree char *text = g_strdup_printf (
    _ ("botomfa has no long-term access key for the profile “%s”. Enter "
       "your IAM user's access key: it is kept in the keyring, never in a "
       "file."),
    profile->name);
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_label_set_xalign (GTK_LABEL (label), 0);

  return label;
}

/* Hidden until a key file is found. */
static void
build_found (KeyDialog *self, GtkWidget *content)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  self->found_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->found_label = gtk_label_new (NULL);
  gtk_label_set_line_wrap (GTK_LABEL (self->found_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->found_label), 50);
  gtk_label_set_xalign (GTK_LABEL (self->found_label), 0);
  set_accessible_name (self->found_label, _ ("Key file found"));
  self->use_found = gtk_button_new_with_mnemonic (_ ("_Use this key"));
  set_accessible_name (self->use_found, _ ("Use this key"));
  gtk_widget_set_valign (self->use_found, GTK_ALIGN_CENTER);
  g_signal_connect (self->use_found, "clicked",
                    G_CALLBACK (on_use_found_clicked), self);
  gtk_box_pack_start (GTK_BOX (row), self->found_label, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (row), self->use_found, FALSE, FALSE, 0);
  self->trash_found = gtk_check_button_new_with_mnemonic (
    _ ("_Move the file to the trash once the key is stored"));
  set_accessible_name (self->trash_found, _ ("Move the key file to the trash"));
  gtk_box_pack_start (GTK_BOX (self->found_box), row, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self->found_box), self->trash_found, FALSE,
                      FALSE, 0);
  gtk_box_pack_start (GTK_BOX (content), self->found_box, FALSE, FALSE, 0);
  gtk_widget_set_no_show_all (self->found_box, TRUE);
}

static void
build_status (KeyDialog *self, GtkWidget *content)
{
  GtkWidget *status = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

  self->spinner = gtk_spinner_new ();
  set_accessible_name (self->spinner, _ ("Working"));
  self->message = gtk_label_new (NULL);
  gtk_label_set_line_wrap (GTK_LABEL (self->message), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->message), 60);
  gtk_label_set_xalign (GTK_LABEL (self->message), 0);
  gtk_label_set_selectable (GTK_LABEL (self->message), TRUE);
  set_accessible_name (self->message, _ ("Message"));
  gtk_box_pack_start (GTK_BOX (status), self->spinner, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (status), self->message, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (content), status, FALSE, FALSE, 0);
}

static void
lay_out (KeyDialog *self, const Profile *profile)
{
  GtkWidget *content = gtk_dialog_get_content_area (GTK_DIALOG (self));

  gtk_container_set_border_width (GTK_CONTAINER (content), 12);
  gtk_box_set_spacing (GTK_BOX (content), 12);
  gtk_box_pack_start (GTK_BOX (content), build_intro (profile), FALSE, FALSE,
                      0);
  build_found (self, content);
  build_grid (self, profile);
  gtk_box_pack_start (GTK_BOX (content), self->grid, FALSE, FALSE, 0);
  build_status (self, content);
  gtk_widget_show_all (content);
  gtk_widget_hide (self->message);
  gtk_widget_hide (self->spinner);
}

static void
key_dialog_init (KeyDialog *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * key_dialog_new:
 * @profile: the profile that has no long-term key
 *
 * Creates the dialog (not yet shown). It destroys itself when the key is
 * stored (key_dialog_get_stored() is then %TRUE) or the user cancels.
 *
 * Returns: (transfer none): the dialog, a toplevel window
 */
KeyDialog *
key_dialog_new (TrayProfile *profile)
{
  const Profile *p = tray_profile_get_profile (profile);
  g_autofree char *title = g_strdup_printf (_ ("AWS access key — %s"), p->name);
  KeyDialog *self =
    g_object_new (KEY_TYPE_DIALOG, "title", title, "resizable", FALSE,
                  "window-position", GTK_WIN_POS_CENTER, NULL);

  self->profile = g_object_ref (profile);
  gtk_dialog_add_buttons (GTK_DIALOG (self), _ ("_Cancel"), GTK_RESPONSE_CANCEL,
                          _ ("S_tore"), GTK_RESPONSE_OK, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (self), GTK_RESPONSE_OK);
  lay_out (self, p);
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
  find_file (self);

  return self;
}

/**
 * key_dialog_get_stored:
 *
 * Returns: whether the key was stored (ask from the "destroy" handler)
 */
gboolean
key_dialog_get_stored (KeyDialog *self)
{
  return self->stored;
}
