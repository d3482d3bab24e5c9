/*
 * The kernel self-test root task: runs the named tests of tests.def (or the
 * one `selftest=NAME` on the kernel command line picks), prints one line per
 * test and a summary, and powers QEMU off with the failure count as the
 * isa-debug-exit status. After each test it releases what the test left
 * and checks that the root pool holds as many objects as before.
 */
#include "capsule/kernel.h"
#include "capsule/print.h"
#include "capsule/string.h"
#include "check.h"
#include "helper.h"
#include "tests.h"

#define SELECT_KEY "selftest="
#define TEST_NAME_MAX 64
#define EXIT_STATUS_MAX 127

typedef struct {
    const char *name;
    void (*run)(void);
} selftest_t;

static const selftest_t tests[] = {
#define TEST(name) {#name, test_##name},
#include "tests.def"
#undef TEST
};

#define TEST_COUNT (sizeof(tests) / sizeof(tests[0]))

/* True if `s` begins with `prefix` (never reads past the end of `s`). */
static bool starts_with(const char *s, const char *prefix)
{
    while (*prefix != '\0' && *s == *prefix) {
        s++;
        prefix++;
    }
    return *prefix == '\0';
}

/* Copies the value of selftest=NAME from the command line into `name`;
 * false if the key is absent. */
static bool selected_name(const char *cmdline, char *name)
{
    for (const char *p = cmdline; *p != '\0'; p++) {
        bool at_word = p == cmdline || p[-1] == ' ';
        if (!at_word || !starts_with(p, SELECT_KEY)) {
            continue;
        }
        p += strlen(SELECT_KEY);
        size_t n = 0;
        while (p[n] != '\0' && p[n] != ' ' && n + 1 < TEST_NAME_MAX) {
            name[n] = p[n];
            n++;
        }
        name[n] = '\0';
        return true;
    }
    return false;
}

static bool same_name(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && memcmp(a, b, n) == 0;
}

/* Runs one test and cleans up after it; true if it passed. */
static bool run_test(const selftest_t *t)
{
    uint64_t objects = pool_stats(CAP_INIT_POOL).objects;
    check_reset();
    t->run();
    helper_cleanup();
    uint64_t after = pool_stats(CAP_INIT_POOL).objects;
    if (!check_failed() && after != objects) {
        check_fail(__FILE__, __LINE__, "root pool holds %lu objects after the test, %lu before",
                   after, objects);
    }
    if (check_failed()) {
        print("selftest: FAIL %s: %s\n", t->name, check_reason());
        return false;
    }
    print("selftest: PASS %s\n", t->name);
    return true;
}

int main(const bootinfo_t *bi)
{
    helper_init(bi);
    char name[TEST_NAME_MAX];
    bool one = selected_name(bi->cmdline, name);
    unsigned passed = 0, failed = 0;
    for (size_t i = 0; i < TEST_COUNT; i++) {
        if (one && !same_name(tests[i].name, name)) {
            continue;
        }
        if (run_test(&tests[i])) {
            passed++;
        } else {
            failed++;
        }
    }
    if (one && passed + failed == 0) {
        print("selftest: FAIL %s: no such test\n", name);
        failed++;
    }
    print("selftest: %u passed, %u failed\n", passed, failed);
    /* QEMU exits with (status << 1) | 1: keep it from wrapping to "0 failed" */
    debug_shutdown(CAP_INIT_DEBUG, failed < EXIT_STATUS_MAX ? failed : EXIT_STATUS_MAX);
    return 0;
}
