/*
 * memset/memcpy/memmove/memcmp/strlen/strncmp for the freestanding kernel. The
 * compiler emits calls to the first three for struct copies and large
 * initialisers, so they must exist even where no code calls them by name.
 *
 * The loops are plain byte loops on purpose. GCC may recognise such a loop as
 * "a memset" and replace it with a call to memset, which here would recurse
 * forever; the optimize attribute below switches that off even if the build
 * forgets -fno-tree-loop-distribute-patterns (clang never does this inside a
 * function of the same name).
 */
#include "kernel/string.h"

#include <stdint.h>

#if defined(__GNUC__) && !defined(__clang__)
#define NO_LIBCALL_LOOPS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define NO_LIBCALL_LOOPS
#endif

NO_LIBCALL_LOOPS void *memset(void *s, int c, size_t n)
{
    unsigned char *d = s;

    for (size_t i = 0; i < n; i++)
        d[i] = (unsigned char)c;
    return s;
}

NO_LIBCALL_LOOPS void *memcpy(void *restrict dest, const void *restrict src, size_t n)
{
    unsigned char *d = dest;
    const unsigned char *s = src;

    for (size_t i = 0; i < n; i++)
        d[i] = s[i];
    return dest;
}

/* Copies forwards when the destination is below the source and backwards
 * otherwise, so overlapping bytes are read before they are overwritten. */
NO_LIBCALL_LOOPS void *memmove(void *dest, const void *src, size_t n)
{
    unsigned char *d = dest;
    const unsigned char *s = src;

    if ((uintptr_t)d < (uintptr_t)s) {
        for (size_t i = 0; i < n; i++)
            d[i] = s[i];
    } else if ((uintptr_t)d > (uintptr_t)s) {
        for (size_t i = n; i > 0; i--)
            d[i - 1] = s[i - 1];
    }
    return dest;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a;
    const unsigned char *y = b;

    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n] != '\0')
        n++;
    return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ca = (unsigned char)a[i], cb = (unsigned char)b[i];
        if (ca != cb || ca == '\0') {
            return ca - cb;
        }
    }
    return 0;
}
