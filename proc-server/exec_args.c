/*
 * Packing and checking the arguments of execve and spawn (the format is in
 * exec_args.h). The packed buffer comes from another process, so the decoder
 * reads integers byte-wise, checks every offset before it is used, and bounds
 * the bytes it scans by EXEC_ARGS_MAX however the offsets overlap.
 */
#include "exec_args.h"

#include <errno.h>
#include <string.h>

#define OFF_ARGC 0u
#define OFF_ENVC 4u
#define OFF_PATH 8u
#define OFF_RESERVED 12u

static uint32_t read_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void write_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* Offset of the first string byte, or 0 if the table does not fit. */
static size_t strings_start(size_t size, uint64_t argc, uint64_t envc)
{
    uint64_t table = (argc + envc) * 4u; /* both < 2^32: no wrap */
    if (size < EXEC_ARGS_HEADER_SIZE || table > size - EXEC_ARGS_HEADER_SIZE) {
        return 0;
    }
    return EXEC_ARGS_HEADER_SIZE + (size_t)table;
}

/*
 * Length of the string at `off` when it ends inside the buffer and within
 * `budget` bytes (NUL included). Scans at most min(room, budget) bytes.
 */
static int measure(const uint8_t *buf, size_t size, size_t first, uint32_t off, size_t budget,
                   size_t *len)
{
    if (off < first || off >= size) {
        return -EFAULT;
    }
    size_t room = size - off;
    size_t cap = room < budget ? room : budget;
    const uint8_t *nul = memchr(buf + off, 0, cap);
    if (nul == NULL) {
        return cap == room ? -EFAULT : -E2BIG;
    }
    *len = (size_t)(nul - (buf + off));
    return 0;
}

static int check_path(const uint8_t *buf, size_t size, size_t first)
{
    size_t len;
    int err = measure(buf, size, first, read_u32(buf + OFF_PATH), EXEC_PATH_MAX, &len);
    if (err == -E2BIG) {
        return -ENAMETOOLONG;
    }
    if (err == 0 && len == 0) {
        return -ENOENT;
    }
    return err;
}

/* argv and envp together: every string terminated, their sum within EXEC_ARGS_MAX. */
static int check_strings(const uint8_t *buf, size_t size, size_t first, size_t count)
{
    size_t budget = EXEC_ARGS_MAX;

    for (size_t i = 0; i < count; i++) {
        size_t len;
        uint32_t off = read_u32(buf + EXEC_ARGS_HEADER_SIZE + 4 * i);
        int err = measure(buf, size, first, off, budget, &len);
        if (err != 0) {
            return err;
        }
        budget -= len + 1;
    }
    return 0;
}

int exec_args_unpack(const void *buf, size_t size, exec_args_t *out)
{
    const uint8_t *p = buf;

    if (p == NULL || size < EXEC_ARGS_HEADER_SIZE) {
        return -EINVAL;
    }
    if (size > EXEC_ARGS_MAX) {
        return -E2BIG;
    }
    uint32_t argc = read_u32(p + OFF_ARGC);
    uint32_t envc = read_u32(p + OFF_ENVC);
    if (read_u32(p + OFF_RESERVED) != 0) {
        return -EINVAL;
    }
    size_t first = strings_start(size, argc, envc);
    if (first == 0) {
        return -EINVAL;
    }
    int err = check_path(p, size, first);
    if (err == 0) {
        err = check_strings(p, size, first, (size_t)argc + envc);
    }
    if (err != 0) {
        return err;
    }
    *out = (exec_args_t){(const char *)p + read_u32(p + OFF_PATH), argc, envc, NULL, NULL, p};
    return 0;
}

static size_t count_strings(const char *const *v)
{
    size_t n = 0;
    while (v != NULL && v[n] != NULL) {
        n++;
    }
    return n;
}

void exec_args_from_arrays(exec_args_t *out, const char *path, const char *const *argv,
                           const char *const *envp)
{
    *out = (exec_args_t){path, count_strings(argv), count_strings(envp), argv, envp, NULL};
}

/* String `i` of the combined list argv[0..argc) envp[0..envc). */
static const char *string_at(const exec_args_t *args, size_t i)
{
    if (args->packed != NULL) {
        uint32_t off = read_u32(args->packed + EXEC_ARGS_HEADER_SIZE + 4 * i);
        return (const char *)args->packed + off;
    }
    return i < args->argc ? args->argv[i] : args->envp[i - args->argc];
}

const char *exec_args_arg(const exec_args_t *args, size_t i)
{
    return string_at(args, i);
}

const char *exec_args_env(const exec_args_t *args, size_t i)
{
    return string_at(args, args->argc + i);
}

/* Appends a string to the string area; returns its offset, or 0 with w->err set. */
static uint32_t append_string(exec_args_writer_t *w, const char *s)
{
    size_t len = strlen(s) + 1;
    if (w->err != 0) {
        return 0;
    }
    if (len > w->size - w->used) {
        w->err = -E2BIG;
        return 0;
    }
    uint32_t off = (uint32_t)w->used;
    memcpy(w->buf + w->used, s, len);
    w->used += len;
    return off;
}

void exec_args_writer_begin(exec_args_writer_t *w, void *buf, size_t size, const char *path,
                            size_t argc, size_t envc)
{
    *w = (exec_args_writer_t){buf, size < EXEC_ARGS_MAX ? size : EXEC_ARGS_MAX, 0, 0, 0, 0};
    /* The table must fit before the first string: this also bounds argc and envc. */
    if (argc > w->size / 4 || envc > w->size / 4 || strings_start(w->size, argc, envc) == 0) {
        w->err = -E2BIG;
        return;
    }
    w->count = argc + envc;
    w->used = strings_start(w->size, argc, envc);
    write_u32(w->buf + OFF_ARGC, (uint32_t)argc);
    write_u32(w->buf + OFF_ENVC, (uint32_t)envc);
    write_u32(w->buf + OFF_RESERVED, 0);
    write_u32(w->buf + OFF_PATH, append_string(w, path));
}

void exec_args_writer_add(exec_args_writer_t *w, const char *s)
{
    if (w->err == 0 && w->added == w->count) {
        w->err = -EINVAL;
    }
    uint32_t off = append_string(w, s);
    if (w->err == 0) {
        write_u32(w->buf + EXEC_ARGS_HEADER_SIZE + 4 * w->added, off);
        w->added++;
    }
}

int exec_args_writer_finish(exec_args_writer_t *w, size_t *len)
{
    if (w->err == 0 && w->added != w->count) {
        w->err = -EINVAL;
    }
    *len = w->err == 0 ? w->used : 0;
    return w->err;
}

int exec_args_pack(const exec_args_t *args, void *buf, size_t size, size_t *len)
{
    exec_args_writer_t w;

    exec_args_writer_begin(&w, buf, size, args->path, args->argc, args->envc);
    for (size_t i = 0; i < args->argc + args->envc && w.err == 0; i++) {
        exec_args_writer_add(&w, string_at(args, i));
    }
    return exec_args_writer_finish(&w, len);
}
