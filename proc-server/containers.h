/*
 * Containers: scopes entered in their parent scope's registry under an ID
 * (notes/containers.md "Container records"). A runtime creates a scope,
 * spawns its PID 1 held, and registers it: from then on the record lives in
 * proc-server, not with the runtime, and a later runtime of the same scope
 * finds it by ID (PROC_CONTAINER_OPEN) to start, inspect, signal or delete
 * it. State, exit status and the registry itself are scope.h's; this file is
 * their requests (protocol/proc.h 0x158-0x15e).
 */
#ifndef PROC_SERVER_CONTAINERS_H
#define PROC_SERVER_CONTAINERS_H

#include "process.h"
#include "requests.h"
#include "scope.h"

/* PROC_CONTAINER_OPEN and PROC_CONTAINER_LIST, on the caller's session. */
int64_t containers_session_request(process_t *caller, request_t *req);
/* The other PROC_CONTAINER_* on a scope handle of holder's that has
 * PROC_SCOPE_RIGHT_MANAGE (checked by the caller). */
int64_t containers_scope_request(process_t *holder, scope_t *scope, request_t *req);

#endif
