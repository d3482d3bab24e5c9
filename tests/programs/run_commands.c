/*
 * init for the BusyBox scenarios: runs each line of /etc/commands in a
 * forked child — words split on spaces, or, for a line starting "sh: ",
 * the rest given to /bin/sh -c — and prints its exit status as
 * "run: <status> <line>", then "run: done".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WORDS 16

static void run_line(char *line)
{
    char *argv[MAX_WORDS + 1];
    int argc = 0;
    char copy[512];
    snprintf(copy, sizeof(copy), "%s", line);
    if (strncmp(line, "sh: ", 4) == 0) {
        argv[argc++] = "/bin/sh";
        argv[argc++] = "-c";
        argv[argc++] = line + 4;
    }
    for (char *word = argc > 0 ? NULL : strtok(line, " "); word != NULL && argc < MAX_WORDS;
         word = strtok(NULL, " ")) {
        argv[argc++] = word;
    }
    argv[argc] = NULL;
    if (argc == 0) {
        return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char *envp[] = {"PATH=/bin:/sbin", "HOME=/", NULL};
        execve(argv[0], argv, envp);
        printf("run: cannot execute %s\n", argv[0]);
        _exit(127);
    }
    int status = -1;
    if (waitpid(pid, &status, 0) != pid) {
        printf("run: waitpid failed: %s\n", strerror(errno));
    }
    printf("run: %d %s\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), copy);
}

int main(void)
{
    FILE *f = fopen("/etc/commands", "r");
    if (f == NULL) {
        printf("run: no /etc/commands\n");
        return 1;
    }
    char line[512];
    while (fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        run_line(line);
    }
    printf("run: done\n");
    fflush(stdout);
    return 0;
}
