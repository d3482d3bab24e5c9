/*
 * The shapes of the ioctls Capsule's servers answer: how many bytes the
 * argument pointer covers in each direction. The posix runtime lends the
 * argument as buffer descriptor 0 of the request with these sizes, and the
 * server copies exactly them, so no side guesses a size. Linux's terminal
 * ioctls predate the size-encoding _IOC numbers, hence a table.
 */
#ifndef CAPSULE_PROTOCOL_IOCTL_H
#define CAPSULE_PROTOCOL_IOCTL_H

#include <stddef.h>
#include <stdint.h>

#define IOCTL_TERMIOS_BYTES 36 /* Linux's struct termios: 4 flag words, c_line, 19 c_cc */
#define IOCTL_WINSIZE_BYTES 8
#define IOCTL_INT_BYTES 4

typedef struct {
    uint32_t cmd;
    uint32_t in_size;  /* bytes the server reads from the argument first */
    uint32_t out_size; /* bytes it writes back on success */
} ioctl_shape_t;

/* Commands whose argument is a value (or unused) have sizes 0. */
static const ioctl_shape_t ioctl_shapes[] = {
    {0x5401, 0, IOCTL_TERMIOS_BYTES}, /* TCGETS */
    {0x5402, IOCTL_TERMIOS_BYTES, 0}, /* TCSETS */
    {0x5403, IOCTL_TERMIOS_BYTES, 0}, /* TCSETSW */
    {0x5404, IOCTL_TERMIOS_BYTES, 0}, /* TCSETSF */
    {0x5413, 0, IOCTL_WINSIZE_BYTES}, /* TIOCGWINSZ */
    {0x5414, IOCTL_WINSIZE_BYTES, 0}, /* TIOCSWINSZ */
    {0x540f, 0, IOCTL_INT_BYTES},     /* TIOCGPGRP */
    {0x5410, IOCTL_INT_BYTES, 0},     /* TIOCSPGRP */
    {0x540e, 0, 0},                   /* TIOCSCTTY: 1 steals the terminal */
    {0x5422, 0, 0},                   /* TIOCNOTTY */
    {0x541b, 0, IOCTL_INT_BYTES},     /* FIONREAD */
    {0x540b, 0, 0},                   /* TCFLSH: TCIFLUSH, TCOFLUSH, TCIOFLUSH */
    {0x5412, 0, 0},                   /* TIOCSTI (refused) */
    {0x5421, IOCTL_INT_BYTES, 0},     /* FIONBIO */
    {0x5451, 0, 0},                   /* FIOCLEX */
    {0x5450, 0, 0},                   /* FIONCLEX */
    {0x80045430, 0, IOCTL_INT_BYTES}, /* TIOCGPTN: a pseudo-terminal's number */
    {0x40045431, IOCTL_INT_BYTES, 0}, /* TIOCSPTLCK: lock (1) or unlock (0) its slave */
    {0x80045439, 0, IOCTL_INT_BYTES}, /* TIOCGPTLCK */
};

/* The shape of `cmd`, or NULL for a command no server knows. */
static inline const ioctl_shape_t *ioctl_shape(unsigned long cmd)
{
    for (size_t i = 0; i < sizeof(ioctl_shapes) / sizeof(ioctl_shapes[0]); i++) {
        if (ioctl_shapes[i].cmd == cmd) {
            return &ioctl_shapes[i];
        }
    }
    return NULL;
}

#endif
