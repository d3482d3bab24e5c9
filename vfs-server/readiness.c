#include "readiness.h"

#include <poll.h>
#include <sys/stat.h>

#define READABLE (POLLIN | POLLRDNORM)
#define WRITABLE (POLLOUT | POLLWRNORM)

short file_poll(const file_t *f)
{
    short ready = (file_reads(f) ? READABLE : 0) | (file_writes(f) ? WRITABLE : 0);
    if (f->pipe != NULL) {
        return pipe_poll(f->pipe, file_reads(f), file_writes(f));
    }
    if (f->dev != NULL && f->dev->is_tty) {
        /* the console: output never waits; input is console-server's to
         * tell, and until it does, reading is never reported ready */
        return ready & WRITABLE;
    }
    /* regular files, directories and the memory devices (null, zero, full)
     * never wait, as on Linux */
    return ready;
}
