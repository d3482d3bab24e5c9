/*
 * The fields of a request and the checks that need nothing but them: the
 * lengths of its strings, whether the descriptors they need were lent, and
 * the flags of each call. Pure (no IPC, no state), so the handlers call
 * them before acting and the host fuzzes them (tests/fuzz/fuzz_vfs_request.c).
 * Each handler calls its check at the point it always checked those fields,
 * so the order of errors (EBADF before EFAULT, say) is the handler's.
 */
#ifndef VFS_REQUEST_CHECK_H
#define VFS_REQUEST_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One request as the handlers see it. */
typedef struct {
    uint64_t label;
    uint64_t length; /* message registers sent */
    uint64_t descriptors;
    uint64_t mr[4];
} request_t;

/* The path of descriptor 0: MR3 bytes (0 when MR3 was not sent). 0 and the
 * length, -ENAMETOOLONG (VFS_PATH_MAX or more), -EFAULT (bytes but no
 * descriptor). */
int request_path_len(const request_t *req, uint64_t *len);

/* A string of descriptor `desc`, `len` bytes: -ENAMETOOLONG past `max`,
 * -EFAULT when the descriptor was not lent. */
int request_string_len(const request_t *req, unsigned desc, uint64_t len, uint64_t max);

/* The bytes of a string as copied in: -EINVAL when a NUL is among them. */
int request_string_bytes(const char *buf, size_t len);

/* VFS_READ/VFS_WRITE after the descriptor was found: MR1 count (at most
 * INT32_MAX moves), MR2 offset, MR3 VFS_RW_* flags; `seekable` says
 * whether the file has offsets (not a pipe or device). -EFAULT, -EINVAL,
 * -ESPIPE. */
typedef struct {
    uint64_t count;
    uint64_t at;    /* the offset of a positional transfer */
    uint64_t flags; /* VFS_RW_* */
    bool positional;
} vfs_rw_args_t;
int vfs_rw_args(const request_t *req, bool seekable, vfs_rw_args_t *out);

/* lseek: the base `whence` names (the file's offset `cur`, its size `end`)
 * plus `off`, in *pos; -EINVAL for another whence, a negative result or
 * an overflow. */
int vfs_seek(uint64_t whence, int64_t cur, int64_t end, int64_t off, int64_t *pos);

/* *at flags: -EINVAL outside `allowed`; else the RESOLVE_* flags they mean. */
int vfs_at_flags(int flags, int allowed, unsigned *resolve_flags);

/* renameat2's flags (MR2's low half): -EINVAL for others or both. */
int vfs_rename_flags(uint32_t flags);

/* dup3 after the old descriptor was found: MR1 newfd (-1: the lowest free),
 * MR2 O_CLOEXEC or 0. -EINVAL, -EBADF (newfd out of range). */
int vfs_dup3_args(const request_t *req, int64_t *newfd);

/* VFS_POLL: MR0 nfds (at most POLL_FDS_MAX), MR1 VFS_POLL_WAIT or 0. */
#define POLL_FDS_MAX 1024 /* entries per poll (RLIMIT_NOFILE's default; -EINVAL past) */
int vfs_poll_args(const request_t *req, uint64_t *nfds, bool *wait);

/* VFS_PIPE2: MR0 O_CLOEXEC | O_NONBLOCK; desc 0. */
int vfs_pipe2_args(const request_t *req, int *flags);

/* VFS_MOUNT's MR0 (MS_MGC_VAL in the upper half dropped): -EINVAL for a
 * flag not supported. */
int vfs_mount_flags(uint64_t mr0, unsigned long *flags);

/* VFS_CTX_MOUNT's MR0: MS_RDONLY and a tmpfs's options (protocol/vfs.h
 * VFS_CTX_MOUNT_*). -EINVAL for other bits, mode bits without HAS_MODE,
 * or options for another type than tmpfs. */
typedef struct {
    bool rdonly;
    bool has_mode;
    uint32_t mode;  /* the root directory's permission bits (07777 at most) */
    uint64_t bytes; /* the file system's own quota; 0: none */
} vfs_ctx_mount_args_t;
int vfs_ctx_mount_args(uint64_t mr0, bool tmpfs, vfs_ctx_mount_args_t *out);

/* mount(2)'s data for a tmpfs (VFS_MOUNT's desc 3): comma-separated
 * `size=N[kmg]` (bytes, rounded up to 4 KiB pages; 0: none of its own) and
 * `mode=OCTAL` (at most 07777), a later one winning, empty items skipped;
 * anything else (another tmpfs option, `size=N%`) is -EINVAL, as Linux
 * refuses an option it does not know, rather than one ignored. */
int vfs_tmpfs_options(const char *s, size_t len, vfs_ctx_mount_args_t *out);

/* VFS_MOUNT's MR0: mount(2)'s flags in the low half (vfs_mount_flags),
 * the length of its data string (desc 3) in bits 32-47. -EINVAL for
 * higher bits or a string past VFS_MOUNT_STRING_MAX, -EFAULT for one not
 * lent. */
int vfs_mount_args(const request_t *req, unsigned long *flags, uint64_t *data_len);

/* VFS_UMOUNT's MR0: MNT_DETACH, UMOUNT_NOFOLLOW. */
int vfs_umount_flags(uint64_t mr0);

/* VFS_PROC_SPAWN's MR3 (0 when not sent): bits 0-31 a template PID (0:
 * none), 32-47 the length of a cwd for it, bit 48 VFS_SPAWN_FOREIGN. A cwd
 * or the flag without a template, a PID of INT32_MAX or more, or a higher
 * bit: -EINVAL. */
typedef struct {
    int pid;
    size_t cwd_len;
    bool foreign;
} vfs_spawn_template_t;
int vfs_spawn_template_args(const request_t *req, vfs_spawn_template_t *out);

/* VFS_UTIMENSAT's MR2: 1 with desc 1 (the times), 0 for now. */
int vfs_utimens_args(const request_t *req, bool *given);

#endif
