/*
 * vfs-server: VFS root contexts, mounts, file systems and per-process file
 * tables. It unpacks the initrd (its boot module) into the ramfs that is
 * `/` of the boot context, then serves processes and proc-server.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "capsule/server.h"
#include "client.h"
#include "console_forward.h"
#include "contexts.h"
#include "control.h"
#include "debug_ops.h"
#include "cpio.h"
#include "attr_ops.h"
#include "file_ops.h"
#include "name_ops.h"
#include "poll_wait.h"
#include "mount_ops.h"
#include "proc_table.h"
#include "procfs.h"
#include "protocol/debug.h"
#include "protocol/vfs.h"
#include "random_dev.h"
#include "ramfs.h"
#include "request.h"
#include "resolve.h"

static uint64_t requests_served;
static vfs_path_t console_path;

static struct timespec wall_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts;
}

static void report_bad_entry(void *arg, uint64_t offset, const char *name, const char *why)
{
    (void)arg;
    fprintf(stderr, "vfs-server: initrd: entry at byte %lu (%s): %s\n", offset,
            name != NULL ? name : "?", why);
}

/* The boot context: a ramfs holding the initrd. */
static int mount_initrd(rootctx_t **ctx)
{
    const bootinfo_t *bi = server_bootinfo();
    ramfs_opts_t opts = {.type = "ramfs", .root_mode = 0755, .clock = wall_clock};
    vfs_fs_t *fs;
    int err = ramfs_new(&opts, &fs);
    if (err != 0) {
        return err;
    }
    vnode_t *root = fs->root;
    random_dev_seed(bi->module_count > 0 ? (const void *)SERVER_MODULE_BASE : NULL,
                    bi->module_count > 0 ? bi->modules[0].size : 0);
    if (bi->module_count > 0) {
        cpio_stats_t stats = {0};
        err = cpio_unpack((const void *)SERVER_MODULE_BASE, bi->modules[0].size, root,
                          report_bad_entry, NULL, &stats);
        fprintf(stderr, "vfs-server: initrd: %u entries%s\n", stats.entries,
                err != 0 ? ", cut short" : "");
    }
    err = rootctx_new(fs, root, "initrd", 0, NULL, ctx);
    vfs_fs_put(fs);
    return err;
}

/* /dev/console of the boot context, if the initrd has one. */
static const vfs_path_t *find_console(rootctx_t *ctx)
{
    vfs_path_t root = rootctx_root(ctx);
    resolve_req_t r = {ctx, &root, &root, "/dev/console", strlen("/dev/console"), 0};
    return resolve_path(&r, &console_path) == 0 ? &console_path : NULL;
}

static int64_t do_debug_text(uint64_t listing)
{
    if (listing != DEBUG_LIST_SUMMARY) {
        return -EINVAL;
    }
    char text[128];
    int n = snprintf(text, sizeof(text), "vfs-server: %lu requests served\n", requests_served);
    return request_copy_out(0, 0, text, (size_t)n) == 0 ? n : -EFAULT;
}

/* dispatch's answer may carry one capability (a new context's): here
 * until the reply is sent, then deleted from vfs-server's CSpace. */
static cptr_t reply_cap = CAP_NULL;

static int64_t dispatch(uint64_t badge, const request_t *req)
{
    quota_set_requester(NULL); /* until the request names a process */
    if (req->label == PROTO_DEBUG_TEXT) {
        return do_debug_text(req->mr[0]);
    }
    if (debug_label(req->label)) {
        return debug_ops_dispatch(badge, req);
    }
    if (obj_badge_is_object_badge(badge)) {
        procfs_set_reader(NULL);
        return contexts_object_request(badge, req, &reply_cap);
    }
    if (badge == VFS_BADGE_PROC_SERVER) {
        procfs_set_reader(NULL); /* a request may name the process it is for */
        return control_dispatch(req);
    }
    client_t *c = client_find((int)(badge >> 1));
    procfs_set_reader(c);
    if (c == NULL) {
        /* a process this instance never knew: it held state (descriptors,
         * a context) that died in a restart of vfs-server (docs/restart.md),
         * and is never given the boot context in its place */
        return -EIO;
    }
    quota_set_requester(c->ctx->quota);
    if (req->label >= VFS_CONTEXT_CREATE && req->label <= VFS_CONTEXT_CREATE + 0xf) {
        return contexts_session_request(c, req, &reply_cap);
    }
    if (req->label >= VFS_MOUNT && req->label <= VFS_MOUNT + 0xf) {
        return mount_ops_dispatch(c, req);
    }
    if (req->label >= VFS_RENAMEAT2 && req->label <= VFS_SYMLINKAT) {
        return name_ops_dispatch(c, req);
    }
    if (req->label > VFS_SYMLINKAT && req->label <= VFS_RENAMEAT2 + 0x1f) {
        return attr_ops_dispatch(c, req);
    }
    return file_ops_dispatch(c, req);
}

static request_t request_of(const sys_result_t *msg)
{
    request_t req = {
        msginfo_label(msg->info), msginfo_length(msg->info), msginfo_descriptors(msg->info), {0}};
    for (unsigned i = 0; i < MSG_REGISTERS_IN_CPU; i++) {
        req.mr[i] = i < req.length ? msg->mr[i] : 0;
    }
    return req;
}

int main(void)
{
    rootctx_t *boot_ctx;
    int err = mount_initrd(&boot_ctx);
    if (err != 0) {
        fprintf(stderr, "vfs-server: cannot build the root file system: %s\n", strerror(-err));
        return 1;
    }
    random_dev_stir(); /* after the unpack, whose length varies a little */
    control_init(boot_ctx, find_console(boot_ctx));
    proc_table_init((const volatile void *)PROC_TABLE_VADDR); /* proc-server mapped it */
    if ((err = console_forward_init()) != 0) {
        fprintf(stderr, "vfs-server: console-server refused readiness signals: %s\n",
                strerror(-err));
    }
    random_dev_stir(); /* after console-server's answer */
    mount_ops_init(wall_clock, boot_ctx);
    fprintf(stderr, "vfs-server: ready\n");
    sys_result_t msg = sys_recv(CAP_SERVER_ENDPOINT);
    for (;;) {
        if (msg.err == KERR_OK && msginfo_label(msg.info) == MSG_LABEL_NOTIFICATION) {
            poll_recheck(); /* console-server: input is ready */
            msg = sys_recv(CAP_SERVER_ENDPOINT);
            continue;
        }
        request_t req = request_of(&msg);
        int64_t result = msg.err == KERR_OK ? dispatch(msg.badge, &req) : -EIO;
        requests_served++;
        if (result == REQUEST_DEFERRED) {
            msg = sys_recv(CAP_SERVER_ENDPOINT);
            continue;
        }
        uint64_t info = msginfo_make(0, 1);
        if (reply_cap != CAP_NULL) {
            ipc_buffer->caps[0] = reply_cap;
            info = msginfo_with(info, 1, 0);
        }
        msg = sys_ipc(SYS_REPLY_RECV, CAP_SERVER_ENDPOINT, info, (uint64_t)result, 0, 0, 0);
        if (reply_cap != CAP_NULL) {
            cnode_delete(CAP_INIT_CNODE, reply_cap); /* the receiver has its copy */
            slot_free(reply_cap);
            reply_cap = CAP_NULL;
        }
    }
}
