/* The failure record behind the CHECK macros of check.h. */
#include "check.h"

#include <stdarg.h>

#include "kernel/format.h"

#define REASON_MAX 240

static char reason[REASON_MAX];
static bool failed;

typedef struct {
    char *buf;
    unsigned len;
} reason_out_t;

static void emit(char c, void *ctx)
{
    reason_out_t *o = ctx;
    if (o->len + 1 < REASON_MAX) {
        o->buf[o->len++] = c;
    }
}

/* __FILE__ is the full source path; the file name is enough. */
static const char *base_name(const char *path)
{
    const char *base = path;
    for (const char *p = path; *p != '\0'; p++) {
        if (*p == '/') {
            base = p + 1;
        }
    }
    return base;
}

void check_fail(const char *file, int line, const char *fmt, ...)
{
    if (failed) {
        return;
    }
    failed = true;
    int n = format_buf(reason, REASON_MAX, "%s:%d: ", base_name(file), line);
    reason_out_t out = {reason, (unsigned)n < REASON_MAX ? (unsigned)n : REASON_MAX - 1};
    va_list ap;
    va_start(ap, fmt);
    format_v(emit, &out, fmt, ap);
    va_end(ap);
    reason[out.len] = '\0';
}

bool check_failed(void)
{
    return failed;
}

const char *check_reason(void)
{
    return reason;
}

void check_reset(void)
{
    failed = false;
    reason[0] = '\0';
}
