/*
 * The `#!` line, parsed exactly as Linux's load_script does: on a private,
 * NUL-padded copy of the first SHEBANG_BUF_SIZE bytes, with positions as
 * indices so that nothing is read outside that copy.
 */
#include "shebang.h"

#include <errno.h>
#include <string.h>

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* First index in [first, last] that is not a blank, or -1. */
static int next_non_blank(const char *buf, int first, int last)
{
    for (int i = first; i <= last; i++) {
        if (!is_blank(buf[i])) {
            return i;
        }
    }
    return -1;
}

/* First index in [first, last] holding a blank or a NUL, or -1. */
static int next_terminator(const char *buf, int first, int last)
{
    for (int i = first; i <= last; i++) {
        if (is_blank(buf[i]) || buf[i] == '\0') {
            return i;
        }
    }
    return -1;
}

/*
 * End of the line: the newline, or, without one, the last byte of the
 * buffer provided the interpreter is not cut by it. Trailing blanks trimmed.
 */
static int line_end(const char *buf)
{
    const int last = (int)SHEBANG_BUF_SIZE - 1;
    const char *nl = memchr(buf, '\n', SHEBANG_BUF_SIZE);
    int end;

    if (nl != NULL) {
        end = (int)(nl - buf);
    } else {
        end = next_non_blank(buf, 2, last);
        if (end < 0 || next_terminator(buf, end, last) < 0) {
            return -1; /* only blanks, or a truncated interpreter path */
        }
        end = last;
    }
    while (is_blank(buf[end - 1])) {
        end--;
    }
    return end;
}

/* Copies [first, end) up to its first NUL. */
static void copy_field(char *dst, const char *buf, int first, int end)
{
    size_t n = 0;
    while (first + (int)n < end && buf[first + n] != '\0') {
        dst[n] = buf[first + n];
        n++;
    }
    dst[n] = '\0';
}

bool shebang_is_script(const void *head, size_t len)
{
    const char *p = head;
    return len >= 2 && p[0] == '#' && p[1] == '!';
}

int shebang_parse(const void *head, size_t len, shebang_t *out)
{
    char buf[SHEBANG_BUF_SIZE] = {0};

    if (!shebang_is_script(head, len)) {
        return -ENOEXEC;
    }
    memcpy(buf, head, len < sizeof(buf) ? len : sizeof(buf));
    int end = line_end(buf);
    int name = end < 0 ? -1 : next_non_blank(buf, 2, end);
    /* Linux would go on to open "" for "#!\0..."; an empty name is no interpreter either. */
    if (name < 0 || name == end || buf[name] == '\0') {
        return -ENOEXEC;
    }
    int sep = next_terminator(buf, name, end);
    int arg = -1;
    if (sep >= 0 && buf[sep] != '\0') {
        arg = next_non_blank(buf, sep, end);
    }
    copy_field(out->interp, buf, name, sep >= 0 ? sep : end);
    out->has_arg = arg >= 0 && arg < end;
    copy_field(out->arg, buf, out->has_arg ? arg : end, end);
    return 0;
}

int shebang_rewrite(const shebang_t *sb, const exec_args_t *script, void *buf, size_t size,
                    size_t *len)
{
    exec_args_writer_t w;
    size_t kept = script->argc > 1 ? script->argc - 1 : 0; /* argv[0] is replaced */
    size_t argc = 2 + (sb->has_arg ? 1 : 0) + kept;

    exec_args_writer_begin(&w, buf, size, sb->interp, argc, script->envc);
    exec_args_writer_add(&w, sb->interp);
    if (sb->has_arg) {
        exec_args_writer_add(&w, sb->arg);
    }
    exec_args_writer_add(&w, script->path);
    for (size_t i = 1; i <= kept; i++) {
        exec_args_writer_add(&w, exec_args_arg(script, i));
    }
    for (size_t i = 0; i < script->envc; i++) {
        exec_args_writer_add(&w, exec_args_env(script, i));
    }
    return exec_args_writer_finish(&w, len);
}
