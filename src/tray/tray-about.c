/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The tray's "About" window: one at a time, brought forward when asked
 * again. */

#include "config.h"

#include "tray-about.h"

#include "tray-app.h"

#include <glib/gi18n-lib.h>

static GtkWidget *about_window;

static GtkWidget *
build_about (void)
{
  return g_object_new (
    GTK_TYPE_ABOUT_DIALOG, "program-name", "botomfa", "version",
    PACKAGE_VERSION, "comments",
    _ ("Keeps the temporary AWS credentials of IAM users who must sign in "
       "with MFA fresh."),
    "license-type", GTK_LICENSE_MIT_X11, "logo-icon-name", TRAY_APP_ID,
    "window-position", GTK_WIN_POS_CENTER, NULL);
}

/**
 * tray_about_present:
 * @app: the tray application, which the window keeps running while shown
 *
 * Opens the "About" window, or brings the open one forward.
 */
void
tray_about_present (GtkApplication *app)
{
  if (about_window == NULL) {
    about_window = build_about ();
    gtk_window_set_application (GTK_WINDOW (about_window), app);
    g_signal_connect (about_window, "response", G_CALLBACK (gtk_widget_destroy),
                      NULL);
    g_signal_connect (about_window, "destroy",
                      G_CALLBACK (gtk_widget_destroyed), &about_window);
  }
  gtk_window_present (GTK_WINDOW (about_window));
}
