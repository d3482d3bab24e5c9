/*
 * /dev/random and /dev/urandom (1,8 and 1,9): one generator (csprng.h)
 * behind both, as on Linux since 5.18. Reads of any size never wait;
 * writes are mixed in (they add input, and credit nothing).
 */
#ifndef VFS_RANDOM_DEV_H
#define VFS_RANDOM_DEV_H

#include <stddef.h>
#include <sys/types.h>

/* Seeds the generator from what the machine offers (see random_dev.c);
 * initrd is the boot module's bytes (NULL, 0: none). Called once, first. */
void random_dev_seed(const void *initrd, size_t size);

/* Mixes in the time stamp counter now: a later point of the start. */
void random_dev_stir(void);

ssize_t random_dev_read(void *buf, size_t len);
ssize_t random_dev_write(const void *buf, size_t len);

#endif
