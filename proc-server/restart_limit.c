#include "restart_limit.h"

bool restart_limit_allow(restart_limit_t *limit, uint64_t now_ns)
{
    /* the ring's oldest entry is the COUNT-th restart back */
    uint64_t oldest = limit->at[limit->next];
    if (limit->count == RESTART_LIMIT_COUNT && now_ns - oldest < RESTART_LIMIT_WINDOW_NS) {
        return false;
    }
    limit->at[limit->next] = now_ns;
    limit->next = (limit->next + 1) % RESTART_LIMIT_COUNT;
    if (limit->count < RESTART_LIMIT_COUNT) {
        limit->count++;
    }
    return true;
}
