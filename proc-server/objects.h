/*
 * Scopes, hostname contexts, jail and spawn as requests (protocol/proc.h,
 * 0x140-0x15f): creating an object answers with a handle and a capability
 * (handles.h); requests on that capability act on the object, with the
 * rights of the handle. A jailed process's creation and attach requests are
 * refused with EPERM before anything is looked up.
 */
#ifndef PROC_SERVER_OBJECTS_H
#define PROC_SERVER_OBJECTS_H

#include "handles.h"
#include "process.h"
#include "requests.h"

/* A request on the caller's session (PROC_SCOPE_CREATE ... PROC_SPAWN). */
int64_t objects_session_request(process_t *caller, request_t *req);
/* A request on an object capability of `holder`, naming its handle `index`
 * of generation `gen` (handles.h). */
int64_t objects_handle_request(process_t *holder, unsigned index, unsigned gen, request_t *req);

/* proc's handle table. */
handle_table_t *objects_handles(process_t *proc);
/* Adds a handle for obj to holder's table and answers with its index and a
 * capability naming it (in req->reply_cap); -EMFILE, -ENOMEM. */
int64_t objects_answer_new_handle(process_t *holder, handle_kind_t kind, void *obj, unsigned rights,
                                  request_t *req);

/* Sends sig (0: none) to every live process of scope and its sub-scopes
 * but holder, as kill would; how many there were. */
int64_t objects_scope_kill(process_t *holder, struct scope *scope, int sig);

/* Forgets every handle of proc (exit, exec). */
void objects_drop(process_t *proc);

#endif
