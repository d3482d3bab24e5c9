/*
 * Recording a self-test failure. Each CHECK macro compares, and on a
 * mismatch records where and why (file:line, expected against got, error
 * names through kerr_name()) and returns from the test function. Only the
 * first failure of a test is kept.
 */
#ifndef SELFTEST_CHECK_H
#define SELFTEST_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "capsule/kernel.h"

/* Records a failure at file:line unless the running test already failed. */
__attribute__((format(printf, 3, 4))) void check_fail(const char *file, int line, const char *fmt,
                                                      ...);

/* True once the running test has recorded a failure. */
bool check_failed(void);

/* The recorded reason ("file:line: what"), empty if none. */
const char *check_reason(void);

/* Forgets the previous test's failure. */
void check_reset(void);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            check_fail(__FILE__, __LINE__, "%s", #cond);                                           \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(got, want)                                                                        \
    do {                                                                                           \
        uint64_t got_ = (uint64_t)(got), want_ = (uint64_t)(want);                                 \
        if (got_ != want_) {                                                                       \
            check_fail(__FILE__, __LINE__, "%s: expected 0x%lx, got 0x%lx", #got, want_, got_);    \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_ERR(expr, want)                                                                      \
    do {                                                                                           \
        kerr_t got_ = (expr), want_ = (want);                                                      \
        if (got_ != want_) {                                                                       \
            check_fail(__FILE__, __LINE__, "%s: expected %s, got %s", #expr, kerr_name(want_),     \
                       kerr_name(got_));                                                           \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_OK(expr) CHECK_ERR(expr, KERR_OK)

/* The last failed invocation named argument `want` as the one at fault. */
#define CHECK_BAD_ARG(want)                                                                        \
    do {                                                                                           \
        uint64_t got_ = kernel_bad_arg(), want_ = (uint64_t)(want);                                \
        if (got_ != want_) {                                                                       \
            check_fail(__FILE__, __LINE__, "bad argument: expected %ld, got %ld", (long)want_,     \
                       (long)got_);                                                                \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* CHECK_ERR, then CHECK_BAD_ARG. */
#define CHECK_ERR_ARG(expr, want, arg)                                                             \
    do {                                                                                           \
        CHECK_ERR(expr, want);                                                                     \
        CHECK_BAD_ARG(arg);                                                                        \
    } while (0)

/* Runs a helper that records its own failures; stops the test if it did. */
#define CHECK_STEP(call)                                                                           \
    do {                                                                                           \
        call;                                                                                      \
        if (check_failed()) {                                                                      \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#endif
