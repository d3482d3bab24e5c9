#include "capsule/container_client.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/posix_runtime.h"

static int64_t call_with(uint64_t cap, uint64_t label, uint64_t length, const uint64_t mr[4],
                         const buffer_desc_t *descs, unsigned count)
{
    return capsule_call(cap, label, length, mr, descs, count, NULL);
}

int capsule_container_allow_debug(const capsule_obj_t *scope)
{
    const uint64_t mr[4] = {0};
    return (int)call_with(scope->slot, PROC_CONTAINER_ALLOW_DEBUG, 0, mr, NULL, 0);
}

int capsule_container_register(const capsule_obj_t *scope, const char *id, const char *bundle,
                               const char *meta)
{
    size_t meta_len = meta != NULL ? strlen(meta) : 0;
    const uint64_t mr[4] = {strlen(id), strlen(bundle), meta_len};
    const buffer_desc_t descs[3] = {
        {(uint64_t)id, mr[0], DESC_READ},
        {(uint64_t)bundle, mr[1], DESC_READ},
        {(uint64_t)meta, meta_len, DESC_READ},
    };
    return (int)call_with(scope->slot, PROC_CONTAINER_REGISTER, 3, mr, descs, meta_len > 0 ? 3 : 2);
}

int capsule_container_open(const char *id, capsule_obj_t *out)
{
    const uint64_t mr[4] = {strlen(id)};
    const buffer_desc_t desc = {(uint64_t)id, mr[0], DESC_READ};
    uint64_t slot;
    int64_t result = capsule_call(CAP_PROC_SESSION, PROC_CONTAINER_OPEN, 1, mr, &desc, 1, &slot);
    return capsule_obj_from_reply(result, slot, out);
}

int capsule_container_start(const capsule_obj_t *c)
{
    const uint64_t mr[4] = {0};
    return (int)call_with(c->slot, PROC_CONTAINER_START, 0, mr, NULL, 0);
}

int capsule_container_kill(const capsule_obj_t *c, int sig, int all)
{
    const uint64_t mr[4] = {(uint64_t)sig, all != 0};
    return (int)call_with(c->slot, PROC_CONTAINER_KILL, 2, mr, NULL, 0);
}

int capsule_container_delete(const capsule_obj_t *c, int force)
{
    const uint64_t mr[4] = {force != 0};
    return (int)call_with(c->slot, PROC_CONTAINER_DELETE, 1, mr, NULL, 0);
}

/* Asks with room, then again with what the answer said it needs: the
 * record may grow between the two (never past its limits). */
static int64_t fetch(uint64_t cap, uint64_t label, char **out)
{
    uint64_t room = 256;
    for (int tries = 0; tries < 4; tries++) {
        char *buf = malloc(room);
        if (buf == NULL) {
            return -ENOMEM;
        }
        const uint64_t mr[4] = {room};
        const buffer_desc_t desc = {(uint64_t)buf, room, DESC_WRITE};
        int64_t total = call_with(cap, label, 1, mr, &desc, 1);
        if (total >= 0 && (uint64_t)total <= room) {
            *out = buf;
            return total;
        }
        free(buf);
        if (total < 0) {
            return total;
        }
        room = (uint64_t)total;
    }
    return -EAGAIN;
}

int capsule_container_info(const capsule_obj_t *c, capsule_container_t *out)
{
    char *buf;
    int64_t total = fetch(c->slot, PROC_CONTAINER_INFO, &buf);
    if (total < 0) {
        return (int)total;
    }
    proc_container_info_t info;
    memcpy(&info, buf, sizeof(info));
    if ((uint64_t)total != sizeof(info) + info.id_len + info.bundle_len + info.meta_len + 3) {
        free(buf);
        return -EPROTO;
    }
    out->info = info;
    out->buffer = buf;
    out->id = buf + sizeof(info);
    out->bundle = out->id + info.id_len + 1;
    out->meta = out->bundle + info.bundle_len + 1;
    return 0;
}

void capsule_container_free(capsule_container_t *c)
{
    free(c->buffer);
    c->buffer = NULL;
}

int capsule_container_list(char **ids, size_t *count)
{
    char *buf;
    int64_t total = fetch(CAP_PROC_SESSION, PROC_CONTAINER_LIST, &buf);
    if (total < 0) {
        return (int)total;
    }
    *count = 0;
    for (int64_t i = 0; i < total; i++) {
        *count += buf[i] == '\0';
    }
    if (*count == 0) {
        free(buf);
        buf = NULL;
    }
    *ids = buf;
    return 0;
}
