/*
 * IRQControl, IRQHandler and IOPort (see device.h). The objects live in
 * kernel memory for the machine's lifetime: losing every capability to an
 * IRQHandler only detaches its notification.
 */
#include "object/device.h"

#include "arch/cpu.h"
#include "arch/machine.h"
#include "kernel/cap.h"
#include "kernel/invocation.h"
#include "object/cnode.h"
#include "object/notification.h"

typedef struct {
    kobject_t obj;
    unsigned irq;
    cte_t notification; /* where the interrupt is signalled */
} irq_handler_t;

static kobject_t irq_control = {.type = OBJ_IRQ_CONTROL};
static kobject_t io_ports = {.type = OBJ_IO_PORT};
static irq_handler_t handlers[IRQ_LINES];

kobject_t *device_irq_control(void)
{
    return &irq_control;
}

kobject_t *device_io_ports(void)
{
    return &io_ports;
}

uint64_t io_port_range(uint16_t first, uint16_t last)
{
    return ((uint64_t)first << 16) | last;
}

size_t device_size(unsigned size_bits)
{
    (void)size_bits;
    return 0;
}

/* Static objects are never freed; a handler only loses its notification. */
bool device_finalize(kobject_t *obj)
{
    if (obj->type == OBJ_IRQ_HANDLER) {
        irq_handler_t *h = (irq_handler_t *)obj;
        cte_delete(&h->notification);
        pic_mask(h->irq, true);
    }
    obj->flags = 0;
    return false;
}

void irq_deliver(unsigned irq)
{
    irq_handler_t *h = &handlers[irq];
    if (!cte_is_empty(&h->notification)) {
        notification_signal((notification_t *)h->notification.cap.obj, h->notification.cap.badge);
    }
}

static kerr_t decode_irq_get(invocation_t *inv)
{
    kerr_t err = inv_need_args(inv, 3);
    if (err != KERR_OK) {
        return err;
    }
    uint64_t irq = inv_arg(inv, 0);
    if (irq >= IRQ_LINES || irq == PIC_CASCADE_IRQ) {
        return inv_fail(inv, 0, KERR_RANGE);
    }
    if (handlers[irq].obj.slots != NULL) {
        return inv_fail(inv, 0, KERR_INVALID_ARGUMENT); /* issued already */
    }
    cte_t *cnode_cap, *dest;
    if ((err = inv_lookup_arg(inv, 1, OBJ_CNODE, RIGHT_WRITE, &cnode_cap)) != KERR_OK ||
        (err = inv_empty_slot(inv, cnode_cap->cap.obj, 2, &dest)) != KERR_OK) {
        return err;
    }
    irq_handler_t *h = &handlers[irq];
    h->obj.type = OBJ_IRQ_HANDLER;
    h->irq = (unsigned)irq;
    cte_insert(dest, cap_for_object(&h->obj), NULL);
    return KERR_OK;
}

static kerr_t decode_set_notification(invocation_t *inv, irq_handler_t *h)
{
    kerr_t err = inv_need_args(inv, 1);
    if (err != KERR_OK) {
        return err;
    }
    cte_t *n = NULL;
    if (inv_arg(inv, 0) != 0 &&
        (err = inv_lookup_arg(inv, 0, OBJ_NOTIFICATION, RIGHT_WRITE, &n)) != KERR_OK) {
        return err;
    }
    cte_delete(&h->notification);
    if (n != NULL) {
        cte_insert(&h->notification, n->cap, n);
        pic_mask(h->irq, false);
    } else {
        pic_mask(h->irq, true);
    }
    return KERR_OK;
}

kerr_t irq_control_invoke(invocation_t *inv)
{
    if (inv->label != INV_IRQ_CONTROL_GET) {
        return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_LABEL);
    }
    return decode_irq_get(inv);
}

kerr_t irq_handler_invoke(invocation_t *inv)
{
    irq_handler_t *h = (irq_handler_t *)inv->slot->cap.obj;
    kerr_t err = inv_need_rights(inv, RIGHT_WRITE);
    if (err != KERR_OK) {
        return err;
    }
    switch (inv->label) {
    case INV_IRQ_HANDLER_SET_NOTIFICATION:
        return decode_set_notification(inv, h);
    case INV_IRQ_HANDLER_ACK:
        pic_mask(h->irq, cte_is_empty(&h->notification));
        return KERR_OK;
    default:
        return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_LABEL);
    }
}

/* The port range a capability allows, from its capability word. */
static bool port_allowed(const cte_t *slot, uint64_t port, uint64_t width)
{
    uint64_t first = (slot->cap.badge >> 16) & 0xffff, last = slot->cap.badge & 0xffff;
    return port >= first && port + width - 1 <= last;
}

static kerr_t decode_port_io(invocation_t *inv, bool out)
{
    kerr_t err = inv_need_args(inv, out ? 3 : 2);
    if (err != KERR_OK) {
        return err;
    }
    uint64_t port = inv_arg(inv, 0), width = inv_arg(inv, 1);
    uint64_t value = out ? inv_arg(inv, 2) : 0;
    if (width != 1 && width != 2 && width != 4) {
        return inv_fail(inv, 1, KERR_INVALID_ARGUMENT);
    }
    if (port > 0xffff || !port_allowed(inv->slot, port, width)) {
        return inv_fail(inv, 0, KERR_RANGE);
    }
    if (out) {
        port_write((uint16_t)port, (unsigned)width, (uint32_t)value);
    } else {
        inv_reply(inv, 0, port_read((uint16_t)port, (unsigned)width));
    }
    return KERR_OK;
}

static kerr_t decode_port_issue(invocation_t *inv)
{
    kerr_t err = inv_need_args(inv, 4);
    if (err != KERR_OK) {
        return err;
    }
    uint64_t first = inv_arg(inv, 0), last = inv_arg(inv, 1);
    if (first > last || last > 0xffff || !port_allowed(inv->slot, first, last - first + 1)) {
        return inv_fail(inv, 1, KERR_RANGE);
    }
    cte_t *cnode_cap, *dest;
    if ((err = inv_lookup_arg(inv, 2, OBJ_CNODE, RIGHT_WRITE, &cnode_cap)) != KERR_OK ||
        (err = inv_empty_slot(inv, cnode_cap->cap.obj, 3, &dest)) != KERR_OK) {
        return err;
    }
    cap_t cap = inv->slot->cap;
    cap.badge = io_port_range((uint16_t)first, (uint16_t)last);
    cte_insert(dest, cap, inv->slot);
    return KERR_OK;
}

kerr_t io_port_invoke(invocation_t *inv)
{
    kerr_t err = inv_need_rights(inv, RIGHT_WRITE);
    if (err != KERR_OK) {
        return err;
    }
    switch (inv->label) {
    case INV_IO_PORT_IN:
        return decode_port_io(inv, false);
    case INV_IO_PORT_OUT:
        return decode_port_io(inv, true);
    case INV_IO_PORT_ISSUE:
        return decode_port_issue(inv);
    default:
        return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_LABEL);
    }
}
