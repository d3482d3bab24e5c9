/*
 * Linux capability names (CAP_CHOWN ... CAP_CHECKPOINT_RESTORE) as numbered
 * by linux/capability.h, for process.capabilities. Only three have a Capsule
 * meaning (config_rights_t); the rest are accepted as no-ops.
 */
#ifndef RUNC_CAPS_H
#define RUNC_CAPS_H

#define CAP_KILL_BIT 5
#define CAP_SYS_CHROOT_BIT 18
#define CAP_SYS_ADMIN_BIT 21

/* The capability's number, or -1 for a name Linux does not have. */
int cap_from_name(const char *name);

#endif
