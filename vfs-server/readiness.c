#include "readiness.h"

#include "console_forward.h"

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
    if (f->dev != NULL && f->dev->is_tty && console_forwarded()) {
        /* console-server tells, and signals us when input it was asked
         * about arrives (docs/protocols/console.md "Readiness") */
        short asked = (file_reads(f) ? POLLIN : 0) | (file_writes(f) ? POLLOUT : 0);
        return console_forward_poll(f, asked);
    }
    if (f->dev != NULL && f->dev->is_tty) {
        return ready & WRITABLE; /* the kernel log: nothing ever to read */
    }
    /* regular files, directories, the memory devices (null, zero, full)
     * and the random ones never wait, as on Linux */
    return ready;
}
