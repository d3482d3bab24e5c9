/*
 * config.json "mounts": the types Capsule's vfs-server provides (proc,
 * tmpfs, devfs, bind) and the options it can honour. Options that restrict
 * (nosuid, nodev, noexec) are refused until vfs-server enforces them: a
 * restriction silently dropped would weaken the container.
 */
#include <stdlib.h>
#include <string.h>

#include "config_read.h"

/* Options that change nothing in Capsule: defaults, access-time policy and
 * private propagation (every context's mounts are already private). */
static const char *const noop_options[] = {
    "rw",      "suid",     "dev",         "exec",     "async",      "atime",
    "noatime", "relatime", "strictatime", "diratime", "nodiratime", "norelatime",
    "private", "rprivate", "defaults",    "lazytime", "nolazytime", "nostrictatime",
};

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(s, list[i]) == 0) {
            return true;
        }
    }
    return false;
}

static bool wants_bind(jv_t *options)
{
    for (jv_t *o = options != NULL ? options->first : NULL; o != NULL; o = o->next) {
        if (o->type == JSON_STRING &&
            (strcmp(o->string, "bind") == 0 || strcmp(o->string, "rbind") == 0)) {
            return true;
        }
    }
    return false;
}

static int mount_type(ctx_t *x, const char *base, jv_t *m, jv_t *options, config_mount_t *out)
{
    char path[PATH_MAX_KEY];
    jv_t *type;

    if (member(x, m, base, "type", JSON_STRING, &type) < 0) {
        return -1;
    }
    join(path, base, "type");
    if (type == NULL || strcmp(type->string, "none") == 0 || strcmp(type->string, "bind") == 0) {
        if (type != NULL && strcmp(type->string, "bind") == 0) {
            out->type = MOUNT_BIND;
            return 0;
        }
        if (!wants_bind(options)) {
            return type == NULL ? refuse(x, path, NULL, "is required")
                                : refuse(x, path, type, "is not supported");
        }
        out->type = MOUNT_BIND;
    } else if (strcmp(type->string, "proc") == 0) {
        out->type = MOUNT_PROC;
    } else if (strcmp(type->string, "tmpfs") == 0) {
        out->type = MOUNT_TMPFS;
    } else if (strcmp(type->string, "devfs") == 0) {
        out->type = MOUNT_DEVFS;
    } else {
        return refuse(x, path, type, "is not supported");
    }
    return 0;
}

/* size=N with an optional k, m or g suffix, as tmpfs reads it. */
static bool parse_size(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    int shift = 0;

    if (*s < '0' || *s > '9') {
        return false;
    }
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > (UINT64_MAX - 9) / 10) {
            return false;
        }
        v = v * 10 + (uint64_t)(*s - '0');
    }
    if (*s == 'k' || *s == 'K') {
        shift = 10;
    } else if (*s == 'm' || *s == 'M') {
        shift = 20;
    } else if (*s == 'g' || *s == 'G') {
        shift = 30;
    }
    if ((shift != 0 && *++s != '\0') || *s != '\0' || v > (UINT64_MAX >> shift)) {
        return false;
    }
    *out = v << shift;
    return true;
}

static bool parse_mode(const char *s, uint32_t *out)
{
    uint32_t v = 0;

    if (*s == '\0' || strlen(s) > 4) {
        return false;
    }
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '7') {
            return false;
        }
        v = v * 8 + (uint32_t)(*s - '0');
    }
    *out = v;
    return true;
}

static int mount_option(ctx_t *x, const char *path, jv_t *o, config_mount_t *out)
{
    const char *s = o->string;
    bool tmpfs = out->type == MOUNT_TMPFS;

    if (strcmp(s, "ro") == 0) {
        out->readonly = true;
    } else if (strcmp(s, "rw") == 0) {
        out->readonly = false;
    } else if (strcmp(s, "bind") == 0 || strcmp(s, "rbind") == 0) {
        if (out->type != MOUNT_BIND) {
            return refuse(x, path, o, "is not supported for this mount type");
        }
        out->recursive = strcmp(s, "rbind") == 0;
    } else if (in_list(s, noop_options, sizeof(noop_options) / sizeof(noop_options[0]))) {
        /* nothing to do */
    } else if (strcmp(s, "nosuid") == 0 || strcmp(s, "nodev") == 0 || strcmp(s, "noexec") == 0) {
        return refuse(x, path, o, ": Capsule cannot enforce this option yet");
    } else if (strcmp(s, "shared") == 0 || strcmp(s, "rshared") == 0 || strcmp(s, "slave") == 0 ||
               strcmp(s, "rslave") == 0 || strcmp(s, "unbindable") == 0 ||
               strcmp(s, "runbindable") == 0) {
        return refuse(x, path, o, ": Capsule has no mount propagation");
    } else if (tmpfs && strncmp(s, "size=", 5) == 0) {
        if (!parse_size(s + 5, &out->size)) {
            return refuse(x, path, o, "is not a size");
        }
    } else if (tmpfs && strncmp(s, "mode=", 5) == 0) {
        if (!parse_mode(s + 5, &out->mode)) {
            return refuse(x, path, o, "is not an octal mode");
        }
    } else {
        return refuse(x, path, o, "is not supported");
    }
    return 0;
}

static int read_mount(ctx_t *x, jv_t *m, size_t i, config_mount_t *out)
{
    char base[PATH_MAX_KEY], path[PATH_MAX_KEY];
    jv_t *dest, *source, *options, *o;
    size_t k = 0;

    index_key(base, "mounts", i);
    if (m->type != JSON_OBJECT) {
        return refuse(x, base, m, "must be an object");
    }
    join(path, base, "destination");
    if (required(x, m, base, "destination", JSON_STRING, &dest) < 0 ||
        absolute_path(x, path, dest) < 0 ||
        member(x, m, base, "options", JSON_ARRAY, &options) < 0 ||
        member(x, m, base, "source", JSON_STRING, &source) < 0 ||
        mount_type(x, base, m, options, out) < 0) {
        return -1;
    }
    out->destination = dest->string;
    out->mode = UINT32_MAX;
    join(path, base, "options");
    for (o = options != NULL ? options->first : NULL; o != NULL; o = o->next, k++) {
        char opt[PATH_MAX_KEY];
        index_key(opt, path, k);
        if (o->type != JSON_STRING) {
            return refuse(x, opt, o, "must be a string");
        }
        if (mount_option(x, opt, o, out) < 0) {
            return -1;
        }
    }
    if (json_get(m, "uidMappings") != NULL || json_get(m, "gidMappings") != NULL) {
        join(path, base, json_get(m, "uidMappings") != NULL ? "uidMappings" : "gidMappings");
        return refuse(x, path, NULL, "is not supported: Capsule has no users");
    }
    if (out->type == MOUNT_BIND) {
        join(path, base, "source");
        if (source == NULL || source->length == 0) {
            return refuse(x, path, source, "is required for a bind mount");
        }
        out->source = source->string;
    }
    return 0;
}

int config_read_mounts(ctx_t *x, jv_t *top)
{
    jv_t *mounts, *m;
    size_t i = 0;

    if (member(x, top, "", "mounts", JSON_ARRAY, &mounts) <= 0) {
        return x->err[0] != '\0' ? -1 : 0;
    }
    x->c->mounts = calloc(mounts->count + 1, sizeof(*x->c->mounts));
    if (x->c->mounts == NULL) {
        return refuse(x, "mounts", NULL, "cannot be read: out of memory");
    }
    x->c->mount_count = mounts->count;
    for (m = mounts->first; m != NULL; m = m->next, i++) {
        if (read_mount(x, m, i, &x->c->mounts[i]) < 0) {
            return -1;
        }
    }
    return 0;
}
