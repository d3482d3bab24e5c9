/* Kernel error codes returned by every native system call and invocation. */
#ifndef CAPSULE_UAPI_ERRORS_H
#define CAPSULE_UAPI_ERRORS_H

typedef enum {
#define KERR(name, value, text) KERR_##name = value,
#include "errors.def"
#undef KERR
    KERR_COUNT
} kerr_t;

/* On an error, message register 0 holds the index of the argument that was
 * rejected, or KERR_ARG_NONE when no single argument was at fault. */
#define KERR_ARG_NONE (~0ull)

#endif
