/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The baseline of bench-tray.py: the least a GTK 3 program does to show a
 * libayatana-appindicator item with a menu. Anything botomfa-tray costs
 * beyond this is its own. */

#include <gtk/gtk.h>
#include <libayatana-appindicator/app-indicator.h>

static void
on_quit (GtkMenuItem *item, gpointer user_data)
{
  gtk_main_quit ();
}

int
main (int argc, char **argv)
{
  AppIndicator *indicator;
  GtkWidget *menu;
  GtkWidget *quit;

  gtk_init (&argc, &argv);

  menu = gtk_menu_new ();
  quit = gtk_menu_item_new_with_mnemonic ("_Quit");
  g_signal_connect (quit, "activate", G_CALLBACK (on_quit), NULL);
  gtk_menu_shell_append (GTK_MENU_SHELL (menu), quit);
  gtk_widget_show_all (menu);

  indicator = app_indicator_new ("io.github.botomfa.MinimalIndicator",
                                 "changes-allow-symbolic",
                                 APP_INDICATOR_CATEGORY_APPLICATION_STATUS);
  app_indicator_set_menu (indicator, GTK_MENU (menu));
  app_indicator_set_status (indicator, APP_INDICATOR_STATUS_ACTIVE);

  gtk_main ();

  g_object_unref (indicator);

  return 0;
}
