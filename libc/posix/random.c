/*
 * getrandom(2): a ChaCha20 keystream (RFC 8439's block function) keyed from
 * what entropy the process can see: the TSC (its low bits jitter with
 * interrupts and IPC timing), the realtime and monotonic clocks, the PID and
 * the stack address. qemu64 has no RDRAND and Capsule no entropy pool yet,
 * so this is NOT cryptographically seeded: unpredictable enough for hash
 * seeds and temporary names, not for keys (docs/runtimes.md says so).
 *
 * Each call mixes a fresh TSC reading and the PID into the key (a forked
 * child, which starts with its parent's state, draws differently) and
 * re-keys from the keystream afterwards, so earlier output cannot be
 * recomputed from the state left behind.
 */
#include "random.h"

#include <errno.h>
#include <time.h>

#include "process.h"
#include "runtime.h"

#define GRND_NONBLOCK_FLAG 1u
#define GRND_RANDOM_FLAG 2u
#define GRND_INSECURE_FLAG 4u

static uint32_t key[8];
static uint64_t counter;
static bool seeded;

RUNTIME static uint64_t tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

RUNTIME static uint32_t rotl(uint32_t v, int n)
{
    return v << n | v >> (32 - n);
}

RUNTIME static void quarter(uint32_t *s, int a, int b, int c, int d)
{
    s[a] += s[b], s[d] = rotl(s[d] ^ s[a], 16);
    s[c] += s[d], s[b] = rotl(s[b] ^ s[c], 12);
    s[a] += s[b], s[d] = rotl(s[d] ^ s[a], 8);
    s[c] += s[d], s[b] = rotl(s[b] ^ s[c], 7);
}

/* One 64-byte ChaCha20 block of the current key at `counter`. */
RUNTIME static void chacha_block(uint32_t out[16])
{
    uint32_t in[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
    for (int i = 0; i < 8; i++) {
        in[4 + i] = key[i];
    }
    in[12] = (uint32_t)counter;
    in[13] = (uint32_t)(counter >> 32);
    counter++;
    for (int i = 0; i < 16; i++) {
        out[i] = in[i];
    }
    for (int round = 0; round < 10; round++) {
        quarter(out, 0, 4, 8, 12), quarter(out, 1, 5, 9, 13);
        quarter(out, 2, 6, 10, 14), quarter(out, 3, 7, 11, 15);
        quarter(out, 0, 5, 10, 15), quarter(out, 1, 6, 11, 12);
        quarter(out, 2, 7, 8, 13), quarter(out, 3, 4, 9, 14);
    }
    for (int i = 0; i < 16; i++) {
        out[i] += in[i];
    }
}

/* Mixes 64 bits into the key: added, then one block re-keys everything. */
RUNTIME static void stir(uint64_t v)
{
    key[0] ^= (uint32_t)v;
    key[1] ^= (uint32_t)(v >> 32);
    uint32_t block[16];
    chacha_block(block);
    for (int i = 0; i < 8; i++) {
        key[i] ^= block[i];
    }
}

RUNTIME static void seed(void)
{
    uint64_t ns = 0;
    int local;
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
        uint32_t block[16];
        chacha_block(block);
        uint64_t n = len - done < sizeof(block) ? len - done : sizeof(block);
        if (user_put(buf + done, block, n) != 0) {
            return done > 0 ? (int64_t)done : -EFAULT;
        }
        done += n;
    }
    stir(0); /* forget the key that made this output */
    return (int64_t)done;
}
