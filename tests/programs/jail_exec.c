/*
 * jail-exec PROGRAM ARGS...: jails itself (PROC_JAIL) and runs PROGRAM, so a
 * scenario can check what a jailed process may not do (dbg: no debug
 * capability).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capsule/proc_client.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: jail-exec PROGRAM ARGS...\n");
        return 2;
    }
    int err = capsule_jail();
    if (err != 0) {
        fprintf(stderr, "jail-exec: jail: %s\n", strerror(-err));
        return 1;
    }
    execv(argv[1], argv + 1);
    perror("jail-exec: exec");
    return 127;
}
