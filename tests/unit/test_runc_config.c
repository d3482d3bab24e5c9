/* runc's config.json validation: what is read, and each refusal's message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "spec.h"

/* A minimal valid config, then more top-level keys. */
#define TOP(rest)                                                                                  \
    "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"                                    \
    "\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"}" rest "}"
/* A valid config whose process is given. */
#define PROC(p) "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"process\":{" p "}}"
#define ARGS "\"args\":[\"sh\"],\"cwd\":\"/\""
#define MOUNT(m) TOP(",\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\"}," m "]")
#define LINUX(l) TOP(",\"linux\":{" l "}")

static void refused(const char *text, const char *want)
{
    char err[CONFIG_ERROR_MAX];
    config_t c;
    int r = config_parse(text, strlen(text), &c, err, sizeof(err));

    config_free(&c);
    if (r == 0) {
        fail_msg("accepted: %s", text);
    }
    assert_string_equal(err, want);
}

static void accepted(const char *text, config_t *c)
{
    char err[CONFIG_ERROR_MAX];

    if (config_parse(text, strlen(text), c, err, sizeof(err)) != 0) {
        fail_msg("refused (%s): %s", err, text);
    }
}

static void test_spec_default_is_valid(void **state)
{
    (void)state;
    config_t c;
    accepted(spec_default(), &c);
    assert_string_equal(c.oci_version, "1.0.2");
    assert_string_equal(c.root_path, "rootfs");
    assert_true(c.root_readonly);
    assert_true(c.terminal);
    assert_true(c.no_new_privileges);
    assert_int_equal(c.argc, 1);
    assert_string_equal(c.args[0], "sh");
    assert_null(c.args[1]);
    assert_int_equal(c.envc, 2);
    assert_string_equal(c.cwd, "/");
    assert_string_equal(c.hostname, "runc");
    assert_int_equal(c.mount_count, 3);
    assert_int_equal(c.mounts[0].type, MOUNT_PROC);
    assert_int_equal(c.mounts[1].type, MOUNT_DEVFS);
    assert_int_equal(c.mounts[2].type, MOUNT_TMPFS);
    assert_int_equal(c.mounts[2].mode, 01777);
    assert_int_equal(c.mounts[2].size, 65536 * 1024);
    assert_true(c.namespaces[NS_PID].present && c.namespaces[NS_UTS].present &&
                c.namespaces[NS_MOUNT].present);
    assert_int_equal(c.masked_count, 2);
    assert_int_equal(c.readonly_count, 2);
    assert_true(c.rights.sys_admin && c.rights.sys_chroot && c.rights.kill);
    config_free(&c);
}

static void test_full_config(void **state)
{
    (void)state;
    config_t c;
    accepted(PROC("\"terminal\":false,\"args\":[\"/bin/echo\",\"hi\"],\"cwd\":\"/tmp\","
                  "\"env\":[\"A=1\",\"B=\"],\"user\":{\"uid\":0,\"gid\":0,\"umask\":18,"
                  "\"additionalGids\":[0]},\"capabilities\":{\"bounding\":[\"CAP_KILL\","
                  "\"CAP_SYS_ADMIN\"],\"effective\":[\"CAP_KILL\",\"CAP_SYS_CHROOT\"]},"
                  "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024}],"
                  "\"oomScoreAdj\":5,\"apparmorProfile\":\"\",\"unknownKey\":[1]"),
             &c);
    assert_int_equal(c.argc, 2);
    assert_string_equal(c.env[1], "B=");
    assert_true(c.has_umask);
    assert_int_equal(c.umask, 022);
    /* effective within bounding: only CAP_KILL */
    assert_true(c.rights.kill);
    assert_false(c.rights.sys_admin);
    assert_false(c.rights.sys_chroot);
    config_free(&c);

    accepted(TOP(",\"hostname\":\"box\",\"domainname\":\"example.org\","
                 "\"linux\":{\"namespaces\":[{\"type\":\"uts\"},{\"type\":\"pid\""
                 "}],\"resources\":{\"pids\":{\"limit\":64},"
                 "\"memory\":{\"limit\":33554432,\"swap\":-1},\"devices\":[{\"allow\":false,"
                 "\"access\":\"rwm\"}],\"cpu\":{}},\"rootfsPropagation\":\"rprivate\","
                 "\"seccomp\":null,\"sysctl\":{}},"
                 "\"mounts\":[{\"destination\":\"/data\",\"source\":\"/srv\",\"options\":"
                 "[\"rbind\",\"ro\",\"noatime\"]}],"
                 "\"annotations\":{\"org.capsule.debug\":\"true\",\"x\":\"y\"},"
                 "\"hooks\":{\"prestart\":[]}"),
             &c);
    config_free(&c);
}

static void test_full_config_values(void **state)
{
    (void)state;
    config_t c;
    accepted(TOP(",\"hostname\":\"box\",\"linux\":{\"namespaces\":[{\"type\":\"uts\"},"
                 "{\"type\":\"pid\"}],\"resources\":{\"pids\":"
                 "{\"limit\":64},\"memory\":{\"limit\":33554432}}},"
                 "\"mounts\":[{\"destination\":\"/data\",\"source\":\"/srv\","
                 "\"options\":[\"rbind\",\"ro\"]},{\"destination\":\"/b\",\"type\":\"bind\","
                 "\"source\":\"/x\"}],"
                 "\"annotations\":{\"org.capsule.debug\":\"true\",\"x\":\"y\"}"),
             &c);
    assert_string_equal(c.hostname, "box");
    assert_true(c.namespaces[NS_UTS].present);
    assert_null(c.namespaces[NS_UTS].path);
    assert_null(c.namespaces[NS_PID].path);
    assert_false(c.namespaces[NS_MOUNT].present);
    assert_int_equal(c.pids_limit, 64);
    assert_int_equal(c.memory_limit, 33554432);
    assert_int_equal(c.mounts[0].type, MOUNT_BIND);
    assert_true(c.mounts[0].recursive);
    assert_true(c.mounts[0].readonly);
    assert_string_equal(c.mounts[0].source, "/srv");
    assert_int_equal(c.mounts[1].type, MOUNT_BIND);
    assert_false(c.mounts[1].recursive);
    assert_true(c.debug);
    assert_int_equal(c.annotation_count, 2);
    assert_string_equal(c.annotations[1].key, "x");
    assert_string_equal(c.annotations[1].value, "y");
    assert_true(c.rights.sys_admin); /* no capabilities: full rights */
    config_free(&c);
}

static void test_top_level(void **state)
{
    (void)state;
    refused("{\"a\":1,}", "line 1, column 8: expected a string key");
    refused("{\n\"ociVersion\": \"1.0.2\"\n\"root\": {}}", "line 3, column 1: expected ',' or '}'");
    refused("[]", "the top level [...] must be an object");
    refused("{}", "ociVersion is required");
    refused("{\"ociVersion\":2}", "ociVersion 2 must be a string");
    refused("{\"ociVersion\":\"2.0.0\"}",
            "ociVersion \"2.0.0\" is not supported (Capsule reads 1.x)");
    refused("{\"ociVersion\":\"1.0.2\"}", "root is required");
    refused("{\"ociVersion\":\"1.0.2\",\"root\":{}}", "root.path is required");
    refused("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"\"}}",
            "root.path \"\" must not be empty");
    refused("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\",\"readonly\":\"yes\"}}",
            "root.readonly \"yes\" must be a boolean");
    refused("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"}}", "process is required");
    refused(TOP(",\"hostname\":\"box\""),
            "hostname \"box\" needs a new uts namespace (linux.namespaces)");
    refused(TOP(",\"hostname\":\"box\",\"linux\":{\"namespaces\":[{\"type\":\"uts\",\"path\":\"/"
                "proc/7/ns/uts\"}]}"),
            "hostname \"box\" needs a new uts namespace (linux.namespaces)");
    refused(TOP(",\"domainname\":\"d\""),
            "domainname \"d\" needs a new uts namespace (linux.namespaces)");
    refused(TOP(",\"hostname\":\"0123456789012345678901234567890123456789012345678901234567890123"
                "4\""),
            "hostname \"0123456789012345678901234567890123456789012345678901234567890123...\" "
            "is longer than 64 bytes");
    refused(TOP(",\"hostname\":\"a\\nb\""), "hostname \"a\\x0ab\" needs a new uts namespace "
                                            "(linux.namespaces)");
    refused(TOP(",\"annotations\":{\"a\":1}"), "annotations[\"a\"] 1 must be a string");
    refused(TOP(",\"annotations\":{\"org.capsule.debug\":\"yes\"}"),
            "annotations[\"org.capsule.debug\"] \"yes\" must be \"true\" or \"false\"");
    refused(TOP(",\"hooks\":{\"prestart\":[{\"path\":\"/bin/true\"}]}"),
            "hooks.prestart is not supported: Capsule runs no hooks");
}

static void test_process(void **state)
{
    (void)state;
    refused(PROC("\"cwd\":\"/\""), "process.args is required");
    refused(PROC("\"args\":[],\"cwd\":\"/\""), "process.args must not be empty");
    refused(PROC("\"args\":\"sh\",\"cwd\":\"/\""), "process.args \"sh\" must be an array");
    refused(PROC("\"args\":[\"\"],\"cwd\":\"/\""), "process.args[0] \"\" must not be empty");
    refused(PROC("\"args\":[\"sh\",3],\"cwd\":\"/\""), "process.args[1] 3 must be a string");
    refused(PROC("\"args\":[\"sh\"]"), "process.cwd is required");
    refused(PROC("\"args\":[\"sh\"],\"cwd\":\"tmp\""),
            "process.cwd \"tmp\" is not an absolute path");
    refused(PROC(ARGS ",\"env\":[\"A=1\",\"FOO\"]"), "process.env[1] \"FOO\" is not NAME=VALUE");
    refused(PROC(ARGS ",\"env\":[\"=x\"]"), "process.env[0] \"=x\" is not NAME=VALUE");
    refused(PROC(ARGS ",\"terminal\":1"), "process.terminal 1 must be a boolean");
    refused(PROC(ARGS ",\"noNewPrivileges\":\"true\""),
            "process.noNewPrivileges \"true\" must be a boolean");
    refused(PROC(ARGS ",\"user\":{\"uid\":1000,\"gid\":0}"),
            "process.user.uid 1000 is not supported: Capsule has no users (only 0)");
    refused(PROC(ARGS ",\"user\":{\"uid\":0,\"gid\":5}"),
            "process.user.gid 5 is not supported: Capsule has no users (only 0)");
    refused(PROC(ARGS ",\"user\":{\"uid\":0.5}"), "process.user.uid 0.5 must be an integer");
    refused(PROC(ARGS ",\"user\":{\"additionalGids\":[0,10]}"),
            "process.user.additionalGids[1] 10 is not supported: Capsule has no users (only 0)");
    refused(PROC(ARGS ",\"user\":{\"umask\":512}"),
            "process.user.umask 512 is not a file mode mask");
    refused(PROC(ARGS ",\"capabilities\":{\"bounding\":[\"CAP_KILL\",\"CAP_FLY\"]}"),
            "process.capabilities.bounding[1] \"CAP_FLY\" is not a capability");
    refused(PROC(ARGS ",\"capabilities\":{\"effective\":\"CAP_KILL\"}"),
            "process.capabilities.effective \"CAP_KILL\" must be an array");
    refused(PROC(ARGS ",\"rlimits\":[{\"type\":\"RLIMIT_CPU\",\"hard\":1,\"soft\":1}]"),
            "process.rlimits[0].type \"RLIMIT_CPU\": Capsule cannot enforce this limit");
    refused(PROC(ARGS ",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":100}]"),
            "process.rlimits[0].soft 100: Capsule cannot enforce this limit (RLIMIT_NOFILE is "
            "256)");
    refused(PROC(ARGS ",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":1024}]"),
            "process.rlimits[0].hard is required");
    refused(PROC(ARGS ",\"rlimits\":[7]"), "process.rlimits[0] 7 must be an object");
    refused(PROC(ARGS ",\"apparmorProfile\":\"docker-default\""),
            "process.apparmorProfile \"docker-default\": Capsule cannot enforce this");
    refused(PROC(ARGS ",\"selinuxLabel\":\"s0\""),
            "process.selinuxLabel \"s0\": Capsule cannot enforce this");
}

static void test_mounts(void **state)
{
    (void)state;
    refused(TOP(",\"mounts\":{}"), "mounts {...} must be an array");
    refused(MOUNT("3"), "mounts[1] 3 must be an object");
    refused(MOUNT("{\"type\":\"tmpfs\"}"), "mounts[1].destination is required");
    refused(MOUNT("{\"destination\":\"tmp\",\"type\":\"tmpfs\"}"),
            "mounts[1].destination \"tmp\" is not an absolute path");
    refused(MOUNT("{\"destination\":\"/n\",\"type\":\"nfs\"}"),
            "mounts[1].type \"nfs\" is not supported");
    refused(MOUNT("{\"destination\":\"/n\",\"type\":\"sysfs\"}"),
            "mounts[1].type \"sysfs\" is not supported");
    refused(MOUNT("{\"destination\":\"/n\"}"), "mounts[1].type is required");
    refused(MOUNT("{\"destination\":\"/n\",\"type\":\"none\"}"),
            "mounts[1].type \"none\" is not supported");
    refused(MOUNT("{\"destination\":\"/n\",\"options\":[\"bind\"]}"),
            "mounts[1].source is required for a bind mount");
    refused(MOUNT("{\"destination\":\"/n\",\"type\":\"tmpfs\",\"options\":[\"nosuid\"]}"),
            "mounts[1].options[0] \"nosuid\": Capsule cannot enforce this option yet");
    refused(MOUNT("{\"destination\":\"/n\",\"type\":\"tmpfs\",\"options\":[\"rw\",\"noexec\"]}"),
            "mounts[1].options[1] \"noexec\": Capsule cannot enforce this option yet");
    refused(MOUNT("{\"destination\":\"/n\",\"type\":\"tmpfs\",\"options\":[\"nodev\"]}"),
            "mounts[1].options[0] \"nodev\": Capsule cannot enforce this option yet");
    refused(MOUNT("{\"destination\":\"/n\",\"type\":\"tmpfs\",\"options\":[\"rshared\"]}"),
            "mounts[1].options[0] \"rshared\": Capsule has no mount propagation");
    refused(MOUNT("{\"destination\":\"/n\",\"type\":\"tmpfs\",\"options\":[\"size=1x\"]}"),
            "mounts[1].options[0] \"size=1x\" is not a size");
    refused(MOUNT("{\"destination\":\"/n\",\"type\":\"tmpfs\",\"options\":[\"mode=999\"]}"),
            "mounts[1].options[0] \"mode=999\" is not an octal mode");
    refused(MOUNT("{\"destination\":\"/n\",\"type\":\"proc\",\"options\":[\"size=1k\"]}"),
            "mounts[1].options[0] \"size=1k\" is not supported");
    refused(MOUNT("{\"destination\":\"/n\",\"type\":\"proc\",\"options\":[\"rbind\"]}"),
            "mounts[1].options[0] \"rbind\" is not supported for this mount type");
    refused(MOUNT("{\"destination\":\"/n\",\"type\":\"tmpfs\",\"options\":[\"frobnicate\"]}"),
            "mounts[1].options[0] \"frobnicate\" is not supported");
    refused(MOUNT("{\"destination\":\"/n\",\"type\":\"tmpfs\",\"options\":[1]}"),
            "mounts[1].options[0] 1 must be a string");
    refused(
        MOUNT("{\"destination\":\"/n\",\"type\":\"bind\",\"source\":\"/s\",\"uidMappings\":[]}"),
        "mounts[1].uidMappings is not supported: Capsule has no users");
}

static void test_linux(void **state)
{
    (void)state;
    refused(LINUX("\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"},{\"type\":\"uts\"},"
                  "{\"type\":\"network\"}]"),
            "linux.namespaces[3].type \"network\": Capsule cannot provide this namespace");
    refused(LINUX("\"namespaces\":[{\"type\":\"user\"}]"),
            "linux.namespaces[0].type \"user\": Capsule cannot provide this namespace");
    refused(LINUX("\"namespaces\":[{\"type\":\"ipc\"}]"),
            "linux.namespaces[0].type \"ipc\": Capsule cannot provide this namespace");
    refused(LINUX("\"namespaces\":[{\"type\":\"cgroup\"}]"),
            "linux.namespaces[0].type \"cgroup\": Capsule cannot provide this namespace");
    refused(LINUX("\"namespaces\":[{\"type\":\"pidfoo\"}]"),
            "linux.namespaces[0].type \"pidfoo\" is not a namespace type");
    refused(LINUX("\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"pid\"}]"),
            "linux.namespaces[1].type \"pid\" appears twice");
    refused(LINUX("\"namespaces\":[{\"type\":\"pid\",\"path\":\"x\"}]"),
            "linux.namespaces[0].path \"x\" is not /proc/PID/ns/pid");
    refused(LINUX("\"namespaces\":[{\"type\":\"pid\",\"path\":\"/run/c1\"}]"),
            "linux.namespaces[0].path \"/run/c1\" is not /proc/PID/ns/pid");
    refused(LINUX("\"namespaces\":[{}]"), "linux.namespaces[0].type is required");
    refused(LINUX("\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}]"),
            "linux.uidMappings is not supported: Capsule cannot provide user namespaces");
    refused(LINUX("\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\"}"),
            "linux.seccomp is not supported: Capsule cannot enforce seccomp");
    refused(LINUX("\"devices\":[{\"path\":\"/dev/fuse\",\"type\":\"c\",\"major\":10,"
                  "\"minor\":229}]"),
            "linux.devices is not supported: Capsule's devfs provides only the default devices");
    refused(LINUX("\"sysctl\":{\"net.ipv4.ip_forward\":\"1\"}"),
            "linux.sysctl is not supported: Capsule has no sysctls");
    refused(LINUX("\"rootfsPropagation\":\"shared\""),
            "linux.rootfsPropagation \"shared\": Capsule has no mount propagation");
    refused(LINUX("\"resources\":{\"cpu\":{\"shares\":1024}}"),
            "linux.resources.cpu is not supported: Capsule cannot enforce this limit");
    refused(LINUX("\"resources\":{\"pids\":{\"limit\":\"10\"}}"),
            "linux.resources.pids.limit \"10\" must be a number");
    refused(LINUX("\"resources\":{\"pids\":{\"limit\":1.5}}"),
            "linux.resources.pids.limit 1.5 must be an integer");
    refused(LINUX("\"resources\":{\"memory\":{\"limit\":1,\"kernel\":5}}"),
            "linux.resources.memory.kernel 5: Capsule cannot enforce this limit");
    refused(LINUX("\"resources\":{\"devices\":[{\"allow\":false,\"type\":\"c\",\"major\":1,"
                  "\"minor\":3}]}"),
            "linux.resources.devices[0] is not supported: Capsule denies no single device");
    refused(LINUX("\"resources\":{\"devices\":[{\"type\":\"c\"}]}"),
            "linux.resources.devices[0].allow is required");
    refused(LINUX("\"maskedPaths\":[\"/proc/kcore\",\"proc/x\"]"),
            "linux.maskedPaths[1] \"proc/x\" is not an absolute path");
    refused(LINUX("\"readonlyPaths\":[5]"), "linux.readonlyPaths[0] 5 must be a string");
}

/* config_ns_path: the one shape, /proc/PID/ns/NAME, NAME matching the type. */
static void test_namespace_path_shape(void **state)
{
    (void)state;
    char why[64];
    int pid = 0;
    assert_int_equal(config_ns_path("/proc/42/ns/pid", NS_PID, &pid, why, sizeof(why)), 0);
    assert_int_equal(pid, 42);
    assert_int_equal(config_ns_path("/proc/7/ns/mnt", NS_MOUNT, &pid, why, sizeof(why)), 0);
    assert_int_equal(pid, 7);
    assert_int_equal(config_ns_path("/proc/2147483647/ns/uts", NS_UTS, &pid, why, sizeof(why)), 0);
    assert_int_equal(pid, 2147483647);
    static const char *const bad[] = {
        "/proc/0/ns/pid",
        "/proc/012/ns/pid",
        "/proc/-1/ns/pid",
        "/proc/+1/ns/pid",
        "/proc//ns/pid",
        "/proc/self/ns/pid",
        "/proc/1/ns/pid/",
        "/proc/1/ns/",
        "/proc/1/ns",
        "/proc/1//ns/pid",
        "proc/1/ns/pid",
        "/proc/1/ns/pidx",
        "/proc/1/ns/PID",
        "/proc/2147483648/ns/pid",
        "/run/netns/x",
        "",
        "/proc/1/task/1/ns/pid",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (config_ns_path(bad[i], NS_PID, &pid, why, sizeof(why)) == 0) {
            fail_msg("accepted %s", bad[i]);
        }
        assert_string_equal(why, "is not /proc/PID/ns/pid");
    }
    assert_int_equal(config_ns_path("/proc/5/ns/mnt", NS_PID, &pid, why, sizeof(why)), -1);
    assert_string_equal(why, "names a mnt namespace, not a pid one");
    assert_int_equal(config_ns_path("/proc/5/ns/net", NS_UTS, &pid, why, sizeof(why)), -1);
    assert_string_equal(why, "names a net namespace, not a uts one");
    assert_int_equal(config_ns_path("/proc/5/ns/pid_for_children", NS_PID, &pid, why, sizeof(why)),
                     -1);
    assert_string_equal(why, "names a pid_for_children namespace, not a pid one");
}

#define JOIN_ALL                                                                                   \
    "\"namespaces\":[{\"type\":\"pid\",\"path\":\"/proc/3/ns/pid\"},{\"type\":\"mount\","          \
    "\"path\":\"/proc/4/ns/mnt\"},{\"type\":\"uts\",\"path\":\"/proc/5/ns/uts\"}]"
#define JOIN_MNT                                                                                   \
    "\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\",\"path\":\"/proc/4/ns/mnt\"}]"
#define JOIN_PID                                                                                   \
    "\"namespaces\":[{\"type\":\"pid\",\"path\":\"/proc/3/ns/pid\"},{\"type\":\"mount\"}]"

/* What each joined namespace reads, and the keys it leaves no room for. */
static void test_namespace_joins(void **state)
{
    (void)state;
    config_t c;
    accepted(LINUX(JOIN_ALL), &c);
    assert_string_equal(c.namespaces[NS_PID].path, "/proc/3/ns/pid");
    assert_int_equal(c.namespaces[NS_PID].pid, 3);
    assert_int_equal(c.namespaces[NS_PID].index, 0);
    assert_int_equal(c.namespaces[NS_MOUNT].pid, 4);
    assert_int_equal(c.namespaces[NS_MOUNT].index, 1);
    assert_int_equal(c.namespaces[NS_UTS].pid, 5);
    assert_int_equal(c.namespaces[NS_UTS].index, 2);
    char err[CONFIG_ERROR_MAX];
    assert_int_equal(config_check_namespaces(&c, err, sizeof(err)), 0);
    config_free(&c);
    accepted(LINUX("\"namespaces\":[{\"type\":\"uts\",\"path\":\"/proc/5/ns/uts\"},{\"type\":"
                   "\"mount\",\"path\":\"/proc/4/ns/mnt\"}]"),
             &c);
    assert_int_equal(config_check_namespaces(&c, err, sizeof(err)), -1);
    assert_string_equal(err, "linux.namespaces must include \"pid\": a Capsule container has its "
                             "own or joins one by path");
    config_free(&c);
    refused(LINUX("\"namespaces\":[{\"type\":\"uts\"},{\"type\":\"pid\",\"path\":\"/proc/9/ns/"
                  "mnt\"}]"),
            "linux.namespaces[1].path \"/proc/9/ns/mnt\" names a mnt namespace, not a pid one");
    refused(
        TOP(",\"mounts\":[{\"destination\":\"/tmp\",\"type\":\"tmpfs\"}],\"linux\":{" JOIN_MNT "}"),
        "mounts needs a new mount namespace: linux.namespaces[1].path joins one");
    refused(
        "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\",\"readonly\":true},\"process\":{" ARGS
        "},\"linux\":{" JOIN_MNT "}}",
        "root.readonly needs a new mount namespace: linux.namespaces[1].path joins one");
    refused(LINUX(JOIN_MNT ",\"maskedPaths\":[\"/proc/kcore\"]"),
            "linux.maskedPaths needs a new mount namespace: linux.namespaces[1].path joins one");
    refused(LINUX(JOIN_MNT ",\"readonlyPaths\":[\"/proc/sys\"]"),
            "linux.readonlyPaths needs a new mount namespace: linux.namespaces[1].path joins one");
    refused(PROC(ARGS ",\"terminal\":true},\"linux\":{" JOIN_MNT),
            "process.terminal needs a new mount namespace: linux.namespaces[1].path joins one");
    refused(LINUX(JOIN_PID ",\"resources\":{\"pids\":{\"limit\":5}}"),
            "linux.resources.pids.limit needs a new pid namespace: linux.namespaces[0].path "
            "joins one");
    refused(LINUX(JOIN_PID ",\"resources\":{\"memory\":{\"limit\":1048576}}"),
            "linux.resources.memory.limit needs a new pid namespace: linux.namespaces[0].path "
            "joins one");
    refused(TOP(",\"annotations\":{\"org.capsule.debug\":\"true\"},\"linux\":{" JOIN_PID "}"),
            "annotations[\"org.capsule.debug\"] needs a new pid namespace: "
            "linux.namespaces[0].path joins one");
    /* the same keys are fine with new namespaces, or another one joined */
    accepted(LINUX(JOIN_PID ",\"maskedPaths\":[\"/proc/kcore\"]"), &c);
    config_free(&c);
    accepted(LINUX(JOIN_MNT ",\"resources\":{\"pids\":{\"limit\":5}}"), &c);
    config_free(&c);
}

static void test_ids(void **state)
{
    (void)state;
    char id[CONFIG_ID_MAX + 2];
    assert_true(config_valid_id("a"));
    assert_true(config_valid_id("Box_1.2+3-4"));
    assert_false(config_valid_id(""));
    assert_false(config_valid_id("a/b"));
    assert_false(config_valid_id("a b"));
    assert_false(config_valid_id("caf\xc3\xa9"));
    memset(id, 'x', CONFIG_ID_MAX);
    id[CONFIG_ID_MAX] = '\0';
    assert_true(config_valid_id(id));
    id[CONFIG_ID_MAX] = 'x';
    id[CONFIG_ID_MAX + 1] = '\0';
    assert_false(config_valid_id(id));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_default_is_valid),
        cmocka_unit_test(test_full_config),
        cmocka_unit_test(test_full_config_values),
        cmocka_unit_test(test_top_level),
        cmocka_unit_test(test_process),
        cmocka_unit_test(test_mounts),
        cmocka_unit_test(test_linux),
        cmocka_unit_test(test_namespace_path_shape),
        cmocka_unit_test(test_namespace_joins),
        cmocka_unit_test(test_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
