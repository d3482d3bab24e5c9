/* Kernel object types, capability rights and mapping rights. */
#ifndef CAPSULE_UAPI_OBJECTS_H
#define CAPSULE_UAPI_OBJECTS_H

typedef enum {
#define OBJECT(name, value, creatable) OBJ_##name = value,
#include "objects.def"
#undef OBJECT
    OBJ_COUNT
} obj_type_t;

/* Capability rights. Copy and Mint can only keep or drop rights. */
#define RIGHT_READ 0x1u
#define RIGHT_WRITE 0x2u
#define RIGHT_GRANT 0x4u
#define RIGHT_GRANT_REPLY 0x8u
#define RIGHTS_ALL 0xfu

/* Rights of a mapping (VSpace_Map); each needs the matching capability right:
 * MAP_READ and MAP_EXEC need RIGHT_READ, MAP_WRITE needs RIGHT_WRITE. */
#define MAP_READ 0x1u
#define MAP_WRITE 0x2u
#define MAP_EXEC 0x4u

/* CNodes hold 2^size_bits slots. */
#define CNODE_MIN_SIZE_BITS 1
#define CNODE_MAX_SIZE_BITS 16

/* Priorities 0 (lowest) .. 255. */
#define PRIORITY_MAX 255

/* Thread states, as TCB_ReadRegisters reports them. */
#define TCB_STATE_INACTIVE 0 /* created or suspended */
#define TCB_STATE_RUNNABLE 1
#define TCB_STATE_FAULTED 2              /* stopped by a fault; see the fault words */
#define TCB_STATE_BLOCKED_SEND 3         /* in Send or Call, no receiver yet */
#define TCB_STATE_BLOCKED_RECV 4         /* in Recv on an endpoint */
#define TCB_STATE_BLOCKED_REPLY 5        /* in Call, the server has the message */
#define TCB_STATE_BLOCKED_NOTIFICATION 6 /* in Wait on a notification */

/* TCB_SetFlags: the thread never uses x87/SSE; it runs with CR0.TS set
 * (an FPU instruction is a fault, vector 7) and no FPU state is switched
 * for it. Servers built -mgeneral-regs-only run this way. */
#define TCB_FLAG_NO_FPU 0x1u

/* A CPtr that names the invoking thread's own reply capability (the one
 * Recv left in its TCB), for Reply_CopyFrom / Reply_CopyTo. */
#define CAP_REPLY_CURRENT (~0ull)

#endif
