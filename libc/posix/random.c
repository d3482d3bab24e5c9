/*
 * getrandom(2): the generator of capsule/csprng.h (ChaCha20 with fast key
 * erasure, as /dev/urandom in vfs-server) keyed from
 * what entropy the process can see: the TSC (its low bits jitter with
 * interrupts and IPC timing), the realtime and monotonic clocks, the PID and
 * the stack address. qemu64 has no RDRAND and Capsule no entropy pool yet,
 * so this is NOT cryptographically seeded: unpredictable enough for hash
 * seeds and temporary names, not for keys (docs/runtimes.md says so).
 *
 * Each call mixes a fresh TSC reading and the PID into the key (a forked
 * child, which starts with its parent's state, draws differently), and
 * every chunk handed out replaces the key that made it, so earlier output
 * cannot be recomputed from the state left behind.
 */
#include "random.h"

#include <errno.h>
#include <time.h>

#include "capsule/csprng.h"
#include "process.h"
#include "runtime.h"

#define GRND_NONBLOCK_FLAG 1u
#define GRND_RANDOM_FLAG 2u
#define GRND_INSECURE_FLAG 4u

static csprng_t generator;
static bool seeded;

RUNTIME static uint64_t tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

RUNTIME static void stir(uint64_t v)
{
    csprng_mix(&generator, &v, sizeof(v));
}

RUNTIME static void seed(void)
{
    uint64_t ns = 0;
    int local;
    csprng_init(&generator);
    stir(tsc());
    runtime_clock_ns(CLOCK_REALTIME, &ns);
    stir(ns);
    runtime_clock_ns(CLOCK_MONOTONIC, &ns);
    stir(ns);
    stir((uint64_t)&local);
    seeded = true;
}

RUNTIME int64_t random_getrandom(uint64_t buf, uint64_t len, uint64_t flags)
{
    if (flags & ~(uint64_t)(GRND_NONBLOCK_FLAG | GRND_RANDOM_FLAG | GRND_INSECURE_FLAG) ||
        (flags & GRND_RANDOM_FLAG && flags & GRND_INSECURE_FLAG)) {
        return -EINVAL;
    }
    if (len > 33554431) {
        len = 33554431; /* Linux's most per call */
    }
    if (!seeded) {
        seed();
    }
    stir(tsc() ^ (uint64_t)process_getpid() << 40);
    uint64_t done = 0;
    while (done < len) {
        uint8_t block[256];
        uint64_t n = len - done < sizeof(block) ? len - done : sizeof(block);
        csprng_generate(&generator, block, n); /* erases the key that made it */
        if (user_put(buf + done, block, n) != 0) {
            return done > 0 ? (int64_t)done : -EFAULT;
        }
        done += n;
    }
    return (int64_t)done;
}
