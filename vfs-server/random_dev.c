/*
 * Seeding and serving the random devices.
 *
 * The seed is what vfs-server can observe at start: the time stamp counter
 * at several points (after the initrd is unpacked, after console-server
 * answers, at each read), the kernel info page (TSC frequency measured at
 * boot, the TSC at boot, the CMOS wall clock) and a digest of the initrd.
 * qemu64 offers no RDRAND/RDSEED and there is no interrupt-timing pool yet,
 * so under emulation this is weak: the wall clock is guessable to the
 * second, the initrd is the same on every boot of an image, and only the
 * TSC's low bits vary from run to run. Good enough that two boots and two
 * reads differ; not a source of keys an attacker must not guess.
 */
#include "random_dev.h"

#include <stdint.h>

#include "capsule/csprng.h"
#include "uapi/kinfo.h"
#include "uapi/vm.h"

static csprng_t generator;

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* A 64-bit digest of the initrd, word by word (cheap under emulation): it
 * carries no secret, only makes images differ. */
static uint64_t digest(const uint8_t *p, size_t size)
{
    uint64_t h = 0x6a09e667f3bcc908ull ^ size;
    size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        uint64_t w = 0;
        for (int b = 0; b < 8; b++) {
            w |= (uint64_t)p[i + b] << (8 * b);
        }
        h = (h ^ w) * 0x100000001b3ull;
        h ^= h >> 29;
    }
    for (; i < size; i++) {
        h = (h ^ p[i]) * 0x100000001b3ull;
    }
    return h;
}

void random_dev_seed(const void *initrd, size_t size)
{
    const volatile kinfo_t *k = (const volatile kinfo_t *)USER_INFO_PAGE;
    uint64_t seed[6] = {rdtsc(),
                        k->tsc_hz,
                        k->boot_tsc,
                        k->realtime_at_boot_ns,
                        initrd != NULL ? digest(initrd, size) : 0,
                        0};
    seed[5] = rdtsc(); /* the digest's duration jitters a little */
    csprng_init(&generator);
    csprng_mix(&generator, seed, sizeof(seed));
}

void random_dev_stir(void)
{
    uint64_t t = rdtsc();
    csprng_mix(&generator, &t, sizeof(t));
}

ssize_t random_dev_read(void *buf, size_t len)
{
    random_dev_stir();
    csprng_generate(&generator, buf, len);
    return (ssize_t)len;
}

ssize_t random_dev_write(const void *buf, size_t len)
{
    csprng_mix(&generator, buf, len);
    return (ssize_t)len;
}
