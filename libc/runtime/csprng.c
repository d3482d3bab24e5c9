/* Fast-key-erasure ChaCha20 (see csprng.h). */
#include "capsule/csprng.h"

#include <string.h>

/* Nonces keep the three uses of one key apart: output, rekeying, mixing. */
static const uint8_t output_nonce[CHACHA20_NONCE_SIZE] = {'o', 'u', 't'};
static const uint8_t mix_nonce[CHACHA20_NONCE_SIZE] = {'m', 'i', 'x'};

void csprng_init(csprng_t *g)
{
    memset(g, 0, sizeof(*g));
}

/* key = first half of ChaCha20(key, 0, mix_nonce) */
static void rekey_one_way(csprng_t *g)
{
    uint8_t block[CHACHA20_BLOCK_SIZE];
    chacha20_block(g->key, 0, mix_nonce, block);
    memcpy(g->key, block, sizeof(g->key));
    memset(block, 0, sizeof(block));
}

void csprng_mix(csprng_t *g, const void *data, size_t len)
{
    const uint8_t *p = data;
    do { /* even empty input moves the key on */
        size_t n = len < sizeof(g->key) ? len : sizeof(g->key);
        for (size_t i = 0; i < n; i++) {
            g->key[i] ^= p[i];
        }
        /* the length goes in too, so "ab" then "" differs from "ab\0" */
        g->key[sizeof(g->key) - 1] ^= (uint8_t)n;
        rekey_one_way(g);
        p += n;
        len -= n;
    } while (len > 0);
}

void csprng_generate(csprng_t *g, void *out, size_t len)
{
    uint8_t block[CHACHA20_BLOCK_SIZE], *dst = out;
    uint8_t key[CHACHA20_KEY_SIZE];
    memcpy(key, g->key, sizeof(key));
    /* block 0 gives the next key (and its second half starts the output) */
    chacha20_block(key, 0, output_nonce, block);
    memcpy(g->key, block, sizeof(g->key));
    size_t avail = sizeof(block) - sizeof(g->key), from = sizeof(g->key);
    uint32_t counter = 1;
    while (len > 0) {
        if (avail == 0) {
            if (counter == 0) { /* 256 GiB under one key: take a fresh one */
                memcpy(key, g->key, sizeof(key));
                chacha20_block(key, 0, output_nonce, block);
                memcpy(g->key, block, sizeof(g->key));
                counter = 1;
            }
            chacha20_block(key, counter++, output_nonce, block);
            avail = sizeof(block), from = 0;
        }
        size_t n = len < avail ? len : avail;
        memcpy(dst, block + from, n);
        dst += n, len -= n, from += n, avail -= n;
    }
    memset(block, 0, sizeof(block));
    memset(key, 0, sizeof(key));
}
