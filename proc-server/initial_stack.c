/*
 * Builds the Linux initial stack (layout in initial_stack.h). The image is
 * written top-down through a cursor that holds user addresses; every push
 * checks the room left first, so a failed build only wrote inside the buffer.
 */
#include "initial_stack.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

/* auxv keys, as Linux's include/uapi/linux/auxvec.h. */
#define AT_NULL 0u
#define AT_PHDR 3u
#define AT_PHENT 4u
#define AT_PHNUM 5u
#define AT_PAGESZ 6u
#define AT_BASE 7u
#define AT_FLAGS 8u
#define AT_ENTRY 9u
#define AT_UID 11u
#define AT_EUID 12u
#define AT_GID 13u
#define AT_EGID 14u
#define AT_PLATFORM 15u
#define AT_HWCAP 16u
#define AT_CLKTCK 17u
#define AT_SECURE 23u
#define AT_RANDOM 25u
#define AT_EXECFN 31u

#define STACK_PAGE_SIZE 4096u
#define STACK_PHENT 56u
#define STACK_CLKTCK 100u
#define STACK_PLATFORM "x86_64"

typedef struct {
    uint8_t *buf;
    uint64_t vaddr; /* user address of buf[0] */
    uint64_t sp;    /* user address of the lowest byte written */
} cursor_t;

/* Moves the cursor down by `len` bytes, then to a multiple of `align`; false if it does not fit. */
static bool reserve(cursor_t *c, uint64_t len, uint64_t align)
{
    uint64_t room = c->sp - c->vaddr;
    if (len > room) {
        return false;
    }
    uint64_t sp = (c->sp - len) & ~(align - 1);
    if (sp < c->vaddr) {
        return false;
    }
    c->sp = sp;
    return true;
}

static uint8_t *at(const cursor_t *c, uint64_t addr)
{
    return c->buf + (addr - c->vaddr);
}

/* Pushes bytes and sets *addr to their user address; false if they do not fit. */
static bool push_bytes(cursor_t *c, const void *p, size_t len, uint64_t *addr)
{
    if (!reserve(c, len, 1)) {
        return false;
    }
    memcpy(at(c, c->sp), p, len);
    *addr = c->sp;
    return true;
}

static void put_u64(uint8_t *p, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* String `i` of the combined list argv[0..argc) envp[0..envc). */
static const char *string_at(const exec_args_t *args, size_t i)
{
    return i < args->argc ? exec_args_arg(args, i) : exec_args_env(args, i - args->argc);
}

/*
 * Copies strings [first, first + n) of the combined list, ascending, so that
 * string `first` lies lowest, at *addr. False if they do not fit.
 */
static bool push_strings(cursor_t *c, const exec_args_t *args, size_t first, size_t n,
                         uint64_t *addr)
{
    uint64_t total = 0;
    for (size_t i = first; i < first + n; i++) {
        total += strlen(string_at(args, i)) + 1;
    }
    if (!reserve(c, total, 1)) {
        return false;
    }
    uint8_t *p = at(c, c->sp);
    for (size_t i = first; i < first + n; i++) {
        const char *s = string_at(args, i);
        size_t len = strlen(s) + 1;
        memcpy(p, s, len);
        p += len;
    }
    *addr = c->sp;
    return true;
}

/* User addresses of what the vectors point at. */
typedef struct {
    uint64_t execfn;
    uint64_t platform;
    uint64_t random;
    uint64_t argv; /* argv[0]'s string; the others follow, each after the previous NUL */
    uint64_t envp; /* envp[0]'s string, likewise */
} strings_t;

static bool push_info(cursor_t *c, const exec_args_t *args, const initial_stack_aux_t *aux,
                      strings_t *s)
{
    static const uint8_t end_marker[8];
    uint64_t unused;

    return push_bytes(c, end_marker, sizeof(end_marker), &unused) &&
           push_bytes(c, aux->execfn, strlen(aux->execfn) + 1, &s->execfn) &&
           push_strings(c, args, args->argc, args->envc, &s->envp) &&
           push_strings(c, args, 0, args->argc, &s->argv) &&
           push_bytes(c, STACK_PLATFORM, sizeof(STACK_PLATFORM), &s->platform) &&
           push_bytes(c, aux->random, INITIAL_STACK_RANDOM_SIZE, &s->random);
}

/* The auxv pairs, AT_NULL last: exactly INITIAL_STACK_AUXV_PAIRS of them. */
static uint8_t *put_auxv(uint8_t *p, const initial_stack_aux_t *aux, const strings_t *s)
{
    const uint64_t auxv[INITIAL_STACK_AUXV_PAIRS][2] = {
        {AT_PHDR, aux->phdr},
        {AT_PHENT, STACK_PHENT},
        {AT_PHNUM, aux->phnum},
        {AT_PAGESZ, STACK_PAGE_SIZE},
        {AT_BASE, 0},
        {AT_FLAGS, 0},
        {AT_ENTRY, aux->entry},
        {AT_UID, 0},
        {AT_EUID, 0},
        {AT_GID, 0},
        {AT_EGID, 0},
        {AT_SECURE, 0},
        {AT_RANDOM, s->random},
        {AT_HWCAP, aux->hwcap},
        {AT_CLKTCK, STACK_CLKTCK},
        {AT_PLATFORM, s->platform},
        {AT_EXECFN, s->execfn},
        {AT_NULL, 0},
    };
    for (size_t i = 0; i < INITIAL_STACK_AUXV_PAIRS; i++) {
        put_u64(p, auxv[i][0]);
        put_u64(p + 8, auxv[i][1]);
        p += 16;
    }
    return p;
}

/* Pointers to n consecutive NUL-terminated strings starting at user address `addr`, then NULL. */
static uint8_t *put_vector(uint8_t *p, const cursor_t *c, uint64_t addr, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        put_u64(p, addr);
        addr += strlen((const char *)at(c, addr)) + 1;
        p += 8;
    }
    put_u64(p, 0);
    return p + 8;
}

static bool push_vectors(cursor_t *c, const exec_args_t *args, const initial_stack_aux_t *aux,
                         const strings_t *s)
{
    /* argc, argv + NULL, envp + NULL: counts bounded by the strings already pushed. */
    uint64_t words = 1 + (uint64_t)args->argc + 1 + (uint64_t)args->envc + 1;
    if (!reserve(c, words * 8 + INITIAL_STACK_AUXV_PAIRS * 16, 16)) {
        return false;
    }
    uint8_t *p = at(c, c->sp);
    put_u64(p, args->argc);
    p = put_vector(p + 8, c, s->argv, args->argc);
    p = put_vector(p, c, s->envp, args->envc);
    put_auxv(p, aux, s);
    return true;
}

int initial_stack_build(void *buf, size_t size, uint64_t vaddr, const exec_args_t *args,
                        const initial_stack_aux_t *aux, uint64_t *rsp)
{
    if (buf == NULL || args == NULL || aux == NULL || aux->random == NULL || aux->execfn == NULL ||
        rsp == NULL) {
        return -EINVAL;
    }
    if (size > UINT64_MAX - vaddr) {
        return -EINVAL;
    }
    cursor_t c = {buf, vaddr, vaddr + size};
    strings_t s;
    if (!push_info(&c, args, aux, &s) || !push_vectors(&c, args, aux, &s)) {
        return -E2BIG;
    }
    *rsp = c.sp;
    return 0;
}
