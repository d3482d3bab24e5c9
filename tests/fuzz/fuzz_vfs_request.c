/*
 * libFuzzer target for vfs-server's request decoding (vfs-server/request_check.c):
 * label, message registers, descriptor count and the bytes of a string,
 * checked by the same functions the handlers call, in the handlers' order.
 *
 * Input: byte 0 the registers sent (low 3 bits) and descriptors lent (next
 * 3: 0-7), byte 1 whether the file is seekable; then MR0..MR3, a file offset and
 * size (8 bytes each); the rest is a string's bytes. Every check runs on the
 * same fields, as each label's handler reads them. Each answer is checked against
 * docs/protocols/vfs.md: an accepted request has every field in range, a refused one names the
 * field's errno, and nothing overflows (lseek's sum is recomputed in 128 bits).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "../../vfs-server/request_check.h"
#include "../../vfs-server/resolve.h"
#include "protocol/vfs.h"

#define HEADER 2
#define WORDS 6

static void expect(int cond)
{
    if (!cond) {
        abort();
    }
}

static uint64_t word(const uint8_t *data, size_t i)
{
    uint64_t w;
    memcpy(&w, data + HEADER + 8 * i, 8);
    return w;
}

static void check_path(const request_t *req)
{
    uint64_t len = 0;
    uint64_t sent = req->length > 3 ? req->mr[3] : 0;
    int err = request_path_len(req, &len);
    if (sent >= VFS_PATH_MAX) {
        expect(err == -ENAMETOOLONG);
    } else if (sent > 0 && req->descriptors == 0) {
        expect(err == -EFAULT);
    } else {
        expect(err == 0 && len == sent);
    }
}

static void check_strings(const request_t *req, const char *bytes, size_t n)
{
    for (unsigned desc = 0; desc < 3; desc++) {
        int err = request_string_len(req, desc, req->mr[desc], VFS_MOUNT_STRING_MAX);
        expect(err == 0 ? req->mr[desc] <= VFS_MOUNT_STRING_MAX && req->descriptors > desc
                        : err == -ENAMETOOLONG || err == -EFAULT);
    }
    /* the string as the handler holds it: copied to a buffer of its length */
    char *copy = malloc(n + 1);
    memcpy(copy, bytes, n);
    copy[n] = '\0';
    expect((request_string_bytes(copy, n) == 0) == (strlen(copy) == n));
    /* mount(2)'s data as a tmpfs's options: whole pages, a mode in range */
    vfs_ctx_mount_args_t o = {.bytes = 1};
    int err = vfs_tmpfs_options(copy, n, &o);
    expect(err == 0 || err == -EINVAL);
    expect(err != 0 || (o.mode <= 07777 && o.bytes % VFS_CTX_MOUNT_PAGE == 0 &&
                        o.bytes / VFS_CTX_MOUNT_PAGE <= 0xffffffffull && (o.has_mode || !o.mode)));
    expect(err != 0 || o.bytes == 0 || strstr(copy, "size=") != NULL);
    free(copy);
}

static void check_rw(const request_t *req, bool seekable)
{
    vfs_rw_args_t rw;
    int err = vfs_rw_args(req, seekable, &rw);
    if (err != 0) {
        expect(err == -EFAULT || err == -EINVAL || err == -ESPIPE);
        return;
    }
    expect(req->descriptors >= 1 && req->length >= 2 && rw.count <= INT32_MAX);
    expect(rw.count == (req->mr[1] > INT32_MAX ? INT32_MAX : req->mr[1]));
    expect((rw.flags & ~(VFS_RW_AT | VFS_RW_NOWAIT | VFS_RW_SIGTTIN_IGNORED)) == 0);
    expect(!rw.positional || (seekable && (int64_t)rw.at >= 0));
}

static void check_seek(const request_t *req, int64_t cur, int64_t end)
{
    int64_t pos = -1;
    int err = vfs_seek(req->mr[2], cur, end, (int64_t)req->mr[1], &pos);
    __int128 base = req->mr[2] == SEEK_SET ? 0 : req->mr[2] == SEEK_CUR ? cur : end;
    __int128 want = base + (int64_t)req->mr[1];
    if (req->mr[2] > SEEK_END || want < 0 || want > INT64_MAX) {
        expect(err == -EINVAL);
    } else {
        expect(err == 0 && pos == want);
    }
}

static void check_at_flags(const request_t *req)
{
    static const int allowed[] = {AT_EMPTY_PATH, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
                                  AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT};
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
        unsigned rflags = 99;
        int flags = (int)req->mr[1];
        int err = vfs_at_flags(flags, allowed[i], &rflags);
        if ((flags & ~allowed[i]) != 0) {
            expect(err == -EINVAL);
            continue;
        }
        expect(err == 0 && (rflags & ~(RESOLVE_NOFOLLOW | RESOLVE_EMPTY_PATH)) == 0);
        expect(((rflags & RESOLVE_EMPTY_PATH) != 0) == ((flags & AT_EMPTY_PATH) != 0));
        expect(((rflags & RESOLVE_NOFOLLOW) != 0) == ((flags & AT_SYMLINK_NOFOLLOW) != 0));
    }
}

static void check_fd_calls(const request_t *req)
{
    int64_t newfd = -2;
    int err = vfs_dup3_args(req, &newfd);
    if (err == 0) {
        expect(req->mr[2] == 0 || req->mr[2] == O_CLOEXEC);
        expect(newfd == -1 || (newfd >= 0 && newfd < 256 && (uint64_t)newfd != req->mr[0]));
    } else {
        expect(err == -EINVAL || err == -EBADF);
    }
    uint64_t nfds;
    bool wait;
    err = vfs_poll_args(req, &nfds, &wait);
    expect(err != 0 || (nfds <= 1024 && req->mr[1] <= 1 && (nfds == 0 || req->descriptors > 0)));
    int flags;
    err = vfs_pipe2_args(req, &flags);
    expect(err != 0 ||
           ((req->mr[0] & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK)) == 0 && req->descriptors > 0));
}

static void check_flag_words(const request_t *req)
{
    uint32_t rename = (uint32_t)req->mr[2];
    expect((vfs_rename_flags(rename) == 0) == (rename <= 2));
    unsigned long mflags;
    if (vfs_mount_flags(req->mr[0], &mflags) == 0) {
        expect((mflags &
                ~(unsigned long)(MS_RDONLY | MS_REMOUNT | MS_BIND | MS_SILENT | MS_NOSUID)) == 0);
    }
    uint64_t data_len = 0;
    int aerr = vfs_mount_args(req, &mflags, &data_len);
    if (aerr == 0) {
        expect(data_len == req->mr[0] >> 32 && data_len <= VFS_MOUNT_STRING_MAX);
        expect(data_len == 0 || req->descriptors >= 4);
    } else {
        expect(aerr == -EINVAL || (aerr == -EFAULT && req->descriptors < 4));
    }
    expect((vfs_umount_flags(req->mr[0]) == 0) ==
           ((req->mr[0] & ~(uint64_t)(MNT_DETACH | UMOUNT_NOFOLLOW)) == 0));
    /* VFS_CTX_MOUNT: MS_RDONLY, a tmpfs's mode (only with its bit) and pages */
    vfs_ctx_mount_args_t m;
    const uint64_t mode_bits = 07777ull << VFS_CTX_MOUNT_MODE_SHIFT;
    uint64_t other = req->mr[0] & ~(MS_RDONLY | mode_bits | VFS_CTX_MOUNT_HAS_MODE |
                                    0xffffffffull << VFS_CTX_MOUNT_PAGES_SHIFT);
    bool tmpfs = (req->mr[1] & 1) != 0, opts = (req->mr[0] & ~(uint64_t)MS_RDONLY) != 0;
    bool stray = (req->mr[0] & mode_bits) != 0 && !(req->mr[0] & VFS_CTX_MOUNT_HAS_MODE);
    int merr = vfs_ctx_mount_args(req->mr[0], tmpfs, &m);
    expect((merr == 0) == (other == 0 && (tmpfs || !opts) && !stray));
    expect(merr == 0 || merr == -EINVAL);
    expect(merr != 0 || (m.mode <= 07777 && m.bytes % VFS_CTX_MOUNT_PAGE == 0 &&
                         m.bytes / VFS_CTX_MOUNT_PAGE == req->mr[0] >> VFS_CTX_MOUNT_PAGES_SHIFT));
    bool given;
    int err = vfs_utimens_args(req, &given);
    expect(err != 0 || (req->mr[2] <= 1 && (!given || req->descriptors >= 2)));
}

/* VFS_PROC_SPAWN's template word. */
static void check_spawn_template(const request_t *req)
{
    vfs_spawn_template_t t;
    uint64_t word = req->length > 3 ? req->mr[3] : 0;
    if (vfs_spawn_template_args(req, &t) == 0) {
        expect(word >> 49 == 0 && (uint64_t)t.pid == (word & 0xffffffffu) && t.pid >= 0);
        expect(t.cwd_len == ((word >> 32) & 0xffff) && t.foreign == ((word >> 48) & 1));
        expect(t.pid > 0 || (t.cwd_len == 0 && !t.foreign));
    } else {
        expect(t.pid == 0 && t.cwd_len == 0 && !t.foreign);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < HEADER + 8 * WORDS) {
        return 0;
    }
    request_t req = {0, data[0] & 7, (data[0] >> 3) & 7, {0}};
    for (unsigned i = 0; i < 4; i++) {
        req.mr[i] = i < req.length ? word(data, i) : 0; /* as main.c's request_of */
    }
    check_path(&req);
    check_strings(&req, (const char *)data + HEADER + 8 * WORDS, size - HEADER - 8 * WORDS);
    check_rw(&req, (data[1] & 1) != 0);
    check_seek(&req, (int64_t)word(data, 4), (int64_t)word(data, 5));
    check_at_flags(&req);
    check_fd_calls(&req);
    check_flag_words(&req);
    check_spawn_template(&req);
    return 0;
}
