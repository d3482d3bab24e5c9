/*
 * fork as init sees it: a child with its own PID and a copy of the memory,
 * exit statuses and signals through wait4, several children reaped in any
 * order. Exits with 42 when every check holds, else with the failed check's
 * number.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int shared_looking = 1;

static int child_sees_copy(char *heap)
{
    if (getpid() == 1 || getppid() != 1) {
        return 1;
    }
    if (shared_looking != 1 || strcmp(heap, "parent's heap") != 0) {
        return 2;
    }
    shared_looking = 5; /* the parent must not see these */
    strcpy(heap, "child's heap");
    return 7;
}

static int check_one_child(void)
{
    char *heap = malloc(64);
    strcpy(heap, "parent's heap");
    pid_t pid = fork();
    if (pid == 0) {
        _exit(child_sees_copy(heap));
    }
    if (pid <= 1) {
        return 20;
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
        return 21;
    }
    if (WEXITSTATUS(status) != 7) {
        return 22 + WEXITSTATUS(status); /* 23, 24: the child's check */
    }
    if (shared_looking != 1 || strcmp(heap, "parent's heap") != 0) {
        return 26;
    }
    free(heap);
    return 0;
}

static int check_many_children(void)
{
    enum { CHILDREN = 5 };
    for (int i = 0; i < CHILDREN; i++) {
        if (fork() == 0) {
            _exit(100 + i);
        }
    }
    unsigned seen = 0;
    for (int i = 0; i < CHILDREN; i++) {
        int status;
        pid_t pid = wait(&status);
        if (pid <= 1 || !WIFEXITED(status) || WEXITSTATUS(status) < 100 ||
            WEXITSTATUS(status) >= 100 + CHILDREN) {
            printf("fork: wait gave pid %d, status %#x (errno %d)\n", pid, status, errno);
            return 30;
        }
        seen |= 1u << (WEXITSTATUS(status) - 100);
    }
    if (seen != (1u << CHILDREN) - 1) {
        return 31;
    }
    return wait(NULL) == -1 ? 0 : 32; /* no child left */
}

static int check_faulting_child(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        *(volatile int *)0x10000000 = 1;
        _exit(0);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV) {
        return 40;
    }
    return 0;
}

int main(void)
{
    int failed = check_one_child();
    if (failed == 0) {
        failed = check_many_children();
    }
    if (failed == 0) {
        failed = check_faulting_child();
    }
    return failed == 0 ? 42 : failed;
}
