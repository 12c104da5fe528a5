/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The preferences of the profile the tray shows: botomfa's own settings
 * (profiles.ini), written when the user presses Apply. The session's
 * duration has no key there (it comes from ~/.aws/config or --duration),
 * so it is only shown. */

#define G_LOG_DOMAIN "botomfa-tray"

#include "config.h"

#include "prefs-dialog.h"

#include "profile-settings.h"

#include <glib/gi18n-lib.h>

#define SECONDS_PER_MINUTE 60

struct _PrefsDialog {
  GtkDialog parent_instance;

  char *profile_name;
  GtkWidget *grid;
  GtkWidget *duration;
  GtkWidget *notify_before;
  GtkWidget *boto;
  GtkWidget *aws_credentials;
  GtkWidget *mfa_process;
  GtkWidget *message;
  int rows;
};

G_DEFINE_FINAL_TYPE (PrefsDialog, prefs_dialog, GTK_TYPE_DIALOG)

static void
prefs_dialog_finalize (GObject *object)
{
  g_free (PREFS_DIALOG (object)->profile_name);

  G_OBJECT_CLASS (prefs_dialog_parent_class)->finalize (object);
}

static void
prefs_dialog_class_init (PrefsDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = prefs_dialog_finalize;
}

static void
show_message (PrefsDialog *self, const char *text)
{
  gtk_label_set_text (GTK_LABEL (self->message), text ? text : "");
  gtk_widget_set_visible (self->message, text != NULL);
}

static char *
targets_text (PrefsDialog *self)
{
  ProfileTargets targets = 0;

  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->boto)))
    targets |= PROFILE_TARGET_BOTO;
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->aws_credentials)))
    targets |= PROFILE_TARGET_AWS_CREDENTIALS;
  /* Neither: "" leaves the choice to botomfa. */
  return profile_targets_to_string (targets);
}

static gboolean
save (PrefsDialog *self, const char *path, GError **error)
{
  guint minutes =
    gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->notify_before));
  g_autofree char *notify =
    g_strdup_printf ("%u", minutes * SECONDS_PER_MINUTE);
  g_autofree char *targets = targets_text (self);
  g_autofree char *process =
    g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (self->mfa_process))));

  /* The command first: it is the one value that can be refused, and
   * nothing is written then. An empty value removes its key. */
  return profile_settings_set (path, self->profile_name, "mfa_process",
                               *process ? process : NULL, error)
         && profile_settings_set (path, self->profile_name, "notify_before",
                                  notify, error)
         && profile_settings_set (path, self->profile_name, "targets",
                                  *targets ? targets : NULL, error);
}

static void
apply (PrefsDialog *self)
{
  g_autofree char *path = profile_settings_path ();
  g_autoptr (GError) error = NULL;

  gtk_spin_button_update (GTK_SPIN_BUTTON (self->notify_before));
  if (!save (self, path, &error)) {
    show_message (self, error->message);
    return;
  }
  g_debug ("preferences of “%s” saved to %s", self->profile_name, path);
  show_message (self, _ ("Saved. The tray uses the new settings from its "
                         "next start."));
}

static void
on_response (GtkDialog *dialog, int response, gpointer user_data)
{
  if (response == GTK_RESPONSE_APPLY) {
    apply (PREFS_DIALOG (dialog));
    return;
  }
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
set_accessible_name (GtkWidget *widget, const char *name)
{
  atk_object_set_name (gtk_widget_get_accessible (widget), name);
}

/* A row of the grid: a label (its mnemonic moves to @control) and the
 * control, which gets the label's text as its accessible name. */
static void
add_row (PrefsDialog *self, const char *label_text, const char *name,
         GtkWidget *control)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (label_text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), control);
  set_accessible_name (control, name);
  gtk_widget_set_hexpand (control, TRUE);
  gtk_grid_attach (GTK_GRID (self->grid), label, 0, self->rows, 1, 1);
  gtk_grid_attach (GTK_GRID (self->grid), control, 1, self->rows, 1, 1);
  self->rows++;
}

static void
add_note (PrefsDialog *self, const char *text)
{
  GtkWidget *note = gtk_label_new (text);

  gtk_label_set_line_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (note), 50);
  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_style_context_add_class (gtk_widget_get_style_context (note),
                               GTK_STYLE_CLASS_DIM_LABEL);
  gtk_grid_attach (GTK_GRID (self->grid), note, 1, self->rows, 1, 1);
  self->rows++;
}

static void
build_duration (PrefsDialog *self, const Profile *profile)
{
  self->duration = gtk_spin_button_new_with_range (900, 129600, 900);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->duration),
                             profile->duration);
  gtk_editable_set_editable (GTK_EDITABLE (self->duration), FALSE);
  gtk_widget_set_sensitive (self->duration, FALSE);
  add_row (self, _ ("Session _duration (seconds)"), _ ("Session duration"),
           self->duration);
  add_note (self, profile->in_aws_files
                    ? _ ("Set with duration_seconds in ~/.aws/config; "
                         "STS_DURATION in the environment overrides it.")
                    : _ ("Set with STS_DURATION in the environment."));
}

static void
build_notify_before (PrefsDialog *self, const Profile *profile)
{
  self->notify_before = gtk_spin_button_new_with_range (
    0, PROFILE_SETTINGS_NOTIFY_BEFORE_MAX / SECONDS_PER_MINUTE, 1);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (self->notify_before), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->notify_before),
                             profile->notify_before / SECONDS_PER_MINUTE);
  add_row (self, _ ("_Warn before expiry (minutes)"),
           _ ("Warn before expiry (minutes)"), self->notify_before);
}

static GtkWidget *
new_check (const char *label, gboolean active)
{
  GtkWidget *check = gtk_check_button_new_with_mnemonic (label);

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (check), active);
  atk_object_set_name (gtk_widget_get_accessible (check),
                       gtk_button_get_label (GTK_BUTTON (check)));

  return check;
}

static void
build_targets (PrefsDialog *self, const Profile *profile)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

  self->boto =
    new_check (_ ("The _boto config"), profile->targets & PROFILE_TARGET_BOTO);
  set_accessible_name (self->boto, _ ("Write the session to the boto config"));
  self->aws_credentials =
    new_check (_ ("~/.aws/c_redentials"),
               profile->targets & PROFILE_TARGET_AWS_CREDENTIALS);
  set_accessible_name (self->aws_credentials,
                       _ ("Write the session to ~/.aws/credentials"));
  gtk_box_pack_start (GTK_BOX (box), self->boto, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), self->aws_credentials, FALSE, FALSE, 0);
  add_row (self, _ ("Write the session to"), _ ("Session targets"), box);
  add_note (self, _ ("Neither: botomfa chooses."));
}

static void
build_mfa_process (PrefsDialog *self, const Profile *profile)
{
  self->mfa_process = gtk_entry_new ();
  gtk_entry_set_text (GTK_ENTRY (self->mfa_process),
                      profile->mfa_process ? profile->mfa_process : "");
  gtk_entry_set_placeholder_text (
    GTK_ENTRY (self->mfa_process),
    _ ("e.g. ykman oath accounts code --single NAME"));
  add_row (self, _ ("MFA code co_mmand"), _ ("MFA code command"),
           self->mfa_process);
}

static void
build_message (PrefsDialog *self)
{
  self->message = gtk_label_new (NULL);
  gtk_label_set_line_wrap (GTK_LABEL (self->message), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->message), 50);
  gtk_label_set_xalign (GTK_LABEL (self->message), 0);
  gtk_label_set_selectable (GTK_LABEL (self->message), TRUE);
  set_accessible_name (self->message, _ ("Message"));
}

static void
lay_out (PrefsDialog *self, const Profile *profile)
{
  GtkWidget *content = gtk_dialog_get_content_area (GTK_DIALOG (self));

  self->grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 12);
  build_duration (self, profile);
  build_notify_before (self, profile);
  build_targets (self, profile);
  build_mfa_process (self, profile);
  build_message (self);
  gtk_container_set_border_width (GTK_CONTAINER (content), 12);
  gtk_box_set_spacing (GTK_BOX (content), 12);
  gtk_box_pack_start (GTK_BOX (content), self->grid, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (content), self->message, FALSE, FALSE, 0);
  gtk_widget_show_all (content);
  gtk_widget_hide (self->message);
}

static void
prefs_dialog_init (PrefsDialog *self)
{
}

/**
 * prefs_dialog_new:
 * @profile: the profile whose settings to edit
 *
 * Creates the dialog (not yet shown), filled with @profile's current
 * settings. Apply writes them to profiles.ini (an error shows in the
 * dialog); Close destroys it.
 *
 * Returns: (transfer none): the dialog, a toplevel window
 */
PrefsDialog *
prefs_dialog_new (TrayProfile *profile)
{
  const Profile *p = tray_profile_get_profile (profile);
  g_autofree char *title = g_strdup_printf (_ ("Preferences — %s"), p->name);
  PrefsDialog *self =
    g_object_new (PREFS_TYPE_DIALOG, "title", title, "resizable", FALSE,
                  "window-position", GTK_WIN_POS_CENTER, NULL);

  self->profile_name = g_strdup (p->name);
  gtk_dialog_add_buttons (GTK_DIALOG (self), _ ("_Close"), GTK_RESPONSE_CLOSE,
                          _ ("_Apply"), GTK_RESPONSE_APPLY, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (self), GTK_RESPONSE_APPLY);
  lay_out (self, p);
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);

  return self;
}
