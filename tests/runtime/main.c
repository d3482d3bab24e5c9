/*
 * The server runtime's own test: a musl-linked root task that uses the C
 * library as a server does and checks what the personality serves — memory,
 * output, the clock, thread-local storage, register preservation — and that
 * everything else is -ENOSYS. Reports through isa-debug-exit like the
 * kernel self-test.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "capsule/server.h"

static unsigned passed, failed;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (cond) {                                                                                \
            passed++;                                                                              \
        } else {                                                                                   \
            failed++;                                                                              \
            fprintf(stderr, "runtime-test: FAIL %s:%d: %s\n", __func__, __LINE__, #cond);          \
        }                                                                                          \
    } while (0)

static void test_malloc_small(void)
{
    enum { COUNT = 2000 };
    static unsigned char *blocks[COUNT];
    for (unsigned i = 0; i < COUNT; i++) {
        size_t size = 16 + (i * 37) % 4000;
        blocks[i] = malloc(size);
        CHECK(blocks[i] != NULL);
        memset(blocks[i], (int)(i & 0xff), size);
    }
    unsigned intact = 0;
    for (unsigned i = 0; i < COUNT; i++) {
        size_t size = 16 + (i * 37) % 4000;
        intact += blocks[i][0] == (i & 0xff) && blocks[i][size - 1] == (i & 0xff);
        free(blocks[i]);
    }
    CHECK(intact == COUNT);
}

static void test_malloc_large(void)
{
    size_t size = 3u << 20;
    unsigned char *p = malloc(size);
    CHECK(p != NULL);
    for (size_t i = 0; p != NULL && i < size; i += 4096) {
        p[i] = (unsigned char)i;
    }
    unsigned char *q = realloc(p, size * 2);
    CHECK(q != NULL && q[4096] == (unsigned char)4096);
    free(q);
}

static void test_mmap(void)
{
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    CHECK(p[0] == 0 && p[8191] == 0); /* fresh frames are zero */
    p[0] = 'a', p[8191] = 'z';
    CHECK(munmap(p, 8192) == 0);

    char *q = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(q != MAP_FAILED);
    CHECK(mprotect(q, 4096, PROT_READ | PROT_WRITE) == 0);
    q[100] = 7;
    CHECK(mprotect(q, 4096, PROT_READ) == 0 && q[100] == 7); /* contents survive */
    CHECK(munmap(q, 4096) == 0);

    char *fixed =
        mmap(p, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(fixed == p && fixed[0] == 0);
    CHECK(munmap(fixed, 4096) == 0);
}

static void test_mmap_errors(void)
{
    errno = 0;
    CHECK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) == MAP_FAILED && errno == ENODEV);
    errno = 0;
    CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
          errno == EINVAL);
    errno = 0;
    CHECK(mmap(NULL, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
    errno = 0;
    CHECK(munmap((void *)0x100000000001ull, 4096) == -1 && errno == EINVAL);
    char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(munmap(p, 4096) == 0);
    errno = 0;
    CHECK(mprotect(p, 4096, PROT_READ) == -1 && errno == ENOMEM); /* no longer mapped */
}

static void test_brk(void)
{
    long now = syscall(SYS_brk, 0);
    CHECK(now > 0 && now % 4096 == 0);
    CHECK(syscall(SYS_brk, now + 4096) == now); /* failure: the break stays */
}

static void test_clock(void)
{
    struct timespec a, b, r;
    CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
    for (volatile int i = 0; i < 100000; i++) {
    }
    CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
    CHECK(b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec > a.tv_nsec));
    CHECK(clock_gettime(CLOCK_REALTIME, &r) == 0 && r.tv_sec > 1577836800); /* after 2020 */
    errno = 0;
    CHECK(clock_gettime(12345, &r) == -1 && errno == EINVAL);
}

static void test_unsupported(void)
{
    errno = 0;
    CHECK(syscall(SYS_getpid) == -1 && errno == ENOSYS);
    errno = 0;
    CHECK(syscall(SYS_socket, 2, 1, 0) == -1 && errno == ENOSYS);
    errno = 0;
    CHECK(write(3, "x", 1) == -1 && errno == EBADF);
    errno = 0;
    CHECK(read(0, &(char){0}, 1) == -1 && errno == ENOSYS);
}

static __thread int thread_value = 42;

static void test_tls(void)
{
    CHECK(thread_value == 42);
    thread_value = 7;
    CHECK(thread_value == 7);
}

/* Linux preserves every register but rax, rcx and r11 across a system call,
 * SSE registers included. */
static void test_registers_preserved(void)
{
    uint64_t in[8] = {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0x8888};
    uint64_t out[8];
    uint64_t xmm_in[2] = {0x0123456789abcdefull, 0xfedcba9876543210ull}, xmm_out[2];
    __asm__ volatile("movdqu (%[xi]), %%xmm5\n\t"
                     "mov 0(%[in]), %%rdi\n\t"
                     "mov 8(%[in]), %%rsi\n\t"
                     "mov 16(%[in]), %%rdx\n\t"
                     "mov 24(%[in]), %%r8\n\t"
                     "mov 32(%[in]), %%r9\n\t"
                     "mov 40(%[in]), %%r10\n\t"
                     "mov 48(%[in]), %%r12\n\t"
                     "mov 56(%[in]), %%r13\n\t"
                     "mov $39, %%eax\n\t" /* getpid: ENOSYS, through the whole path */
                     "syscall\n\t"
                     "mov %%rdi, 0(%[out])\n\t"
                     "mov %%rsi, 8(%[out])\n\t"
                     "mov %%rdx, 16(%[out])\n\t"
                     "mov %%r8, 24(%[out])\n\t"
                     "mov %%r9, 32(%[out])\n\t"
                     "mov %%r10, 40(%[out])\n\t"
                     "mov %%r12, 48(%[out])\n\t"
                     "mov %%r13, 56(%[out])\n\t"
                     "movdqu %%xmm5, (%[xo])\n\t"
                     :
                     : [in] "b"(in), [out] "r"(out), [xi] "r"(xmm_in), [xo] "r"(xmm_out)
                     : "rax", "rcx", "r11", "rdi", "rsi", "rdx", "r8", "r9", "r10", "r12", "r13",
                       "xmm5", "memory");
    CHECK(memcmp(in, out, sizeof(in)) == 0);
    CHECK(memcmp(xmm_in, xmm_out, sizeof(xmm_in)) == 0);
}

static void test_stdio(void)
{
    char buf[64];
    int n = snprintf(buf, sizeof(buf), "%d %s %.2f", 42, "servers", 2.5);
    CHECK(n == 15 && strcmp(buf, "42 servers 2.50") == 0);
    CHECK(printf("runtime-test: stdout reaches the log\n") > 0);
    CHECK(fflush(stdout) == 0);
}

int main(void)
{
    test_malloc_small();
    test_malloc_large();
    test_mmap();
    test_mmap_errors();
    test_brk();
    test_clock();
    test_unsupported();
    test_tls();
    test_registers_preserved();
    test_stdio();
    fprintf(stderr, "runtime-test: %u passed, %u failed\n", passed, failed);
    debug_shutdown(CAP_INIT_DEBUG, failed < 100 ? failed : 100);
    return 1;
}
