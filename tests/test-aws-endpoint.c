/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#include "aws-endpoint.h"

typedef struct {
  const char *service;
  const char *region;
  gboolean legacy;
  const char *env_service_url;
  const char *env_url;
  const char *url;
  const char *signing_region;
  const char *partition;
} Case;

static const Case cases[] = {
  { "sts", NULL, FALSE, NULL, NULL, "https://sts.amazonaws.com", "us-east-1",
    "aws" },
  { "sts", "eu-west-1", FALSE, NULL, NULL,
    "https://sts.eu-west-1.amazonaws.com", "eu-west-1", "aws" },
  { "sts", "eu-west-1", TRUE, NULL, NULL, "https://sts.amazonaws.com",
    "us-east-1", "aws" },
  { "sts", "cn-north-1", FALSE, NULL, NULL,
    "https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1", "aws-cn" },
  /* Non-commercial partitions have no global endpoint, legacy or not. */
  { "sts", "cn-northwest-1", TRUE, NULL, NULL,
    "https://sts.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1", "aws-cn" },
  { "sts", "us-gov-west-1", TRUE, NULL, NULL,
    "https://sts.us-gov-west-1.amazonaws.com", "us-gov-west-1", "aws-us-gov" },
  { "iam", "eu-west-1", FALSE, NULL, NULL, "https://iam.amazonaws.com",
    "us-east-1", "aws" },
  { "iam", "cn-north-1", FALSE, NULL, NULL,
    "https://iam.cn-north-1.amazonaws.com.cn", "cn-north-1", "aws-cn" },
  { "iam", "us-gov-east-1", FALSE, NULL, NULL,
    "https://iam.us-gov.amazonaws.com", "us-gov-west-1", "aws-us-gov" },
  { "sts", NULL, FALSE, "https://127.0.0.1:8443/", NULL,
    "https://127.0.0.1:8443", "us-east-1", "aws" },
  { "sts", "eu-west-2", FALSE, NULL, "http://localhost:4566",
    "http://localhost:4566", "eu-west-2", "aws" },
  /* The service's own variable wins over the general one. */
  { "sts", NULL, FALSE, "https://sts.example.test", "https://all.example.test",
    "https://sts.example.test", "us-east-1", "aws" },
  { "iam", NULL, FALSE, "https://sts.example.test", "https://all.example.test",
    "https://all.example.test", "us-east-1", "aws" },
};

static void
set_env (const Case *c)
{
  g_unsetenv ("AWS_ENDPOINT_URL");
  g_unsetenv ("AWS_ENDPOINT_URL_STS");
  g_unsetenv ("AWS_ENDPOINT_URL_IAM");
  if (c->env_url != NULL)
    g_setenv ("AWS_ENDPOINT_URL", c->env_url, TRUE);
  if (c->env_service_url != NULL)
    g_setenv ("AWS_ENDPOINT_URL_STS", c->env_service_url, TRUE);
}

static void
test_resolution_table (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    const Case *c = &cases[i];
    g_autoptr (GError) error = NULL;
    g_autoptr (AwsEndpoint) endpoint = NULL;

    set_env (c);
    endpoint = aws_endpoint_resolve (c->service, c->region, c->legacy, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (endpoint->url, ==, c->url);
    g_assert_cmpstr (endpoint->signing_region, ==, c->signing_region);
    g_assert_cmpstr (endpoint->partition, ==, c->partition);
    g_assert_cmpstr (endpoint->service, ==, c->service);
    g_assert_cmpint (endpoint->from_environment, ==,
                     c->env_url != NULL || c->env_service_url != NULL);
  }
}

static void
test_invalid (void)
{
  const char *bad_urls[] = { "ftp://x", "sts.amazonaws.com", "https://", "" };
  const char *bad_regions[] = { "EU-WEST-1", "eu west 1", "x", "1eu-west-1" };

  g_unsetenv ("AWS_ENDPOINT_URL");
  for (gsize i = 0; i < G_N_ELEMENTS (bad_regions); i++) {
    g_autoptr (GError) error = NULL;

    g_assert_null (aws_endpoint_resolve ("sts", bad_regions[i], FALSE, &error));
    g_assert_error (error, AWS_ENDPOINT_ERROR,
                    AWS_ENDPOINT_ERROR_INVALID_REGION);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (bad_urls); i++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (AwsEndpoint) endpoint = NULL;

    g_setenv ("AWS_ENDPOINT_URL_STS", bad_urls[i], TRUE);
    endpoint = aws_endpoint_resolve ("sts", NULL, FALSE, &error);
    /* An empty variable counts as unset, like the SDKs do. */
    if (*bad_urls[i] == '\0') {
      g_assert_no_error (error);
      g_assert_cmpstr (endpoint->url, ==, "https://sts.amazonaws.com");
    } else {
      g_assert_error (error, AWS_ENDPOINT_ERROR,
                      AWS_ENDPOINT_ERROR_INVALID_URL);
    }
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/aws-endpoint/resolution-table", test_resolution_table);
  g_test_add_func ("/aws-endpoint/invalid", test_invalid);
  return g_test_run ();
}
