/*
 * config.json validation: each section of the OCI config is read by one
 * function that checks types and values and fills config_t. The first
 * refusal stops everything (nothing is created from a config that is not
 * wholly valid); its message names the key path and the value.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "config_read.h"

#define NOFILE_LIMIT 256 /* vfs-server's descriptors per process */

/* ---- root and process ---- */

static int read_root(ctx_t *x, jv_t *top)
{
    jv_t *root, *path;

    if (required(x, top, "", "root", JSON_OBJECT, &root) < 0 ||
        required(x, root, "root", "path", JSON_STRING, &path) < 0 ||
        get_bool(x, root, "root", "readonly", &x->c->root_readonly) < 0) {
        return -1;
    }
    if (path->length == 0) {
        return refuse(x, "root.path", path, "must not be empty");
    }
    x->c->root_path = path->string;
    return 0;
}

static int check_arg0(ctx_t *x, const char *path, jv_t *v)
{
    if (strcmp(path, "process.args[0]") == 0 && v->length == 0) {
        return refuse(x, path, v, "must not be empty");
    }
    return 0;
}

static int check_env(ctx_t *x, const char *path, jv_t *v)
{
    const char *eq = strchr(v->string, '=');

    if (eq == NULL || eq == v->string) {
        return refuse(x, path, v, "is not NAME=VALUE");
    }
    return 0;
}

static int zero_id(ctx_t *x, const char *path, jv_t *v)
{
    if (check_integer(x, path, v) < 0) {
        return -1;
    }
    if (v->integer != 0) {
        return refuse(x, path, v, "is not supported: Capsule has no users (only 0)");
    }
    return 0;
}

static int read_user(ctx_t *x, jv_t *process)
{
    char path[PATH_MAX_KEY];
    jv_t *user, *v, *gids;
    size_t i = 0;

    if (member(x, process, "process", "user", JSON_OBJECT, &user) <= 0) {
        return x->err[0] != '\0' ? -1 : 0;
    }
    if ((v = json_get(user, "uid")) != NULL && zero_id(x, "process.user.uid", v) < 0) {
        return -1;
    }
    if ((v = json_get(user, "gid")) != NULL && zero_id(x, "process.user.gid", v) < 0) {
        return -1;
    }
    if (member(x, user, "process.user", "additionalGids", JSON_ARRAY, &gids) < 0) {
        return -1;
    }
    for (v = gids != NULL ? gids->first : NULL; v != NULL; v = v->next, i++) {
        index_key(path, "process.user.additionalGids", i);
        if (zero_id(x, path, v) < 0) {
            return -1;
        }
    }
    if ((v = json_get(user, "umask")) != NULL && v->type != JSON_NULL) {
        if (check_integer(x, "process.user.umask", v) < 0) {
            return -1;
        }
        if (v->integer < 0 || v->integer > 0777) {
            return refuse(x, "process.user.umask", v, "is not a file mode mask");
        }
        x->c->has_umask = true;
        x->c->umask = (uint32_t)v->integer;
    }
    return 0;
}

static int read_rlimit(ctx_t *x, jv_t *r, size_t i)
{
    char base[PATH_MAX_KEY], path[PATH_MAX_KEY];
    static const char *const bounds[] = {"soft", "hard"};
    jv_t *type, *v;

    index_key(base, "process.rlimits", i);
    if (r->type != JSON_OBJECT) {
        return refuse(x, base, r, "must be an object");
    }
    if (required(x, r, base, "type", JSON_STRING, &type) < 0) {
        return -1;
    }
    join(path, base, "type");
    if (strcmp(type->string, "RLIMIT_NOFILE") != 0) {
        return refuse(x, path, type, ": Capsule cannot enforce this limit");
    }
    /* Capsule's descriptor table is NOFILE_LIMIT long; asking for at least
     * that is honoured, asking for less is a limit nothing would enforce. */
    for (int b = 0; b < 2; b++) {
        if (required(x, r, base, bounds[b], JSON_NUMBER, &v) < 0) {
            return -1;
        }
        join(path, base, bounds[b]);
        if (check_integer(x, path, v) < 0) {
            return -1;
        }
        if (v->integer >= 0 && v->integer < NOFILE_LIMIT) {
            return refuse(x, path, v, ": Capsule cannot enforce this limit (RLIMIT_NOFILE is %d)",
                          NOFILE_LIMIT);
        }
    }
    return 0;
}

static int read_caps(ctx_t *x, jv_t *process)
{
    static const char *const sets[] = {"bounding", "effective", "inheritable", "permitted",
                                       "ambient"};
    char parent[PATH_MAX_KEY], path[PATH_MAX_KEY];
    uint64_t have[5];
    bool present[5] = {false};
    jv_t *caps, *list;

    if (member(x, process, "process", "capabilities", JSON_OBJECT, &caps) <= 0) {
        /* absent: full rights inside the container (containers.md) */
        x->c->rights = (config_rights_t){true, true, true};
        return x->err[0] != '\0' ? -1 : 0;
    }
    for (int s = 0; s < 5; s++) {
        size_t i = 0;
        have[s] = 0;
        join(parent, "process.capabilities", sets[s]);
        int r = member(x, caps, "process.capabilities", sets[s], JSON_ARRAY, &list);
        if (r < 0) {
            return -1;
        }
        present[s] = r > 0;
        for (jv_t *n = r > 0 ? list->first : NULL; n != NULL; n = n->next, i++) {
            int bit;
            index_key(path, parent, i);
            if (n->type != JSON_STRING) {
                return refuse(x, path, n, "must be a string");
            }
            if ((bit = cap_from_name(n->string)) < 0) {
                return refuse(x, path, n, "is not a capability");
            }
            have[s] |= 1ull << bit;
        }
    }
    /* A right is held when its capability is effective and within the
     * bounding set (when one is given). */
    uint64_t held = have[1] & (present[0] ? have[0] : ~0ull);
    x->c->rights.sys_admin = held & (1ull << CAP_SYS_ADMIN_BIT);
    x->c->rights.sys_chroot = held & (1ull << CAP_SYS_CHROOT_BIT);
    x->c->rights.kill = held & (1ull << CAP_KILL_BIT);
    return 0;
}

/* Security modules Capsule has none of: a profile asked for is refused. */
static int read_lsm(ctx_t *x, jv_t *process)
{
    static const char *const keys[] = {"apparmorProfile", "selinuxLabel"};
    char path[PATH_MAX_KEY];
    jv_t *v;

    for (int i = 0; i < 2; i++) {
        if (member(x, process, "process", keys[i], JSON_STRING, &v) < 0) {
            return -1;
        }
        if (v != NULL && v->length > 0) {
            join(path, "process", keys[i]);
            return refuse(x, path, v, ": Capsule cannot enforce this");
        }
    }
    return 0;
}

static int read_process(ctx_t *x, jv_t *top)
{
    config_t *c = x->c;
    jv_t *process, *args, *env, *cwd, *rlimits;
    size_t i = 0;

    if (required(x, top, "", "process", JSON_OBJECT, &process) < 0 ||
        get_bool(x, process, "process", "terminal", &c->terminal) < 0 ||
        get_bool(x, process, "process", "noNewPrivileges", &c->no_new_privileges) < 0 ||
        required(x, process, "process", "args", JSON_ARRAY, &args) < 0) {
        return -1;
    }
    if (args->count == 0) {
        return refuse(x, "process.args", NULL, "must not be empty");
    }
    if (string_list(x, args, "process.args", &c->args, &c->argc, check_arg0) < 0) {
        return -1;
    }
    if (member(x, process, "process", "env", JSON_ARRAY, &env) < 0) {
        return -1;
    }
    if (env != NULL && string_list(x, env, "process.env", &c->env, &c->envc, check_env) < 0) {
        return -1;
    }
    if (required(x, process, "process", "cwd", JSON_STRING, &cwd) < 0 ||
        absolute_path(x, "process.cwd", cwd) < 0) {
        return -1;
    }
    c->cwd = cwd->string;
    if (read_user(x, process) < 0 || read_caps(x, process) < 0 || read_lsm(x, process) < 0 ||
        member(x, process, "process", "rlimits", JSON_ARRAY, &rlimits) < 0) {
        return -1;
    }
    for (jv_t *r = rlimits != NULL ? rlimits->first : NULL; r != NULL; r = r->next, i++) {
        if (read_rlimit(x, r, i) < 0) {
            return -1;
        }
    }
    return 0;
}

/* ---- hostname, annotations, hooks ---- */

static int read_name(ctx_t *x, jv_t *top, const char *key, const char **out)
{
    jv_t *v;

    if (member(x, top, "", key, JSON_STRING, &v) <= 0) {
        return x->err[0] != '\0' ? -1 : 0;
    }
    if (v->length > CONFIG_HOSTNAME_MAX) {
        return refuse(x, key, v, "is longer than %d bytes", CONFIG_HOSTNAME_MAX);
    }
    *out = v->string;
    return 0;
}

static int read_annotations(ctx_t *x, jv_t *top)
{
    char path[PATH_MAX_KEY];
    config_t *c = x->c;
    jv_t *ann;
    size_t i = 0;

    if (member(x, top, "", "annotations", JSON_OBJECT, &ann) <= 0) {
        return x->err[0] != '\0' ? -1 : 0;
    }
    c->annotations = calloc(ann->count + 1, sizeof(*c->annotations));
    if (c->annotations == NULL) {
        return refuse(x, "annotations", NULL, "cannot be read: out of memory");
    }
    for (jv_t *a = ann->first; a != NULL; a = a->next, i++) {
        snprintf(path, sizeof(path), "annotations[\"%.40s\"]", a->key);
        if (a->type != JSON_STRING) {
            return refuse(x, path, a, "must be a string");
        }
        if (strcmp(a->key, "org.capsule.debug") == 0) {
            if (strcmp(a->string, "true") != 0 && strcmp(a->string, "false") != 0) {
                return refuse(x, path, a, "must be \"true\" or \"false\"");
            }
            c->debug = strcmp(a->string, "true") == 0;
        }
        c->annotations[i] = (config_annotation_t){a->key, a->string};
    }
    c->annotation_count = ann->count;
    return 0;
}

/* Hooks run host programs around the container's life: Capsule runs none,
 * and a config that needs them would silently lose what they set up. */
static int read_hooks(ctx_t *x, jv_t *top)
{
    char path[PATH_MAX_KEY];
    jv_t *hooks;

    if (member(x, top, "", "hooks", JSON_OBJECT, &hooks) <= 0) {
        return x->err[0] != '\0' ? -1 : 0;
    }
    for (jv_t *h = hooks->first; h != NULL; h = h->next) {
        if (h->type == JSON_ARRAY && h->count == 0) {
            continue;
        }
        join(path, "hooks", h->key);
        return refuse(x, path, NULL, "is not supported: Capsule runs no hooks");
    }
    return 0;
}

int config_parse(const char *text, size_t len, config_t *config, char *err, size_t err_size)
{
    ctx_t x = {config, err, err_size};
    json_error_t jerr;
    json_value_t *top;
    jv_t *version;

    memset(config, 0, sizeof(*config));
    err[0] = '\0';
    top = json_parse(text, len, &jerr);
    if (top == NULL) {
        snprintf(err, err_size, "line %u, column %u: %s", jerr.line, jerr.column, jerr.message);
        return -1;
    }
    config->tree = top;
    if (top->type != JSON_OBJECT) {
        return refuse(&x, "the top level", top, "must be an object");
    }
    if (required(&x, top, "", "ociVersion", JSON_STRING, &version) < 0) {
        return -1;
    }
    if (strncmp(version->string, "1.", 2) != 0) {
        return refuse(&x, "ociVersion", version, "is not supported (Capsule reads 1.x)");
    }
    config->oci_version = version->string;
    if (read_root(&x, top) < 0 || read_process(&x, top) < 0 ||
        read_name(&x, top, "hostname", &config->hostname) < 0 ||
        read_name(&x, top, "domainname", &config->domainname) < 0 ||
        config_read_mounts(&x, top) < 0 || config_read_linux(&x, top) < 0 ||
        read_annotations(&x, top) < 0 || read_hooks(&x, top) < 0) {
        return -1;
    }
    return config_check_uts(&x) < 0 ? -1 : config_check_joins(&x);
}

void config_free(config_t *config)
{
    free(config->args);
    free(config->env);
    free(config->mounts);
    free(config->masked_paths);
    free(config->readonly_paths);
    free(config->annotations);
    json_free(config->tree);
    memset(config, 0, sizeof(*config));
}

bool config_valid_id(const char *id)
{
    size_t n = 0;

    for (; id[n] != '\0'; n++) {
        char ch = id[n];
        bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                  (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '+' || ch == '-';
        if (!ok || n >= CONFIG_ID_MAX) {
            return false;
        }
    }
    return n > 0;
}
