/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#include "config.h"

#include "aws-endpoint.h"

#include <glib/gi18n-lib.h>
#include <string.h>

GQuark
aws_endpoint_error_quark (void)
{
  return g_quark_from_static_string ("aws-endpoint-error-quark");
}

/* The partition of a region decides the DNS suffix and the ARN prefix;
 * non-commercial partitions have no global endpoint. */
const char *
aws_endpoint_partition_for_region (const char *region)
{
  if (region == NULL)
    return "aws";
  if (g_str_has_prefix (region, "cn-"))
    return "aws-cn";
  if (g_str_has_prefix (region, "us-gov-"))
    return "aws-us-gov";
  return "aws";
}

static gboolean
region_is_valid (const char *region)
{
  gsize len = strlen (region);

  if (len < 4 || len > 32)
    return FALSE;
  for (const char *p = region; *p; p++) {
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return FALSE;
  }

  return g_ascii_islower (region[0]);
}

static char *
lookup_endpoint_url (const char *service)
{
  g_autofree char *upper = g_ascii_strup (service, -1);
  g_autofree char *name = g_strconcat ("AWS_ENDPOINT_URL_", upper, NULL);
  const char *url = g_getenv (name);

  if (url == NULL || *url == '\0')
    url = g_getenv ("AWS_ENDPOINT_URL");
  if (url == NULL || *url == '\0')
    return NULL;

  return g_strdup (url);
}

static gboolean
check_url (const char *url, const char *upper_service, GError **error)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;

  const char *host = uri ? g_uri_get_host (uri) : NULL;

  if (uri == NULL || host == NULL || *host == '\0'
      || (g_strcmp0 (scheme, "https") != 0
          && g_strcmp0 (scheme, "http") != 0)) {
    g_set_error (error, AWS_ENDPOINT_ERROR, AWS_ENDPOINT_ERROR_INVALID_URL,
                 _ ("The endpoint URL “%s” is not an http:// or https:// URL; "
                    "check AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_%s"),
                 url, upper_service);
    return FALSE;
  }

  return TRUE;
}

static char *
default_url (const char *service, const char *region, const char *partition,
             gboolean legacy_global, char **signing_region)
{
  const char *suffix =
    g_str_equal (partition, "aws-cn") ? "amazonaws.com.cn" : "amazonaws.com";

  if (g_str_equal (service, "iam")) {
    /* IAM has one endpoint per partition. */
    if (g_str_equal (partition, "aws-cn")) {
      *signing_region = g_strdup ("cn-north-1");
      return g_strdup ("https://iam.cn-north-1.amazonaws.com.cn");
    }
    if (g_str_equal (partition, "aws-us-gov")) {
      *signing_region = g_strdup ("us-gov-west-1");
      return g_strdup ("https://iam.us-gov.amazonaws.com");
    }
    *signing_region = g_strdup ("us-east-1");
    return g_strdup ("https://iam.amazonaws.com");
  }

  if (region == NULL || (legacy_global && g_str_equal (partition, "aws"))) {
    *signing_region = g_strdup ("us-east-1");
    return g_strdup_printf ("https://%s.amazonaws.com", service);
  }

  *signing_region = g_strdup (region);
  return g_strdup_printf ("https://%s.%s.%s", service, region, suffix);
}

/**
 * aws_endpoint_resolve:
 * @service: "sts" or "iam"
 * @region: (nullable): the profile's region; %NULL for none
 * @legacy_global: %TRUE when sts_regional_endpoints is "legacy"
 * @error: return location for a #GError
 *
 * Finds where requests for @service go: AWS_ENDPOINT_URL_<SERVICE>, then
 * AWS_ENDPOINT_URL, then the regional endpoint of @region, else the global
 * endpoint. Does not block.
 *
 * Returns: (transfer full): the endpoint, or %NULL with @error set.
 */
AwsEndpoint *
aws_endpoint_resolve (const char *service, const char *region,
                      gboolean legacy_global, GError **error)
{
  g_autoptr (AwsEndpoint) endpoint = g_new0 (AwsEndpoint, 1);
  g_autofree char *url = lookup_endpoint_url (service);

  g_return_val_if_fail (service != NULL, NULL);

  if (region != NULL && *region == '\0')
    region = NULL;
  if (region != NULL && !region_is_valid (region)) {
    g_set_error (error, AWS_ENDPOINT_ERROR, AWS_ENDPOINT_ERROR_INVALID_REGION,
                 _ ("“%s” is not an AWS region name (for example eu-west-1); "
                    "check AWS_REGION and the profile's region"),
                 region);
    return NULL;
  }

  endpoint->service = g_strdup (service);
  endpoint->partition = g_strdup (aws_endpoint_partition_for_region (region));
  if (url != NULL) {
    g_autofree char *upper = g_ascii_strup (service, -1);

    if (!check_url (url, upper, error))
      return NULL;
    g_strchomp (url);
    while (g_str_has_suffix (url, "/"))
      url[strlen (url) - 1] = '\0';
    endpoint->url = g_steal_pointer (&url);
    endpoint->signing_region = g_strdup (region ? region : "us-east-1");
    endpoint->from_environment = TRUE;
  } else {
    endpoint->url = default_url (service, region, endpoint->partition,
                                 legacy_global, &endpoint->signing_region);
  }

  return g_steal_pointer (&endpoint);
}

void
aws_endpoint_free (AwsEndpoint *endpoint)
{
  if (endpoint == NULL)
    return;

  g_free (endpoint->url);
  g_free (endpoint->signing_region);
  g_free (endpoint->service);
  g_free (endpoint->partition);
  g_free (endpoint);
}
