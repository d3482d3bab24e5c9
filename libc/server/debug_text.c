#include "capsule/debug_text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

int debug_request_parse(uint64_t label, uint64_t words, uint64_t descriptors, const uint64_t mr[4],
                        debug_request_t *out)
{
    if (words < DEBUG_REQUEST_WORDS || descriptors != 1 || mr[1] > DEBUG_PAGE_MAX ||
        (mr[3] & ~DEBUG_FLAGS_ALL) != 0) {
        return -EINVAL;
    }
    *out = (debug_request_t){label, mr[0], mr[1], mr[2], (mr[3] & DEBUG_FLAG_JSON) != 0};
    return 0;
}

void dt_init(debug_text_t *t, char *buf, size_t size, bool json)
{
    *t = (debug_text_t){buf, size, 0, json, true};
    if (size > 0) {
        buf[0] = '\0';
    }
}

void dt_printf(debug_text_t *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = t->len < t->size ? t->size - t->len : 0;
    int n = vsnprintf(room > 0 ? t->buf + t->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0) {
        t->len += (size_t)n;
    }
}

void dt_json_bytes(debug_text_t *t, const char *s, size_t n)
{
    dt_printf(t, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            dt_printf(t, "\\%c", c);
        } else if (c < 0x20 || c == 0x7f) {
            dt_printf(t, "\\u%04x", c);
        } else {
            dt_printf(t, "%c", c);
        }
    }
    dt_printf(t, "\"");
}

void dt_json_string(debug_text_t *t, const char *s)
{
    if (s == NULL) {
        dt_printf(t, "null");
        return;
    }
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    dt_json_bytes(t, s, n);
}

void dt_sep(debug_text_t *t)
{
    if (!t->first) {
        dt_printf(t, ",");
    }
    t->first = false;
}

void dt_open(debug_text_t *t, char c)
{
    dt_printf(t, "%c", c);
    t->first = true;
}

void dt_close(debug_text_t *t, char c)
{
    dt_printf(t, "%c", c);
    t->first = false;
}

bool dt_fits(const debug_text_t *t)
{
    return t->len < t->size;
}

int debug_page(uint64_t total, const debug_request_t *req, uint64_t *count)
{
    if (req->offset > total) {
        return -EINVAL;
    }
    uint64_t left = total - req->offset;
    *count = left < req->length ? left : req->length;
    return 0;
}

int debug_text_page(const debug_text_t *t, const debug_request_t *req, uint64_t *count)
{
    return dt_fits(t) ? debug_page(t->len, req, count) : -EFBIG;
}
