/*
 * libFuzzer target for the POSIX runtime's decoding of what a program
 * passes to system calls (libc/posix/arg_decode.c, signal_logic.c,
 * wait_info.c): timeouts, select's fd sets and the poll answer, clone
 * flags, sigaltstack, sigprocmask, sigaction's checks, signal frame
 * placement on a program-chosen alternate stack, waitid's siginfo.
 *
 * The input is read as 8-byte words (zeros past its end). Checked: every
 * nanosecond count is exact (recomputed in 128 bits) or "for ever" only
 * when it would not fit, the sets round-trip through the poll array
 * without a bit outside what was asked, accepted flags are the documented
 * ones, frames keep the ABI's alignment, and nothing overflows (UBSan).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "arg_decode.h"
#include "signal_logic.h"
#include "wait_info.h"

#define NS_PER_S 1000000000ll
#define SECONDS_FOREVER (INT64_MAX / NS_PER_S - 1)

typedef struct {
    const uint8_t *p;
    size_t left;
} input_t;

static uint64_t take(input_t *in)
{
    uint64_t w = 0;
    size_t n = in->left < 8 ? in->left : 8;
    memcpy(&w, in->p, n);
    in->p += n;
    in->left -= n;
    return w;
}

static void expect(int cond)
{
    if (!cond) {
        abort();
    }
}

static void check_times(input_t *in)
{
    int64_t t[2] = {(int64_t)take(in), (int64_t)take(in)};
    int64_t ns = 0;
    if (arg_timespec_ns(t, &ns) == 0) {
        expect(t[0] >= 0 && t[1] >= 0 && t[1] < NS_PER_S);
        __int128 exact = (__int128)t[0] * NS_PER_S + t[1];
        expect(t[0] >= SECONDS_FOREVER ? ns == ARG_NO_TIMEOUT : ns == exact);
    } else {
        expect(t[0] < 0 || t[1] < 0 || t[1] >= NS_PER_S);
    }
    if (arg_timeval_ns(t, &ns) == 0) {
        __int128 sec = (__int128)t[0] + t[1] / 1000000;
        __int128 exact = sec * NS_PER_S + (t[1] % 1000000) * 1000;
        expect(sec >= SECONDS_FOREVER ? ns == ARG_NO_TIMEOUT : ns == exact);
    } else {
        expect(t[0] < 0 || t[1] < 0);
    }
}

static void check_fdsets(input_t *in)
{
    static uint64_t bits[3][ARG_FDSET_WORDS], back[3][ARG_FDSET_WORDS];
    static struct pollfd fds[ARG_FDSET_MAX];
    int nfds = (int)(take(in) % (ARG_FDSET_MAX + 1));
    for (int which = 0; which < 3; which++) {
        for (int w = 0; w < ARG_FDSET_WORDS; w++) {
            bits[which][w] = (w & 3) == 0 ? take(in) : 0; /* sparse, to reach high fds */
        }
    }
    uint64_t n = arg_fdsets_to_poll(bits, nfds, fds);
    expect(n <= (uint64_t)nfds);
    uint64_t revents = take(in), bad = take(in);
    for (uint64_t i = 0; i < n; i++) {
        expect(fds[i].fd < nfds && (i == 0 || fds[i].fd > fds[i - 1].fd));
        expect(fds[i].events != 0 && (fds[i].events & ~(POLLIN | POLLOUT | POLLPRI)) == 0);
        fds[i].revents = (short)(revents >> (i % 48)) & ~POLLNVAL;
        if (i == bad % (n + 1)) {
            fds[i].revents |= (bad >> 63) ? POLLNVAL : 0;
        }
    }
    unsigned words = (unsigned)(nfds + 63) / 64;
    memcpy(back, bits, sizeof(back));
    int64_t count = arg_poll_to_fdsets(fds, n, words, back);
    if (count < 0) {
        expect(count == -EBADF);
        return;
    }
    int64_t set = 0;
    for (int which = 0; which < 3; which++) {
        for (unsigned w = 0; w < words; w++) {
            expect((back[which][w] & ~bits[which][w]) == 0); /* only what was asked */
            set += __builtin_popcountll(back[which][w]);
        }
    }
    expect(set == count);
}

static void check_flags(input_t *in)
{
    uint64_t flags = take(in), stack = take(in);
    if (arg_clone_flags(flags, stack) == 0) {
        expect((flags & 0xff) == SIGCHLD);
        expect(!(flags & 0x100 /* CLONE_VM */) || ((flags & 0x4000 /* CLONE_VFORK */) && stack));
    }
    uint64_t ss = take(in);
    int how = arg_sigaltstack((uint32_t)ss, ss >> 32);
    expect(how == 0 || how == 1 || how == -EINVAL || how == -ENOMEM);
    expect(how != 0 || (ss >> 32) >= 2048);
    uint64_t blocked = take(in), set = take(in), out = 0;
    if (signal_apply_how((int)(ss & 3), blocked, set, &out) == 0) {
        expect((signal_mask_sanitize(out) & SIGNAL_UNBLOCKABLE) == 0);
    }
    int sig = (int)(int8_t)(ss >> 8);
    if (signal_check_action(sig, ss & 4, set & 15) == 0) {
        expect(sig >= 1 && sig <= 64 && (set & 15) == 8);
    }
    wait_info_t w = wait_info_from_status((int32_t)blocked, (uint32_t)set);
    expect((int32_t)blocked <= 0 ? w.signo == 0 && w.code == 0 : w.code >= 1 && w.code <= 6);
}

static void check_frame(input_t *in)
{
    uint64_t rsp = take(in), alt_sp = take(in), alt_size = take(in), sizes = take(in);
    uint64_t frame_size = sizes & 0xffff, fpu_size = (sizes >> 16) & 0xffff;
    signal_placement_t p =
        signal_place_frame(rsp, sizes >> 63, alt_sp, alt_size, frame_size, fpu_size);
    expect(p.fpstate % 64 == 0 && (p.frame + 8) % 16 == 0);
    (void)signal_on_altstack(rsp, alt_sp, alt_size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input_t in = {data, size};
    check_times(&in);
    check_flags(&in);
    check_frame(&in);
    check_fdsets(&in);
    return 0;
}
