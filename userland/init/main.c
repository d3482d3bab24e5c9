/*
 * init: PID 1 of the root scope. It mounts the file systems the tree
 * expects, names the host, starts a login shell on the console and then
 * spends its life reaping: orphans are re-parented to it, and the console
 * shell is started again whenever it ends. SIGUSR2 (BusyBox `poweroff`),
 * SIGUSR1 (`halt`) and SIGTERM (`reboot`) end the system.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CONSOLE "/dev/console"
#define SHELL "/bin/sh"

/* A shell that dies sooner than this after its start is restarted only
 * after a pause, so a broken shell cannot flood the console. */
#define QUICK_DEATH_NS 1000000000ll

static volatile sig_atomic_t end_request;

static void note(const char *what, const char *detail)
{
    fprintf(stderr, "init: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
}

static void mount_one(const char *type, const char *target, unsigned long flags)
{
    mkdir(target, 0755);
    if (mount(type, target, type, flags, NULL) != 0 && errno != EBUSY) {
        fprintf(stderr, "init: cannot mount %s on %s: %s\n", type, target, strerror(errno));
    }
}

static void set_hostname(void)
{
    char name[65] = {0};
    int fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return;
    }
    ssize_t n = read(fd, name, sizeof(name) - 1);
    close(fd);
    while (n > 0 && (name[n - 1] == '\n' || name[n - 1] == ' ')) {
        n--;
    }
    if (n > 0 && sethostname(name, (size_t)n) != 0) {
        note("cannot set the hostname", strerror(errno));
    }
}

/* The child's side: a session of its own with the console as its
 * controlling terminal on fds 0-2, then the login shell. */
static _Noreturn void become_shell(void)
{
    setsid();
    int fd = open(CONSOLE, O_RDWR);
    if (fd < 0) {
        note("cannot open " CONSOLE, strerror(errno));
        _exit(127);
    }
    if (ioctl(fd, TIOCSCTTY, 0) != 0) {
        note("the console is not our terminal", strerror(errno));
    }
    for (int i = 0; i < 3; i++) {
        dup2(fd, i);
    }
    if (fd > 2) {
        close(fd);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    char *argv[] = {"-sh", NULL};
    char *envp[] = {"HOME=/root", "PATH=/sbin:/bin:/usr/sbin:/usr/bin",
                    "TERM=vt100", "SHELL=" SHELL,
                    "USER=root",  "LOGNAME=root",
                    NULL};
    chdir("/root");
    execve(SHELL, argv, envp);
    note("cannot start " SHELL, strerror(errno));
    _exit(127);
}

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static pid_t start_shell(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        become_shell();
    }
    if (pid < 0) {
        note("cannot fork the shell", strerror(errno));
    }
    return pid;
}

static void on_end_signal(int sig)
{
    end_request = sig;
}

static void catch_end_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_end_signal;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static _Noreturn void end_system(int sig)
{
    note(sig == SIGTERM ? "rebooting" : "powering off", NULL);
    kill(-1, SIGTERM);
    sync();
    reboot(sig == SIGTERM ? RB_AUTOBOOT : sig == SIGUSR1 ? RB_HALT_SYSTEM : RB_POWER_OFF);
    note("cannot end the system", strerror(errno));
    for (;;) {
        pause();
    }
}

int main(void)
{
    if (getpid() != 1) {
        note("must run as PID 1", NULL);
        return 1;
    }
    catch_end_signals();
    mount_one("proc", "/proc", 0);
    mount_one("tmpfs", "/tmp", 0);
    mount_one("devtmpfs", "/dev", 0); /* hides the initrd's nodes; console is there too */
    set_hostname();
    pid_t shell = start_shell();
    long long shell_started = now_ns();
    for (;;) {
        if (end_request != 0) {
            end_system(end_request);
        }
        int status;
        pid_t pid = wait(&status);
        if (pid < 0 && errno == ECHILD) {
            pause(); /* nothing to reap until the next orphan */
        }
        if (pid > 0 && pid == shell) {
            if (now_ns() - shell_started < QUICK_DEATH_NS) {
                sleep(1);
            }
            shell = start_shell();
            shell_started = now_ns();
        }
    }
}
