/* Requests about names and groups: uname, host and domain names, process
 * groups and sessions. */
#ifndef PROC_SERVER_IDENTITY_H
#define PROC_SERVER_IDENTITY_H

#include "process.h"
#include "requests.h"

int64_t identity_dispatch(process_t *caller, const request_t *req);

#endif
