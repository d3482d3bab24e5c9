#include "bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"

/* The whole of bundle/config.json, at most JSON_MAX_INPUT bytes. */
static char *read_config(const char *bundle, size_t *len)
{
    char path[PATH_MAX + 16];
    snprintf(path, sizeof(path), "%s/config.json", bundle);
    char *buf = malloc(JSON_MAX_INPUT + 1);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (buf == NULL || fd < 0) {
        fprintf(stderr, "runc: %s: %s\n", path, strerror(buf == NULL ? ENOMEM : errno));
        free(buf);
        if (fd >= 0) {
            close(fd);
        }
        return NULL;
    }
    ssize_t n;
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

static int resolve_dir(const char *path, char *out, const char *what, const char *shown)
{
    struct stat st;
    if (realpath(path, out) == NULL || stat(out, &st) < 0) {
        fprintf(stderr, "runc: %s%s: %s\n", what, shown, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        fprintf(stderr, "runc: %s%s: %s is not a directory\n", what, shown, out);
        return -1;
    }
    return 0;
}

int bundle_load(const char *dir, bundle_t *out)
{
    memset(out, 0, sizeof(*out));
    if (resolve_dir(dir, out->path, "bundle ", dir) < 0) {
        return -1;
    }
    size_t len;
    if ((out->text = read_config(out->path, &len)) == NULL) {
        return -1;
    }
    char err[CONFIG_ERROR_MAX];
    if (config_parse(out->text, len, &out->config, err, sizeof(err)) < 0 ||
        config_check_namespaces(&out->config, err, sizeof(err)) < 0) {
        fprintf(stderr, "runc: config.json: %s\n", err);
        bundle_free(out);
        return -1;
    }
    const char *root = out->config.root_path;
    char joined[2 * PATH_MAX];
    snprintf(joined, sizeof(joined), "%s%s%s", root[0] == '/' ? "" : out->path,
             root[0] == '/' ? "" : "/", root);
    char shown[PATH_MAX + 32];
    snprintf(shown, sizeof(shown), " \"%s\"", root);
    if (resolve_dir(joined, out->rootfs, "config.json: root.path", shown) < 0) {
        bundle_free(out);
        return -1;
    }
    return 0;
}

void bundle_free(bundle_t *b)
{
    config_free(&b->config);
    free(b->text);
    b->text = NULL;
}
