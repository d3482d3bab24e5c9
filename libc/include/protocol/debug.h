/*
 * The debug protocol (docs/protocols/debug.md): text, or JSON, describing
 * the objects of the kernel and of every server, for `dbg`.
 *
 * Who may ask: only the holder of the debug capability, an endpoint
 * capability to proc-server badged DEBUG_BADGE_FLAG | the holder's global
 * PID. proc-server gives one (in CAP_DEBUG_SESSION) to each unjailed
 * process of the root scope when it builds its CSpace, and answers a
 * request on it only while that holder lives, is unjailed and is in the
 * root scope, so a capability that leaks into a container or outlives a
 * jail names nothing. proc-server answers the kernel and process listings
 * itself and relays the others to vfs-server and console-server (servers
 * to its right: docs/architecture.md), which take debug labels from
 * proc-server alone.
 *
 * Every request: MR0 = offset into the answer's text, MR1 = how many bytes
 * to copy (at most DEBUG_PAGE_MAX), MR2 = the listing's argument (a PID, a
 * context id; 0 when it takes none), MR3 = DEBUG_FLAG_*; descriptor 0 = a
 * writable buffer of at least MR1 bytes. Reply: MR0 = the whole text's
 * length (its bytes [MR0 offset, min(offset + MR1, total)) were copied),
 * or -errno: -EINVAL for a malformed field (offset past the end, too long a
 * page, unknown flags, no descriptor), -ENOSYS for a label not listed,
 * -EPERM without the debug capability, -ESRCH for an argument naming
 * nothing, -EFBIG for a text over DEBUG_TEXT_MAX (never cut silently).
 * A text is made afresh for each page: pages of a listing that changed in
 * between may not join up (the total tells the reader).
 */
#ifndef CAPSULE_PROTOCOL_DEBUG_H
#define CAPSULE_PROTOCOL_DEBUG_H

#include <stdbool.h>
#include <stdint.h>

/* Labels 0x600..0x6ff are the debug protocol in every server. */
enum {
    DEBUG_LABEL_FIRST = 0x600,
    /* proc-server, from the kernel: uptime, pools, objects */
    DEBUG_KERNEL = 0x600,
    /* proc-server */
    DEBUG_PROC_LIST = 0x610,   /* every process, oldest first */
    DEBUG_PROC_TREE = 0x611,   /* the processes as a parent tree */
    DEBUG_PROC_SCOPES = 0x612, /* the scope tree with container IDs, limits, counts */
    DEBUG_PROC_SHOW = 0x613,   /* MR2 = global PID: one process in full */
    DEBUG_CAPS = 0x614,        /* MR2 = global PID: its capability slots */
    DEBUG_CONTAINERS = 0x615,  /* every sub-scope: container ID, context, names, use */
    DEBUG_SERVER_CAPS = 0x616, /* MR2 = DEBUG_SERVER_*: a server's capability slots */
    /* MR2 = DEBUG_SERVER_* | DEBUG_CRASH_* << DEBUG_CRASH_SHIFT: make that
     * server fault, now or while it serves proc-server's next Call of a
     * kind, to test its restart (docs/restart.md). -ENOSYS unless the
     * kernel command line holds capsule.test_crash: only test images set
     * it. */
    DEBUG_SERVER_CRASH = 0x617,
    /* vfs-server (relayed by proc-server) */
    DEBUG_VFS_FIRST = 0x640,
    DEBUG_VFS_CONTEXTS = 0x640,   /* every root context */
    DEBUG_VFS_MOUNTS = 0x641,     /* MR2 = context id: its mount table */
    DEBUG_VFS_FILES = 0x642,      /* MR2 = global PID: its open files */
    DEBUG_VFS_CONTEXT_OF = 0x643, /* MR2 = global PID: its context's id, "N\n" */
    /* proc-server's DEBUG_SERVER_CRASH, sent (not called) on its own
     * session: the server faults, at once (MR0 = 0) or while serving
     * proc-server's next request labelled MR0 (VFS_PROC_CREATE,
     * VFS_PROC_SPAWN or VFS_EXEC_READ). Never relayed from a program. */
    DEBUG_VFS_CRASH = 0x67e,
    DEBUG_VFS_LAST = 0x67f,
    /* console-server (relayed by proc-server) */
    DEBUG_CONSOLE_FIRST = 0x680,
    DEBUG_CONSOLE_STATE = 0x680, /* foreground group, mode, buffered bytes */
    /* as DEBUG_VFS_CRASH; MR0 = 1: while serving proc-server's next
     * relayed listing, 2: vfs-server's next CONSOLE_SESSION_END */
    DEBUG_CONSOLE_CRASH = 0x6be,
    DEBUG_CONSOLE_LAST = 0x6bf,
    DEBUG_LABEL_LAST = 0x6ff,
};

/* The servers proc-server starts, as DEBUG_SERVER_CAPS and
 * DEBUG_SERVER_CRASH name them. */
enum {
    DEBUG_SERVER_VFS = 1,
    DEBUG_SERVER_CONSOLE = 2,
    DEBUG_SERVER_DEBUG_CONSOLE = 3,
};

/* When DEBUG_SERVER_CRASH makes the server fault: at once, or while it
 * serves proc-server's next fork (VFS_PROC_CREATE), spawn (VFS_PROC_SPAWN)
 * or exec (VFS_EXEC_READ) — vfs-server — or relayed listing —
 * console-server. */
enum {
    DEBUG_CRASH_NOW = 0,
    DEBUG_CRASH_AT_FORK = 1,
    DEBUG_CRASH_AT_SPAWN = 2,
    DEBUG_CRASH_AT_EXEC = 3,
    DEBUG_CRASH_AT_LISTING = 4,
    /* console-server: vfs-server's next CONSOLE_SESSION_END, which it
     * sends while serving proc-server's VFS_PROC_EXIT of a session leader */
    DEBUG_CRASH_AT_SESSION_END = 5,
};
#define DEBUG_CRASH_SHIFT 8
#define DEBUG_CONSOLE_CRASH_AT_LISTING 1 /* DEBUG_CONSOLE_CRASH's MR0 */
#define DEBUG_CONSOLE_CRASH_AT_SESSION_END 2

#define DEBUG_FLAG_JSON 0x1ull /* the answer is one JSON document */
#define DEBUG_FLAGS_ALL DEBUG_FLAG_JSON

#define DEBUG_PAGE_MAX 16384u     /* bytes one request may copy */
#define DEBUG_TEXT_MAX (1u << 20) /* the longest text a server makes */
#define DEBUG_REQUEST_WORDS 4

/* The debug capability's slot in a process's CSpace (after the sessions of
 * posix_runtime.h and the signal slots of signal_page.h); empty for
 * processes that may not debug. */
#define CAP_DEBUG_SESSION 14

/* Its badge: bit 63 clear (not an object badge), bit 62 set (sessions are
 * below 2^16), the holder's global PID in bits 0..31. */
#define DEBUG_BADGE_FLAG (1ull << 62)

/* The badge of console-server's capability for proc-server's relayed
 * debug requests (CONSOLE_BADGE_FORWARDER is 1). */
#define CONSOLE_BADGE_DEBUG 2ull

/* The badge of the debug console's capability (servers/debug-console, on
 * COM2): no process stands behind it; proc-server gives it to that server
 * only. debug_badge_parse refuses it (bits above 31 besides the flag). */
#define DEBUG_BADGE_COM2 (DEBUG_BADGE_FLAG | 1ull << 32)

static inline bool debug_label(uint64_t label)
{
    return label >= DEBUG_LABEL_FIRST && label <= DEBUG_LABEL_LAST;
}

static inline uint64_t debug_badge_make(int holder_pid)
{
    return DEBUG_BADGE_FLAG | (uint32_t)holder_pid;
}

/* Whether badge is a debug badge; then *holder_pid (positive). */
static inline bool debug_badge_parse(uint64_t badge, int *holder_pid)
{
    uint64_t pid = badge & 0xffffffffull;
    if ((badge & ~0xffffffffull) != DEBUG_BADGE_FLAG || pid == 0 || pid > INT32_MAX) {
        return false;
    }
    *holder_pid = (int)pid;
    return true;
}

#endif
