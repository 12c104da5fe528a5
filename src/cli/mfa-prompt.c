/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* Reading the MFA code: from the terminal without echo, or one line from
 * standard input when it is a pipe (echo 123456 | botomfa). */

#include "config.h"

#include "mfa-prompt.h"
#include "wipe.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define MAX_LINE 256

GQuark
mfa_prompt_error_quark (void)
{
  return g_quark_from_static_string ("mfa-prompt-error-quark");
}

static struct termios saved_termios;
static volatile sig_atomic_t echo_off;

/* On Ctrl-C the terminal gets its echo back before the process dies. */
static void
restore_and_die (int signum)
{
  if (echo_off)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
  signal (signum, SIG_DFL);
  raise (signum);
}

static gboolean
disable_echo (void)
{
  struct termios quiet;

  if (tcgetattr (STDIN_FILENO, &saved_termios) != 0)
    return FALSE;

  quiet = saved_termios;
  quiet.c_lflag &= ~(tcflag_t) (ECHO | ECHONL);
  quiet.c_lflag |= ICANON;
  signal (SIGINT, restore_and_die);
  signal (SIGTERM, restore_and_die);
  signal (SIGHUP, restore_and_die);
  if (tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) != 0)
    return FALSE;

  echo_off = 1;
  return TRUE;
}

static void
restore_echo (void)
{
  if (!echo_off)
    return;

  tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
  echo_off = 0;
  signal (SIGINT, SIG_DFL);
  signal (SIGTERM, SIG_DFL);
  signal (SIGHUP, SIG_DFL);
}

static char *
read_line (GError **error)
{
  char buffer[MAX_LINE];
  char *line;

  errno = 0;
  line = fgets (buffer, sizeof buffer, stdin);
  if (line == NULL) {
    if (errno == EINTR)
      g_set_error_literal (error, MFA_PROMPT_ERROR,
                           MFA_PROMPT_ERROR_INTERRUPTED, _ ("Interrupted"));
    else
      g_set_error_literal (error, MFA_PROMPT_ERROR, MFA_PROMPT_ERROR_NO_INPUT,
                           _ ("No MFA code was entered"));
    wipe_memory (buffer, sizeof buffer);
    return NULL;
  }

  line = g_strdup (g_strchomp (buffer));
  wipe_memory (buffer, sizeof buffer);
  return line;
}

/**
 * mfa_prompt_read:
 * @prompt: the question, e.g. "Enter AWS MFA code for user alice:"
 * @error: return location for a #GError
 *
 * Shows @prompt on standard output and reads one line: without echo when
 * standard input is a terminal. Blocks until the user answers.
 *
 * Returns: (transfer full): the line, to be freed with wipe_string_free()
 */
char *
mfa_prompt_read (const char *prompt, GError **error)
{
  gboolean terminal = isatty (STDIN_FILENO);
  char *line;

  fputs (prompt, stdout);
  fflush (stdout);

  if (terminal && !disable_echo ()) {
    g_set_error (error, MFA_PROMPT_ERROR, MFA_PROMPT_ERROR_IO,
                 _ ("Cannot turn off echo on the terminal: %s"),
                 g_strerror (errno));
    return NULL;
  }
  line = read_line (error);
  restore_echo ();

  /* The Enter the user typed was not echoed; a pipe's was never shown. */
  fputc ('\n', stdout);
  fflush (stdout);

  return line;
}
