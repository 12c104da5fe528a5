/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* Finding the user's MFA devices instead of guessing the device from
 * $USER: since 2022 a user may have up to eight, with names of their
 * own. */

#define G_LOG_DOMAIN "botomfa-sts"

#include "config.h"

#include "device-discovery.h"

#include <glib/gi18n-lib.h>
#include <string.h>

GQuark
device_discovery_error_quark (void)
{
  return g_quark_from_static_string ("device-discovery-error-quark");
}

/* The user name is the last part of an IAM user's ARN
 * (arn:aws:iam::123456789012:user/path/NAME). */
static const char *
user_of (const StsCallerIdentity *identity)
{
  const char *slash = identity->arn ? strrchr (identity->arn, '/') : NULL;

  return slash ? slash + 1 : identity->arn;
}

/**
 * device_discovery_list:
 * @client: the STS client
 * @long_term: the IAM user's long-term key
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Asks who the key belongs to (GetCallerIdentity, which cannot be denied)
 * and lists that user's MFA devices (IAM ListMFADevices). Blocks.
 *
 * Returns: (transfer full) (element-type IamMfaDevice): at least one
 * device, or %NULL with %DEVICE_DISCOVERY_ERROR_DENIED when IAM does not
 * allow the listing, %DEVICE_DISCOVERY_ERROR_NONE when the user has no
 * device, or an #STS_ERROR
 */
GPtrArray *
device_discovery_list (StsClient *client, const Credentials *long_term,
                       GCancellable *cancellable, GError **error)
{
  g_autoptr (StsCallerIdentity) identity = NULL;
  g_autoptr (GPtrArray) devices = NULL;
  g_autoptr (GError) local_error = NULL;

  identity =
    sts_client_get_caller_identity (client, long_term, cancellable, error);
  if (identity == NULL)
    return NULL;

  devices = sts_client_list_mfa_devices (client, long_term, NULL, cancellable,
                                         &local_error);
  if (devices == NULL) {
    if (!g_error_matches (local_error, STS_ERROR, STS_ERROR_ACCESS_DENIED)) {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
    g_set_error (error, DEVICE_DISCOVERY_ERROR, DEVICE_DISCOVERY_ERROR_DENIED,
                 _ ("botomfa cannot list the MFA devices of %s: IAM does not "
                    "allow iam:ListMFADevices without MFA for this user. Name "
                    "the device instead: set mfa_serial in ~/.aws/config, "
                    "MFA_DEVICE_NAME, or pass --mfa-device-name "
                    "arn:aws:iam::%s:mfa/DEVICE"),
                 user_of (identity), identity->account);
    return NULL;
  }
  if (devices->len == 0) {
    g_set_error (error, DEVICE_DISCOVERY_ERROR, DEVICE_DISCOVERY_ERROR_NONE,
                 _ ("IAM user %s has no MFA device that botomfa can use; "
                    "assign a virtual MFA device or a hardware token in the "
                    "IAM console (security keys cannot be used from the API)"),
                 user_of (identity));
    return NULL;
  }

  g_debug ("%s has %u MFA devices", user_of (identity), devices->len);
  return g_steal_pointer (&devices);
}

/**
 * device_discovery_pick:
 * @devices: (element-type IamMfaDevice): the user's devices
 * @hint: (nullable): a device name the user gave (MFA_USER, USER)
 *
 * Returns: (transfer none) (nullable): the only device, or the one named
 * @hint; %NULL when the user must choose
 */
const IamMfaDevice *
device_discovery_pick (GPtrArray *devices, const char *hint)
{
  if (devices->len == 1)
    return devices->pdata[0];

  for (guint i = 0; hint != NULL && i < devices->len; i++) {
    const IamMfaDevice *device = devices->pdata[i];
    const char *slash = strrchr (device->serial_number, '/');

    if (g_strcmp0 (slash ? slash + 1 : device->serial_number, hint) == 0)
      return device;
  }

  return NULL;
}
