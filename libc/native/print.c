/* print(): the shared formatter, buffered, flushed to Debug_Write. */
#include "capsule/print.h"

#include "capsule/kernel.h"
#include "kernel/format.h"

#define CHUNK 512

typedef struct {
    char buf[CHUNK];
    uint64_t len;
} out_t;

static cptr_t debug_cap;

void print_set_debug(cptr_t debug)
{
    debug_cap = debug;
}

static void flush(out_t *o)
{
    if (o->len > 0) {
        debug_write(debug_cap, o->buf, o->len);
        o->len = 0;
    }
}

static void emit(char c, void *ctx)
{
    out_t *o = ctx;
    o->buf[o->len++] = c;
    if (o->len == CHUNK) {
        flush(o);
    }
}

void print(const char *fmt, ...)
{
    out_t o = {.len = 0};
    va_list ap;
    va_start(ap, fmt);
    format_v(emit, &o, fmt, ap);
    va_end(ap);
    flush(&o);
}
