/* A process's name (comm): prctl PR_SET_NAME and PR_GET_NAME. */
#ifndef PROC_COMM_H
#define PROC_COMM_H

#include "process.h"
#include "requests.h"

int64_t comm_dispatch(process_t *caller, const request_t *req);

#endif
