#include "commands.h"

#include <stdlib.h>
#include <string.h>

#include "protocol/debug.h"

typedef struct {
    const char *word1, *word2; /* word2 NULL: one word */
    uint64_t label;
    const char *arg_name; /* NULL: takes no argument */
} command_t;

static const command_t commands[] = {
    {"kernel", NULL, DEBUG_KERNEL, NULL},
    {"proc", "list", DEBUG_PROC_LIST, NULL},
    {"proc", "tree", DEBUG_PROC_TREE, NULL},
    {"proc", "scopes", DEBUG_PROC_SCOPES, NULL},
    {"proc", "show", DEBUG_PROC_SHOW, "PID"},
    {"vfs", "contexts", DEBUG_VFS_CONTEXTS, NULL},
    {"vfs", "mounts", DEBUG_VFS_MOUNTS, "CTX"},
    {"vfs", "files", DEBUG_VFS_FILES, "PID"},
    {"caps", NULL, DEBUG_CAPS, "PID"},
    {"containers", NULL, DEBUG_CONTAINERS, NULL},
    {"console", NULL, DEBUG_CONSOLE_STATE, NULL},
    {"crash", NULL, DEBUG_SERVER_CRASH, "SERVER"},
};

/* The servers DEBUG_SERVER_CAPS and DEBUG_SERVER_CRASH name. */
static const struct {
    const char *name;
    uint64_t id;
} server_names[] = {
    {"vfs-server", DEBUG_SERVER_VFS},
    {"console-server", DEBUG_SERVER_CONSOLE},
    {"debug-console", DEBUG_SERVER_DEBUG_CONSOLE},
};

/* When `crash SERVER [WHEN]` makes the server fault. */
static const struct {
    const char *name;
    uint64_t when;
} crash_moments[] = {
    {"fork", DEBUG_CRASH_AT_FORK},
    {"spawn", DEBUG_CRASH_AT_SPAWN},
    {"exec", DEBUG_CRASH_AT_EXEC},
    {"listing", DEBUG_CRASH_AT_LISTING},
    {"session-end", DEBUG_CRASH_AT_SESSION_END},
};

static bool crash_moment(const char *s, uint64_t *out)
{
    for (size_t i = 0; s != NULL && i < sizeof(crash_moments) / sizeof(crash_moments[0]); i++) {
        if (strcmp(s, crash_moments[i].name) == 0) {
            *out = crash_moments[i].when;
            return true;
        }
    }
    return false;
}

static bool server_number(const char *s, uint64_t *out)
{
    for (size_t i = 0; s != NULL && i < sizeof(server_names) / sizeof(server_names[0]); i++) {
        if (strcmp(s, server_names[i].name) == 0) {
            *out = server_names[i].id;
            return true;
        }
    }
    return false;
}

const char dbg_help[] =
    "commands (add --json for JSON):\n"
    "  kernel            uptime, the root pool, each process's pool and thread\n"
    "  proc list         every process\n"
    "  proc tree         the processes as a tree\n"
    "  proc scopes       the scope tree with container IDs, limits and counts\n"
    "  proc show PID     one process (PIDs are global: the root scope's)\n"
    "  vfs contexts      the VFS root contexts\n"
    "  vfs mounts CTX    the mounts of context CTX\n"
    "  vfs files PID     the open files of process PID\n"
    "  caps PID          the capability slots of process PID\n"
    "  caps SERVER       those of vfs-server, console-server or debug-console\n"
    "  containers        every scope below the host's: ID, context, names, use\n"
    "  console           the console's state\n"
    "  crash SERVER      make vfs-server or console-server fault (test images only)\n"
    "  crash SERVER WHEN the same during proc-server's next fork, spawn or exec\n"
    "                    (vfs-server), listing or session-end (console-server)\n"
    "  help              this text; quit (or end of input) leaves the prompt\n";

/* A decimal number in [1, 2^31): true with *out. */
static bool number(const char *s, uint64_t *out)
{
    char *end;
    if (s == NULL || *s < '0' || *s > '9') {
        return false;
    }
    unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0' || v == 0 || v > 0x7fffffffull) {
        return false;
    }
    *out = v;
    return true;
}

int dbg_parse(int argc, char **argv, dbg_query_t *out, const char **why)
{
    const char *words[3] = {NULL, NULL, NULL};
    int n = 0;
    *out = (dbg_query_t){0};
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            out->json = true;
        } else if (n == 3) {
            *why = "too many words (try help)";
            return -1;
        } else {
            words[n++] = argv[i];
        }
    }
    if (n == 0) {
        *why = "no command (try help)";
        return -1;
    }
    for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
        const command_t *cmd = &commands[c];
        if (strcmp(words[0], cmd->word1) != 0 ||
            (cmd->word2 != NULL && (words[1] == NULL || strcmp(words[1], cmd->word2) != 0))) {
            continue;
        }
        int used = cmd->word2 != NULL ? 2 : 1;
        if (cmd->arg_name == NULL && n > used) {
            *why = "unexpected argument (try help)";
            return -1;
        }
        if (cmd->label == DEBUG_CAPS && n == used + 1 && server_number(words[used], &out->arg)) {
            out->label = DEBUG_SERVER_CAPS;
            return 0;
        }
        if (cmd->label == DEBUG_SERVER_CRASH) {
            uint64_t when = DEBUG_CRASH_NOW;
            if (n < used + 1 || !server_number(words[used], &out->arg)) {
                *why = "expects a server: vfs-server, console-server or debug-console";
                return -1;
            }
            if (n == used + 2 && !crash_moment(words[used + 1], &when)) {
                *why = "expects when: fork, spawn, exec, listing or session-end";
                return -1;
            }
            out->arg |= when << DEBUG_CRASH_SHIFT;
            out->label = cmd->label;
            return 0;
        }
        if (cmd->arg_name != NULL && (n != used + 1 || !number(words[used], &out->arg))) {
            *why = strcmp(cmd->arg_name, "CTX") == 0 ? "expects a context number CTX"
                                                     : "expects a process number PID";
            return -1;
        }
        out->label = cmd->label;
        return 0;
    }
    *why = "unknown command (try help)";
    return -1;
}
