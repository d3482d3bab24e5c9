/*
 * The arguments of execve and spawn: the path of the file to run, argv and
 * envp. They travel in a request as one packed buffer with offsets; the loader
 * reads them through exec_args_t, a checked view of either such a buffer or
 * plain C arrays. Pure logic: no IPC, host-testable, freestanding-friendly
 * (needs only <stddef.h>, <stdint.h>, <string.h> and <errno.h>).
 *
 * Packed format. Integers are little-endian uint32_t at any alignment.
 *
 *   offset 0    argc       number of argv strings
 *   offset 4    envc       number of envp strings
 *   offset 8    path       offset of the path string (the file to execute)
 *   offset 12   reserved   must be 0
 *   offset 16   table      argc + envc offsets: argv[0..argc), then envp[0..envc)
 *   16 + 4 * (argc + envc) strings, each ending with a NUL, in any order
 *
 * Every offset (path and table) points into the string area, and the string
 * there ends with a NUL inside the buffer; strings may share bytes. Limits, as
 * Linux's execve: the buffer is at most EXEC_ARGS_MAX bytes and the argv and
 * envp strings, NULs included and shared bytes counted each time, add up to
 * at most EXEC_ARGS_MAX (else -E2BIG); the path is 1 to EXEC_PATH_MAX - 1
 * bytes (else -ENOENT or -ENAMETOOLONG).
 */
#ifndef CAPSULE_PROC_EXEC_ARGS_H
#define CAPSULE_PROC_EXEC_ARGS_H

#include <stddef.h>
#include <stdint.h>

#define EXEC_ARGS_MAX (128u * 1024u) /* ARG_MAX-like limit, bytes */
#define EXEC_ARGS_HEADER_SIZE 16u
#define EXEC_PATH_MAX 4096u /* PATH_MAX, NUL included */

/*
 * A checked set of arguments. Built by exec_args_unpack (a view into the
 * packed buffer, which must outlive it) or exec_args_from_arrays (a view of
 * the caller's arrays). Read the strings with exec_args_arg/exec_args_env.
 */
typedef struct {
    const char *path;
    size_t argc;
    size_t envc;
    const char *const *argv; /* array view: argc strings, or NULL */
    const char *const *envp; /* array view: envc strings, or NULL */
    const uint8_t *packed;   /* packed view: the buffer, or NULL */
} exec_args_t;

/*
 * Checks a packed buffer of `size` bytes field by field and, only if all of
 * it is well formed, fills `out` with a view into it. Returns 0, -EINVAL (a
 * header or offset table that does not fit, reserved bits set), -EFAULT (an
 * offset outside the string area, a string without its NUL), -E2BIG,
 * -ENOENT (empty path) or -ENAMETOOLONG.
 */
int exec_args_unpack(const void *buf, size_t size, exec_args_t *out);

/* A view of NULL-terminated arrays (NULL for none); the caller is trusted. */
void exec_args_from_arrays(exec_args_t *out, const char *path, const char *const *argv,
                           const char *const *envp);

/* argv[i] for i < argc and envp[i] for i < envc. */
const char *exec_args_arg(const exec_args_t *args, size_t i);
const char *exec_args_env(const exec_args_t *args, size_t i);

/*
 * Writes a packed buffer, one string at a time: begin with the counts and the
 * path, add exactly argc then envc strings, finish. Any error (the buffer is
 * too small or over EXEC_ARGS_MAX: -E2BIG; a wrong number of strings:
 * -EINVAL) is kept and returned by exec_args_writer_finish.
 */
typedef struct {
    uint8_t *buf;
    size_t size;  /* usable bytes of buf, at most EXEC_ARGS_MAX */
    size_t count; /* argc + envc announced */
    size_t added; /* strings written so far */
    size_t used;  /* bytes written so far */
    int err;      /* first error, or 0 */
} exec_args_writer_t;

void exec_args_writer_begin(exec_args_writer_t *w, void *buf, size_t size, const char *path,
                            size_t argc, size_t envc);
void exec_args_writer_add(exec_args_writer_t *w, const char *s);
/* Returns 0 and the packed length in *len, or the first error. */
int exec_args_writer_finish(exec_args_writer_t *w, size_t *len);

/* Packs `args` into buf; 0 and the length in *len, or -E2BIG. */
int exec_args_pack(const exec_args_t *args, void *buf, size_t size, size_t *len);

#endif
