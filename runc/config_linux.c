/*
 * config.json "linux": namespaces (pid → a scope, mount → a VFS root
 * context, uts → a hostname context; the others Capsule cannot provide),
 * resources (pids and memory limits), masked and read-only paths, and the
 * Linux-only restrictions Capsule cannot enforce, which are refused.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "config_read.h"

static const char *const provided[NS_COUNT] = {"pid", "mount", "uts"};
static const char *const not_provided[] = {"network", "user", "ipc", "cgroup", "time"};
/* Their names under /proc/PID/ns/, as Linux gives them. */
static const char *const proc_names[NS_COUNT] = {"pid", "mnt", "uts"};
static const char *const other_proc_names[] = {
    "net", "ipc", "user", "cgroup", "time", "pid_for_children", "time_for_children"};

/* A PID as /proc writes it: decimal, no sign or leading zero, 1..INT_MAX. */
static const char *read_pid(const char *s, int *pid)
{
    long long v = 0;
    size_t n = 0;
    for (; s[n] >= '0' && s[n] <= '9'; n++) {
        if (n == 0 && s[n] == '0') {
            return NULL;
        }
        v = v * 10 + (s[n] - '0');
        if (v > INT_MAX) {
            return NULL;
        }
    }
    if (n == 0) {
        return NULL;
    }
    *pid = (int)v;
    return s + n;
}

int config_ns_path(const char *path, ns_kind_t kind, int *pid, char *why, size_t why_size)
{
    const char *rest;
    snprintf(why, why_size, "is not /proc/PID/ns/%s", proc_names[kind]);
    if (strncmp(path, "/proc/", 6) != 0 || (rest = read_pid(path + 6, pid)) == NULL ||
        strncmp(rest, "/ns/", 4) != 0) {
        return -1;
    }
    rest += 4;
    if (strcmp(rest, proc_names[kind]) == 0) {
        return 0;
    }
    bool known = false;
    for (int k = 0; k < NS_COUNT; k++) {
        known |= strcmp(rest, proc_names[k]) == 0;
    }
    for (size_t k = 0; k < sizeof(other_proc_names) / sizeof(other_proc_names[0]); k++) {
        known |= strcmp(rest, other_proc_names[k]) == 0;
    }
    if (known) { /* one of a few short names: it fits */
        snprintf(why, why_size, "names a %s namespace, not a %s one", rest, proc_names[kind]);
    }
    return -1;
}

static int read_namespace(ctx_t *x, jv_t *n, size_t i)
{
    char base[PATH_MAX_KEY], path[PATH_MAX_KEY];
    jv_t *type, *where;

    index_key(base, "linux.namespaces", i);
    if (n->type != JSON_OBJECT) {
        return refuse(x, base, n, "must be an object");
    }
    if (required(x, n, base, "type", JSON_STRING, &type) < 0 ||
        member(x, n, base, "path", JSON_STRING, &where) < 0) {
        return -1;
    }
    join(path, base, "type");
    for (size_t k = 0; k < sizeof(not_provided) / sizeof(not_provided[0]); k++) {
        if (strcmp(type->string, not_provided[k]) == 0) {
            return refuse(x, path, type, ": Capsule cannot provide this namespace");
        }
    }
    for (int k = 0; k < NS_COUNT; k++) {
        if (strcmp(type->string, provided[k]) != 0) {
            continue;
        }
        if (x->c->namespaces[k].present) {
            return refuse(x, path, type, "appears twice");
        }
        join(path, base, "path");
        int pid = 0;
        char why[64];
        if (where != NULL &&
            config_ns_path(where->string, (ns_kind_t)k, &pid, why, sizeof(why)) < 0) {
            return refuse(x, path, where, "%s", why);
        }
        x->c->namespaces[k] = (config_ns_t){true, where != NULL ? where->string : NULL, pid, i};
        return 0;
    }
    return refuse(x, path, type, "is not a namespace type");
}

/* A limit of at most 0 (or -1) means none, as in runc. */
static int read_limit(ctx_t *x, jv_t *section, const char *parent, int64_t *out)
{
    char path[PATH_MAX_KEY];
    jv_t *v;

    if (member(x, section, parent, "limit", JSON_NUMBER, &v) <= 0) {
        return x->err[0] != '\0' ? -1 : 0;
    }
    join(path, parent, "limit");
    if (check_integer(x, path, v) < 0) {
        return -1;
    }
    *out = v->integer > 0 ? v->integer : 0;
    return 0;
}

/* Memory: the limit sizes the container's pool. A reservation is a hint
 * and swap does not exist, so those are no-ops; anything else is refused. */
static int read_memory(ctx_t *x, jv_t *memory)
{
    char path[PATH_MAX_KEY];

    for (jv_t *m = memory->first; m != NULL; m = m->next) {
        if (strcmp(m->key, "limit") == 0 || strcmp(m->key, "reservation") == 0 ||
            strcmp(m->key, "swap") == 0 || m->type == JSON_NULL ||
            (m->type == JSON_BOOL && !m->boolean)) {
            continue;
        }
        join(path, "linux.resources.memory", m->key);
        return refuse(x, path, m, ": Capsule cannot enforce this limit");
    }
    return read_limit(x, memory, "linux.resources.memory", &x->c->memory_limit);
}

/* Device rules: containers only ever get the default devices, which every
 * runtime allows, so "deny all" and any allow rule hold already. A deny
 * rule for particular devices would need enforcing: refused. */
static int read_device_rule(ctx_t *x, jv_t *rule, size_t i)
{
    char base[PATH_MAX_KEY];
    jv_t *allow, *type, *major, *minor;

    index_key(base, "linux.resources.devices", i);
    if (rule->type != JSON_OBJECT) {
        return refuse(x, base, rule, "must be an object");
    }
    if (required(x, rule, base, "allow", JSON_BOOL, &allow) < 0 ||
        member(x, rule, base, "type", JSON_STRING, &type) < 0 ||
        member(x, rule, base, "major", JSON_NUMBER, &major) < 0 ||
        member(x, rule, base, "minor", JSON_NUMBER, &minor) < 0) {
        return -1;
    }
    if (allow->boolean) {
        return 0;
    }
    if ((type == NULL || strcmp(type->string, "a") == 0) &&
        (major == NULL || major->integer == -1) && (minor == NULL || minor->integer == -1)) {
        return 0;
    }
    return refuse(x, base, NULL, "is not supported: Capsule denies no single device");
}

static bool empty(jv_t *v)
{
    return v->type == JSON_NULL ||
           ((v->type == JSON_ARRAY || v->type == JSON_OBJECT) && v->count == 0) ||
           (v->type == JSON_STRING && v->length == 0);
}

static int read_resources(ctx_t *x, jv_t *linux_)
{
    char path[PATH_MAX_KEY];
    jv_t *res, *v;
    size_t i = 0;

    if (member(x, linux_, "linux", "resources", JSON_OBJECT, &res) <= 0) {
        return x->err[0] != '\0' ? -1 : 0;
    }
    for (jv_t *r = res->first; r != NULL; r = r->next) {
        if (strcmp(r->key, "pids") != 0 && strcmp(r->key, "memory") != 0 &&
            strcmp(r->key, "devices") != 0 && !empty(r)) {
            join(path, "linux.resources", r->key);
            return refuse(x, path, NULL, "is not supported: Capsule cannot enforce this limit");
        }
    }
    if (member(x, res, "linux.resources", "pids", JSON_OBJECT, &v) < 0 ||
        (v != NULL && read_limit(x, v, "linux.resources.pids", &x->c->pids_limit) < 0) ||
        member(x, res, "linux.resources", "memory", JSON_OBJECT, &v) < 0 ||
        (v != NULL && read_memory(x, v) < 0) ||
        member(x, res, "linux.resources", "devices", JSON_ARRAY, &v) < 0) {
        return -1;
    }
    for (jv_t *d = v != NULL ? v->first : NULL; d != NULL; d = d->next, i++) {
        if (read_device_rule(x, d, i) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Linux keys that ask for something Capsule lacks, with why. */
static const struct {
    const char *key, *why;
} refused[] = {
    {"uidMappings", "Capsule cannot provide user namespaces"},
    {"gidMappings", "Capsule cannot provide user namespaces"},
    {"devices", "Capsule's devfs provides only the default devices"},
    {"seccomp", "Capsule cannot enforce seccomp"},
    {"sysctl", "Capsule has no sysctls"},
    {"mountLabel", "Capsule cannot enforce this"},
    {"intelRdt", "Capsule cannot enforce this"},
    {"timeOffsets", "Capsule cannot provide this namespace"},
    {"personality", "Capsule cannot provide this"},
};

static int read_refused(ctx_t *x, jv_t *linux_)
{
    char path[PATH_MAX_KEY];
    jv_t *v;

    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        if ((v = json_get(linux_, refused[i].key)) != NULL && !empty(v)) {
            join(path, "linux", refused[i].key);
            return refuse(x, path, NULL, "is not supported: %s", refused[i].why);
        }
    }
    if (member(x, linux_, "linux", "rootfsPropagation", JSON_STRING, &v) < 0) {
        return -1;
    }
    if (v != NULL && v->length > 0 && strcmp(v->string, "private") != 0 &&
        strcmp(v->string, "rprivate") != 0) {
        return refuse(x, "linux.rootfsPropagation", v, ": Capsule has no mount propagation");
    }
    return 0;
}

int config_read_linux(ctx_t *x, jv_t *top)
{
    config_t *c = x->c;
    jv_t *linux_, *list;
    size_t i = 0;

    if (member(x, top, "", "linux", JSON_OBJECT, &linux_) <= 0) {
        return x->err[0] != '\0' ? -1 : 0;
    }
    if (member(x, linux_, "linux", "namespaces", JSON_ARRAY, &list) < 0) {
        return -1;
    }
    for (jv_t *n = list != NULL ? list->first : NULL; n != NULL; n = n->next, i++) {
        if (read_namespace(x, n, i) < 0) {
            return -1;
        }
    }
    if (read_refused(x, linux_) < 0 || read_resources(x, linux_) < 0 ||
        member(x, linux_, "linux", "maskedPaths", JSON_ARRAY, &list) < 0 ||
        (list != NULL && string_list(x, list, "linux.maskedPaths", &c->masked_paths,
                                     &c->masked_count, absolute_path) < 0) ||
        member(x, linux_, "linux", "readonlyPaths", JSON_ARRAY, &list) < 0 ||
        (list != NULL && string_list(x, list, "linux.readonlyPaths", &c->readonly_paths,
                                     &c->readonly_count, absolute_path) < 0)) {
        return -1;
    }
    return 0;
}

/* A Capsule container is a scope with a root context, its own or joined:
 * without them there would be no record to find it by, nor a root to
 * confine it (runc's would be the host's). */
int config_check_namespaces(const config_t *c, char *err, size_t err_size)
{
    static const ns_kind_t needed[] = {NS_PID, NS_MOUNT};
    for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
        if (!c->namespaces[needed[i]].present) {
            snprintf(err, err_size,
                     "linux.namespaces must include \"%s\": a Capsule container has its own "
                     "or joins one by path",
                     provided[needed[i]]);
            return -1;
        }
    }
    return 0;
}

/* As runc: a hostname can only be set in a uts namespace of the container's
 * own; joining another's would rename that one. */
int config_check_uts(ctx_t *x)
{
    const config_ns_t *uts = &x->c->namespaces[NS_UTS];
    const char *key = x->c->hostname != NULL ? "hostname" : "domainname";
    const char *value = x->c->hostname != NULL ? x->c->hostname : x->c->domainname;

    if (value != NULL && (!uts->present || uts->path != NULL)) {
        json_value_t shown = {
            .type = JSON_STRING, .string = (char *)value, .length = strlen(value)};
        return refuse(x, key, &shown, "needs a new uts namespace (linux.namespaces)");
    }
    return 0;
}

/* A key a joined namespace leaves no room for: "KEY needs a new TYPE
 * namespace: linux.namespaces[I].path joins one". */
static int refuse_joined(ctx_t *x, const char *key, ns_kind_t kind)
{
    char ns[PATH_MAX_KEY];
    index_key(ns, "linux.namespaces", x->c->namespaces[kind].index);
    return refuse(x, key, NULL, "needs a new %s namespace: %s.path joins one", provided[kind], ns);
}

/* A joined mount namespace is that process's table as it is: mounts, a
 * read-only root or masks would change it for the other container too, and
 * a terminal needs a devfs runc holds a context for. A joined pid
 * namespace's processes are limited and pooled by its scope. root.path
 * stays required (the spec's) but is not used. */
int config_check_joins(ctx_t *x)
{
    const config_t *c = x->c;
    if (c->namespaces[NS_MOUNT].path != NULL) {
        if (c->mount_count > 0) {
            return refuse_joined(x, "mounts", NS_MOUNT);
        }
        if (c->root_readonly) {
            return refuse_joined(x, "root.readonly", NS_MOUNT);
        }
        if (c->masked_count > 0) {
            return refuse_joined(x, "linux.maskedPaths", NS_MOUNT);
        }
        if (c->readonly_count > 0) {
            return refuse_joined(x, "linux.readonlyPaths", NS_MOUNT);
        }
        if (c->terminal) {
            return refuse_joined(x, "process.terminal", NS_MOUNT);
        }
    }
    if (c->namespaces[NS_PID].path != NULL) {
        if (c->pids_limit > 0) {
            return refuse_joined(x, "linux.resources.pids.limit", NS_PID);
        }
        if (c->memory_limit > 0) {
            return refuse_joined(x, "linux.resources.memory.limit", NS_PID);
        }
        if (c->debug) {
            return refuse_joined(x, "annotations[\"org.capsule.debug\"]", NS_PID);
        }
    }
    return 0;
}
