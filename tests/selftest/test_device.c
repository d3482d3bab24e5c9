/*
 * Devices. IRQ 0 (the PIT, which the kernel leaves alone: its clock is
 * the local APIC timer) is delivered to the root as a notification
 * signal: once per IRQHandler_Ack, also to a Recv through a bound
 * notification, never after the handler is detached. IRQControl_Get
 * issues one handler per line and refuses the cascade and lines beyond
 * 15. IOPort capabilities allow exactly their range, issue only
 * sub-ranges, and take widths 1, 2 and 4.
 */
#include "check.h"
#include "ipc_helper.h"

#define MS 1000000ull
#define IRQ_WAIT_NS (1000 * MS)
#define PIT_IRQ 0
#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define PIT_RATE_100HZ 0x34 /* channel 0, low then high byte, mode 2, binary */
#define PIT_ONE_SHOT 0x30   /* channel 0, low then high byte, mode 0: fires once, stops */
#define PIT_DIVISOR_100HZ 11932
#define PIT_BADGE 0x100
#define POST_PORT 0x80

/* Programs PIT channel 0 through the port capability `pit`. */
static kerr_t pit_program(cptr_t pit, uint32_t mode, uint32_t divisor)
{
    kerr_t err = io_port_out(pit, PIT_CMD, 1, mode);
    if (err == KERR_OK) {
        err = io_port_out(pit, PIT_CH0, 1, divisor & 0xff);
    }
    return err == KERR_OK ? io_port_out(pit, PIT_CH0, 1, divisor >> 8) : err;
}

/* Waits on the notification (with a timeout) for the IRQ's badge. */
static void expect_irq(cptr_t n)
{
    root_timeout(IRQ_WAIT_NS);
    sys_result_t r = sys_recv(n);
    root_timeout(0);
    CHECK_OK(r.err);
    CHECK_EQ(r.badge, PIT_BADGE);
}

/* No IRQ arrives within 40 ms. */
static void expect_quiet(cptr_t n)
{
    root_timeout(40 * MS);
    kerr_t err = sys_recv(n).err;
    root_timeout(0);
    CHECK_ERR(err, KERR_TIMEOUT);
}

/* Stops the PIT and detaches the handler, whatever the test did. */
static void pit_off(cptr_t pit, cptr_t handler)
{
    irq_handler_set_notification(handler, 0);
    pit_program(pit, PIT_ONE_SHOT, 0xffff);
}

static void pit_irqs(cptr_t pit, cptr_t handler, cptr_t n, cptr_t badged)
{
    cptr_t ep;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(pit_program(pit, PIT_RATE_100HZ, PIT_DIVISOR_100HZ));
    CHECK_OK(irq_handler_set_notification(handler, badged));
    CHECK_STEP(expect_irq(n));
    /* masked until acknowledged */
    CHECK_STEP(expect_quiet(n));
    CHECK_OK(irq_handler_ack(handler));
    CHECK_STEP(expect_irq(n));
    CHECK_OK(irq_handler_ack(handler));
    CHECK_STEP(expect_irq(n));
    /* through a bound notification, to a Recv on an endpoint */
    CHECK_OK(tcb_bind_notification(CAP_INIT_TCB, n));
    CHECK_OK(irq_handler_ack(handler));
    root_timeout(IRQ_WAIT_NS);
    sys_result_t r = sys_recv(ep);
    root_timeout(0);
    CHECK_OK(tcb_bind_notification(CAP_INIT_TCB, 0));
    CHECK_OK(r.err);
    CHECK_EQ(msginfo_label(r.info), MSG_LABEL_NOTIFICATION);
    CHECK_EQ(r.badge, PIT_BADGE);
    /* detached: nothing, acknowledged or not */
    CHECK_OK(irq_handler_set_notification(handler, 0));
    CHECK_OK(irq_handler_ack(handler));
    CHECK_STEP(expect_quiet(n));
}

void test_device_irq(void)
{
    cptr_t pit = slot_alloc(), handler = slot_alloc(), n;
    CHECK_OK(io_port_issue(CAP_INIT_IO_PORT, PIT_CH0, PIT_CMD, CAP_INIT_CNODE, pit));
    CHECK_OK(irq_control_get(CAP_INIT_IRQ_CONTROL, PIT_IRQ, CAP_INIT_CNODE, handler));
    CHECK_EQ(slot_type(handler), OBJ_IRQ_HANDLER);
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &n));
    cptr_t badged = slot_alloc();
    CHECK_OK(cnode_mint(CAP_INIT_CNODE, badged, CAP_INIT_CNODE, n, RIGHT_WRITE, PIT_BADGE));
    pit_irqs(pit, handler, n, badged);
    pit_off(pit, handler);
}

void test_device_irq_errors(void)
{
    cptr_t h = slot_alloc(), h2 = slot_alloc(), copy = slot_alloc(), ro, n, ro_n, ep;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &n));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(cap_derive(n, RIGHT_READ, &ro_n));
    CHECK_ERR_ARG(irq_control_get(CAP_INIT_IRQ_CONTROL, 2, CAP_INIT_CNODE, h), KERR_RANGE, 0);
    CHECK_ERR_ARG(irq_control_get(CAP_INIT_IRQ_CONTROL, 16, CAP_INIT_CNODE, h), KERR_RANGE, 0);
    CHECK_ERR_ARG(irq_control_get(CAP_INIT_IRQ_CONTROL, ~0ull, CAP_INIT_CNODE, h), KERR_RANGE, 0);
    CHECK_ERR_ARG(irq_control_get(CAP_INIT_IRQ_CONTROL, 0, CAP_INIT_TCB, h), KERR_WRONG_TYPE, 1);
    CHECK_ERR_ARG(irq_control_get(CAP_INIT_IRQ_CONTROL, 0, CAP_INIT_CNODE, n), KERR_SLOT_OCCUPIED,
                  2);
    CHECK_ERR_ARG(irq_control_get(CAP_INIT_IRQ_CONTROL, 0, CAP_INIT_CNODE, root_slots()),
                  KERR_SLOT_RANGE, 2);
    CHECK_ERR(kernel_invoke(CAP_INIT_IRQ_CONTROL, INV_IRQ_HANDLER_ACK, NULL, 0, NULL, 0),
              KERR_INVALID_LABEL);
    CHECK_EQ(slot_type(h), OBJ_NULL);
    /* one handler per line, for as long as a capability to it lives */
    CHECK_OK(irq_control_get(CAP_INIT_IRQ_CONTROL, 0, CAP_INIT_CNODE, h));
    CHECK_ERR_ARG(irq_control_get(CAP_INIT_IRQ_CONTROL, 0, CAP_INIT_CNODE, h2),
                  KERR_INVALID_ARGUMENT, 0);
    CHECK_OK(cnode_copy(CAP_INIT_CNODE, copy, CAP_INIT_CNODE, h, RIGHTS_ALL));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, h));
    CHECK_ERR(irq_control_get(CAP_INIT_IRQ_CONTROL, 0, CAP_INIT_CNODE, h2), KERR_INVALID_ARGUMENT);
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, copy));
    CHECK_OK(irq_control_get(CAP_INIT_IRQ_CONTROL, 0, CAP_INIT_CNODE, h2));
    /* the handler's notification must be one that can be signalled */
    CHECK_ERR_ARG(irq_handler_set_notification(h2, ro_n), KERR_NO_RIGHTS, 0);
    CHECK_ERR_ARG(irq_handler_set_notification(h2, ep), KERR_WRONG_TYPE, 0);
    CHECK_ERR_ARG(irq_handler_set_notification(h2, slot_alloc()), KERR_INVALID_CAP, 0);
    CHECK_OK(cap_derive(h2, RIGHT_READ, &ro));
    CHECK_ERR(irq_handler_ack(ro), KERR_NO_RIGHTS);
    CHECK_ERR(irq_handler_set_notification(ro, 0), KERR_NO_RIGHTS);
    CHECK_ERR(kernel_invoke(h2, INV_IRQ_CONTROL_GET, (uint64_t[]){0, 0, 0}, 3, NULL, 0),
              KERR_INVALID_LABEL);
    CHECK_OK(irq_handler_set_notification(h2, 0));
}

void test_device_io_port(void)
{
    cptr_t pit = slot_alloc(), inner = slot_alloc(), wide = slot_alloc(), ro;
    uint32_t value;
    uint64_t type, rights, badge;
    CHECK_OK(io_port_issue(CAP_INIT_IO_PORT, PIT_CH0, PIT_CMD, CAP_INIT_CNODE, pit));
    CHECK_OK(cnode_identify(CAP_INIT_CNODE, pit, &type, &rights, &badge));
    CHECK_EQ(type, OBJ_IO_PORT);
    CHECK_EQ(badge, ((uint64_t)PIT_CH0 << 16) | PIT_CMD);
    /* inside the range */
    CHECK_OK(io_port_in(pit, PIT_CH0, 1, &value));
    CHECK_OK(io_port_in(pit, PIT_CMD - 1, 2, &value));
    CHECK_OK(io_port_in(pit, PIT_CH0, 4, &value));
    /* outside it, or partly */
    CHECK_ERR_ARG(io_port_in(pit, PIT_CH0 - 1, 1, &value), KERR_RANGE, 0);
    CHECK_ERR_ARG(io_port_in(pit, PIT_CMD + 1, 1, &value), KERR_RANGE, 0);
    CHECK_ERR_ARG(io_port_in(pit, PIT_CMD, 2, &value), KERR_RANGE, 0);
    CHECK_ERR_ARG(io_port_in(pit, PIT_CH0 + 1, 4, &value), KERR_RANGE, 0);
    CHECK_ERR_ARG(io_port_out(pit, POST_PORT, 1, 0), KERR_RANGE, 0);
    CHECK_ERR_ARG(io_port_in(CAP_INIT_IO_PORT, 0x10000, 1, &value), KERR_RANGE, 0);
    CHECK_ERR_ARG(io_port_in(CAP_INIT_IO_PORT, 0xffff, 2, &value), KERR_RANGE, 0);
    /* widths */
    CHECK_ERR_ARG(io_port_in(pit, PIT_CH0, 3, &value), KERR_INVALID_ARGUMENT, 1);
    CHECK_ERR_ARG(io_port_out(pit, PIT_CH0, 0, 0), KERR_INVALID_ARGUMENT, 1);
    CHECK_ERR_ARG(io_port_out(pit, PIT_CH0, 8, 0), KERR_INVALID_ARGUMENT, 1);
    CHECK_OK(io_port_out(CAP_INIT_IO_PORT, POST_PORT, 1, 0x42));
    /* issuing: only sub-ranges */
    CHECK_ERR_ARG(io_port_issue(pit, PIT_CH0, PIT_CMD + 1, CAP_INIT_CNODE, wide), KERR_RANGE, 1);
    CHECK_ERR_ARG(io_port_issue(pit, PIT_CH0 - 1, PIT_CMD, CAP_INIT_CNODE, wide), KERR_RANGE, 1);
    CHECK_ERR_ARG(io_port_issue(pit, PIT_CMD, PIT_CH0, CAP_INIT_CNODE, wide), KERR_RANGE, 1);
    CHECK_ERR_ARG(io_port_issue(CAP_INIT_IO_PORT, 0, 0x10000, CAP_INIT_CNODE, wide), KERR_RANGE, 1);
    CHECK_ERR_ARG(io_port_issue(pit, PIT_CH0, PIT_CH0, CAP_INIT_CNODE, pit), KERR_SLOT_OCCUPIED, 3);
    CHECK_EQ(slot_type(wide), OBJ_NULL);
    CHECK_OK(io_port_issue(pit, PIT_CH0 + 1, PIT_CH0 + 2, CAP_INIT_CNODE, inner));
    CHECK_ERR_ARG(io_port_in(inner, PIT_CH0, 1, &value), KERR_RANGE, 0);
    CHECK_OK(io_port_in(inner, PIT_CH0 + 2, 1, &value));
    /* every invocation needs Write */
    CHECK_OK(cap_derive(pit, RIGHT_READ, &ro));
    CHECK_ERR(io_port_in(ro, PIT_CH0, 1, &value), KERR_NO_RIGHTS);
    CHECK_ERR(io_port_issue(ro, PIT_CH0, PIT_CH0, CAP_INIT_CNODE, wide), KERR_NO_RIGHTS);
}
