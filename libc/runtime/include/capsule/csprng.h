/*
 * The generator behind /dev/random and /dev/urandom (vfs-server) and
 * getrandom(2) (the POSIX runtime): a ChaCha20 key
 * updated by "fast key erasure" (D. J. Bernstein, 2017). Each request runs
 * ChaCha20 under the current key, replaces the key with the first 32 bytes
 * of key stream and hands out the rest; so a later capture of the state
 * tells nothing about output already given. Input (seed material, writes
 * to the devices) is absorbed 32 bytes at a time: the chunk is XORed into
 * the key and the key replaced by the first 32 bytes of ChaCha20's block
 * under it, a one-way step because the block function adds its input back.
 *
 * The generator is only as unpredictable as what it was fed: see
 * vfs-server/random_dev.c and libc/posix/random.c for where each seed
 * comes from and how weak it can be.
 * Pure and deterministic, tested on the host.
 */
#ifndef CAPSULE_CSPRNG_H
#define CAPSULE_CSPRNG_H

#include <stddef.h>
#include <stdint.h>

#include "capsule/chacha20.h"

typedef struct csprng {
    uint8_t key[CHACHA20_KEY_SIZE];
} csprng_t;

/* An all-zero key: deterministic until something is mixed in. */
void csprng_init(csprng_t *g);
/* Absorbs len bytes of input into the key. */
void csprng_mix(csprng_t *g, const void *data, size_t len);
/* Fills out with len bytes (any size) and erases the key that made them. */
void csprng_generate(csprng_t *g, void *out, size_t len);

#endif
