/* mmap of files by reading them into anonymous memory (file_map.h). */
#define _GNU_SOURCE /* AT_EMPTY_PATH */
#include "file_map.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "capsule/kernel.h"
#include "files.h"
#include "protocol/vfs.h"
#include "runtime.h"
#include "uapi/vm.h"

#define SHARED_VALIDATE 0x03 /* MAP_SHARED_VALIDATE: MAP_SHARED with flags checked */

RUNTIME static int64_t file_stat(int64_t fd, struct stat *st)
{
    lend(1, (uint64_t)st, sizeof(*st), DESC_WRITE);
    return path_call(VFS_FSTATAT, (uint64_t) "", (uint64_t)fd, AT_EMPTY_PATH, 0, 1);
}

/* Linux's checks of a file mapping after the descriptor: the access the
 * type and protection need (EACCES), then whether the file can be mapped. */
RUNTIME static int64_t check_file(int64_t fd, uint64_t prot, uint64_t type, int64_t fl)
{
    int64_t mode = fl & O_ACCMODE;
    bool readable = mode == O_RDONLY || mode == O_RDWR;
    bool writable = mode == O_WRONLY || mode == O_RDWR;
    switch (type) {
    case MAP_SHARED:
    case SHARED_VALIDATE:
        if ((prot & PROT_WRITE) && !writable) {
            return -EACCES;
        }
        return readable ? -ENODEV : -EACCES; /* writes could not reach the file */
    case MAP_PRIVATE: {
        if (!readable) {
            return -EACCES;
        }
        struct stat st;
        int64_t err = file_stat(fd, &st);
        if (err != 0) {
            return err;
        }
        return S_ISREG(st.st_mode) ? 0 : -ENODEV;
    }
    default:
        return -EINVAL;
    }
}

/* Reads up to len bytes of fd at offset into [addr, addr + len): stops at
 * the end of the file, the rest stays zero. */
RUNTIME static int64_t fill_from_file(int64_t fd, uint64_t addr, uint64_t len, uint64_t offset)
{
    for (uint64_t done = 0; done < len;) {
        lend(0, addr + done, len - done, DESC_WRITE);
        int64_t n = vfs_call(VFS_READ, (uint64_t)fd, len - done, offset + done, VFS_RW_AT, 1);
        if (n <= 0) {
            return n;
        }
        done += (uint64_t)n;
    }
    return 0;
}

RUNTIME int64_t file_map_mmap(uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags,
                              int64_t fd, uint64_t offset)
{
    if (offset % PAGE_SIZE != 0) {
        return -EINVAL; /* checked first on x86_64, anonymous or not */
    }
    if (flags & MAP_ANONYMOUS) {
        return memory_mmap(addr, len, prot, flags, fd, offset);
    }
    int64_t fl = vfs_call(VFS_FCNTL, (uint64_t)fd, F_GETFL, 0, 0, 0);
    if (fl < 0) {
        return fl; /* -EBADF */
    }
    if (len == 0 || (prot & ~7ull)) {
        return -EINVAL;
    }
    if ((int64_t)offset < 0 || len > USER_LIMIT || offset + len < offset) {
        return -EOVERFLOW; /* the page offset would wrap, as Linux checks */
    }
    int64_t err = check_file(fd, prot, flags & MAP_TYPE, fl);
    if (err != 0) {
        return err;
    }
    /* writable while it is filled, then the protection asked for */
    uint64_t anon = (flags & ~(uint64_t)MAP_TYPE) | MAP_PRIVATE | MAP_ANONYMOUS;
    int64_t mapped = memory_mmap(addr, len, PROT_READ | PROT_WRITE, anon, -1, 0);
    if (mapped < 0) {
        return mapped;
    }
    err = fill_from_file(fd, (uint64_t)mapped, len, offset);
    if (err == 0) {
        err = memory_mprotect((uint64_t)mapped, len, prot);
    }
    if (err != 0) {
        memory_munmap((uint64_t)mapped, len);
        return err;
    }
    return mapped;
}
