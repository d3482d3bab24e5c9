/*
 * Building a debug protocol answer (protocol/debug.h): a text grown by
 * printf into a fixed buffer that keeps counting past its end, so a server
 * knows the whole length and can refuse instead of cutting; JSON strings
 * escaped; and the checks every debug request shares.
 *
 * Pure code (no kernel calls): tested on the host.
 */
#ifndef CAPSULE_DEBUG_TEXT_H
#define CAPSULE_DEBUG_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/debug.h"

typedef struct {
    char *buf;
    size_t size; /* bytes of buf */
    size_t len;  /* bytes the text needs: may exceed size - 1 */
    bool json;   /* the request asked for DEBUG_FLAG_JSON */
    bool first;  /* no JSON member written yet at this level (dt_sep) */
} debug_text_t;

typedef struct {
    uint64_t label;
    uint64_t offset; /* MR0 */
    uint64_t length; /* MR1 */
    uint64_t arg;    /* MR2 */
    bool json;       /* MR3 & DEBUG_FLAG_JSON */
} debug_request_t;

/*
 * Checks a request's fields: words is how many message registers came,
 * descriptors how many buffers; mr its first four registers. -EINVAL for
 * fewer than DEBUG_REQUEST_WORDS words, other than one descriptor, a
 * length over DEBUG_PAGE_MAX or unknown flags; else 0 with *out.
 */
int debug_request_parse(uint64_t label, uint64_t words, uint64_t descriptors, const uint64_t mr[4],
                        debug_request_t *out);

void dt_init(debug_text_t *t, char *buf, size_t size, bool json);
/* Appends as printf does; what does not fit is only counted. */
void dt_printf(debug_text_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string, quoted and escaped (NULL as null). */
void dt_json_string(debug_text_t *t, const char *s);
/* Appends n bytes of s as a JSON string (bytes below 0x20 escaped). */
void dt_json_bytes(debug_text_t *t, const char *s, size_t n);
/* JSON separators: a comma unless it is the first member since dt_open. */
void dt_sep(debug_text_t *t);
/* Appends c ('[' or '{') and starts a new level (the next dt_sep adds no comma). */
void dt_open(debug_text_t *t, char c);
/* Appends c (']' or '}'); the enclosing level has had a member. */
void dt_close(debug_text_t *t, char c);
/* Whether the whole text fits (len < size). */
bool dt_fits(const debug_text_t *t);

/*
 * The page of a text of total bytes a request asks for: -EINVAL when its
 * offset lies past the end; else 0 with *count = the bytes to copy from
 * offset (0 at the end).
 */
int debug_page(uint64_t total, const debug_request_t *req, uint64_t *count);

/*
 * Sizes a finished text for the reply: -EFBIG when it did not fit, else as
 * debug_page (*count bytes from req->offset).
 */
int debug_text_page(const debug_text_t *t, const debug_request_t *req, uint64_t *count);

#endif
