/*
 * runc: Capsule's OCI container runtime, its command line: help, `spec`,
 * and the verbs of verbs.c over proc-server's container registry.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "json.h"
#include "spec.h"
#include "verbs.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: runc COMMAND [OPTION...] [ARG...]\n"
                 "Capsule's OCI container runtime.\n\ncommands:\n");
    for (size_t i = 0; i < cli_verb_count; i++) {
        fprintf(out, "  %-8s %s\n", cli_verbs[i].name, cli_verbs[i].summary);
    }
    fprintf(out, "\n`runc COMMAND --help` describes one (docs/runc.md).\n");
}

static void verb_help(const verb_t *v)
{
    printf("usage: %s\n%s\n", v->usage, v->summary);
    if (v->options[0] != '\0') {
        printf("\noptions:\n%s", v->options);
    }
    printf("  -h, --help        show this\n");
}

static int write_spec(const char *bundle)
{
    char path[4096];
    const char *text = spec_default();
    size_t len = strlen(text);
    int fd;

    snprintf(path, sizeof(path), "%s/config.json", bundle);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0) {
        fprintf(stderr, "runc: spec: %s: %s%s\n", path, strerror(errno),
                errno == EEXIST ? " (remove it first)" : "");
        return 1;
    }
    if (write(fd, text, len) != (ssize_t)len) {
        fprintf(stderr, "runc: spec: %s: %s\n", path, strerror(errno));
        close(fd);
        return 1;
    }
    close(fd);
    return 0;
}

static const struct {
    const char *name;
    int (*run)(const cli_t *c);
} verbs[] = {
    {"create", verb_create}, {"run", verb_run},   {"start", verb_start},
    {"state", verb_state},   {"list", verb_list}, {"kill", verb_kill},
    {"delete", verb_delete}, {"ps", verb_ps},     {"exec", verb_exec},
};

static int run_verb(const cli_t *c)
{
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
        if (strcmp(verbs[i].name, c->verb->name) == 0) {
            return verbs[i].run(c);
        }
    }
    fprintf(stderr, "runc: %s: not implemented\n", c->verb->name);
    return 1;
}

int main(int argc, char **argv)
{
    char err[CONFIG_ERROR_MAX];
    cli_t cli;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 1 : 0;
    }
    if (cli_parse(argc - 1, argv + 1, &cli, err, sizeof(err)) < 0) {
        fprintf(stderr, "runc: %s\n", err);
        return 1;
    }
    if (cli.help) {
        verb_help(cli.verb);
        return 0;
    }
    if (strcmp(cli.verb->name, "spec") == 0) {
        return write_spec(cli.bundle);
    }
    return run_verb(&cli);
}
