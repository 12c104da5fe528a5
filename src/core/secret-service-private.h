/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The botomfa authors */

/* What keyring.c and session-cache.c share: one call to the Secret Service
 * as an asynchronous chain of libsecret calls (check the bus, connect, open
 * the service, then the module's own steps) bounded by a timer, with the
 * caller's cancellation answered at once, the errors of the chain turned
 * into KEYRING_ERRORs, and a blocking form that runs the chain in a private
 * main context. Private to the keyring component. */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "keyring.h"

G_BEGIN_DECLS

/* How long the Secret Service may take when the caller passes 0. */
#define SECRET_SERVICE_CALL_DEFAULT_TIMEOUT_MS 5000

typedef struct _SecretServiceCall SecretServiceCall;

/* What the chain does next; @items (borrowed) is what a search found. */
typedef void (*SecretServiceCallStep) (GTask *task);
typedef void (*SecretServiceCallSearched) (GTask *task, GList *items);

/* What the module of a call adds to the shared chain. */
typedef struct {
  const char *log_domain;        /* for the call's debug messages */
  void (*start) (GTask *task);   /* the service is open: the first step */
  void (*succeed) (GTask *task); /* returns the result; the call has ended */
  GDestroyNotify free;           /* frees the module's operation */
} SecretServiceCallClass;

/* The first member of a module's operation, which is the data of the call's
 * GTask: g_task_get_task_data() gives both. */
struct _SecretServiceCall {
  const SecretServiceCallClass *klass;
  const char *name; /* what the call does ("store"), for the log */
  char *subject;    /* whose items, for the log */
  guint timeout_ms; /* 0: the defaults */
  /* Never SECRET_SERVICE_LOAD_COLLECTIONS: loaded collections hold the
   * service weakly and go on loading their items for it after the call has
   * released it (a critical). */
  SecretServiceFlags service_flags;
  GCancellable *cancel; /* cancels the libsecret call in flight */
  GCancellable *caller;
  GSource *caller_watch; /* answers the caller's cancellation */
  GSource *timer;
  guint timer_ms; /* what the timer was armed with */
  gboolean over;
  gboolean cleaning;   /* deleting stale items: failures do not matter */
  gboolean prompting;  /* waiting for an unlock prompt */
  char *keyring_label; /* of the keyring being unlocked, when known */
  SecretService *service;
  SecretCollection *collection; /* a store's target, when it exists */
  GList *doomed;                /* SecretItems still to delete */
  GList *unlocking;             /* what an unlock step asks to unlock */
  SecretServiceCallStep next;   /* after the libsecret call in flight */
  SecretServiceCallSearched searched;
};

void secret_service_call_init (SecretServiceCall *call,
                               const SecretServiceCallClass *klass,
                               const char *name, const char *subject,
                               guint timeout_ms);
void secret_service_call_clear (SecretServiceCall *call);
void secret_service_call_debug (const SecretServiceCall *call,
                                const char *format, ...) G_GNUC_PRINTF (2, 3);

void secret_service_call_start (SecretServiceCall *call,
                                GCancellable *cancellable, gpointer source_tag,
                                GAsyncReadyCallback callback,
                                gpointer user_data);
gboolean secret_service_call_run_boolean (SecretServiceCall *call,
                                          GCancellable *cancellable,
                                          gpointer source_tag, GError **error);
gpointer secret_service_call_run_pointer (SecretServiceCall *call,
                                          GCancellable *cancellable,
                                          gpointer source_tag, GError **error);
gboolean secret_service_call_propagate_boolean (GAsyncResult *result,
                                                gpointer source_tag,
                                                GError **error);
gpointer secret_service_call_propagate_pointer (GAsyncResult *result,
                                                gpointer source_tag,
                                                GError **error);

gboolean secret_service_call_end (SecretServiceCall *call);
void secret_service_call_succeed (GTask *task);
void secret_service_call_return_error (GTask *task, GError *error);
gboolean secret_service_call_goes_on (GTask *task, const GError *error);
void secret_service_call_arm_timer (GTask *task, guint ms);

void secret_service_call_search (GTask *task, const SecretSchema *schema,
                                 GHashTable *attributes,
                                 SecretSearchFlags flags,
                                 SecretServiceCallSearched searched);
void secret_service_call_find_collection (GTask *task, const char *alias,
                                          SecretServiceCallStep found);
void secret_service_call_store (GTask *task, const SecretSchema *schema,
                                GHashTable *attributes, const char *label,
                                SecretValue *value,
                                SecretServiceCallStep stored);
void secret_service_call_doom (SecretServiceCall *call, SecretItem *item);
void secret_service_call_doom_all (SecretServiceCall *call, GList *items);
void secret_service_call_delete_doomed (GTask *task);

GError *secret_service_call_locked_error (const SecretServiceCall *call,
                                          gboolean dismissed);

G_END_DECLS
