/*
 * PID 1 of procbench's idle containers (container_idle.c): a byte on its
 * stdout to say it is up, then nothing, forever. Small on purpose: what is
 * measured is what a container costs beyond its processes.
 */
#include <unistd.h>

int main(void)
{
    char up = 'u';
    write(1, &up, 1);
    close(1); /* no descriptor kept in vfs-server for the idle years */
    for (;;) {
        pause();
    }
}
