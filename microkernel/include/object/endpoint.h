/* Endpoint: a rendezvous where senders meet receivers. */
#ifndef CAPSULE_OBJECT_ENDPOINT_H
#define CAPSULE_OBJECT_ENDPOINT_H

#include "kernel/thread_queue.h"

typedef enum { EP_IDLE, EP_SENDERS, EP_RECEIVERS } endpoint_queue_t;

typedef struct endpoint {
    kobject_t obj;
    endpoint_queue_t kind; /* who waits in `queue` */
    thread_queue_t queue;
} endpoint_t;

size_t endpoint_size(unsigned size_bits);
bool endpoint_finalize(kobject_t *obj);

#endif
