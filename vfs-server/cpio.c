/*
 * cpio "newc" reader (see cpio.h). The layout, from cpio(5): a 110-byte ASCII
 * header ("070701" and thirteen 8-digit hex fields), the name (namesize bytes
 * with its NUL) padded to a multiple of 4 from the header's start, then
 * filesize bytes of data padded to a multiple of 4. "TRAILER!!!" ends it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "cpio.h"
#include "ramfs.h"

#define CPIO_HEADER_SIZE 110
#define CPIO_MAGIC_LEN 6
#define CPIO_TRAILER "TRAILER!!!"

enum cpio_field {
    F_INO,
    F_MODE,
    F_UID,
    F_GID,
    F_NLINK,
    F_MTIME,
    F_FILESIZE,
    F_DEVMAJOR,
    F_DEVMINOR,
    F_RDEVMAJOR,
    F_RDEVMINOR,
    F_NAMESIZE,
    F_CHECK,
    F_COUNT
};

typedef struct cpio_entry {
    uint64_t offset; /* of the header in the archive */
    uint32_t f[F_COUNT];
    const char *name; /* NUL-terminated when the entry is well formed */
    size_t name_len;  /* without the NUL */
    const uint8_t *data;
    size_t size;
    bool name_ok; /* the name has exactly one NUL, at its end */
} cpio_entry_t;

/* A regular file that later entries may name again as a hard link. */
typedef struct hardlink {
    uint32_t ino, major, minor;
    vnode_t *vn; /* held until the unpack ends */
} hardlink_t;

typedef struct unpacker {
    const uint8_t *data;
    size_t size;
    vnode_t *dir;
    cpio_report_fn report;
    void *arg;
    cpio_stats_t stats;
    hardlink_t *links;
    size_t nlinks, cap;
} unpacker_t;

static void report(unpacker_t *u, const cpio_entry_t *e, const char *why)
{
    if (u->report != NULL) {
        u->report(u->arg, e->offset, e->name_ok ? e->name : "", why);
    }
}

/* A bad entry: reported, counted, skipped. */
static void entry_bad(unpacker_t *u, const cpio_entry_t *e, const char *why)
{
    report(u, e, why);
    u->stats.bad++;
}

static bool parse_hex8(const uint8_t *p, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < 8; i++) {
        uint8_t c = p[i];
        uint32_t digit;
        if (c >= '0' && c <= '9') {
            digit = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            digit = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            digit = c - 'A' + 10;
        } else {
            return false;
        }
        v = v << 4 | digit;
    }
    *out = v;
    return true;
}

static uint64_t align4(uint64_t x)
{
    return (x + 3) & ~(uint64_t)3;
}

/*
 * Decodes the entry at off. On success *next is where the following entry
 * starts (possibly past the end). Returns -EINVAL, after reporting why, when
 * the archive cannot be followed any further.
 */
static int read_entry(unpacker_t *u, uint64_t off, cpio_entry_t *e, uint64_t *next)
{
    memset(e, 0, sizeof(*e));
    e->offset = off;
    const uint8_t *h = u->data + off;
    const char *why = NULL;
    if (u->size - off < CPIO_HEADER_SIZE) {
        why = "truncated header";
    } else if (memcmp(h, "070701", CPIO_MAGIC_LEN) != 0 &&
               memcmp(h, "070702", CPIO_MAGIC_LEN) != 0) {
        why = "bad magic";
    }
    for (int i = 0; why == NULL && i < F_COUNT; i++) {
        if (!parse_hex8(h + CPIO_MAGIC_LEN + 8 * i, &e->f[i])) {
            why = "bad hex digits in header";
        }
    }
    uint64_t name_off = off + CPIO_HEADER_SIZE;
    uint64_t namesize = e->f[F_NAMESIZE];
    if (why == NULL && namesize == 0) {
        why = "empty name";
    } else if (why == NULL && namesize > u->size - name_off) {
        why = "name past the end of the archive";
    }
    uint64_t data_off = align4(name_off + namesize);
    if (why == NULL && (data_off > u->size || e->f[F_FILESIZE] > u->size - data_off)) {
        why = "data past the end of the archive";
    }
    if (why != NULL) {
        report(u, e, why);
        return -EINVAL;
    }
    e->name = (const char *)u->data + name_off;
    e->name_len = (size_t)namesize - 1;
    e->name_ok = e->name[e->name_len] == '\0' && memchr(e->name, '\0', e->name_len) == NULL;
    e->data = u->data + data_off;
    e->size = e->f[F_FILESIZE];
    *next = align4(data_off + e->size);
    return 0;
}

/* Takes the next component of *p (up to '/'); false at the end. */
static bool next_component(const char **p, const char *end, const char **name, size_t *len)
{
    while (*p < end && **p == '/') {
        (*p)++;
    }
    if (*p == end) {
        return false;
    }
    const char *start = *p;
    while (*p < end && **p != '/') {
        (*p)++;
    }
    *name = start;
    *len = (size_t)(*p - start);
    return true;
}

static bool is_dot(const char *name, size_t len)
{
    return len == 1 && name[0] == '.';
}

/*
 * Walks e's name below u->dir, making missing directories, never following a
 * symlink. Leaves the final component in *name and *len (len 0 if the name is the
 * target directory itself). Returns a reason for refusing, or NULL.
 */
static const char *walk_name(unpacker_t *u, const cpio_entry_t *e, vnode_t **dir, const char **name,
                             size_t *len)
{
    const char *p = e->name, *end = e->name + e->name_len;
    const char *comp = NULL;
    size_t clen = 0;
    *dir = u->dir;
    while (next_component(&p, end, &comp, &clen)) {
        if (clen > VFS_NAME_MAX) {
            return "name component too long";
        }
        if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
            return "\"..\" in name";
        }
        const char *rest = p, *ncomp;
        size_t nlen;
        bool last = true;
        while (next_component(&rest, end, &ncomp, &nlen)) {
            if (!is_dot(ncomp, nlen)) {
                last = false;
                break;
            }
        }
        if (is_dot(comp, clen)) {
            continue;
        }
        if (last) {
            *name = comp;
            *len = clen;
            return NULL;
        }
        vnode_t *child;
        int err = ramfs_lookup(*dir, comp, clen, &child);
        if (err == -ENOENT) {
            err = ramfs_mknod(*dir, comp, clen, S_IFDIR | 0755, 0, 0, 0, &child);
        }
        if (err < 0) {
            return "cannot create a parent directory";
        }
        if (!vnode_is_dir(child)) {
            return "path through a non-directory";
        }
        *dir = child;
    }
    *name = NULL;
    *len = 0;
    return NULL;
}

static void set_attrs(vnode_t *v, const cpio_entry_t *e)
{
    vnode_chmod(v, e->f[F_MODE] & 07777);
    vnode_chown(v, e->f[F_UID], e->f[F_GID]);
    struct timespec t[2] = {{(time_t)e->f[F_MTIME], 0}, {(time_t)e->f[F_MTIME], 0}};
    vnode_utimens(v, t);
}

/* Makes room for a new non-directory or directory named name in dir. */
static const char *clear_name(vnode_t *dir, const char *name, size_t len, bool want_dir,
                              vnode_t **kept_dir)
{
    *kept_dir = NULL;
    vnode_t *old;
    if (ramfs_lookup(dir, name, len, &old) < 0) {
        return NULL;
    }
    if (vnode_is_dir(old)) {
        if (want_dir) {
            *kept_dir = old;
            return NULL;
        }
        return "would replace a directory";
    }
    return ramfs_unlink(dir, name, len) < 0 ? "cannot replace an existing file" : NULL;
}

static hardlink_t *hardlink_find(unpacker_t *u, const cpio_entry_t *e)
{
    for (size_t i = 0; i < u->nlinks; i++) {
        hardlink_t *h = &u->links[i];
        if (h->ino == e->f[F_INO] && h->major == e->f[F_DEVMAJOR] && h->minor == e->f[F_DEVMINOR]) {
            return h;
        }
    }
    return NULL;
}

/* Remembers v for later links to it; losing this only loses the later links. */
static void hardlink_remember(unpacker_t *u, const cpio_entry_t *e, vnode_t *v)
{
    if (quota_reserve(NULL, (void **)&u->links, &u->cap, sizeof(*u->links), u->nlinks + 1) < 0) {
        return;
    }
    hardlink_t h = {e->f[F_INO], e->f[F_DEVMAJOR], e->f[F_DEVMINOR], v};
    vnode_get(v);
    u->links[u->nlinks++] = h;
}

static const char *write_data(vnode_t *v, const cpio_entry_t *e)
{
    if (e->size == 0) {
        return NULL;
    }
    if (ramfs_truncate(v, 0) < 0 || ramfs_write(v, 0, e->data, e->size) < 0) {
        return "out of space for the file's data";
    }
    return NULL;
}

static const char *make_file(unpacker_t *u, const cpio_entry_t *e, vnode_t *dir, const char *name,
                             size_t len)
{
    hardlink_t *h = e->f[F_NLINK] > 1 ? hardlink_find(u, e) : NULL;
    vnode_t *v;
    if (h != NULL) {
        if (ramfs_link(dir, name, len, h->vn) < 0) {
            return "cannot make the hard link";
        }
        v = h->vn;
    } else if (ramfs_mknod(dir, name, len, S_IFREG | 0600, 0, 0, 0, &v) < 0) {
        return "cannot create the file";
    }
    const char *why = write_data(v, e);
    if (why != NULL) {
        ramfs_unlink(dir, name, len);
        return why;
    }
    if (h == NULL && e->f[F_NLINK] > 1) {
        hardlink_remember(u, e, v);
    }
    set_attrs(v, e);
    return NULL;
}

static const char *make_symlink(const cpio_entry_t *e, vnode_t *dir, const char *name, size_t len)
{
    vnode_t *v;
    if (e->size == 0 || e->size > VFS_SYMLINK_MAX || memchr(e->data, '\0', e->size) != NULL) {
        return "bad symlink target";
    }
    if (ramfs_symlink(dir, name, len, (const char *)e->data, e->size, 0, 0, &v) < 0) {
        return "cannot create the symlink";
    }
    vnode_chown(v, e->f[F_UID], e->f[F_GID]);
    struct timespec t[2] = {{(time_t)e->f[F_MTIME], 0}, {(time_t)e->f[F_MTIME], 0}};
    vnode_utimens(v, t);
    return NULL;
}

static const char *make_other(const cpio_entry_t *e, vnode_t *dir, const char *name, size_t len,
                              vnode_t *kept_dir)
{
    mode_t type = e->f[F_MODE] & S_IFMT;
    vnode_t *v = kept_dir;
    dev_t rdev = makedev(e->f[F_RDEVMAJOR], e->f[F_RDEVMINOR]);
    if (v == NULL && ramfs_mknod(dir, name, len, type | 0600, rdev, 0, 0, &v) < 0) {
        return "cannot create the entry";
    }
    set_attrs(v, e);
    return NULL;
}

static bool type_known(mode_t type)
{
    return type == S_IFREG || type == S_IFDIR || type == S_IFLNK || type == S_IFCHR ||
           type == S_IFBLK || type == S_IFIFO || type == S_IFSOCK;
}

static const char *apply_entry(unpacker_t *u, const cpio_entry_t *e)
{
    mode_t type = e->f[F_MODE] & S_IFMT;
    if (!e->name_ok) {
        return "name not NUL-terminated or with a NUL inside";
    }
    if (e->name_len >= VFS_PATH_MAX) {
        return "name too long";
    }
    if (!type_known(type)) {
        return "unknown file type";
    }
    vnode_t *dir = NULL;
    const char *name = NULL; /* set by walk_name; initialised for -O2's flow analysis */
    size_t len = 0;
    const char *why = walk_name(u, e, &dir, &name, &len);
    if (why != NULL) {
        return why;
    }
    if (len == 0) {
        if (type != S_IFDIR) {
            return "only a directory can name the target directory";
        }
        set_attrs(dir, e);
        return NULL;
    }
    vnode_t *kept_dir;
    why = clear_name(dir, name, len, type == S_IFDIR, &kept_dir);
    if (why != NULL) {
        return why;
    }
    if (type == S_IFREG) {
        return make_file(u, e, dir, name, len);
    }
    if (type == S_IFLNK) {
        return make_symlink(e, dir, name, len);
    }
    return make_other(e, dir, name, len, kept_dir);
}

static void hardlinks_release(unpacker_t *u)
{
    for (size_t i = 0; i < u->nlinks; i++) {
        vnode_put(u->links[i].vn);
    }
    free(u->links);
}

static int unpack_all(unpacker_t *u)
{
    uint64_t off = 0;
    for (;;) {
        cpio_entry_t e;
        uint64_t next;
        if (off >= u->size) {
            e.offset = off;
            e.name_ok = false;
            report(u, &e, "no TRAILER!!! before the end of the archive");
            return -EINVAL;
        }
        if (read_entry(u, off, &e, &next) < 0) {
            return -EINVAL;
        }
        if (e.name_ok && strcmp(e.name, CPIO_TRAILER) == 0) {
            return 0;
        }
        const char *why = apply_entry(u, &e);
        if (why != NULL) {
            entry_bad(u, &e, why);
        } else {
            u->stats.entries++;
        }
        off = next;
    }
}

int cpio_unpack(const void *data, size_t size, vnode_t *dir, cpio_report_fn report_fn, void *arg,
                cpio_stats_t *stats)
{
    if (!vnode_is_dir(dir)) {
        return -ENOTDIR;
    }
    unpacker_t u = {.data = data, .size = size, .dir = dir, .report = report_fn, .arg = arg};
    int err = unpack_all(&u);
    hardlinks_release(&u);
    if (stats != NULL) {
        *stats = u.stats;
    }
    return err;
}
