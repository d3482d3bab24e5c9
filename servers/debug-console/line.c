#include "line.h"

#include <string.h>

static void erase_one(line_t *line, char *echo, size_t *n)
{
    if (line->len > 0) {
        line->len--;
        memcpy(echo + *n, "\b \b", 3);
        *n += 3;
    }
}

bool line_feed(line_t *line, unsigned char byte, char echo[8], size_t *echo_len)
{
    *echo_len = 0;
    if (byte == '\r' || byte == '\n') {
        line->text[line->len] = '\0';
        line->len = 0;
        memcpy(echo, "\r\n", 2);
        *echo_len = 2;
        return true;
    }
    if (byte == 0x7f || byte == '\b') {
        erase_one(line, echo, echo_len);
    } else if (byte == 0x15) { /* ^U: the line is dropped; typing goes on below it */
        line->len = 0;
        memcpy(echo, "^U\r\n", 4);
        *echo_len = 4;
    } else if (byte >= 0x20 && byte < 0x7f && line->len < LINE_MAX_BYTES) {
        line->text[line->len++] = (char)byte;
        echo[0] = (char)byte;
        *echo_len = 1;
    }
    return false;
}
