/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

#pragma once

#include <gio/gio.h>

#include "aws-endpoint.h"
#include "credentials.h"

G_BEGIN_DECLS

/**
 * AwsQueryResponse:
 * @status: the HTTP status
 * @body: the response body; may hold secrets, wiped on free
 * @server_date: (nullable): the time in the response's Date header
 * @sent_at: our clock when the request was signed
 * @request_id: (nullable): AWS's request id
 */
typedef struct {
  long status;
  GByteArray *body;
  GDateTime *server_date;
  GDateTime *sent_at;
  char *request_id;
} AwsQueryResponse;

void aws_query_response_free (AwsQueryResponse *response);

/**
 * AwsQueryFlags:
 * @AWS_QUERY_IDEMPOTENT: the call may be sent again after a broken
 *   connection
 * @AWS_QUERY_ONE_TIME: the call carries a one-time MFA code: once it may
 *   have reached AWS it is never sent again, since AWS would refuse the
 *   code as used and the user would be told it was wrong
 */
typedef enum {
  AWS_QUERY_IDEMPOTENT = 0,
  AWS_QUERY_ONE_TIME = 1 << 0,
} AwsQueryFlags;

typedef struct _AwsQuery AwsQuery;

AwsQuery *aws_query_new (void);
void aws_query_free (AwsQuery *query);
void aws_query_set_timeouts (AwsQuery *query, guint connect_seconds,
                             guint total_seconds);
AwsQueryResponse *aws_query_call (AwsQuery *query, const AwsEndpoint *endpoint,
                                  const Credentials *credentials,
                                  const char *action, const char *version,
                                  const char *const *params,
                                  AwsQueryFlags flags,
                                  GCancellable *cancellable, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwsQueryResponse, aws_query_response_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwsQuery, aws_query_free)

G_END_DECLS
