#include "capsule/proc_client.h"
#include "capsule/container_client.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "capsule/syscall.h"
#include "exec_args.h"
#include "protocol/posix_runtime.h"
#include "protocol/posix_heap.h"
#include "protocol/posix_stack.h"
#include "uapi/bootinfo.h"
#include "uapi/invocations.h"

static const bootinfo_t *info(void)
{
    return (const bootinfo_t *)BOOTINFO_VADDR;
}

static ipc_buffer_t *ipc(void)
{
    return (ipc_buffer_t *)info()->ipc_buffer_vaddr;
}

/* The program's slots: the CNode's last CAP_PROGRAM_SLOTS, after the
 * runtime's range. The bitmap lives in program memory, so fork's copy of it
 * matches the child's copy of the slots. */
static uint64_t used_slots;

uint64_t capsule_slot_alloc(void)
{
    uint64_t first = info()->free_slots.first + info()->free_slots.count;
    uint64_t end = 1ull << info()->cnode_size_bits;
    for (uint64_t i = 0; i < CAP_PROGRAM_SLOTS && first + i < end; i++) {
        if (!(used_slots >> i & 1)) {
            used_slots |= 1ull << i;
            return first + i;
        }
    }
    return 0;
}

void capsule_slot_free(uint64_t slot)
{
    uint64_t first = info()->free_slots.first + info()->free_slots.count;
    if (slot >= first && slot - first < CAP_PROGRAM_SLOTS) {
        used_slots &= ~(1ull << (slot - first));
    }
}

int64_t capsule_slot_delete(uint64_t slot)
{
    sys_result_t r = sys_call(CAP_INIT_CNODE, msginfo_make(INV_CNODE_DELETE, 1), slot, 0, 0, 0);
    return r.err == KERR_OK ? 0 : -EIO;
}

/* capsule_call, and the reply's MR1 in *mr1 when it is not NULL. */
static int64_t call_words(uint64_t cap, uint64_t label, uint64_t length, const uint64_t mr[4],
                          const buffer_desc_t *descs, unsigned count, uint64_t *recv,
                          uint64_t *mr1);

/* Touches the stack's, the heap's and the image's writable pages of a
 * buffer lent to a server: each may be mapped on first touch, and a
 * server's copy takes no fault. The break is brk(0), which the runtime
 * answers without a round trip. */
static void touch_lent(uint64_t addr, uint64_t len)
{
    posix_stack_touch(addr, len);
    uint64_t brk = (uint64_t)syscall(SYS_brk, 0);
    posix_heap_touch(addr, len, posix_heap_start(info()), brk);
    posix_image_touch(info(), addr, len);
}

int64_t capsule_call(uint64_t cap, uint64_t label, uint64_t length, const uint64_t mr[4],
                     const buffer_desc_t *descs, unsigned count, uint64_t *recv)
{
    return call_words(cap, label, length, mr, descs, count, recv, NULL);
}

static int64_t call_words(uint64_t cap, uint64_t label, uint64_t length, const uint64_t mr[4],
                          const buffer_desc_t *descs, unsigned count, uint64_t *recv, uint64_t *mr1)
{
    ipc_buffer_t *buf = ipc();
    uint64_t slot = recv != NULL ? capsule_slot_alloc() : 0;
    if (recv != NULL && slot == 0) {
        return -EMFILE;
    }
    for (unsigned i = 0; i < count; i++) {
        touch_lent(descs[i].addr, descs[i].length);
        buf->descriptors[i] = descs[i];
    }
    buf->recv_slot = slot;
    uint64_t info_word = msginfo_with(msginfo_make(label, length), 0, count);
    sys_result_t r = sys_call(cap, info_word, mr[0], mr[1], mr[2], mr[3]);
    buf->recv_slot = 0;
    if (mr1 != NULL) {
        *mr1 = r.mr[1];
    }
    if (recv != NULL) {
        if (r.err == KERR_OK && msginfo_caps(r.info) == 1) {
            *recv = slot;
        } else {
            capsule_slot_free(slot);
            *recv = 0;
        }
    }
    return r.err == KERR_OK ? (int64_t)r.mr[0] : -EIO;
}

int64_t capsule_proc_raw(uint64_t cap, const capsule_raw_t *raw, uint64_t *recv)
{
    buffer_desc_t desc = {(uint64_t)raw->desc_addr, raw->desc_len, raw->desc_flags};
    return capsule_call(cap, raw->label, raw->length, raw->mr, &desc, raw->desc_addr != NULL, recv);
}

/* A request answered with a handle and its capability. */
static int obtain(uint64_t cap, uint64_t label, uint64_t mr0, capsule_obj_t *out)
{
    capsule_raw_t raw = {.label = label, .length = 1, .mr = {mr0}};
    uint64_t slot;
    int64_t result = capsule_proc_raw(cap, &raw, &slot);
    return capsule_obj_from_reply(result, slot, out);
}

int capsule_obj_from_reply(int64_t result, uint64_t slot, capsule_obj_t *out)
{
    if (result >= 0 && slot == 0) {
        return -EPROTO; /* the server answered without the capability */
    }
    if (result < 0) {
        if (slot != 0) {
            capsule_slot_delete(slot);
            capsule_slot_free(slot);
        }
        return (int)result;
    }
    *out = (capsule_obj_t){slot, (uint32_t)result};
    return 0;
}

int capsule_scope_create(unsigned limit, capsule_obj_t *out)
{
    return obtain(CAP_PROC_SESSION, PROC_SCOPE_CREATE, limit, out);
}

int capsule_scope_subscope(const capsule_obj_t *scope, unsigned limit, capsule_obj_t *out)
{
    return obtain(scope->slot, PROC_SCOPE_SUBSCOPE, limit, out);
}

int capsule_hostname_create(capsule_obj_t *out)
{
    return obtain(CAP_PROC_SESSION, PROC_HOSTNAME_CREATE, 0, out);
}

int capsule_scope_join(int pid, capsule_obj_t *out)
{
    return obtain(CAP_PROC_SESSION, PROC_SCOPE_JOIN, (uint64_t)(unsigned)pid, out);
}

int capsule_hostname_join(int pid, capsule_obj_t *out)
{
    return obtain(CAP_PROC_SESSION, PROC_HOSTNAME_JOIN, (uint64_t)(unsigned)pid, out);
}

int capsule_obj_restrict(const capsule_obj_t *obj, unsigned rights, capsule_obj_t *out)
{
    return obtain(obj->slot, PROC_OBJ_RESTRICT, rights, out);
}

void capsule_obj_close(capsule_obj_t *obj)
{
    if (obj->slot != 0) {
        capsule_raw_t raw = {.label = PROC_OBJ_CLOSE};
        capsule_proc_raw(obj->slot, &raw, NULL);
        capsule_slot_delete(obj->slot);
        capsule_slot_free(obj->slot);
        obj->slot = 0;
    }
}

static int64_t simple(uint64_t cap, uint64_t label, uint64_t mr0, const void *addr, uint64_t len,
                      uint64_t flags)
{
    capsule_raw_t raw = {.label = label,
                         .length = 1,
                         .mr = {mr0},
                         .desc_addr = addr,
                         .desc_len = len,
                         .desc_flags = flags};
    return capsule_proc_raw(cap, &raw, NULL);
}

int capsule_jail(void)
{
    return (int)simple(CAP_PROC_SESSION, PROC_JAIL, 0, NULL, 0, 0);
}

static size_t count(char *const v[])
{
    size_t n = 0;
    while (v != NULL && v[n] != NULL) {
        n++;
    }
    return n;
}

static int pack(const char *path, char *const argv[], char *const envp[], uint8_t *buf, size_t *len)
{
    exec_args_writer_t w;
    size_t argc = count(argv), envc = count(envp);
    exec_args_writer_begin(&w, buf, EXEC_ARGS_MAX, path, argc, envc);
    for (size_t i = 0; i < argc; i++) {
        exec_args_writer_add(&w, argv[i]);
    }
    for (size_t i = 0; i < envc; i++) {
        exec_args_writer_add(&w, envp[i]);
    }
    return exec_args_writer_finish(&w, len);
}

int capsule_spawn(const char *path, char *const argv[], char *const envp[], const int fds[3],
                  const capsule_obj_t *scope, const capsule_obj_t *hostname)
{
    return capsule_spawn_flags(path, argv, envp, fds, scope, hostname, 0);
}

/* PROC_SPAWN: the packed arguments as descriptor 0, and a cwd (joining
 * only) as descriptor 1 with its length in MR3 (JOIN) or in MR2's upper
 * half (MOUNTS_OF, whose PID is in MR3's upper half). */
static int spawn_call(const char *path, char *const argv[], char *const envp[], const int fds[3],
                      uint64_t mr2, uint64_t mr3, uint64_t flags, const char *cwd, uint64_t *mr1)
{
    size_t cwd_len = cwd != NULL ? strlen(cwd) : 0;
    if (flags & PROC_SPAWN_MOUNTS_OF) {
        if (cwd_len > 0xffff) {
            return -ENAMETOOLONG;
        }
        mr2 |= (uint64_t)cwd_len << 32;
    } else if (cwd != NULL) {
        mr3 = cwd_len;
    }
    uint8_t *buf = malloc(EXEC_ARGS_MAX);
    size_t len;
    if (buf == NULL) {
        return -ENOMEM;
    }
    int err = pack(path, argv, envp, buf, &len);
    if (err != 0) {
        free(buf);
        return err;
    }
    unsigned fd[3];
    for (unsigned i = 0; i < 3; i++) {
        int want = fds == NULL ? (int)i : fds[i];
        if (want >= (int)PROC_SPAWN_NO_FD) {
            free(buf);
            return -EBADF;
        }
        fd[i] = want < 0 ? PROC_SPAWN_NO_FD : (unsigned)want;
    }
    const uint64_t mr[4] = {len, PROC_SPAWN_FDS(fd[0], fd[1], fd[2]) | flags, mr2, mr3};
    const buffer_desc_t descs[2] = {{(uint64_t)buf, len, DESC_READ},
                                    {(uint64_t)cwd, cwd_len, DESC_READ}};
    int64_t result =
        call_words(CAP_PROC_SESSION, PROC_SPAWN, 4, mr, descs, cwd != NULL ? 2 : 1, NULL, mr1);
    free(buf);
    return (int)result;
}

int capsule_spawn_flags(const char *path, char *const argv[], char *const envp[], const int fds[3],
                        const capsule_obj_t *scope, const capsule_obj_t *hostname, uint64_t flags)
{
    return spawn_call(path, argv, envp, fds, scope != NULL ? scope->handle : PROC_NO_HANDLE,
                      hostname != NULL ? hostname->handle : PROC_NO_HANDLE, flags, NULL, NULL);
}

int capsule_spawn_mounts_of(const char *path, char *const argv[], char *const envp[],
                            const int fds[3], const capsule_obj_t *scope,
                            const capsule_obj_t *hostname, uint64_t flags, int mounts_pid,
                            const char *cwd)
{
    if (mounts_pid <= 0) {
        return -ESRCH;
    }
    uint64_t mr3 = (hostname != NULL ? hostname->handle : PROC_NO_HANDLE) |
                   (uint64_t)(unsigned)mounts_pid << 32;
    return spawn_call(path, argv, envp, fds, scope != NULL ? scope->handle : PROC_NO_HANDLE, mr3,
                      flags | PROC_SPAWN_MOUNTS_OF, cwd, NULL);
}

int capsule_spawn_join(const char *path, char *const argv[], char *const envp[], const int fds[3],
                       const capsule_obj_t *container, const char *cwd, uint64_t flags)
{
    return spawn_call(path, argv, envp, fds, container->handle, PROC_NO_HANDLE,
                      flags | PROC_SPAWN_JOIN, cwd, NULL);
}

int capsule_spawn_join_pty(const char *path, char *const argv[], char *const envp[],
                           const capsule_obj_t *container, const char *cwd, uint64_t flags,
                           int *master)
{
    static const int none[3] = {-1, -1, -1};
    uint64_t fd;
    int pid = spawn_call(path, argv, envp, none, container->handle, PROC_NO_HANDLE,
                         flags | PROC_SPAWN_JOIN | PROC_SPAWN_PTY, cwd, &fd);
    if (pid > 0) {
        *master = (int)fd;
    }
    return pid;
}

long capsule_scope_list(const capsule_obj_t *scope, int *pids, size_t room)
{
    return (long)simple(scope->slot, PROC_SCOPE_LIST, room, room > 0 ? pids : NULL,
                        room * sizeof(int), DESC_WRITE);
}

long capsule_scope_kill(const capsule_obj_t *scope, int sig)
{
    return (long)simple(scope->slot, PROC_SCOPE_KILL, (uint64_t)sig, NULL, 0, 0);
}

int capsule_scope_set_limit(const capsule_obj_t *scope, unsigned limit)
{
    return (int)simple(scope->slot, PROC_SCOPE_SET_LIMIT, limit, NULL, 0, 0);
}

int capsule_scope_set_memory(const capsule_obj_t *scope, uint64_t bytes)
{
    return (int)simple(scope->slot, PROC_SCOPE_SET_MEMORY, bytes, NULL, 0, 0);
}

int64_t capsule_scope_memory_usage(const capsule_obj_t *scope)
{
    return simple(scope->slot, PROC_SCOPE_MEMORY_USAGE, 0, NULL, 0, 0);
}

int capsule_hostname_set(const capsule_obj_t *ctx, const char *name, size_t len)
{
    return (int)simple(ctx->slot, PROC_HOSTNAME_SET, len, len > 0 ? name : NULL, len, DESC_READ);
}

int capsule_hostname_set_domain(const capsule_obj_t *ctx, const char *name, size_t len)
{
    return (int)simple(ctx->slot, PROC_HOSTNAME_SET_DOMAIN, len, len > 0 ? name : NULL, len,
                       DESC_READ);
}

long capsule_hostname_get(const capsule_obj_t *ctx, int which, char *buf)
{
    return (long)simple(ctx->slot, PROC_HOSTNAME_GET, (uint64_t)(unsigned)which, buf, 65,
                        DESC_WRITE);
}
