/*
 * uname reports the caller's hostname context ("Linux", a Linux-like
 * release: programs compare it); the names are set per context.
 */
#define _GNU_SOURCE /* utsname.domainname */
#include "identity.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "hostname.h"
#include "lifecycle.h"
#include "pgrp.h"
#include "protocol/proc.h"

#define UNAME_RELEASE "6.1.0-capsule"
#define UNAME_VERSION "#1 Capsule"

static int64_t do_uname(const process_t *caller, const request_t *req)
{
    if (req->descriptors < 1) {
        return -EFAULT;
    }
    struct utsname u;
    memset(&u, 0, sizeof(u));
    snprintf(u.sysname, sizeof(u.sysname), "Linux");
    snprintf(u.nodename, sizeof(u.nodename), "%s", caller->hostname->hostname);
    snprintf(u.release, sizeof(u.release), UNAME_RELEASE);
    snprintf(u.version, sizeof(u.version), UNAME_VERSION);
    snprintf(u.machine, sizeof(u.machine), "x86_64");
    snprintf(u.domainname, sizeof(u.domainname), "%s", caller->hostname->domainname);
    uint64_t done;
    kerr_t err = reply_copy_to(CAP_REPLY_CURRENT, 0, 0, &u, sizeof(u), &done);
    return err == KERR_OK && done == sizeof(u) ? 0 : -EFAULT;
}

int64_t identity_set_name(hostname_ctx_t *ctx, const request_t *req, bool domain)
{
    uint64_t len = req->mr[0];
    int err = proc_string_len(req, len, HOSTNAME_MAX);
    if (err != 0) {
        return err;
    }
    char name[HOSTNAME_MAX + 1];
    uint64_t done = 0;
    if (len > 0 &&
        (reply_copy_from(CAP_REPLY_CURRENT, 0, 0, name, len, &done) != KERR_OK || done != len)) {
        return -EFAULT;
    }
    return domain ? hostname_set_domain(ctx, name, len) : hostname_set(ctx, name, len);
}

static int pid_arg(uint64_t mr)
{
    return (int)(int32_t)mr;
}

int64_t identity_dispatch(process_t *caller, const request_t *req)
{
    proc_table_t *tab = lifecycle_table();
    switch (req->label) {
    case PROC_UNAME:
        return do_uname(caller, req);
    case PROC_SETHOSTNAME:
    case PROC_SETDOMAINNAME:
        if (caller->dropped & PROC_DROP_ADMIN) {
            return -EPERM; /* no CAP_SYS_ADMIN in its container */
        }
        return identity_set_name(caller->hostname, req, req->label == PROC_SETDOMAINNAME);
    case PROC_SETPGID:
        return pgrp_setpgid(tab, caller, pid_arg(req->mr[0]), pid_arg(req->mr[1]));
    case PROC_GETPGID:
        return pgrp_getpgid(tab, caller, pid_arg(req->mr[0]));
    case PROC_SETSID:
        return pgrp_setsid(tab, caller);
    case PROC_GETSID:
        return pgrp_getsid(tab, caller, pid_arg(req->mr[0]));
    default:
        return -ENOSYS;
    }
}
