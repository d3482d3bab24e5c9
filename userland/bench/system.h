/*
 * Which system this program runs on, found out at run time by trying what
 * only Capsule answers: a native call (syscall with rax = -1, Call, on the
 * null capability; docs/syscall-abi.md). Capsule's kernel answers it with
 * a kernel error code (positive); Linux knows no system call -1 and answers
 * -ENOSYS. Nothing else (uname, files) is trusted: Capsule's uname says
 * "Linux" on purpose.
 */
#ifndef BENCH_SYSTEM_H
#define BENCH_SYSTEM_H

#include <stdint.h>

typedef enum { SYSTEM_UNKNOWN, SYSTEM_CAPSULE, SYSTEM_LINUX } bench_system_t;

/* The system from the answer `rax` to the native null call. */
bench_system_t bench_system_from_answer(int64_t rax);

/* Makes the call and classifies its answer; *answer gets it. */
bench_system_t bench_detect_system(int64_t *answer);

const char *bench_system_name(bench_system_t system);

#endif
