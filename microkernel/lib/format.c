/*
 * A small printf engine. It knows nothing about where characters go, so the
 * kernel log, panics and user-space root tasks all share it.
 */
#include "kernel/format.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    format_emit_t emit;
    void *ctx;
    int count;
} sink_t;

typedef struct {
    bool left;
    bool zero;
    int width;
    int length; /* 0, 1 = l, 2 = ll, 3 = z */
} spec_t;

static void put(sink_t *s, char c)
{
    s->emit(c, s->ctx);
    s->count++;
}

static void pad(sink_t *s, char c, int n)
{
    while (n-- > 0) {
        put(s, c);
    }
}

static void put_string(sink_t *s, const spec_t *sp, const char *str)
{
    int len = 0;
    if (str == NULL) {
        str = "(null)";
    }
    while (str[len] != '\0') {
        len++;
    }
    if (!sp->left) {
        pad(s, ' ', sp->width - len);
    }
    for (int i = 0; i < len; i++) {
        put(s, str[i]);
    }
    if (sp->left) {
        pad(s, ' ', sp->width - len);
    }
}

static void put_number(sink_t *s, const spec_t *sp, uint64_t v, unsigned base, bool negative,
                       bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v != 0);
    int len = n + (negative ? 1 : 0);
    if (!sp->left && !sp->zero) {
        pad(s, ' ', sp->width - len);
    }
    if (negative) {
        put(s, '-');
    }
    if (!sp->left && sp->zero) {
        pad(s, '0', sp->width - len);
    }
    while (n > 0) {
        put(s, tmp[--n]);
    }
    if (sp->left) {
        pad(s, ' ', sp->width - len);
    }
}

static const char *parse_spec(const char *f, spec_t *sp)
{
    *sp = (spec_t){0};
    for (;; f++) {
        if (*f == '-') {
            sp->left = true;
        } else if (*f == '0') {
            sp->zero = true;
        } else {
            break;
        }
    }
    while (*f >= '0' && *f <= '9') {
        sp->width = sp->width * 10 + (*f++ - '0');
    }
    if (*f == 'z') {
        sp->length = 3;
        f++;
    }
    while (*f == 'l') {
        sp->length++;
        f++;
    }
    return f;
}

static uint64_t fetch_unsigned(const spec_t *sp, va_list *ap)
{
    if (sp->length == 0) {
        return va_arg(*ap, unsigned int);
    }
    return va_arg(*ap, uint64_t);
}

static int64_t fetch_signed(const spec_t *sp, va_list *ap)
{
    if (sp->length == 0) {
        return va_arg(*ap, int);
    }
    return va_arg(*ap, int64_t);
}

static void convert(sink_t *s, const spec_t *sp, char conv, va_list *ap)
{
    switch (conv) {
    case 'd':
    case 'i': {
        int64_t v = fetch_signed(sp, ap);
        put_number(s, sp, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, 10, v < 0, false);
        break;
    }
    case 'u':
        put_number(s, sp, fetch_unsigned(sp, ap), 10, false, false);
        break;
    case 'x':
    case 'X':
        put_number(s, sp, fetch_unsigned(sp, ap), 16, false, conv == 'X');
        break;
    case 'p': {
        spec_t p = {.zero = true, .width = 16};
        put(s, '0');
        put(s, 'x');
        put_number(s, &p, (uint64_t)(uintptr_t)va_arg(*ap, void *), 16, false, false);
        break;
    }
    case 's':
        put_string(s, sp, va_arg(*ap, const char *));
        break;
    case 'c':
        put(s, (char)va_arg(*ap, int));
        break;
    case '%':
        put(s, '%');
        break;
    default:
        put(s, '%');
        put(s, conv);
        break;
    }
}

int format_v(format_emit_t emit, void *ctx, const char *fmt, va_list ap)
{
    sink_t s = {emit, ctx, 0};
    va_list args;
    va_copy(args, ap);
    for (const char *f = fmt; *f != '\0'; f++) {
        if (*f != '%') {
            put(&s, *f);
            continue;
        }
        spec_t sp;
        f = parse_spec(f + 1, &sp);
        if (*f == '\0') {
            break;
        }
        convert(&s, &sp, *f, &args);
    }
    va_end(args);
    return s.count;
}

typedef struct {
    char *buf;
    size_t size;
    size_t pos;
} buf_sink_t;

static void emit_to_buf(char c, void *ctx)
{
    buf_sink_t *b = ctx;
    if (b->pos + 1 < b->size) {
        b->buf[b->pos] = c;
    }
    b->pos++;
}

int format_buf(char *buf, size_t size, const char *fmt, ...)
{
    buf_sink_t b = {buf, size, 0};
    va_list ap;
    va_start(ap, fmt);
    int n = format_v(emit_to_buf, &b, fmt, ap);
    va_end(ap);
    if (size > 0) {
        buf[b.pos < size ? b.pos : size - 1] = '\0';
    }
    return n;
}
