/*
 * runc: Capsule's OCI container runtime, its command line.
 *
 * What works now: help, `runc spec`, and every verb's parsing and
 * validation (flags, the container ID, the bundle and its config.json).
 * Creating and managing containers is the create sequence of
 * notes/containers.md over proc-server's scopes and vfs-server's root
 * contexts, not written yet, so those verbs stop after validating and say
 * so, with a non-zero status: never pretending to have done what they have
 * not.
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

static void usage(FILE *out)
{
    fprintf(out, "usage: runc COMMAND [OPTION...] [ARG...]\n"
                 "Capsule's OCI container runtime.\n\ncommands:\n");
    for (size_t i = 0; i < cli_verb_count; i++) {
        fprintf(out, "  %-8s %s\n", cli_verbs[i].name, cli_verbs[i].summary);
    }
    fprintf(out, "\n`runc COMMAND --help` describes one. Containers cannot be created yet:\n"
                 "only spec and the validation of bundles work (docs/runc.md).\n");
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

/* The whole of bundle/config.json, at most JSON_MAX_INPUT bytes. */
static char *read_config(const char *bundle, size_t *len)
{
    char path[4096];
    char *buf = malloc(JSON_MAX_INPUT + 1);
    int fd;
    ssize_t n;

    snprintf(path, sizeof(path), "%s/config.json", bundle);
    fd = open(path, O_RDONLY);
    if (buf == NULL || fd < 0) {
        fprintf(stderr, "runc: %s: %s\n", path, strerror(buf == NULL ? ENOMEM : errno));
        free(buf);
        if (fd >= 0) {
            close(fd);
        }
        return NULL;
    }
    *len = 0;
    while ((n = read(fd, buf + *len, JSON_MAX_INPUT + 1 - *len)) > 0) {
        *len += (size_t)n;
        if (*len > JSON_MAX_INPUT) {
            break;
        }
    }
    close(fd);
    if (n < 0 || *len > JSON_MAX_INPUT) {
        fprintf(stderr, "runc: %s: %s\n", path, n < 0 ? strerror(errno) : "larger than 1 MiB");
        free(buf);
        return NULL;
    }
    return buf;
}

/* The bundle checks before any container could be created from it. */
static int check_bundle(const char *bundle)
{
    struct stat st;
    char err[CONFIG_ERROR_MAX], root[4096];
    config_t config;
    size_t len;
    char *text;
    int r;

    if (stat(bundle, &st) < 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "runc: bundle %s: %s\n", bundle,
                errno != 0 && !S_ISDIR(st.st_mode) ? strerror(errno) : "not a directory");
        return -1;
    }
    if ((text = read_config(bundle, &len)) == NULL) {
        return -1;
    }
    r = config_parse(text, len, &config, err, sizeof(err));
    if (r < 0) {
        fprintf(stderr, "runc: config.json: %s\n", err);
    } else {
        snprintf(root, sizeof(root), "%s%s%s", config.root_path[0] == '/' ? "" : bundle,
                 config.root_path[0] == '/' ? "" : "/", config.root_path);
        if (stat(root, &st) < 0 || !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "runc: config.json: root.path \"%s\": %s is not a directory\n",
                    config.root_path, root);
            r = -1;
        }
    }
    config_free(&config);
    free(text);
    return r;
}

static int not_yet(const cli_t *c)
{
    fprintf(stderr,
            "runc: %s: container operations are not available yet: Capsule's runc "
            "validates bundles but cannot %s containers yet\n",
            c->verb->name, c->verb->name);
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
    if (strchr(cli.verb->flags, 'b') != NULL && check_bundle(cli.bundle) < 0) {
        return 1;
    }
    return not_yet(&cli);
}
