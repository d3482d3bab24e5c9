#include "exec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exec_args.h"
#include "lifecycle.h"
#include "shebang.h"
#include "vfs_client.h"

/* The file to run for `args`, with the arguments it runs with: a script's
 * interpreter gets the arguments Linux gives it. `*packed` holds them. */
static int resolve_script(int pid, exec_args_t *args, uint8_t **data, int64_t *size,
                          uint8_t **packed, vfs_exec_identity_t *id)
{
    shebang_t sb;
    int err = shebang_parse(*data, (size_t)*size, &sb);
    if (err != 0) {
        return err;
    }
    uint8_t *buf = malloc(EXEC_ARGS_MAX);
    size_t len;
    if (buf == NULL) {
        return -ENOMEM;
    }
    if ((err = shebang_rewrite(&sb, args, buf, EXEC_ARGS_MAX, &len)) != 0 ||
        (err = exec_args_unpack(buf, len, args)) != 0) {
        free(buf);
        return err;
    }
    free(*data);
    *data = NULL;
    *size = vfs_client_read_executable(pid, args->path, data, id);
    if (*size >= 0 && shebang_is_script(*data, (size_t)*size)) {
        *size = -ENOEXEC; /* one level of #! only */
    }
    *packed = buf;
    return *size < 0 ? (int)*size : 0;
}

static int64_t exec_with(process_t *proc, exec_args_t *args)
{
    int pid = proc_global_pid(proc);
    uint8_t *data = NULL, *script_args = NULL;
    vfs_exec_identity_t id;
    int64_t size = vfs_client_read_executable(pid, args->path, &data, &id);
    int err = size < 0 ? (int)size : 0;
    if (err == 0 && shebang_is_script(data, (size_t)size)) {
        err = resolve_script(pid, args, &data, &size, &script_args, &id);
    }
    if (err == 0) {
        program_file_t file = {data, (size_t)size, NULL, &id};
        const char *why;
        err = lifecycle_exec(proc, &file, args, &why);
    }
    if (err == 0) {
        vfs_client_exec(pid);
        const char **argv = calloc(args->argc + 1, sizeof(char *));
        for (size_t i = 0; argv != NULL && i < args->argc; i++) {
            argv[i] = exec_args_arg(args, i);
        }
        proc_exec(proc, args->path, argv);
        free(argv);
    }
    free(data);
    free(script_args);
    return err;
}

int64_t exec_args_receive(uint64_t len, uint8_t **buf, exec_args_t *args)
{
    if (len < EXEC_ARGS_HEADER_SIZE || len > EXEC_ARGS_MAX) {
        return len > EXEC_ARGS_MAX ? -E2BIG : -EINVAL;
    }
    if ((*buf = malloc(len)) == NULL) {
        return -ENOMEM;
    }
    uint64_t done;
    int64_t err =
        reply_copy_from(CAP_REPLY_CURRENT, 0, 0, *buf, len, &done) == KERR_OK && done == len
            ? exec_args_unpack(*buf, len, args)
            : -EFAULT;
    if (err != 0) {
        free(*buf);
        *buf = NULL;
    }
    return err;
}

int64_t exec_request(process_t *proc, const request_t *req)
{
    if (req->length < 1 || req->descriptors < 1) {
        return -EFAULT;
    }
    uint8_t *buf;
    exec_args_t args;
    int64_t err = exec_args_receive(req->mr[0], &buf, &args);
    if (err == 0) {
        err = exec_with(proc, &args);
        free(buf);
    }
    return err == 0 ? REQUEST_DEFERRED : err;
}
