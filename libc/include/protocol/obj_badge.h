/*
 * Object badges: the badge of a capability a server hands out for one of
 * its objects (proc-server's scopes and hostname contexts, vfs-server's
 * root contexts). Shared by both servers so the layouts can never drift:
 *
 *   bit 63       1: an object badge (session badges are PID << 1 | 1 at
 *                most, below 2^16, so the two never collide)
 *   bit 62       the server that minted it: 0 proc-server, 1 vfs-server.
 *                proc-server copies object capabilities at fork and must
 *                tell its own from vfs-server's without asking the kernel
 *                which endpoint a capability points to (it cannot)
 *   bits 40..61  g, the generation of slot i when the handle was made
 *   bits 8..39   P, the holder's global PID
 *   bits 0..7    i, the handle's index in P's table
 *
 * Authority never comes from a badge alone: a server acts on a badge only
 * when it arrives on its own endpoint, and then only for a handle its own
 * table still holds with that generation.
 */
#ifndef CAPSULE_PROTOCOL_OBJ_BADGE_H
#define CAPSULE_PROTOCOL_OBJ_BADGE_H

#include <stdbool.h>
#include <stdint.h>

#define OBJ_BADGE_FLAG (1ull << 63)
#define OBJ_BADGE_SERVER_SHIFT 62
#define OBJ_BADGE_PID_SHIFT 8
#define OBJ_BADGE_PID_MASK 0xffffffffull
#define OBJ_BADGE_GEN_SHIFT 40
#define OBJ_BADGE_GEN_MASK 0x3fffffu /* 22 bits */
#define OBJ_BADGE_INDEX_MASK 0xffu

typedef enum {
    OBJ_SERVER_PROC = 0,
    OBJ_SERVER_VFS = 1,
} obj_server_t;

typedef struct {
    obj_server_t server;
    int holder_pid;
    unsigned index;
    unsigned gen;
} obj_badge_fields_t;

static inline uint64_t obj_badge_encode(obj_server_t server, int holder_pid, unsigned index,
                                        unsigned gen)
{
    return OBJ_BADGE_FLAG | (uint64_t)(server & 1u) << OBJ_BADGE_SERVER_SHIFT |
           (uint64_t)(gen & OBJ_BADGE_GEN_MASK) << OBJ_BADGE_GEN_SHIFT |
           ((uint64_t)(uint32_t)holder_pid << OBJ_BADGE_PID_SHIFT) | (index & OBJ_BADGE_INDEX_MASK);
}

static inline bool obj_badge_is_object_badge(uint64_t badge)
{
    return (badge & OBJ_BADGE_FLAG) != 0;
}

/* Whether badge is a well-formed object badge with an index below
 * index_limit and a positive PID; then *out. */
static inline bool obj_badge_parse(uint64_t badge, unsigned index_limit, obj_badge_fields_t *out)
{
    uint64_t pid = (badge >> OBJ_BADGE_PID_SHIFT) & OBJ_BADGE_PID_MASK;
    uint64_t index = badge & OBJ_BADGE_INDEX_MASK;
    if (!(badge & OBJ_BADGE_FLAG) || pid == 0 || pid > INT32_MAX || index >= index_limit) {
        return false;
    }
    *out = (obj_badge_fields_t){(obj_server_t)(badge >> OBJ_BADGE_SERVER_SHIFT & 1u), (int)pid,
                                (unsigned)index,
                                (unsigned)(badge >> OBJ_BADGE_GEN_SHIFT) & OBJ_BADGE_GEN_MASK};
    return true;
}

#endif
