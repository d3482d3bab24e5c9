/*
 * libFuzzer target for the initrd reader (vfs-server/cpio.c).
 *
 * An input whose first byte is odd is the archive itself (after that byte).
 * Otherwise it describes entries (type, links, inode, name, data, and errors
 * to put into the name and file sizes) that are written out as a newc archive
 * and then cut at a length the input chooses, so that the reader is exercised
 * past its magic check as much as on garbage. The archive, copied to a heap buffer of exactly its
 * size so that ASan catches any read past the archive, is unpacked into a fresh ramfs with a 4 MiB
 * quota. Afterwards the tree must be sound (no entry named "." or "..", every
 * directory's parent link matching where it is listed) and, once the file
 * system is dropped, every byte charged must have been given back.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../vfs-server/cpio.h"
#include "../../vfs-server/ramfs.h"

static void check_tree(const vnode_t *dir, int depth)
{
    if (depth > 4096) {
        abort();
    }
    for (size_t i = 0; i < dir->u.dir.count; i++) {
        const dir_entry_t *e = dir->u.dir.entries[i];
        if (ramfs_check_name(e->name, e->len) != 0) {
            abort();
        }
        if (vnode_is_dir(e->vn)) {
            if (e->vn->u.dir.parent != dir) {
                abort();
            }
            check_tree(e->vn, depth + 1);
        }
    }
}

typedef struct input {
    const uint8_t *p;
    size_t left;
} input_t;

static uint8_t take_byte(input_t *in)
{
    if (in->left == 0) {
        return 0;
    }
    in->left--;
    return *in->p++;
}

static const uint8_t *take_bytes(input_t *in, size_t *n)
{
    *n = take_byte(in);
    if (*n > in->left) {
        *n = in->left;
    }
    const uint8_t *p = in->p;
    in->p += *n;
    in->left -= *n;
    return p;
}

static const unsigned cpio_types[] = {0100000, 0040000, 0120000, 0020000,
                                      0060000, 0010000, 0140000, 0170000};

/* Appends one entry described by the input to out (at most 8 KiB per entry). */
static size_t write_entry(input_t *in, char *out)
{
    unsigned mode = cpio_types[take_byte(in) % 8] | 0755;
    unsigned nlink = take_byte(in) % 4, ino = take_byte(in) % 8;
    size_t nlen, dlen;
    const uint8_t *name = take_bytes(in, &nlen);
    const uint8_t *body = take_bytes(in, &dlen);
    int8_t name_err = (int8_t)take_byte(in), size_err = (int8_t)take_byte(in);
    size_t n = (size_t)sprintf(out, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
                               ino, mode, 0, 0, nlink, 0, (unsigned)(dlen + (size_err % 3)), 0, 0,
                               1, 3, (unsigned)(nlen + 1 + (name_err % 3)), 0);
    memcpy(out + n, name, nlen);
    n += nlen;
    out[n++] = '\0';
    while (n % 4 != 0) {
        out[n++] = '\0';
    }
    memcpy(out + n, body, dlen);
    n += dlen;
    while (n % 4 != 0) {
        out[n++] = '\0';
    }
    return n;
}

/* Builds the archive an input describes; returns its length. */
static size_t build_archive(input_t *in, char *out, size_t cap)
{
    size_t cut = take_byte(in);
    size_t len = 0;
    while (in->left > 0 && cap - len > 1024) {
        len += write_entry(in, out + len);
    }
    len += (size_t)sprintf(out + len,
                           "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X"
                           "TRAILER!!!%c%c%c%c",
                           0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 11, 0, 0, 0, 0, 0);
    return cut > 0 && cut < len ? len - cut : len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char built[1 << 20];
    const void *archive = data + (size > 0);
    size_t len = size > 0 ? size - 1 : 0;
    if (size > 0 && (data[0] & 1) == 0) {
        input_t in = {data + 1, size - 1};
        len = build_archive(&in, built, sizeof(built));
        archive = built;
    }
    uint8_t *copy = malloc(len > 0 ? len : 1);
    if (copy == NULL) {
        return 0;
    }
    memcpy(copy, archive, len);
    size = len;
    quota_t *q = quota_new(4u << 20);
    ramfs_opts_t opts = {.root_mode = 0755, .quota = q};
    vfs_fs_t *fs;
    if (q == NULL || ramfs_new(&opts, &fs) < 0) {
        abort();
    }
    cpio_stats_t stats;
    cpio_unpack(copy, size, fs->root, NULL, NULL, &stats);
    check_tree(fs->root, 0);
    vfs_fs_put(fs);
    if (q->used != 0) {
        abort();
    }
    quota_put(q);
    free(copy);
    return 0;
}
