/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AWS_ENDPOINT_ERROR (aws_endpoint_error_quark ())

typedef enum {
  AWS_ENDPOINT_ERROR_INVALID_URL = 1,
  AWS_ENDPOINT_ERROR_INVALID_REGION = 2,
} AwsEndpointError;

GQuark aws_endpoint_error_quark (void);

/**
 * AwsEndpoint:
 * @url: the base URL requests are sent to, e.g. "https://sts.amazonaws.com"
 * @signing_region: the region in the SigV4 credential scope
 * @service: the SigV4 service name ("sts", "iam")
 * @partition: the ARN partition ("aws", "aws-cn", "aws-us-gov")
 * @from_environment: the URL came from AWS_ENDPOINT_URL*
 */
typedef struct {
  char *url;
  char *signing_region;
  char *service;
  char *partition;
  gboolean from_environment;
} AwsEndpoint;

AwsEndpoint *aws_endpoint_resolve (const char *service, const char *region,
                                   gboolean legacy_global, GError **error);
const char *aws_endpoint_partition_for_region (const char *region);
void aws_endpoint_free (AwsEndpoint *endpoint);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwsEndpoint, aws_endpoint_free)

G_END_DECLS
