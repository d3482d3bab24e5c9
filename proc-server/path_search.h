/*
 * A program name without '/' looked up through PATH, as execvp does, for a
 * spawn that must resolve its program inside the new process's own file
 * context (a container's PID 1: notes/containers.md, CVE-2019-5736). The
 * directories come from the new process's environment, never from
 * proc-server's or the spawner's. Pure: the caller tries each candidate.
 */
#ifndef PROC_SERVER_PATH_SEARCH_H
#define PROC_SERVER_PATH_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "exec_args.h"

#define PATH_SEARCH_DEFAULT "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* PATH's value in args' environment, or PATH_SEARCH_DEFAULT. */
const char *path_search_dirs(const exec_args_t *args);

/*
 * The next candidate for name: the directory at *dirs joined with name into
 * out[size], *dirs moved past it. An empty entry means the current
 * directory, as in execvp. false when no directory is left or a candidate
 * does not fit (skipped: never truncated).
 */
bool path_search_next(const char **dirs, const char *name, char *out, size_t size);

#endif
