/*
 * ramfs file data: a sorted array of page-sized chunks per regular file. A page
 * that was never written (or was cut off by truncate) is absent and reads as
 * zeros, so sparse files cost only the pages written.
 *
 * Writes are all-or-nothing: every missing page is allocated before any byte is
 * copied, so ENOSPC leaves the file exactly as it was.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ramfs.h"

/* Index of the chunk for page, or of where it would be inserted. */
static size_t chunk_search(const vnode_t *v, uint64_t page, bool *found)
{
    size_t lo = 0, hi = v->u.file.count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->u.file.chunks[mid].index < page) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    *found = lo < v->u.file.count && v->u.file.chunks[lo].index == page;
    return lo;
}

static uint8_t *chunk_find(const vnode_t *v, uint64_t page)
{
    bool found;
    size_t i = chunk_search(v, page, &found);
    return found ? v->u.file.chunks[i].data : NULL;
}

static int file_check(const vnode_t *v)
{
    if (vnode_is_dir(v)) {
        return -EISDIR;
    }
    return S_ISREG(v->mode) ? 0 : -EINVAL;
}

ssize_t ramfs_read(vnode_t *v, uint64_t off, void *buf, size_t len)
{
    int err = file_check(v);
    if (err < 0) {
        return err;
    }
    uint64_t size = v->u.file.size;
    if (off >= size) {
        return 0;
    }
    if (len > size - off) {
        len = (size_t)(size - off);
    }
    if (len > SSIZE_MAX) {
        len = SSIZE_MAX;
    }
    size_t done = 0;
    while (done < len) {
        uint64_t pos = off + done;
        size_t in_page = (size_t)(pos % RAMFS_PAGE_SIZE);
        size_t n = RAMFS_PAGE_SIZE - in_page;
        if (n > len - done) {
            n = len - done;
        }
        const uint8_t *page = chunk_find(v, pos / RAMFS_PAGE_SIZE);
        if (page != NULL) {
            memcpy((uint8_t *)buf + done, page + in_page, n);
        } else {
            memset((uint8_t *)buf + done, 0, n);
        }
        done += n;
    }
    v->atime = vnode_now(v);
    return (ssize_t)done;
}

/* Pages in [first, last] that have no chunk yet. */
static size_t count_missing(const vnode_t *v, uint64_t first, uint64_t last)
{
    size_t missing = 0;
    for (uint64_t p = first; p <= last; p++) {
        if (chunk_find(v, p) == NULL) {
            missing++;
        }
    }
    return missing;
}

static void free_pages(quota_t *q, uint8_t **pages, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        quota_free(q, pages[i], RAMFS_PAGE_SIZE);
    }
    free(pages);
}

/*
 * Allocates n zeroed pages and room in the chunk array for them, or nothing:
 * the array grows last so that a failure leaves even the quota as it was.
 */
static int alloc_pages(vnode_t *v, size_t n, uint8_t ***out)
{
    quota_t *q = quota_owner(v->fs->quota);
    uint8_t **pages = calloc(n > 0 ? n : 1, sizeof(*pages));
    if (pages == NULL) {
        return -ENOMEM;
    }
    int err = 0;
    size_t made = 0;
    while (made < n && err == 0) {
        err = quota_zalloc(q, RAMFS_PAGE_SIZE, (void **)&pages[made]);
        made += err == 0;
    }
    if (err == 0) {
        err = quota_reserve(v->quota, (void **)&v->u.file.chunks, &v->u.file.cap,
                            sizeof(file_chunk_t), v->u.file.count + n);
    }
    if (err < 0) {
        free_pages(q, pages, made);
        return err;
    }
    *out = pages;
    return 0;
}

static void chunk_insert(vnode_t *v, uint64_t page, uint8_t *data)
{
    bool found;
    size_t i = chunk_search(v, page, &found);
    file_chunk_t *c = v->u.file.chunks;
    memmove(&c[i + 1], &c[i], (v->u.file.count - i) * sizeof(*c));
    c[i].index = page;
    c[i].data = data;
    c[i].quota = quota_owner(v->fs->quota); /* what alloc_pages charged */
    quota_get(c[i].quota);
    v->u.file.count++;
}

/* Gives every page in [first, last] a chunk, using the preallocated pages. */
static void fill_missing(vnode_t *v, uint64_t first, uint64_t last, uint8_t **pages)
{
    size_t used = 0;
    for (uint64_t p = first; p <= last; p++) {
        if (chunk_find(v, p) == NULL) {
            chunk_insert(v, p, pages[used++]);
        }
    }
}

static void copy_in(vnode_t *v, uint64_t off, const uint8_t *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        uint64_t pos = off + done;
        size_t in_page = (size_t)(pos % RAMFS_PAGE_SIZE);
        size_t n = RAMFS_PAGE_SIZE - in_page;
        if (n > len - done) {
            n = len - done;
        }
        memcpy(chunk_find(v, pos / RAMFS_PAGE_SIZE) + in_page, buf + done, n);
        done += n;
    }
}

ssize_t ramfs_write(vnode_t *v, uint64_t off, const void *buf, size_t len)
{
    int err = file_check(v);
    if (err < 0) {
        return err;
    }
    if (len == 0) {
        return 0;
    }
    if (len > SSIZE_MAX || off > RAMFS_MAX_FILE_SIZE || len > RAMFS_MAX_FILE_SIZE - off) {
        return -EFBIG;
    }
    uint64_t first = off / RAMFS_PAGE_SIZE, last = (off + len - 1) / RAMFS_PAGE_SIZE;
    size_t missing = count_missing(v, first, last);
    uint8_t **pages;
    err = alloc_pages(v, missing, &pages);
    if (err < 0) {
        return err;
    }
    fill_missing(v, first, last, pages);
    free(pages);
    copy_in(v, off, buf, len);
    if (off + len > v->u.file.size) {
        v->u.file.size = off + len;
    }
    vnode_touch(v, VNODE_TOUCH_MTIME);
    vnode_content_changed(v);
    return (ssize_t)len;
}

/* Frees every page from index keep on. */
static void drop_pages_from(vnode_t *v, uint64_t keep)
{
    bool found;
    size_t i = chunk_search(v, keep, &found);
    for (size_t j = i; j < v->u.file.count; j++) {
        file_chunk_t *c = &v->u.file.chunks[j];
        quota_free(c->quota, c->data, RAMFS_PAGE_SIZE);
        quota_put(c->quota);
    }
    v->u.file.count = i;
}

int ramfs_truncate(vnode_t *v, uint64_t size)
{
    int err = file_check(v);
    if (err < 0) {
        return err;
    }
    if (size > RAMFS_MAX_FILE_SIZE) {
        return -EFBIG;
    }
    if (size < v->u.file.size) {
        uint64_t keep = (size + RAMFS_PAGE_SIZE - 1) / RAMFS_PAGE_SIZE;
        drop_pages_from(v, keep);
        /* The kept tail of a partial last page must read as zeros if the file grows again. */
        uint8_t *tail = size % RAMFS_PAGE_SIZE != 0 ? chunk_find(v, size / RAMFS_PAGE_SIZE) : NULL;
        if (tail != NULL) {
            size_t in_page = (size_t)(size % RAMFS_PAGE_SIZE);
            memset(tail + in_page, 0, RAMFS_PAGE_SIZE - in_page);
        }
    }
    if (size != v->u.file.size) {
        v->u.file.size = size;
        vnode_touch(v, VNODE_TOUCH_MTIME);
        vnode_content_changed(v);
    }
    return 0;
}

ssize_t ramfs_readlink(const vnode_t *v, char *buf, size_t size)
{
    if (!vnode_is_symlink(v)) {
        return -EINVAL;
    }
    size_t n = v->u.link.len < size ? v->u.link.len : size;
    memcpy(buf, v->u.link.target, n);
    return (ssize_t)n;
}
