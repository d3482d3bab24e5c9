/* Invocation labels of kernel objects (see invocations.def for arguments). */
#ifndef CAPSULE_UAPI_INVOCATIONS_H
#define CAPSULE_UAPI_INVOCATIONS_H

typedef enum {
#define INVOCATION(name, label, object, args) INV_##name = label,
#include "invocations.def"
#undef INVOCATION
} invocation_label_t;

#endif
