/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* Reading what the user types: from the terminal (secrets without echo),
 * or one line from standard input when it is a pipe (echo 123456 |
 * botomfa). credential-process, whose standard streams belong to the SDK,
 * asks on the controlling terminal instead. */

#include "config.h"

#include "terminal-prompt.h"
#include "wipe.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define MAX_LINE 256

GQuark
terminal_prompt_error_quark (void)
{
  return g_quark_from_static_string ("terminal-prompt-error-quark");
}

static struct termios saved_termios;
static volatile sig_atomic_t echo_off_fd = -1;

/* On Ctrl-C the terminal gets its echo back before the process dies. */
static void
restore_and_die (int signum)
{
  if (echo_off_fd >= 0)
    tcsetattr (echo_off_fd, TCSAFLUSH, &saved_termios);
  signal (signum, SIG_DFL);
  raise (signum);
}

static gboolean
disable_echo (int fd)
{
  struct termios quiet;

  if (tcgetattr (fd, &saved_termios) != 0)
    return FALSE;

  quiet = saved_termios;
  quiet.c_lflag &= ~(tcflag_t) (ECHO | ECHONL);
  quiet.c_lflag |= ICANON;
  signal (SIGINT, restore_and_die);
  signal (SIGTERM, restore_and_die);
  signal (SIGHUP, restore_and_die);
  if (tcsetattr (fd, TCSAFLUSH, &quiet) != 0)
    return FALSE;

  echo_off_fd = fd;
  return TRUE;
}

static void
restore_echo (void)
{
  if (echo_off_fd < 0)
    return;

  tcsetattr (echo_off_fd, TCSAFLUSH, &saved_termios);
  echo_off_fd = -1;
  signal (SIGINT, SIG_DFL);
  signal (SIGTERM, SIG_DFL);
  signal (SIGHUP, SIG_DFL);
}

static char *
read_line (FILE *in, GError **error)
{
  char buffer[MAX_LINE];
  char *line;

  errno = 0;
  line = fgets (buffer, sizeof buffer, in);
  if (line == NULL) {
    if (errno == EINTR)
      g_set_error_literal (error, TERMINAL_PROMPT_ERROR,
                           TERMINAL_PROMPT_ERROR_INTERRUPTED,
                           _ ("Interrupted"));
    else
      g_set_error_literal (error, TERMINAL_PROMPT_ERROR,
                           TERMINAL_PROMPT_ERROR_NO_INPUT,
                           _ ("Nothing was entered"));
    wipe_memory (buffer, sizeof buffer);
    return NULL;
  }

  line = g_strdup (g_strchomp (buffer));
  wipe_memory (buffer, sizeof buffer);
  return line;
}

static char *
ask (FILE *in, FILE *out, const char *prompt, gboolean secret, GError **error)
{
  int fd = fileno (in);
  gboolean terminal = isatty (fd);
  char *line;

  fputs (prompt, out);
  fflush (out);

  if (terminal && secret && !disable_echo (fd)) {
    g_set_error (error, TERMINAL_PROMPT_ERROR, TERMINAL_PROMPT_ERROR_IO,
                 _ ("Cannot turn off echo on the terminal: %s"),
                 g_strerror (errno));
    return NULL;
  }
  line = read_line (in, error);
  restore_echo ();

  /* The Enter the user typed was not echoed; a pipe's was never shown. */
  if (!terminal || secret) {
    fputc ('\n', out);
    fflush (out);
  }

  return line;
}

/**
 * terminal_prompt_read:
 * @prompt: the question, e.g. "Enter AWS MFA code for user alice:"
 * @secret: read without echo on a terminal
 * @error: return location for a #GError
 *
 * Shows @prompt on standard output and reads one line from standard
 * input. Blocks until the user answers.
 *
 * Returns: (transfer full): the line, to be freed with wipe_string_free()
 */
char *
terminal_prompt_read (const char *prompt, gboolean secret, GError **error)
{
  return ask (stdin, stdout, prompt, secret, error);
}

/**
 * terminal_prompt_read_tty:
 * @prompt: the question
 * @error: return location for a #GError
 *
 * Asks on the controlling terminal (/dev/tty), without echo, whatever
 * standard input and output are connected to.
 *
 * Returns: (transfer full): the line, or %NULL with
 * %TERMINAL_PROMPT_ERROR_NO_TERMINAL when there is no terminal
 */
char *
terminal_prompt_read_tty (const char *prompt, GError **error)
{
  int fd = open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  FILE *tty;
  char *line;

  if (fd < 0 || !isatty (fd)) {
    if (fd >= 0)
      close (fd);
    g_set_error_literal (error, TERMINAL_PROMPT_ERROR,
                         TERMINAL_PROMPT_ERROR_NO_TERMINAL,
                         _ ("There is no terminal to ask on"));
    return NULL;
  }

  tty = fdopen (fd, "r+");
  line = ask (tty, tty, prompt, TRUE, error);
  fclose (tty);
  return line;
}
