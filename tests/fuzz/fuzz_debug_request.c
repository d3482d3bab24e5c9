/*
 * libFuzzer target for the debug protocol's shared checks and pages
 * (libc/server/debug_text.c), dbg's command words (userland/dbg/commands.c)
 * and the debug console's line editor (servers/debug-console/line.c).
 *
 * The input's first 48 bytes are a request (label, words, descriptors,
 * MR0..MR3) and a text length; the rest is typed at the line editor. The
 * promises checked: a request is accepted only when well formed, a page
 * never reaches past the text, a finished line is NUL-terminated within
 * LINE_MAX_BYTES and parses without reading past it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capsule/debug_text.h"
#include "commands.h"
#include "line.h"

static uint64_t word(const uint8_t *data, size_t i)
{
    uint64_t w;
    memcpy(&w, data + 8 * i, 8);
    return w;
}

static void check_request(const uint8_t *data)
{
    uint64_t mr[4] = {word(data, 2), word(data, 3), word(data, 4), word(data, 5)};
    uint64_t words = data[0] & 7, descs = data[1] & 3, total = word(data, 1) & 0xfffff;
    debug_request_t req;
    if (debug_request_parse(DEBUG_PROC_LIST, words, descs, mr, &req) != 0) {
        return;
    }
    if (words < DEBUG_REQUEST_WORDS || descs != 1 || req.length > DEBUG_PAGE_MAX ||
        (mr[3] & ~DEBUG_FLAGS_ALL) != 0) {
        abort(); /* accepted a malformed request */
    }
    uint64_t count;
    int err = debug_page(total, &req, &count);
    if (err == 0 && (req.offset > total || count > req.length || req.offset + count > total)) {
        abort();
    }
    if (err != 0 && (err != -EINVAL || req.offset <= total)) {
        abort();
    }
}

static void check_lines(const uint8_t *data, size_t size)
{
    line_t line = {0};
    for (size_t i = 0; i < size; i++) {
        char echo[8];
        size_t echo_len;
        if (line_feed(&line, data[i], echo, &echo_len)) {
            size_t n = strnlen(line.text, sizeof(line.text));
            if (n > LINE_MAX_BYTES) {
                abort();
            }
            char copy[LINE_MAX_BYTES + 1];
            memcpy(copy, line.text, n + 1);
            char *words[8];
            int count = 0;
            for (char *w = strtok(copy, " "); w != NULL && count < 8; w = strtok(NULL, " ")) {
                words[count++] = w;
            }
            dbg_query_t q;
            const char *why;
            if (dbg_parse(count, words, &q, &why) == 0 && !debug_label(q.label)) {
                abort();
            }
        }
        if (echo_len > 8) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 48) {
        return 0;
    }
    check_request(data);
    check_lines(data + 48, size - 48);
    return 0;
}
