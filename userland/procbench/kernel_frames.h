/*
 * The kernel's free frames, as the debug protocol's DEBUG_KERNEL listing
 * reports them (docs/protocols/debug.md): procbench is unjailed and of the
 * root scope, so it holds the debug capability.
 */
#ifndef PROCBENCH_KERNEL_FRAMES_H
#define PROCBENCH_KERNEL_FRAMES_H

#include <stdint.h>

/* Free 4 KiB frames of the machine, or -errno. */
int64_t kernel_free_frames(void);

#endif
