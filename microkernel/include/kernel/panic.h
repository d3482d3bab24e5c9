/* Fatal kernel errors. Client input never reaches ASSERT: it gets an error. */
#ifndef CAPSULE_KERNEL_PANIC_H
#define CAPSULE_KERNEL_PANIC_H

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

#define ASSERT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__);                      \
        }                                                                                          \
    } while (0)

#endif
