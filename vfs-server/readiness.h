/*
 * What poll(2) sees of an open file: the one place a file's readiness is
 * decided, for VFS_POLL and anything else that needs it.
 */
#ifndef VFS_READINESS_H
#define VFS_READINESS_H

#include "file.h"

/* The poll events that hold now for `f` (POLLIN, POLLOUT, POLLHUP,
 * POLLERR and their RDNORM/WRNORM twins); the caller keeps those asked
 * for, plus POLLHUP and POLLERR, which are always reported. */
short file_poll(const file_t *f);

#endif
