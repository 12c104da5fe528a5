/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The preferences of the profiles the tray shows, one at a time (a
 * chooser picks it when there are several): botomfa's own settings
 * (profiles.ini), written when the user presses Apply. The tray watches
 * that file, so what is applied takes effect at once, and the tray hands
 * the dialog the profiles it resolved again. The session's duration is
 * written there only when the user changes it (it otherwise follows
 * ~/.aws/config or the default), and cannot be changed while STS_DURATION
 * sets it. */

#define G_LOG_DOMAIN "botomfa-tray"

#include "config.h"

#include "prefs-dialog.h"

#include "profile-settings.h"
#include "profile.h"

#include <glib/gi18n-lib.h>

#define SECONDS_PER_MINUTE 60

struct _PrefsDialog {
  GtkDialog parent_instance;

  GPtrArray *profiles; /* TrayProfile, as the tray shows them. */
  char *profile_name;  /* The one edited. */
  gboolean filling;    /* The controls are being set, not edited. */
  gboolean edited;     /* Changed by the user since filled or applied. */
  GtkWidget *grid;
  GtkWidget *chooser_label;
  GtkWidget *chooser;
  GtkWidget *duration;
  GtkWidget *duration_note;
  GtkWidget *duration_default;
  guint resolved_duration; /* What the profile resolved to, and whence. */
  ProfileDurationSource duration_source;
  gboolean duration_reset; /* "Use the default" pressed, not applied. */
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
  PrefsDialog *self = PREFS_DIALOG (object);

  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  g_free (self->profile_name);

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

/* What to write for `duration`: the value when the user changed it or
 * botomfa's own setting holds it; nothing while the environment sets it
 * or the user left what ~/.aws/config or the default gives. Sets @write. */
static char *
duration_text (PrefsDialog *self, gboolean *write)
{
  guint seconds =
    gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->duration));

  *write = TRUE;
  if (self->duration_reset)
    return NULL;
  if (self->duration_source == PROFILE_DURATION_FROM_SETTINGS
      || (seconds != self->resolved_duration
          && self->duration_source != PROFILE_DURATION_FROM_ENV
          && self->duration_source != PROFILE_DURATION_FROM_FLAG))
    return g_strdup_printf ("%u", seconds);
  *write = FALSE;

  return NULL;
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
  gboolean write_duration;
  g_autofree char *duration = duration_text (self, &write_duration);

  /* The command first: it is the one value that can be refused, and
   * nothing is written then. An empty value removes its key. */
  return profile_settings_set (path, self->profile_name, "mfa_process",
                               *process ? process : NULL, error)
         && profile_settings_set (path, self->profile_name, "notify_before",
                                  notify, error)
         && profile_settings_set (path, self->profile_name, "targets",
                                  *targets ? targets : NULL, error)
         && (!write_duration
             || profile_settings_set (path, self->profile_name, "duration",
                                      duration, error));
}

static void
apply (PrefsDialog *self)
{
  g_autofree char *path = profile_settings_path ();
  g_autoptr (GError) error = NULL;

  gtk_spin_button_update (GTK_SPIN_BUTTON (self->notify_before));
  gtk_spin_button_update (GTK_SPIN_BUTTON (self->duration));
  if (!save (self, path, &error)) {
    show_message (self, error->message);
    return;
  }
  g_debug ("preferences of “%s” saved to %s", self->profile_name, path);
  self->edited = FALSE;
  show_message (self, _ ("Saved. The tray uses the new settings now."));
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
static GtkWidget *
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

  return label;
}

static GtkWidget *
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

  return note;
}

/* Any change the user makes; filling the controls is not one. */
static void
on_edited (PrefsDialog *self)
{
  if (!self->filling)
    self->edited = TRUE;
}

static void
on_duration_default (PrefsDialog *self)
{
  self->duration_reset = TRUE;
  self->edited = TRUE;
  gtk_widget_hide (self->duration_default);
  gtk_label_set_text (GTK_LABEL (self->duration_note),
                      _ ("botomfa's own duration goes when you apply; then "
                         "duration_seconds of ~/.aws/config or the default "
                         "applies."));
}

static void
on_duration_changed (PrefsDialog *self)
{
  if (self->filling)
    return;
  self->duration_reset = FALSE;
  on_edited (self);
}

static void
build_duration (PrefsDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label;

  self->duration = gtk_spin_button_new_with_range (PROFILE_DURATION_MIN,
                                                   PROFILE_DURATION_MAX, 900);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (self->duration), TRUE);
  gtk_spin_button_set_increments (GTK_SPIN_BUTTON (self->duration), 900, 3600);
  gtk_widget_set_hexpand (self->duration, TRUE);
  self->duration_default =
    gtk_button_new_with_mnemonic (_ ("Us_e the default"));
  set_accessible_name (self->duration_default,
                       _ ("Use the default session duration"));
  gtk_widget_set_no_show_all (self->duration_default, TRUE);
  gtk_box_pack_start (GTK_BOX (box), self->duration, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (box), self->duration_default, FALSE, FALSE, 0);
  /* The label's mnemonic goes to the spin button, not the box. */
  label = add_row (self, _ ("Session _duration (seconds)"),
                   _ ("Session duration"), box);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->duration);
  set_accessible_name (self->duration, _ ("Session duration"));
  self->duration_note = add_note (self, "");
  g_signal_connect_swapped (self->duration, "value-changed",
                            G_CALLBACK (on_duration_changed), self);
  g_signal_connect_swapped (self->duration_default, "clicked",
                            G_CALLBACK (on_duration_default), self);
}

static void
build_notify_before (PrefsDialog *self)
{
  self->notify_before = gtk_spin_button_new_with_range (
    0, PROFILE_SETTINGS_NOTIFY_BEFORE_MAX / SECONDS_PER_MINUTE, 1);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (self->notify_before), TRUE);
  add_row (self, _ ("_Warn before expiry (minutes)"),
           _ ("Warn before expiry (minutes)"), self->notify_before);
  g_signal_connect_swapped (self->notify_before, "value-changed",
                            G_CALLBACK (on_edited), self);
}

static GtkWidget *
new_check (PrefsDialog *self, const char *label, const char *name)
{
  GtkWidget *check = gtk_check_button_new_with_mnemonic (label);

  set_accessible_name (check, name);
  g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_edited), self);

  return check;
}

static void
build_targets (PrefsDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

  self->boto = new_check (self, _ ("The _boto config"),
                          _ ("Write the session to the boto config"));
  self->aws_credentials =
    new_check (self, _ ("~/.aws/c_redentials"),
               _ ("Write the session to ~/.aws/credentials"));
  gtk_box_pack_start (GTK_BOX (box), self->boto, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), self->aws_credentials, FALSE, FALSE, 0);
  add_row (self, _ ("Write the session to"), _ ("Session targets"), box);
  add_note (self, _ ("Neither: botomfa chooses."));
}

static void
build_mfa_process (PrefsDialog *self)
{
  self->mfa_process = gtk_entry_new ();
  gtk_entry_set_placeholder_text (
    GTK_ENTRY (self->mfa_process),
    _ ("e.g. ykman oath accounts code --single NAME"));
  add_row (self, _ ("MFA code co_mmand"), _ ("MFA code command"),
           self->mfa_process);
  g_signal_connect_swapped (self->mfa_process, "changed",
                            G_CALLBACK (on_edited), self);
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

static TrayProfile *
find_profile (PrefsDialog *self, const char *name)
{
  for (guint i = 0; name != NULL && i < self->profiles->len; i++) {
    TrayProfile *profile = self->profiles->pdata[i];

    if (g_str_equal (tray_profile_get_profile (profile)->name, name))
      return profile;
  }

  return NULL;
}

static const char *
duration_note (ProfileDurationSource source)
{
  switch (source) {
    case PROFILE_DURATION_FROM_FLAG:
      return _ ("Set by --duration.");
    case PROFILE_DURATION_FROM_ENV:
      return _ ("Set by STS_DURATION in the tray's environment, which goes "
                "before any setting here.");
    case PROFILE_DURATION_FROM_SETTINGS:
      return _ ("botomfa's own setting, which goes before duration_seconds "
                "of ~/.aws/config.");
    case PROFILE_DURATION_FROM_AWS_CONFIG:
      return _ ("From duration_seconds of ~/.aws/config. A duration applied "
                "here goes before it, for botomfa only.");
    case PROFILE_DURATION_FROM_AWS_DEFAULT:
      return _ ("AWS's default for a profile of the AWS files: 12 hours.");
    case PROFILE_DURATION_FROM_SEED_DEFAULT:
    default:
      return _ ("The original botomfa's default: 15 minutes.");
  }
}

/* The duration the profile resolved to, and where it came from. */
static void
fill_duration (PrefsDialog *self, const Profile *profile)
{
  gboolean fixed = profile->duration_source == PROFILE_DURATION_FROM_ENV
                   || profile->duration_source == PROFILE_DURATION_FROM_FLAG;

  self->resolved_duration = profile->duration;
  self->duration_source = profile->duration_source;
  self->duration_reset = FALSE;
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->duration),
                             profile->duration);
  gtk_widget_set_sensitive (self->duration, !fixed);
  gtk_widget_set_visible (self->duration_default,
                          profile->duration_source
                            == PROFILE_DURATION_FROM_SETTINGS);
  gtk_label_set_text (GTK_LABEL (self->duration_note),
                      duration_note (profile->duration_source));
}

/* Shows @profile's settings in the controls, for editing. */
static void
fill (PrefsDialog *self, TrayProfile *tray_profile)
{
  const Profile *profile = tray_profile_get_profile (tray_profile);
  g_autofree char *title =
    g_strdup_printf (_ ("Preferences — %s"), profile->name);

  self->filling = TRUE;
  g_free (self->profile_name);
  self->profile_name = g_strdup (profile->name);
  gtk_window_set_title (GTK_WINDOW (self), title);
  fill_duration (self, profile);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->notify_before),
                             profile->notify_before / SECONDS_PER_MINUTE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->boto),
                                profile->targets & PROFILE_TARGET_BOTO);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->aws_credentials),
                                profile->targets
                                  & PROFILE_TARGET_AWS_CREDENTIALS);
  gtk_entry_set_text (GTK_ENTRY (self->mfa_process),
                      profile->mfa_process ? profile->mfa_process : "");
  self->edited = FALSE;
  self->filling = FALSE;
}

/* Another profile chosen: what was typed for the last one and not
 * applied is dropped, as the message says. */
static void
on_chosen (GtkComboBox *chooser, gpointer user_data)
{
  PrefsDialog *self = user_data;
  TrayProfile *profile =
    find_profile (self, gtk_combo_box_get_active_id (chooser));

  if (self->filling || profile == NULL)
    return;
  if (self->edited)
    show_message (self, _ ("Changes not applied were dropped."));
  else
    show_message (self, NULL);
  fill (self, profile);
}

static void
build_chooser (PrefsDialog *self)
{
  self->chooser = gtk_combo_box_text_new ();
  self->chooser_label =
    add_row (self, _ ("_Profile"), _ ("Profile"), self->chooser);
  g_signal_connect (self->chooser, "changed", G_CALLBACK (on_chosen), self);
}

static void
lay_out (PrefsDialog *self)
{
  GtkWidget *content = gtk_dialog_get_content_area (GTK_DIALOG (self));

  self->grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 12);
  build_chooser (self);
  build_duration (self);
  build_notify_before (self);
  build_targets (self);
  build_mfa_process (self);
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

/* Lists @profiles in the chooser, which shows only when there is a
 * choice; returns the one to edit: the same one as before when it is
 * still shown. */
static TrayProfile *
list_profiles (PrefsDialog *self, GPtrArray *profiles)
{
  TrayProfile *current;

  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  self->profiles = g_ptr_array_ref (profiles);
  current = find_profile (self, self->profile_name);
  if (current == NULL)
    current = profiles->pdata[0];
  self->filling = TRUE;
  gtk_combo_box_text_remove_all (GTK_COMBO_BOX_TEXT (self->chooser));
  for (guint i = 0; i < profiles->len; i++) {
    const char *name = tray_profile_get_profile (profiles->pdata[i])->name;

    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->chooser), name, name);
  }
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->chooser),
                               tray_profile_get_profile (current)->name);
  self->filling = FALSE;
  gtk_widget_set_visible (self->chooser_label, profiles->len > 1);
  gtk_widget_set_visible (self->chooser, profiles->len > 1);

  return current;
}

/**
 * prefs_dialog_set_profiles:
 * @self: the dialog
 * @profiles: (element-type TrayProfile): the profiles the tray shows, at
 *   least one (a reference to the array is taken; it must not change)
 *
 * Offers @profiles in the dialog, after the tray resolved them again. The
 * profile being edited stays chosen while it is shown; its controls show
 * its settings anew unless the user changed them and did not apply.
 */
void
prefs_dialog_set_profiles (PrefsDialog *self, GPtrArray *profiles)
{
  g_autofree char *before = g_strdup (self->profile_name);
  TrayProfile *current;

  g_return_if_fail (profiles != NULL && profiles->len > 0);

  current = list_profiles (self, profiles);
  if (!self->edited
      || g_strcmp0 (before, tray_profile_get_profile (current)->name) != 0)
    fill (self, current);
}

/**
 * prefs_dialog_new:
 * @profiles: (element-type TrayProfile): the profiles the tray shows, at
 *   least one, "default" first (a reference to the array is taken; it
 *   must not change)
 *
 * Creates the dialog (not yet shown), editing the first profile; a
 * chooser at the top picks another when there are several. Apply writes
 * the settings to profiles.ini (an error shows in the dialog); Close
 * destroys it.
 *
 * Returns: (transfer none): the dialog, a toplevel window
 */
PrefsDialog *
prefs_dialog_new (GPtrArray *profiles)
{
  PrefsDialog *self;

  g_return_val_if_fail (profiles != NULL && profiles->len > 0, NULL);

  self = g_object_new (PREFS_TYPE_DIALOG, "resizable", FALSE, "window-position",
                       GTK_WIN_POS_CENTER, NULL);
  gtk_dialog_add_buttons (GTK_DIALOG (self), _ ("_Close"), GTK_RESPONSE_CLOSE,
                          _ ("_Apply"), GTK_RESPONSE_APPLY, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (self), GTK_RESPONSE_APPLY);
  lay_out (self);
  fill (self, list_profiles (self, profiles));
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);

  return self;
}
