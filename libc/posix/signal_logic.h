/*
 * The runtime's signal rules that need no kernel and no program memory:
 * which signal goes next, which calls SA_RESTART restarts, what a mask may
 * hold, where a frame goes. Unit-tested on the host (tests/unit).
 */
#ifndef CAPSULE_POSIX_SIGNAL_LOGIC_H
#define CAPSULE_POSIX_SIGNAL_LOGIC_H

#include <stdbool.h>
#include <stdint.h>

#include "protocol/signal_page.h"

/* SIGKILL and SIGSTOP: never blocked, caught or ignored. */
#define SIGNAL_UNBLOCKABLE (SIGNAL_BIT(9) | SIGNAL_BIT(19))

/* A mask as the program may set it: SIGKILL and SIGSTOP removed. */
uint64_t signal_mask_sanitize(uint64_t mask);

/* The lowest signal in `set`, 0 if empty. */
int signal_lowest(uint64_t set);

/* Whether `sig`'s default action is to ignore it (SIGCHLD, SIGURG, SIGWINCH). */
bool signal_default_ignores(int sig);

/* Whether a signal with this disposition is dropped when it comes up: SIG_IGN,
 * or SIG_DFL for a signal whose default is to ignore it. */
bool signal_is_ignored(const signal_action_t *act, int sig);

/* rt_sigaction's checks: 0, or -EINVAL for a bad number or an attempt to
 * catch or ignore SIGKILL or SIGSTOP (`changing`: a new action is given). */
int signal_check_action(int sig, bool changing, uint64_t sigsetsize);

/* rt_sigprocmask's new mask from `how` (SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK);
 * -EINVAL for another `how`. */
int signal_apply_how(int how, uint64_t blocked, uint64_t set, uint64_t *out);

/* Whether a call interrupted by a handler with SA_RESTART starts again
 * (signal(7)): reads, writes, ioctl, open, wait4, waitid... never sleeps,
 * sigsuspend, poll or select. */
bool signal_call_restarts(uint64_t nr);

/* Where an rt_sigframe of `frame_size` bytes goes with an `fpu_size`-byte
 * FPU image under it, for a thread at `rsp`. With `use_altstack` the frame
 * goes at the top of [alt_sp, alt_sp + alt_size) unless rsp is already on
 * it; else below the red zone. The FPU image is 64-byte aligned and the
 * frame so that (frame + 8) is 16-byte aligned, as after a call. */
typedef struct {
    uint64_t frame;
    uint64_t fpstate;
} signal_placement_t;
signal_placement_t signal_place_frame(uint64_t rsp, bool use_altstack, uint64_t alt_sp,
                                      uint64_t alt_size, uint64_t frame_size, uint64_t fpu_size);

/* Whether rsp lies on the alternate stack [sp, sp + size) (Linux's test). */
bool signal_on_altstack(uint64_t rsp, uint64_t alt_sp, uint64_t alt_size);

#endif
