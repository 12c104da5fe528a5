/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* The `botomfa` that users and SDKs run. SDKs run `botomfa
 * credential-process` often, and the full command line needs 12 ms just to
 * load libcurl, GnuTLS and libsecret. So this front links the C library
 * only: it asks a running botomfa-tray for the session over the tray's
 * socket (see src/tray/tray-socket.c for the protocol), and for anything
 * else, or when the tray holds no session, it runs the full command line
 * (botomfa-cli, in the package's libexec directory) with the same
 * arguments. */

#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#define _(text) dgettext (GETTEXT_PACKAGE, text)

/* As the full credential-process: SDKs refresh about five minutes before
 * Expiration, so hand out nothing that would be stale by then. */
#define MIN_VALID_SECONDS (10 * 60)
/* A tray answers from memory at once; one that does not is hung. */
#define SOCKET_TIMEOUT_SECONDS 2
/* A credential_process document is about 1.5 KB. */
#define REPLY_MAX (64 * 1024)
#define PROFILE_MAX 256

typedef struct {
  const char *profile;
  bool debug;
} Request;

static void
debug (const Request *request, const char *what, const char *detail)
{
  if (request->debug)
    fprintf (stderr, "botomfa credential-process: tray socket: %s%s%s\n", what,
             detail ? ": " : "", detail ? detail : "");
}

static const char *
option_value (int argc, char **argv, int *i, const char *arg)
{
  if (strncmp (arg, "--profile=", 10) == 0)
    return arg + 10;
  if (strncmp (arg, "-p", 2) == 0 && arg[2] != '\0')
    return arg + 2;
  if (*i + 1 < argc)
    return argv[++*i];

  return NULL;
}

/* Understands the arguments SDK configurations use; anything else (help,
 * a typo) is left to the full command line, which explains it. */
static bool
parse_arguments (int argc, char **argv, Request *request)
{
  for (int i = 2; i < argc; i++) {
    const char *arg = argv[i];

    if (strcmp (arg, "--debug") == 0)
      request->debug = true;
    else if (strcmp (arg, "--profile") == 0 || strcmp (arg, "-p") == 0
             || strncmp (arg, "--profile=", 10) == 0
             || strncmp (arg, "-p", 2) == 0) {
      request->profile = option_value (argc, argv, &i, arg);
      if (request->profile == NULL)
        return false;
    } else
      return false;
  }
  if (request->profile == NULL) {
    const char *name = getenv ("AWS_PROFILE");

    request->profile = name && *name ? name : "default";
  }

  return *request->profile != '\0' && strlen (request->profile) < PROFILE_MAX
         && strchr (request->profile, '\n') == NULL;
}

static bool
join (char *out, size_t size, const char *dir, const char *rest)
{
  int n = snprintf (out, size, "%s/%s", dir, rest);

  return n > 0 && (size_t) n < size;
}

/* GLib's rule for the runtime directory, which the tray follows:
 * XDG_RUNTIME_DIR, else the cache directory. */
static bool
socket_path (char *out, size_t size)
{
  const char *runtime = getenv ("XDG_RUNTIME_DIR");
  const char *cache = getenv ("XDG_CACHE_HOME");
  const char *home = getenv ("HOME");
  char dir[PATH_MAX];

  if (runtime != NULL && *runtime != '\0')
    return join (out, size, runtime, "botomfa/tray.socket");
  if (cache != NULL && *cache != '\0')
    return join (out, size, cache, "botomfa/tray.socket");

  return home != NULL && join (dir, sizeof dir, home, ".cache")
         && join (out, size, dir, "botomfa/tray.socket");
}

static bool
set_timeouts (int fd)
{
  struct timeval timeout = { .tv_sec = SOCKET_TIMEOUT_SECONDS };

  return setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) == 0
         && setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout)
              == 0;
}

/* Only a tray of our own user may hand us credentials. */
static bool
peer_is_own_user (int fd)
{
  struct ucred peer;
  socklen_t length = sizeof peer;

  return getsockopt (fd, SOL_SOCKET, SO_PEERCRED, &peer, &length) == 0
         && peer.uid == getuid ();
}

static int
connect_tray (const Request *request)
{
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  int fd;

  if (!socket_path (address.sun_path, sizeof address.sun_path)) {
    debug (request, "no path for the socket", NULL);
    return -1;
  }
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  if (connect (fd, (struct sockaddr *) &address, sizeof address) != 0
      || !set_timeouts (fd) || !peer_is_own_user (fd)) {
    debug (request, address.sun_path, strerror (errno));
    close (fd);
    return -1;
  }

  return fd;
}

static bool
write_all (int fd, const char *data, size_t length)
{
  while (length > 0) {
    ssize_t n = write (fd, data, length);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    data += n;
    length -= (size_t) n;
  }

  return true;
}

/* Reads until the tray closes the connection; returns the length, or -1. */
static ssize_t
read_reply (int fd, char *reply, size_t size)
{
  size_t length = 0;

  while (length < size - 1) {
    ssize_t n = read (fd, reply + length, size - 1 - length);

    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -1;
    if (n == 0)
      break;
    length += (size_t) n;
  }
  reply[length] = '\0';

  return (ssize_t) length;
}

static bool
is_document (const char *reply, ssize_t length)
{
  return length > 2 && reply[0] == '{' && reply[length - 2] == '}'
         && reply[length - 1] == '\n';
}

/* Prints the tray's session and exits, or returns when there is none. */
static void
serve_from_tray (const Request *request)
{
  static char reply[REPLY_MAX];
  char line[PROFILE_MAX + 32];
  int fd = connect_tray (request);
  ssize_t length = -1;
  bool printed;

  if (fd < 0)
    return;
  snprintf (line, sizeof line, "GET %d %s\n", MIN_VALID_SECONDS,
            request->profile);
  if (write_all (fd, line, strlen (line)))
    length = read_reply (fd, reply, sizeof reply);
  close (fd);
  if (!is_document (reply, length)) {
    debug (request, length > 0 ? reply : "no answer", NULL);
    explicit_bzero (reply, sizeof reply);
    return;
  }
  printed = write_all (STDOUT_FILENO, reply, (size_t) length);
  explicit_bzero (reply, sizeof reply);
  if (!printed)
    exit (1);
  debug (request, "answered by botomfa-tray", NULL);
  exit (0);
}

/* The full command line: next to this program in an uninstalled build,
 * else in the package's libexec directory. */
static const char *
full_command_line (char *out, size_t size)
{
  char self[PATH_MAX], build[PATH_MAX];
  ssize_t n = readlink ("/proc/self/exe", self, sizeof self - 1);

  if (n > 0 && realpath (CLI_BUILD_DIR, build) != NULL) {
    self[n] = '\0';
    if (strcmp (dirname (self), build) == 0
        && join (out, size, build, "botomfa-cli"))
      return out;
  }

  return PKGLIBEXECDIR "/botomfa-cli";
}

int
main (int argc, char **argv)
{
  Request request = { 0 };
  char buffer[PATH_MAX];
  const char *path;
  int saved;

  if (argc >= 2 && strcmp (argv[1], "credential-process") == 0
      && parse_arguments (argc, argv, &request))
    serve_from_tray (&request);

  path = full_command_line (buffer, sizeof buffer);
  execv (path, argv);
  saved = errno;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  fprintf (stderr, _ ("botomfa: cannot run %s: %s; reinstall botomfa\n"), path,
           strerror (saved));

  return 1;
}
