/*
 * `#!interp [arg]` scripts, parsed by Linux's rules (fs/binfmt_script.c) and
 * turned into the arguments of the interpreter. Pure logic: no IPC.
 *
 * Only the first SHEBANG_BUF_SIZE bytes of the file count (BINPRM_BUF_SIZE;
 * a shorter file reads as if padded with NULs), so the line holds at most 255
 * bytes, "#!" included. Blanks (space, tab) after "#!" are skipped; the
 * interpreter ends at a blank, a NUL or the end of the line; whatever follows,
 * blanks trimmed on both sides, is ONE optional argument (it may hold blanks).
 * Without a newline in the buffer the interpreter must end before the buffer
 * does (a truncated interpreter path is refused) while the argument may be cut.
 * Scripts nest one level only: the caller refuses an interpreter that is
 * itself a script.
 */
#ifndef CAPSULE_PROC_SHEBANG_H
#define CAPSULE_PROC_SHEBANG_H

#include <stdbool.h>
#include <stddef.h>

#include "exec_args.h"

#define SHEBANG_BUF_SIZE 256u

typedef struct {
    char interp[SHEBANG_BUF_SIZE]; /* the interpreter path, never empty */
    char arg[SHEBANG_BUF_SIZE];    /* the optional argument, "" when absent */
    bool has_arg;
} shebang_t;

/* Whether the file starts with "#!" (then it is a script or nothing: ENOEXEC). */
bool shebang_is_script(const void *head, size_t len);

/*
 * Parses the first `len` bytes of a file (more than SHEBANG_BUF_SIZE are
 * ignored). Returns 0, or -ENOEXEC when the file does not start with "#!",
 * names no interpreter, or names one that does not end within the buffer.
 */
int shebang_parse(const void *head, size_t len, shebang_t *out);

/*
 * Packs into `buf` the arguments the interpreter runs with, as Linux builds
 * them: path = interp (the file to open next), argv = { interp, [arg],
 * script->path, script->argv[1..] }, envp = script->envp. The AT_EXECFN of
 * the new image stays script->path. Returns 0 and the packed length in *len,
 * or -E2BIG.
 */
int shebang_rewrite(const shebang_t *sb, const exec_args_t *script, void *buf, size_t size,
                    size_t *len);

#endif
