/* Requests about names and groups: uname, host and domain names, process
 * groups and sessions. */
#ifndef PROC_SERVER_IDENTITY_H
#define PROC_SERVER_IDENTITY_H

#include <stdbool.h>

#include "hostname.h"
#include "process.h"
#include "requests.h"

int64_t identity_dispatch(process_t *caller, const request_t *req);

/* Sets the host (or, with `domain`, the domain) name of `ctx` to the MR0
 * bytes the caller lent as descriptor 0; 0, -EINVAL (too long), -EFAULT. */
int64_t identity_set_name(hostname_ctx_t *ctx, const request_t *req, bool domain);

#endif
