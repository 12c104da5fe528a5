/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gio/gio.h>

#include "credentials.h"
#include "sts-client.h"

G_BEGIN_DECLS

#define DEVICE_DISCOVERY_ERROR (device_discovery_error_quark ())

typedef enum {
  DEVICE_DISCOVERY_ERROR_DENIED = 1,
  DEVICE_DISCOVERY_ERROR_NONE = 2,
  DEVICE_DISCOVERY_ERROR_AMBIGUOUS = 3,
} DeviceDiscoveryError;

GQuark device_discovery_error_quark (void);

GPtrArray *device_discovery_list (StsClient *client,
                                  const Credentials *long_term,
                                  GCancellable *cancellable, GError **error);
const IamMfaDevice *device_discovery_pick (GPtrArray *devices,
                                           const char *hint);

G_END_DECLS
