/*
 * Client stubs for kernel-object invocations. Arguments 0..3 travel in
 * registers, the rest through the caller's IPC buffer.
 */
#include "capsule/kernel.h"

#include <stddef.h>

ipc_buffer_t *ipc_buffer;
static uint64_t last_bad_arg;

static const char *const kerr_names[] = {
#define KERR(name, value, text) [value] = #name,
#include "uapi/errors.def"
#undef KERR
};

const char *kerr_name(kerr_t err)
{
    if ((unsigned)err < sizeof(kerr_names) / sizeof(kerr_names[0]) && kerr_names[err] != NULL) {
        return kerr_names[err];
    }
    return "UNKNOWN";
}

uint64_t kernel_bad_arg(void)
{
    return last_bad_arg;
}

static uint64_t word(const uint64_t *args, unsigned count, unsigned i)
{
    return i < count ? args[i] : 0;
}

kerr_t kernel_invoke(cptr_t cap, uint64_t label, const uint64_t *args, unsigned count,
                     uint64_t *reply, unsigned reply_max)
{
    for (unsigned i = MSG_REGISTERS_IN_CPU; i < count; i++) {
        ipc_buffer->mr[i] = args[i];
    }
    sys_result_t r = sys_call(cap, msginfo_make(label, count), word(args, count, 0),
                              word(args, count, 1), word(args, count, 2), word(args, count, 3));
    last_bad_arg = r.err != KERR_OK ? r.mr[0] : KERR_ARG_NONE;
    unsigned length = (unsigned)msginfo_length(r.info);
    for (unsigned i = 0; reply != NULL && i < reply_max && i < length; i++) {
        reply[i] = i < MSG_REGISTERS_IN_CPU ? r.mr[i] : ipc_buffer->mr[i];
    }
    return r.err;
}

#define INVOKE(cap, label, ...)                                                                    \
    kernel_invoke(cap, label, (const uint64_t[]){__VA_ARGS__},                                     \
                  sizeof((const uint64_t[]){__VA_ARGS__}) / sizeof(uint64_t), NULL, 0)

kerr_t pool_create(cptr_t pool, obj_type_t type, unsigned size_bits, cptr_t cnode, uint64_t slot)
{
    return INVOKE(pool, INV_POOL_CREATE, type, size_bits, cnode, slot);
}

kerr_t pool_split(cptr_t pool, uint64_t budget, cptr_t cnode, uint64_t slot)
{
    return INVOKE(pool, INV_POOL_SPLIT, budget, cnode, slot);
}

kerr_t pool_destroy(cptr_t pool)
{
    return kernel_invoke(pool, INV_POOL_DESTROY, NULL, 0, NULL, 0);
}

kerr_t pool_info(cptr_t pool, uint64_t *budget, uint64_t *used, uint64_t *objects)
{
    uint64_t r[3] = {0};
    kerr_t err = kernel_invoke(pool, INV_POOL_INFO, NULL, 0, r, 3);
    *budget = r[0];
    *used = r[1];
    *objects = r[2];
    return err;
}

kerr_t debug_object_counts(cptr_t debug, cptr_t pool, debug_object_counts_t *out)
{
    uint64_t r[2 + OBJ_COUNT] = {0};
    kerr_t err = kernel_invoke(debug, INV_DEBUG_OBJECT_COUNTS, (const uint64_t[]){pool}, 1, r,
                               2 + OBJ_COUNT);
    out->free_frames = r[0];
    out->total_frames = r[1];
    for (unsigned t = 0; t < OBJ_COUNT; t++) {
        out->objects[t] = r[2 + t];
    }
    return err;
}

kerr_t debug_thread_info(cptr_t debug, cptr_t tcb, debug_thread_info_t *out)
{
    uint64_t r[5] = {0};
    kerr_t err = kernel_invoke(debug, INV_DEBUG_THREAD_INFO, (const uint64_t[]){tcb}, 1, r, 5);
    *out = (debug_thread_info_t){r[0], r[1], r[2], r[3], r[4]};
    return err;
}

kerr_t cnode_copy(cptr_t cnode, uint64_t dest, cptr_t src_cnode, uint64_t src, unsigned rights)
{
    return INVOKE(cnode, INV_CNODE_COPY, dest, src_cnode, src, rights);
}

kerr_t cnode_mint(cptr_t cnode, uint64_t dest, cptr_t src_cnode, uint64_t src, unsigned rights,
                  uint64_t badge)
{
    return INVOKE(cnode, INV_CNODE_MINT, dest, src_cnode, src, rights, badge);
}

kerr_t cnode_move(cptr_t cnode, uint64_t dest, cptr_t src_cnode, uint64_t src)
{
    return INVOKE(cnode, INV_CNODE_MOVE, dest, src_cnode, src);
}

kerr_t cnode_delete(cptr_t cnode, uint64_t slot)
{
    return INVOKE(cnode, INV_CNODE_DELETE, slot);
}

kerr_t cnode_revoke(cptr_t cnode, uint64_t slot)
{
    return INVOKE(cnode, INV_CNODE_REVOKE, slot);
}

kerr_t cnode_identify(cptr_t cnode, uint64_t slot, uint64_t *type, uint64_t *rights,
                      uint64_t *badge)
{
    cnode_identity_t id;
    kerr_t err = cnode_identify_full(cnode, slot, &id);
    *type = id.type;
    *rights = id.rights;
    *badge = id.badge;
    return err;
}

kerr_t cnode_identify_full(cptr_t cnode, uint64_t slot, cnode_identity_t *out)
{
    uint64_t r[5] = {0};
    kerr_t err = kernel_invoke(cnode, INV_CNODE_IDENTIFY, &slot, 1, r, 5);
    int is_cnode = r[0] == OBJ_CNODE; /* word 3 is its size then */
    *out = (cnode_identity_t){r[0], r[1], r[2], is_cnode ? 0 : r[3], r[4], is_cnode ? r[3] : 0};
    return err;
}

kerr_t cnode_grow(cptr_t cnode, unsigned size_bits)
{
    return INVOKE(cnode, INV_CNODE_GROW, size_bits);
}

kerr_t cnode_save_caller(cptr_t cnode, uint64_t dest)
{
    return INVOKE(cnode, INV_CNODE_SAVE_CALLER, dest);
}

kerr_t tcb_configure(cptr_t tcb, cptr_t cspace, cptr_t vspace, cptr_t ipc_frame, uint64_t ipc_vaddr)
{
    return INVOKE(tcb, INV_TCB_CONFIGURE, cspace, vspace, ipc_frame, ipc_vaddr);
}

kerr_t tcb_resume(cptr_t tcb)
{
    return kernel_invoke(tcb, INV_TCB_RESUME, NULL, 0, NULL, 0);
}

kerr_t tcb_suspend(cptr_t tcb)
{
    return kernel_invoke(tcb, INV_TCB_SUSPEND, NULL, 0, NULL, 0);
}

kerr_t tcb_set_priority(cptr_t tcb, cptr_t authority, unsigned priority)
{
    return INVOKE(tcb, INV_TCB_SET_PRIORITY, authority, priority);
}

kerr_t tcb_set_mcp(cptr_t tcb, cptr_t authority, unsigned mcp)
{
    return INVOKE(tcb, INV_TCB_SET_MCP, authority, mcp);
}

kerr_t tcb_set_tls(cptr_t tcb, uint64_t fs_base)
{
    return INVOKE(tcb, INV_TCB_SET_TLS, fs_base);
}

kerr_t tcb_set_fault_handler(cptr_t tcb, cptr_t endpoint)
{
    return INVOKE(tcb, INV_TCB_SET_FAULT_HANDLER, endpoint);
}

kerr_t tcb_bind_notification(cptr_t tcb, cptr_t notification)
{
    return INVOKE(tcb, INV_TCB_BIND_NOTIFICATION, notification);
}

kerr_t tcb_set_flags(cptr_t tcb, unsigned flags)
{
    return INVOKE(tcb, INV_TCB_SET_FLAGS, flags);
}

kerr_t tcb_read_times(cptr_t tcb, uint64_t *run_ns, uint64_t *served_ns)
{
    uint64_t r[2];
    kerr_t err = kernel_invoke(tcb, INV_TCB_READ_TIMES, NULL, 0, r, 2);
    if (err == KERR_OK) {
        *run_ns = r[0];
        *served_ns = r[1];
    }
    return err;
}

kerr_t tcb_cancel(cptr_t tcb)
{
    return kernel_invoke(tcb, INV_TCB_CANCEL, NULL, 0, NULL, 0);
}

kerr_t tcb_set_personality(cptr_t tcb, uint64_t entry, uint64_t upcall_entry, uint64_t runtime_lo,
                           uint64_t runtime_hi)
{
    return INVOKE(tcb, INV_TCB_SET_PERSONALITY, entry, upcall_entry, runtime_lo, runtime_hi);
}

kerr_t tcb_set_gs_base(cptr_t tcb, uint64_t gs_base)
{
    return INVOKE(tcb, INV_TCB_SET_GS_BASE, gs_base);
}

kerr_t tcb_interrupt(cptr_t tcb)
{
    return kernel_invoke(tcb, INV_TCB_INTERRUPT, NULL, 0, NULL, 0);
}

static kerr_t reply_copy(cptr_t reply, uint64_t label, unsigned desc, uint64_t offset,
                         uint64_t local, uint64_t len, uint64_t *done)
{
    uint64_t args[] = {desc, offset, local, len};
    uint64_t copied = 0;
    kerr_t err = kernel_invoke(reply, label, args, 4, &copied, 1);
    *done = err == KERR_OK ? copied : 0;
    return err;
}

kerr_t reply_copy_from(cptr_t reply, unsigned desc, uint64_t offset, void *local, uint64_t len,
                       uint64_t *done)
{
    return reply_copy(reply, INV_REPLY_COPY_FROM, desc, offset, (uint64_t)local, len, done);
}

kerr_t reply_copy_to(cptr_t reply, unsigned desc, uint64_t offset, const void *local, uint64_t len,
                     uint64_t *done)
{
    return reply_copy(reply, INV_REPLY_COPY_TO, desc, offset, (uint64_t)local, len, done);
}

kerr_t tcb_read_registers(cptr_t tcb, tcb_registers_t *out)
{
    _Static_assert(sizeof(tcb_registers_t) == REGS_READ_WORDS * 8, "layout of registers.h");
    return kernel_invoke(tcb, INV_TCB_READ_REGISTERS, NULL, 0, (uint64_t *)out, REGS_READ_WORDS);
}

kerr_t tcb_write_registers(cptr_t tcb, unsigned flags, const user_regs_t *regs, const uint8_t *fpu)
{
    uint64_t words[REGS_WRITE_WORDS] = {flags | (fpu != NULL ? REGS_WRITE_FPU : 0)};
    const uint64_t *r = (const uint64_t *)regs;
    for (unsigned i = 0; i < REGS_WORDS; i++) {
        words[1 + i] = r[i];
    }
    unsigned count = 1 + REGS_WORDS;
    if (fpu != NULL) {
        for (unsigned i = 0; i < FPU_IMAGE_WORDS; i++) {
            words[count + i] = ((const uint64_t *)fpu)[i];
        }
        count += FPU_IMAGE_WORDS;
    }
    return kernel_invoke(tcb, INV_TCB_WRITE_REGISTERS, words, count, NULL, 0);
}

kerr_t vspace_map(cptr_t vspace, cptr_t frame, uint64_t vaddr, unsigned rights)
{
    return INVOKE(vspace, INV_VSPACE_MAP, frame, vaddr, rights);
}

kerr_t vspace_unmap(cptr_t vspace, cptr_t frame)
{
    return INVOKE(vspace, INV_VSPACE_UNMAP, frame);
}

kerr_t irq_control_get(cptr_t irq_control, uint64_t irq, cptr_t cnode, uint64_t slot)
{
    return INVOKE(irq_control, INV_IRQ_CONTROL_GET, irq, cnode, slot);
}

kerr_t irq_handler_set_notification(cptr_t handler, cptr_t notification)
{
    return INVOKE(handler, INV_IRQ_HANDLER_SET_NOTIFICATION, notification);
}

kerr_t irq_handler_ack(cptr_t handler)
{
    return kernel_invoke(handler, INV_IRQ_HANDLER_ACK, NULL, 0, NULL, 0);
}

kerr_t io_port_in(cptr_t io_port, uint64_t port, unsigned width, uint32_t *value)
{
    uint64_t args[] = {port, width};
    uint64_t v = 0;
    kerr_t err = kernel_invoke(io_port, INV_IO_PORT_IN, args, 2, &v, 1);
    *value = (uint32_t)v;
    return err;
}

kerr_t io_port_out(cptr_t io_port, uint64_t port, unsigned width, uint32_t value)
{
    return INVOKE(io_port, INV_IO_PORT_OUT, port, width, value);
}

kerr_t io_port_issue(cptr_t io_port, uint64_t first, uint64_t last, cptr_t cnode, uint64_t slot)
{
    return INVOKE(io_port, INV_IO_PORT_ISSUE, first, last, cnode, slot);
}

/* One Debug_Write carries what fits in a message after the length word;
 * longer text goes in several. */
kerr_t debug_write(cptr_t debug, const char *s, uint64_t len)
{
    const uint64_t chunk_max = (MSG_MAX_REGISTERS - 1) * sizeof(uint64_t);
    for (uint64_t done = 0; done < len;) {
        uint64_t n = len - done < chunk_max ? len - done : chunk_max;
        uint64_t words[MSG_MAX_REGISTERS] = {n};
        uint8_t *bytes = (uint8_t *)&words[1];
        for (uint64_t i = 0; i < n; i++) {
            bytes[i] = (uint8_t)s[done + i];
        }
        kerr_t err =
            kernel_invoke(debug, INV_DEBUG_WRITE, words, 1 + (unsigned)((n + 7) / 8), NULL, 0);
        if (err != KERR_OK) {
            return err;
        }
        done += n;
    }
    return KERR_OK;
}

kerr_t debug_shutdown(cptr_t debug, uint32_t status)
{
    return INVOKE(debug, INV_DEBUG_SHUTDOWN, status);
}

kerr_t debug_reset(cptr_t debug)
{
    return kernel_invoke(debug, INV_DEBUG_RESET, NULL, 0, NULL, 0);
}

kerr_t debug_read_log(cptr_t debug, uint64_t pos, char *buf, uint64_t max, debug_log_chunk_t *out)
{
    uint64_t reply[MSG_MAX_REGISTERS] = {0};
    kerr_t err = kernel_invoke(debug, INV_DEBUG_READ_LOG, &pos, 1, reply, MSG_MAX_REGISTERS);
    if (err != KERR_OK) {
        return err;
    }
    uint64_t n = reply[1] < max ? reply[1] : max;
    const uint8_t *bytes = (const uint8_t *)&reply[3];
    for (uint64_t i = 0; i < n; i++) {
        buf[i] = (char)bytes[i];
    }
    *out = (debug_log_chunk_t){.first = reply[0], .count = n, .end = reply[2]};
    return KERR_OK;
}

kerr_t debug_release_console(cptr_t debug, cptr_t notification, uint64_t *log_end)
{
    uint64_t reply = 0;
    kerr_t err =
        kernel_invoke(debug, INV_DEBUG_RELEASE_CONSOLE, &(uint64_t){notification}, 1, &reply, 1);
    *log_end = reply;
    return err;
}

kerr_t debug_reclaim_console(cptr_t debug)
{
    return kernel_invoke(debug, INV_DEBUG_RECLAIM_CONSOLE, NULL, 0, NULL, 0);
}
