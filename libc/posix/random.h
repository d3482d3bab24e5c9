/* getrandom(2), served in the process. */
#ifndef CAPSULE_POSIX_RANDOM_H
#define CAPSULE_POSIX_RANDOM_H

#include <stdint.h>

int64_t random_getrandom(uint64_t buf, uint64_t len, uint64_t flags);

#endif
