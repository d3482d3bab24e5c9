/*
 * vfs-server's protocol (see docs/protocols/vfs.md).
 *
 * A process's session (CAP_VFS_SESSION) is badged with its global PID << 1;
 * proc-server's own session has badge VFS_BADGE_PROC_SERVER. Paths and
 * buffers travel as bulk-copy descriptors: a path is descriptor 0 (DESC_READ,
 * up to VFS_PATH_MAX bytes, NUL-terminated within them).
 */
#ifndef CAPSULE_PROTOCOL_VFS_H
#define CAPSULE_PROTOCOL_VFS_H

#include "protocol/server.h"

#define VFS_BADGE_PROC_SERVER 1ull
#define VFS_PATH_MAX 4096

/* From a process. */
enum {
    VFS_OPENAT = 0x200,     /* MR0 dirfd, MR1 flags, MR2 mode; path. -> fd */
    VFS_CLOSE = 0x201,      /* MR0 fd */
    VFS_READ = 0x202,       /* MR0 fd, MR1 count; desc 0 = buffer (DESC_WRITE). -> bytes */
    VFS_WRITE = 0x203,      /* MR0 fd, MR1 count; desc 0 = buffer (DESC_READ). -> bytes */
                            /* both: MR2 offset, MR3 VFS_RW_* flags */
    VFS_LSEEK = 0x204,      /* MR0 fd, MR1 offset, MR2 whence. -> offset */
    VFS_FSTATAT = 0x205,    /* MR0 dirfd, MR1 flags; path; desc 1 = struct stat (DESC_WRITE) */
    VFS_GETDENTS64 = 0x206, /* MR0 fd; desc 0 = buffer (DESC_WRITE). -> bytes */
    VFS_MKDIRAT = 0x207,    /* MR0 dirfd, MR1 mode; path */
    VFS_UNLINKAT = 0x208,   /* MR0 dirfd, MR1 flags; path */
    VFS_CHDIR = 0x209,      /* path */
    VFS_GETCWD = 0x20a,     /* desc 0 = buffer (DESC_WRITE). -> length with the NUL */
    VFS_DUP3 = 0x20b,       /* MR0 oldfd, MR1 newfd (-1: the lowest free), MR2 O_CLOEXEC or 0 */
    VFS_FCNTL = 0x20c,      /* MR0 fd, MR1 cmd, MR2 arg */
    VFS_IOCTL = 0x20d,      /* MR0 fd, MR1 request, MR2 argument word, MR3 VFS_IOCTL_*;
                               desc 0 = the argument's bytes as protocol/ioctl.h sizes them */
    VFS_READLINKAT = 0x20e, /* MR0 dirfd; path; desc 1 = buffer (DESC_WRITE). -> bytes */
    VFS_UMASK = 0x20f,      /* MR0 new mask. -> the old one */
    VFS_CHROOT = 0x210,     /* path: the caller's root becomes that directory */
    VFS_PIPE2 = 0x220,      /* MR0 flags (O_CLOEXEC, O_NONBLOCK); desc 0 = int[2] (DESC_WRITE) */
    /* MR0 nfds, MR1 VFS_POLL_WAIT or 0; desc 0 = struct pollfd[nfds] (read
     * and write). -> the count of entries with events; revents written */
    VFS_POLL = 0x221,
};

/* VFS_IOCTL flags: what the process says of itself (they only spare it a
 * signal it would not act on). */
enum {
    VFS_IOCTL_SIGTTOU_IGNORED = 1, /* it ignores or blocks SIGTTOU */
};

/* VFS_READ/VFS_WRITE MR3 flags. */
#define VFS_RW_AT 1ull     /* at offset MR2, the file's own offset unchanged (pread/pwrite) */
#define VFS_RW_NOWAIT 2ull /* never wait, as with O_NONBLOCK (readv after its first part) */
#define VFS_RW_SIGTTIN_IGNORED 4ull /* a read: the caller ignores or blocks SIGTTIN */

/* A VFS_WRITE reply's MR1 flag: the writer is to get SIGPIPE (no reader). */
#define VFS_WRITE_SIGPIPE 1ull

/* VFS_POLL MR1: with nothing ready, wait (the caller's IPC timeout ends it). */
#define VFS_POLL_WAIT 1ull

/* Names and attributes (labels 0x240..0x25f). A second path is
 * descriptor 1 (DESC_READ, no NUL needed), its length in MR2's upper half. */
enum {
    VFS_RENAMEAT2 = 0x240, /* MR0 olddirfd, MR1 newdirfd, MR2 flags | newlen << 32; old path */
    VFS_LINKAT = 0x241,    /* MR0 olddirfd, MR1 newdirfd, MR2 flags | newlen << 32; old path */
    VFS_SYMLINKAT = 0x242, /* MR0 dirfd, MR2 target length; link path; desc 1 = target */
    VFS_FCHMODAT = 0x243,  /* MR0 dirfd, MR1 mode, MR2 AT_EMPTY_PATH or 0; path */
    VFS_FCHOWNAT = 0x244,  /* MR0 dirfd, MR1 uid | gid << 32, MR2 AT_* flags; path */
    VFS_TRUNCATE = 0x245,  /* MR0 dirfd, MR1 length; path */
    VFS_FTRUNCATE = 0x246, /* MR0 fd, MR1 length */
    /* MR0 dirfd, MR1 AT_* flags, MR2 1: desc 1 = struct timespec[2]
     * (DESC_READ), 0: both now; path */
    VFS_UTIMENSAT = 0x247,
    VFS_FSYNC = 0x248, /* MR0 fd: fsync, fdatasync (ramfs: nothing to flush) */
    /* MR0 dirfd, MR1 AT_EMPTY_PATH or 0; path; desc 1 = struct statfs (DESC_WRITE) */
    VFS_STATFS = 0x249,
};

/* Mounts (labels 0x230..0x23f). */
enum {
    /* MR0 mount(2) flags (low half) and the length of its data string
     * (bits 32-47, desc 3: a new tmpfs's size= and mode=); target path;
     * desc 1 = source (MR1 bytes, no NUL), desc 2 = file system type (MR2
     * bytes); a length of VFS_NO_STRING means the string was NULL and its
     * descriptor is absent. */
    VFS_MOUNT = 0x230,
    VFS_UMOUNT = 0x231, /* MR0 umount2(2) flags; target path */
    /* new_root path; put_old is descriptor 1, its length in MR2's upper half */
    VFS_PIVOT_ROOT = 0x232,
};
#define VFS_NO_STRING 0xffffffffull
#define VFS_MOUNT_DATA_SHIFT 32 /* VFS_MOUNT's MR0: where the data's length goes */
#define VFS_SPAWN_NO_FD 0xffffu
#define VFS_SPAWN_FOREIGN (1ull << 48) /* VFS_PROC_SPAWN's MR3 */
#define VFS_MOUNT_STRING_MAX 255       /* bytes of a source or type (ENAMETOOLONG past it) */

/* VFS root contexts by request (labels 0x270..0x27f; docs/protocols/vfs.md).
 * VFS_CONTEXT_CREATE goes on the session; the others on a context
 * capability (an object badge, protocol/obj_badge.h). Paths: MR3 = length,
 * desc 0 = the bytes, as for every path request. */
enum {
    VFS_CONTEXT_CREATE = 0x270, /* MR0 VFS_CONTEXT_*; path (NEW_ROOT). -> handle + capability */
    /* MR0 MS_RDONLY or 0, and for a tmpfs its options (VFS_CTX_MOUNT_*
     * below), MR1 source length (VFS_NO_STRING: none), MR2 type length;
     * desc 1 source, desc 2 type; target path inside the context */
    VFS_CTX_MOUNT = 0x271,
    /* MR0 MS_RDONLY or 0, MR1 source length, desc 1 source (resolved in the
     * holder's own context); target path inside the context */
    VFS_CTX_BIND = 0x272,
    VFS_CTX_MKDIR = 0x273,      /* MR0 mode; path inside: mkdir -p */
    VFS_CTX_SET_RDONLY = 0x274, /* MR0 1 read-only, 0 writable; path: a mount's root */
    VFS_CTX_CLOSE = 0x275,      /* the handle goes */
    /* the holder's next spawn attaches its child here; path: its cwd inside
     * (absolute; length 0: the root) */
    VFS_CTX_PREPARE_SPAWN = 0x276,
    VFS_CTX_MASK = 0x277,     /* path inside: hidden by an empty read-only instance */
    VFS_CTX_READONLY = 0x278, /* path inside: a locked read-only bind of itself */
    /* MR1 open(2) flags, MR2 mode; path inside: opened into the holder's
     * own descriptor table -> fd */
    VFS_CTX_OPEN = 0x279,
    /* MR0 the holder's fd of a pseudo-terminal master of the context's
     * devfs: its slave becomes that instance's `console` */
    VFS_CTX_CONSOLE = 0x27a,
    /* the runtime's name for the context (desc 0, MR3 bytes, at most
     * VFS_CTX_LABEL_MAX kept): the container ID dbg shows it with */
    VFS_CTX_LABEL = 0x27b,
    /* MR0 bytes: the most server memory the context's processes may make
     * vfs-server hold (files, entries, mounts, pipes, open files) */
    VFS_CTX_SET_QUOTA = 0x27c,
};
#define VFS_CONTEXT_QUOTA_DEFAULT (32ull << 20) /* a new context's, until set */
/* VFS_CTX_MOUNT's MR0 above MS_RDONLY, a tmpfs's size= and mode= (the
 * registers are all taken): bits 16-27 the root directory's mode, given
 * when bit 28 is set; bits 32-63 the size in 4 KiB pages (0: none of its
 * own, as tmpfs's size=0). */
#define VFS_CTX_MOUNT_MODE_SHIFT 16
#define VFS_CTX_MOUNT_HAS_MODE (1ull << 28)
#define VFS_CTX_MOUNT_PAGES_SHIFT 32
#define VFS_CTX_MOUNT_PAGE 4096ull
#define VFS_CTX_LABEL_MAX 64
#define VFS_CONTEXT_COPY 0ull     /* a copy of the caller's context's mount table */
#define VFS_CONTEXT_NEW_ROOT 1ull /* `/` is a directory of the caller's context */

/* From proc-server (badge VFS_BADGE_PROC_SERVER). */
enum {
    /* MR0 new process's global PID, MR1 the process whose state it copies
     * (fork), or 0 for a first process (the boot context, fds 0-2 on the
     * console). */
    VFS_PROC_CREATE = 0x300,
    VFS_PROC_EXIT = 0x301, /* MR0 PID: closes everything it held */
    VFS_PROC_EXEC = 0x302, /* MR0 PID: closes its O_CLOEXEC descriptors */
    /* MR0 new process's global PID, MR1 its parent's (spawn): the parent's
     * root context, root and cwd, or, when the parent prepared one
     * (VFS_CTX_PREPARE_SPAWN), that context at the cwd it named; MR2 = three
     * 16-bit descriptors of the parent to give as 0, 1, 2 (VFS_SPAWN_NO_FD:
     * none); MR3 bits 0-31 = a template PID (0: none): the child takes the
     * template's context, root, cwd and umask instead (runc exec); bits
     * 32-47 = the length of a cwd for it (desc 0, absolute, resolved inside
     * the template's place; 0: the template's cwd); bit 48 =
     * VFS_SPAWN_FOREIGN (a joined mount namespace): -EPERM when the
     * template's context is the boot context or the parent's own. -EBADF
     * for a descriptor the parent has not open, -ESRCH (also a template
     * without a client), -EINVAL, -EEXIST. */
    VFS_PROC_SPAWN = 0x310,
    /* MR0 a spawned process's PID (no descriptors 0-2 yet), MR1 its
     * spawner's (runc exec -t): a pseudo-terminal pair from the process's
     * own /dev/ptmx (its place: the container it joined), the slave its
     * 0-2 and controlling terminal, the master the spawner's. Reply: the
     * spawner's new descriptor. -EINVAL, -ESRCH, -EBUSY (0-2 taken),
     * -ENXIO (no pair to be had there), -EMFILE, -ENOSPC, -ENOMEM. */
    VFS_PROC_PTY = 0x311,
    /* MR0 PID; desc 0 = path resolved as that process; desc 1 = a buffer
     * (DESC_WRITE); desc 2 (optional) = a vfs_exec_identity_t (DESC_WRITE).
     * Reply: the file's size; its bytes are copied when they fit the
     * buffer, and then its identity into desc 2. -ENOENT, -EACCES (not a
     * regular file), ... */
    VFS_EXEC_READ = 0x303,
    /* console-server was restarted (docs/restart.md): every descriptor
     * open on one of its terminals now answers -EIO, and vfs-server
     * subscribes to the new instance's readiness signals. Reply 0. */
    VFS_CONSOLE_RESTARTED = 0x304,
    /* MR0 PID: after a restart of vfs-server, proc-server attaches init
     * (and only init, docs/restart.md) to the rebuilt boot context at its
     * root, with no descriptors and cwd `/`. -EEXIST if it has a client. */
    VFS_PROC_REATTACH = 0x305,
};

/* Which file and which content VFS_EXEC_READ copied: proc-server shares the
 * read-only pages of every process running the same (dev, ino, version).
 * The version changes with every write or truncate and is never reused, not
 * even by another file or a restarted vfs-server. */
typedef struct {
    uint64_t dev, ino;
    uint64_t version;
    uint64_t size;
} vfs_exec_identity_t;

#endif
