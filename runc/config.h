/*
 * The OCI runtime configuration (config.json) as Capsule reads it: the
 * keys that mean something here, validated as a whole before anything is
 * created. A value Capsule cannot honour is refused with a message naming
 * the key path and the value; unknown keys are ignored, as the OCI spec
 * says. docs/runc.md is the table of every key.
 */
#ifndef RUNC_CONFIG_H
#define RUNC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_ERROR_MAX 256
#define CONFIG_HOSTNAME_MAX 64 /* proc-server's HOSTNAME_MAX */
#define CONFIG_ID_MAX 1024

typedef enum {
    MOUNT_PROC,
    MOUNT_TMPFS,
    MOUNT_DEVFS,
    MOUNT_BIND,
} mount_type_t;

typedef struct {
    const char *destination;
    const char *source; /* bind mounts; NULL otherwise */
    mount_type_t type;
    bool readonly;
    bool recursive; /* rbind */
    uint64_t size;  /* tmpfs size= in bytes, 0 when not given */
    uint32_t mode;  /* tmpfs mode=, or UINT32_MAX when not given */
} config_mount_t;

typedef enum {
    NS_PID,
    NS_MOUNT,
    NS_UTS,
    NS_COUNT,
} ns_kind_t;

typedef struct {
    bool present;
    const char *path; /* joins that process's object; NULL for a new one */
    int pid;          /* with path: the PID it names, as runc's scope numbers it */
    size_t index;     /* its place in linux.namespaces, for messages */
} config_ns_t;

/* The Linux capabilities with a Capsule meaning, as session rights. */
typedef struct {
    bool sys_admin;  /* mount, umount, pivot_root, sethostname */
    bool sys_chroot; /* chroot */
    bool kill;       /* signals beyond its own process group */
} config_rights_t;

typedef struct {
    const char *key;
    const char *value;
} config_annotation_t;

typedef struct {
    const char *oci_version;
    const char *root_path;
    bool root_readonly;

    bool terminal;
    const char **args; /* NULL-terminated */
    size_t argc;
    const char **env; /* NULL-terminated */
    size_t envc;
    const char *cwd;
    bool no_new_privileges; /* the container is jailed */
    bool has_umask;
    uint32_t umask;
    config_rights_t rights;

    const char *hostname;   /* NULL: inherited */
    const char *domainname; /* NULL: inherited */

    config_mount_t *mounts;
    size_t mount_count;

    config_ns_t namespaces[NS_COUNT];
    int64_t pids_limit;   /* 0: no limit */
    int64_t memory_limit; /* bytes; 0: no limit */
    const char **masked_paths;
    size_t masked_count;
    const char **readonly_paths;
    size_t readonly_count;

    config_annotation_t *annotations;
    size_t annotation_count;
    bool debug; /* annotation org.capsule.debug: the container may use dbg (unless jailed) */

    void *tree; /* the parsed JSON every string above points into */
} config_t;

/* Parses and validates text[0..len). 0 on success; otherwise -1 and err
 * holds the message, without the "runc: config.json: " prefix:
 * `mounts[2].type "nfs" is not supported`, or `line 3, column 7: ...`. */
int config_parse(const char *text, size_t len, config_t *config, char *err, size_t err_size);
/* Releases what config_parse allocated, whatever it returned. */
void config_free(config_t *config);

/* What `create` needs beyond a valid config: new pid and mount namespaces
 * (the spec would inherit runc's; a Capsule container is its own scope and
 * root context). 0, or -1 with the message in err. */
int config_check_namespaces(const config_t *config, char *err, size_t err_size);

/* linux.namespaces[i].path of a namespace of type kind: /proc/PID/ns/NAME
 * with NAME pid, mnt or uts as kind says. 0 with *pid, or -1 with the
 * reason (to follow the quoted path) in why. Capsule's procfs has no ns/
 * entries: runc reads the name, and the servers check what it names. */
int config_ns_path(const char *path, ns_kind_t kind, int *pid, char *why, size_t why_size);

/* A container ID: [A-Za-z0-9_.+-]{1,1024}. */
bool config_valid_id(const char *id);

#endif
