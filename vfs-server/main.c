/*
 * vfs-server: VFS root contexts, mounts, file systems and per-process file
 * tables. This is its event loop; the file-system core arrives in steps.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "capsule/server.h"
#include "protocol/server.h"

static uint64_t requests_served;

static int64_t do_debug_text(uint64_t listing)
{
    if (listing != DEBUG_LIST_SUMMARY) {
        return -EINVAL;
    }
    char text[128];
    int n = snprintf(text, sizeof(text), "vfs-server: %lu requests served, no contexts yet\n",
                     requests_served);
    uint64_t done = 0;
    kerr_t err = reply_copy_to(CAP_REPLY_CURRENT, 0, 0, text, (uint64_t)n, &done);
    return err == KERR_OK ? (int64_t)done : -EFAULT;
}

static int64_t dispatch(uint64_t label, const sys_result_t *msg)
{
    switch (label) {
    case PROTO_DEBUG_TEXT:
        return do_debug_text(msg->mr[0]);
    default:
        return -ENOSYS;
    }
}

int main(void)
{
    fprintf(stderr, "vfs-server: ready\n");
    sys_result_t msg = sys_recv(CAP_SERVER_ENDPOINT);
    for (;;) {
        int64_t result = msg.err == KERR_OK ? dispatch(msginfo_label(msg.info), &msg) : -EIO;
        requests_served++;
        msg = sys_ipc(SYS_REPLY_RECV, CAP_SERVER_ENDPOINT, msginfo_make(0, 1), (uint64_t)result, 0,
                      0, 0);
    }
}
