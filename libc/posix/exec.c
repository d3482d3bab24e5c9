/*
 * execve: the path, argv and envp are read from the program's memory
 * (user_strnlen and user_copy, so a bad pointer is -EFAULT) and packed
 * into one buffer in proc-server's exec_args format, which proc-server
 * checks again field by field. On success the request never returns: the
 * new image replaces this one. On failure the old image carries on.
 */
#include "exec.h"

#include <errno.h>
#include <sys/mman.h>

#include "capsule/kernel.h"
#include "signals.h"
#include "process.h"
#include "protocol/posix_runtime.h"
#include "protocol/proc.h"

#define EXEC_BUF_SIZE (128u * 1024u) /* proc-server's EXEC_ARGS_MAX */
#define EXEC_HEADER 16u
#define EXEC_STRINGS_MAX 8192u /* argv + envp pointers read at most */

int64_t user_strnlen(const char *s, size_t max);

typedef struct {
    uint8_t *buf;
    uint32_t used;
    int64_t err;
} packer_t;

RUNTIME static void put_u32(uint8_t *at, uint32_t v)
{
    at[0] = (uint8_t)v, at[1] = (uint8_t)(v >> 8), at[2] = (uint8_t)(v >> 16),
    at[3] = (uint8_t)(v >> 24);
}

/* Appends the program's string at `addr`; its offset in the buffer. */
RUNTIME static uint32_t add_string(packer_t *p, uint64_t addr)
{
    if (p->err != 0) {
        return 0;
    }
    int64_t len = user_strnlen((const char *)addr, EXEC_BUF_SIZE - p->used);
    if (len < 0 || (uint64_t)len >= EXEC_BUF_SIZE - p->used) {
        p->err = len < 0 ? len : -E2BIG;
        return 0;
    }
    uint32_t at = p->used;
    if (user_copy_in(p->buf + at, addr, (size_t)len + 1) != 0) {
        p->err = -EFAULT;
        return 0;
    }
    p->used += (uint32_t)len + 1;
    return at;
}

/* The number of pointers before the NULL ending the array at `addr`. */
RUNTIME static int64_t count_strings(uint64_t addr)
{
    if (addr == 0) {
        return 0;
    }
    for (uint64_t n = 0; n < EXEC_STRINGS_MAX; n++) {
        uint64_t ptr;
        if (user_copy_in(&ptr, addr + n * 8, 8) != 0) {
            return -EFAULT;
        }
        if (ptr == 0) {
            return (int64_t)n;
        }
    }
    return -E2BIG;
}

RUNTIME static int64_t pack(packer_t *p, uint64_t path, uint64_t argv, uint64_t envp)
{
    int64_t argc = count_strings(argv), envc = count_strings(envp);
    if (argc < 0 || envc < 0) {
        return argc < 0 ? argc : envc;
    }
    uint64_t table = EXEC_HEADER + 4 * (uint64_t)(argc + envc);
    if (table >= EXEC_BUF_SIZE) {
        return -E2BIG;
    }
    p->used = (uint32_t)table;
    put_u32(p->buf, (uint32_t)argc);
    put_u32(p->buf + 4, (uint32_t)envc);
    put_u32(p->buf + 8, add_string(p, path));
    put_u32(p->buf + 12, 0);
    for (int64_t i = 0; i < argc + envc && p->err == 0; i++) {
        uint64_t array = i < argc ? argv : envp, index = (uint64_t)(i < argc ? i : i - argc);
        uint64_t ptr;
        if (user_copy_in(&ptr, array + index * 8, 8) != 0) {
            return -EFAULT;
        }
        put_u32(p->buf + EXEC_HEADER + 4 * i, add_string(p, ptr));
    }
    return p->err;
}

RUNTIME int64_t exec_process(uint64_t path, uint64_t argv, uint64_t envp)
{
    int64_t mapped =
        memory_mmap(0, EXEC_BUF_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped < 0) {
        return mapped;
    }
    packer_t p = {(uint8_t *)mapped, 0, 0};
    int64_t err = pack(&p, path, argv, envp);
    if (err == 0) {
        ipc_buffer->descriptors[0] = (buffer_desc_t){(uint64_t)p.buf, p.used, DESC_READ};
        uint64_t info = msginfo_with(msginfo_make(PROC_EXEC, 1), 0, 1);
        sys_result_t r = sys_call(CAP_PROC_SESSION, info, p.used, 0, 0, 0);
        err = r.err == KERR_OK ? (int64_t)r.mr[0] : runtime_ipc_error(r.err);
    }
    memory_munmap((uint64_t)mapped, EXEC_BUF_SIZE);
    return err;
}
