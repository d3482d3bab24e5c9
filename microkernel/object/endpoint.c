/* Endpoints. All the message passing is in kernel/ipc.c. */
#include "object/endpoint.h"

#include "kernel/ipc.h"

size_t endpoint_size(unsigned size_bits)
{
    (void)size_bits;
    return sizeof(endpoint_t);
}

/* Every thread still waiting wakes with KERR_DELETED. */
bool endpoint_finalize(kobject_t *obj)
{
    endpoint_t *ep = (endpoint_t *)obj;
    while (!thread_queue_empty(&ep->queue)) {
        ipc_cancel(ep->queue.head, KERR_DELETED);
    }
    return true;
}
