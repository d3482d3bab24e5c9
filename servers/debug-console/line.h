/*
 * The debug console's line editor: bytes in, a finished line out. Printable
 * bytes are kept and echoed, backspace (DEL or ^H) erases one, ^U the whole
 * line, CR or LF ends it; everything else is dropped. No history.
 *
 * Pure code: tested on the host.
 */
#ifndef DEBUG_CONSOLE_LINE_H
#define DEBUG_CONSOLE_LINE_H

#include <stdbool.h>
#include <stddef.h>

#define LINE_MAX_BYTES 128

typedef struct {
    char text[LINE_MAX_BYTES + 1]; /* NUL-terminated once done */
    size_t len;
} line_t;

/*
 * Feeds one byte. *echo gets the bytes to send back (at most 8) and
 * *echo_len their count. Returns true when the byte ended the line: then
 * line->text holds it and the next byte starts a new one.
 */
bool line_feed(line_t *line, unsigned char byte, char echo[8], size_t *echo_len);

#endif
