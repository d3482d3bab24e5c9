/*
 * One request as the handlers see it: label, message registers, and the
 * bulk-copy helpers for its descriptors (the reply capability is the one in
 * the server's TCB until the handler returns).
 */
#ifndef VFS_REQUEST_H
#define VFS_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "capsule/server.h"
#include "protocol/vfs.h"
#include "request_check.h" /* request_t */

/* Copies the path of descriptor 0, MR3 bytes long, into buf (NUL added).
 * -ENAMETOOLONG, -EFAULT, -EINVAL for an embedded NUL. */
int request_path(const request_t *req, char buf[VFS_PATH_MAX], size_t *len);

/* The second path of a request: descriptor 1, len bytes long (the upper
 * half of MR2 by convention), into buf (NUL added). The same errors. */
int request_second_path(const request_t *req, uint64_t len, char buf[VFS_PATH_MAX]);

/* Bulk copies to and from the caller's descriptor `desc` at `offset`;
 * 0 or -EFAULT. */
int request_copy_in(unsigned desc, uint64_t offset, void *local, size_t len);
int request_copy_out(unsigned desc, uint64_t offset, const void *local, size_t len);

/* A handler's result meaning "no reply now": the handler moved the caller's
 * reply capability away (request_save_caller) and someone answers it later,
 * so the serve loop only receives. */
#define REQUEST_DEFERRED INT64_MIN

/* Moves the current caller's reply capability into a fresh slot of ours;
 * CAP_NULL when there is no slot or no caller. The slot is the taker's to
 * answer (Send on it) and to free. */
cptr_t request_save_caller(void);

#endif
