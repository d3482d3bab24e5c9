/*
 * libFuzzer target for the packed execve arguments (proc-server/exec_args.c).
 *
 * The input is the packed buffer itself, copied to a heap buffer of exactly
 * its size so that ASan sees any read past it. Whatever the decoder accepts
 * must keep the promises of exec_args.h: every string inside the buffer, the
 * strings within EXEC_ARGS_MAX, and packing the view again must give a buffer
 * that decodes to the same strings.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exec_args.h"

static uint8_t repacked[EXEC_ARGS_MAX];

static void check_string(const char *s, const uint8_t *buf, size_t size, size_t *total)
{
    const uint8_t *p = (const uint8_t *)s;
    if (p < buf + EXEC_ARGS_HEADER_SIZE || p >= buf + size) {
        abort();
    }
    size_t len = strlen(s); /* ASan: must end inside the buffer */
    *total += len + 1;
}

static void check_same(const exec_args_t *a, const exec_args_t *b)
{
    if (a->argc != b->argc || a->envc != b->envc || strcmp(a->path, b->path) != 0) {
        abort();
    }
    for (size_t i = 0; i < a->argc; i++) {
        if (strcmp(exec_args_arg(a, i), exec_args_arg(b, i)) != 0) {
            abort();
        }
    }
    for (size_t i = 0; i < a->envc; i++) {
        if (strcmp(exec_args_env(a, i), exec_args_env(b, i)) != 0) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exec_args_t args, again;
    size_t total = 0, len;
    uint8_t *buf = malloc(size > 0 ? size : 1);

    if (buf == NULL) {
        return 0;
    }
    memcpy(buf, data, size);
    int err = exec_args_unpack(buf, size, &args);
    if (err != 0 && err != -EINVAL && err != -EFAULT && err != -E2BIG && err != -ENOENT &&
        err != -ENAMETOOLONG) {
        abort();
    }
    if (err == 0) {
        check_string(args.path, buf, size, &total);
        if (strlen(args.path) == 0 || strlen(args.path) >= EXEC_PATH_MAX) {
            abort();
        }
        total = 0;
        for (size_t i = 0; i < args.argc; i++) {
            check_string(exec_args_arg(&args, i), buf, size, &total);
        }
        for (size_t i = 0; i < args.envc; i++) {
            check_string(exec_args_env(&args, i), buf, size, &total);
        }
        if (total > EXEC_ARGS_MAX) {
            abort();
        }
        /* Shared strings may make the repacked form too big; otherwise it must round-trip. */
        if (exec_args_pack(&args, repacked, sizeof(repacked), &len) == 0) {
            if (exec_args_unpack(repacked, len, &again) != 0) {
                abort();
            }
            check_same(&args, &again);
        }
    }
    free(buf);
    return 0;
}
