/*
 * PID 1 of procbench's idle containers (container_idle.c): a byte on its
 * stdout to say it is up, then nothing, forever; with the argument `exit`,
 * nothing at all (container_start.c's small program). Small on purpose: what is
 * measured is what a container costs beyond its processes.
 */
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exit") == 0) {
        return 0; /* the small program container_start.c starts */
    }
    char up = 'u';
    write(1, &up, 1);
    close(1); /* no descriptor kept in vfs-server for the idle years */
    for (;;) {
        pause();
    }
}
