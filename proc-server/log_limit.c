/* The token bucket of log_limit.h. */
#include "log_limit.h"

bool log_limit_take(log_limit_t *limit, uint64_t now_ns, uint64_t *dropped)
{
    if (!limit->started) {
        *limit = (log_limit_t){LOG_LIMIT_BURST, now_ns, 0, true};
    }
    if (now_ns > limit->last_ns) {
        uint64_t earned = (now_ns - limit->last_ns) / LOG_LIMIT_PERIOD_NS;
        if (earned > 0) {
            limit->tokens =
                limit->tokens + earned > LOG_LIMIT_BURST ? LOG_LIMIT_BURST : limit->tokens + earned;
            limit->last_ns += earned * LOG_LIMIT_PERIOD_NS;
        }
    }
    if (limit->tokens == 0) {
        limit->suppressed++;
        return false;
    }
    limit->tokens--;
    *dropped = limit->suppressed;
    limit->suppressed = 0;
    return true;
}
