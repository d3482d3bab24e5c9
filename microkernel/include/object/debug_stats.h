/* The Debug capability's read-only views of kernel objects (debug_stats.c). */
#ifndef CAPSULE_OBJECT_DEBUG_STATS_H
#define CAPSULE_OBJECT_DEBUG_STATS_H

#include "kernel/invocation.h"

kerr_t debug_object_counts(invocation_t *inv);
kerr_t debug_thread_info(invocation_t *inv);

#endif
