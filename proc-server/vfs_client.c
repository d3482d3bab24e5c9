#include "vfs_client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/debug.h"
#include "protocol/vfs.h"
#include "servers.h"

#define EXECUTABLE_MAX (64u << 20)

static cptr_t session;

void vfs_client_init(cptr_t control_session)
{
    session = control_session;
}

static int64_t call(uint64_t label, unsigned words, uint64_t mr0, uint64_t mr1, uint64_t mr3,
                    unsigned descriptors)
{
    uint64_t info = msginfo_with(msginfo_make(label, words), 0, descriptors);
    /* vfs-server dying meanwhile ends the Call (KERR_CANCELLED): -EIO */
    sys_result_t r = servers_call(DEBUG_SERVER_VFS, session, info, mr0, mr1, 0, mr3);
    return r.err == KERR_OK ? (int64_t)r.mr[0] : -EIO;
}

int vfs_client_create(int pid, int parent_pid)
{
    return (int)call(VFS_PROC_CREATE, 2, (uint64_t)pid, (uint64_t)parent_pid, 0, 0);
}

int vfs_client_spawn(int pid, int parent_pid, const int fds[3])
{
    return vfs_client_spawn_from(pid, parent_pid, 0, NULL, fds);
}

/* VFS_PROC_SPAWN; flags: VFS_SPAWN_FOREIGN or 0. */
static int spawn_request(int pid, int parent_pid, int template_pid, uint64_t flags, const char *cwd,
                         const int fds[3])
{
    uint64_t packed = 0;
    for (unsigned i = 0; i < 3; i++) {
        packed |= (uint64_t)(fds[i] < 0 ? VFS_SPAWN_NO_FD : (unsigned)fds[i] & 0xffff) << (16 * i);
    }
    size_t len = cwd != NULL && template_pid > 0 ? strlen(cwd) : 0;
    if (len > 0xffff) {
        return -ENAMETOOLONG;
    }
    /* MR3: the template's PID, and the cwd's length above it (desc 0) */
    uint64_t word = (uint32_t)template_pid | (uint64_t)len << 32 | flags;
    if (len > 0) {
        ipc_buffer->descriptors[0] = (buffer_desc_t){(uint64_t)cwd, len, DESC_READ};
    }
    uint64_t info = msginfo_with(msginfo_make(VFS_PROC_SPAWN, 4), 0, len > 0 ? 1 : 0);
    sys_result_t r = servers_call(DEBUG_SERVER_VFS, session, info, (uint64_t)pid,
                                  (uint64_t)parent_pid, packed, word);
    return r.err == KERR_OK ? (int)(int64_t)r.mr[0] : -EIO;
}

int vfs_client_spawn_from(int pid, int parent_pid, int template_pid, const char *cwd,
                          const int fds[3])
{
    return spawn_request(pid, parent_pid, template_pid, 0, cwd, fds);
}

int vfs_client_spawn_foreign(int pid, int parent_pid, int template_pid, const char *cwd,
                             const int fds[3])
{
    return spawn_request(pid, parent_pid, template_pid, VFS_SPAWN_FOREIGN, cwd, fds);
}

int vfs_client_reattach(int pid)
{
    return (int)call(VFS_PROC_REATTACH, 1, (uint64_t)pid, 0, 0, 0);
}

int vfs_client_console_restarted(void)
{
    return (int)call(VFS_CONSOLE_RESTARTED, 0, 0, 0, 0, 0);
}

void vfs_client_exit(int pid, bool session_leader)
{
    call(VFS_PROC_EXIT, 2, (uint64_t)pid, session_leader ? 1 : 0, 0, 0);
}

int vfs_client_pty(int pid, int parent_pid)
{
    return (int)call(VFS_PROC_PTY, 2, (uint64_t)pid, (uint64_t)parent_pid, 0, 0);
}

int vfs_client_exec(int pid)
{
    return (int)call(VFS_PROC_EXEC, 1, (uint64_t)pid, 0, 0, 0);
}

static int64_t read_into(int pid, const char *path, uint8_t *buf, uint64_t size,
                         vfs_exec_identity_t *id)
{
    size_t len = strlen(path);
    ipc_buffer->descriptors[0] = (buffer_desc_t){(uint64_t)path, len, DESC_READ};
    ipc_buffer->descriptors[1] = (buffer_desc_t){(uint64_t)buf, size, DESC_WRITE};
    ipc_buffer->descriptors[2] = (buffer_desc_t){(uint64_t)id, sizeof(*id), DESC_WRITE};
    return call(VFS_EXEC_READ, 4, (uint64_t)pid, size, len, buf != NULL ? 3 : 1);
}

int64_t vfs_client_read_executable(int pid, const char *path, uint8_t **data,
                                   vfs_exec_identity_t *id)
{
    if (strlen(path) >= VFS_PATH_MAX) {
        return -ENAMETOOLONG;
    }
    int64_t size = read_into(pid, path, NULL, 0, id);
    if (size <= 0) {
        return size == 0 ? -ENOEXEC : size;
    }
    if ((uint64_t)size > EXECUTABLE_MAX) {
        return -E2BIG;
    }
    uint8_t *buf = malloc((size_t)size);
    if (buf == NULL) {
        return -ENOMEM;
    }
    *id = (vfs_exec_identity_t){0}; /* version 0: no identity, nothing shared */
    int64_t got = read_into(pid, path, buf, (uint64_t)size, id);
    if (got != size) {
        free(buf);
        return got < 0 ? got : -EAGAIN; /* it changed size between the two reads */
    }
    *data = buf;
    return size;
}
