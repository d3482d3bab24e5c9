#include "request.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "capsule/slots.h"

int request_copy_in(unsigned desc, uint64_t offset, void *local, size_t len)
{
    uint64_t done;
    if (len == 0) {
        return 0;
    }
    kerr_t err = reply_copy_from(CAP_REPLY_CURRENT, desc, offset, local, len, &done);
    return err == KERR_OK && done == len ? 0 : -EFAULT;
}

int request_copy_out(unsigned desc, uint64_t offset, const void *local, size_t len)
{
    uint64_t done;
    if (len == 0) {
        return 0;
    }
    kerr_t err = reply_copy_to(CAP_REPLY_CURRENT, desc, offset, local, len, &done);
    return err == KERR_OK && done == len ? 0 : -EFAULT;
}

int request_path(const request_t *req, char buf[VFS_PATH_MAX], size_t *len)
{
    uint64_t n;
    int err = request_path_len(req, &n);
    if (err == 0) {
        err = request_copy_in(0, 0, buf, n);
    }
    if (err != 0) {
        return err;
    }
    buf[n] = '\0';
    if ((err = request_string_bytes(buf, n)) != 0) {
        return err;
    }
    *len = n;
    return 0;
}

int request_second_path(const request_t *req, uint64_t len, char buf[VFS_PATH_MAX])
{
    int err = request_string_len(req, 1, len, VFS_PATH_MAX - 1);
    if (err == 0) {
        err = request_copy_in(1, 0, buf, len);
    }
    if (err != 0) {
        return err;
    }
    buf[len] = '\0';
    return request_string_bytes(buf, len);
}

cptr_t request_save_caller(void)
{
    cptr_t slot = slot_alloc();
    if (slot != CAP_NULL && cnode_save_caller(CAP_INIT_CNODE, slot) != KERR_OK) {
        slot_free(slot);
        slot = CAP_NULL;
    }
    return slot;
}
