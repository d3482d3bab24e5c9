/*
 * Idle BusyBox containers (issue 7: a thousand must fit in a 512 MiB
 * guest): up to BUSYBOX_IDLE_MAX containers of the bench bundle, each with
 * BusyBox's sh as PID 1, which writes one byte to say it is up and execs
 * `sleep 100000` with its stdout closed, so each container ends as one
 * idle BusyBox `sleep`. They are made one after the other until the
 * target or the first error (ENOMEM when memory runs out); then what each
 * costs in all (the machine's free frames) and in its own pool, and
 * everything is deleted again.
 */
#ifndef PROCBENCH_BUSYBOX_IDLE_H
#define PROCBENCH_BUSYBOX_IDLE_H

#define BUSYBOX_IDLE_MAX 1000

/* Prints the bench: lines; 0, or -1 after "procbench: failed: ...". */
int measure_busybox_idle(void);

#endif
