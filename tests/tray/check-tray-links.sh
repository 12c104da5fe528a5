#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
#
# check-tray-links.sh BOTOMFA_TRAY BOTOMFA_STS_WORKER
#
# botomfa-tray loads neither libcurl nor GnuTLS, directly or through another
# library: its STS and IAM calls run in botomfa-sts-worker, which does.
set -eu
tray=$1
worker=$2
status=0

needed () {
  readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'
}

if needed "$tray" | grep -E '^lib(curl|gnutls)'; then
  echo "botomfa-tray needs the libraries above"
  status=1
fi
if ldd "$tray" | grep -E 'lib(curl|gnutls)'; then
  echo "botomfa-tray loads the libraries above"
  status=1
fi
if ! needed "$worker" | grep -q '^libcurl'; then
  echo "botomfa-sts-worker does not link libcurl: is it the worker?"
  status=1
fi
exit $status
