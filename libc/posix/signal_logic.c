#include "signal_logic.h"

#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>

uint64_t signal_mask_sanitize(uint64_t mask)
{
    return mask & ~SIGNAL_UNBLOCKABLE;
}

int signal_lowest(uint64_t set)
{
    return set == 0 ? 0 : __builtin_ctzll(set) + 1;
}

bool signal_default_ignores(int sig)
{
    return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH;
}

bool signal_is_ignored(const signal_action_t *act, int sig)
{
    return act->handler == SIGNAL_HANDLER_IGNORE ||
           (act->handler == SIGNAL_HANDLER_DEFAULT && signal_default_ignores(sig));
}

int signal_check_action(int sig, bool changing, uint64_t sigsetsize)
{
    if (sigsetsize != 8 || sig < 1 || sig > SIGNAL_COUNT) {
        return -EINVAL;
    }
    if (changing && (sig == SIGKILL || sig == SIGSTOP)) {
        return -EINVAL;
    }
    return 0;
}

int signal_apply_how(int how, uint64_t blocked, uint64_t set, uint64_t *out)
{
    switch (how) {
    case SIG_BLOCK:
        *out = blocked | set;
        break;
    case SIG_UNBLOCK:
        *out = blocked & ~set;
        break;
    case SIG_SETMASK:
        *out = set;
        break;
    default:
        return -EINVAL;
    }
    *out = signal_mask_sanitize(*out);
    return 0;
}

bool signal_call_restarts(uint64_t nr)
{
    switch (nr) {
    case SYS_read:
    case SYS_readv:
    case SYS_write:
    case SYS_writev:
    case SYS_pread64:
    case SYS_pwrite64:
    case SYS_ioctl:
    case SYS_open:
    case SYS_openat:
    case SYS_wait4:
    case SYS_waitid:
    case SYS_fcntl:
    case SYS_flock:
    case SYS_futex:
    case SYS_sendfile:
        return true;
    default:
        return false;
    }
}

bool signal_on_altstack(uint64_t rsp, uint64_t alt_sp, uint64_t alt_size)
{
    return alt_size != 0 && rsp > alt_sp && rsp - alt_sp <= alt_size;
}

#define RED_ZONE 128

signal_placement_t signal_place_frame(uint64_t rsp, bool use_altstack, uint64_t alt_sp,
                                      uint64_t alt_size, uint64_t frame_size, uint64_t fpu_size)
{
    uint64_t sp = rsp - RED_ZONE;
    if (use_altstack && alt_size != 0 && !signal_on_altstack(rsp, alt_sp, alt_size)) {
        sp = alt_sp + alt_size;
    }
    signal_placement_t p;
    p.fpstate = (sp - fpu_size) & ~63ull;
    p.frame = ((p.fpstate - frame_size) & ~15ull) - 8;
    return p;
}
