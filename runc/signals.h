/*
 * Signal arguments of `runc kill`: a number (1-64), or a name with or
 * without "SIG", in any case (TERM, SIGKILL, sigusr1), or RTMIN+n/RTMAX-n.
 */
#ifndef RUNC_SIGNALS_H
#define RUNC_SIGNALS_H

#define SIGNAL_MAX 64
#define SIGNAL_RTMIN 34 /* musl's SIGRTMIN: glibc and musl reserve 32 and 33 */

/* The signal's number, or -1 when text names none. */
int signal_parse(const char *text);

#endif
