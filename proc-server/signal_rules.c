#include "signal_rules.h"

#include <signal.h>
#include <string.h>

static bool valid(int sig)
{
    return sig >= 1 && sig <= SIGNAL_COUNT;
}

signal_route_t signal_route(const signal_page_t *page, int sig)
{
    if (page == NULL || !valid(sig) || sig == SIGKILL || sig == SIGSTOP) {
        return SIGNAL_ACT_DEFAULT;
    }
    if (page->blocked & SIGNAL_BIT(sig)) {
        return SIGNAL_MAKE_PENDING;
    }
    switch (page->actions[sig - 1].handler) {
    case SIGNAL_HANDLER_DEFAULT:
        return SIGNAL_ACT_DEFAULT;
    case SIGNAL_HANDLER_IGNORE:
        return SIGNAL_DROP;
    default:
        return SIGNAL_DELIVER;
    }
}

bool signal_has_handler(const signal_page_t *page, int sig)
{
    if (page == NULL || !valid(sig) || sig == SIGKILL || sig == SIGSTOP) {
        return false;
    }
    uint64_t handler = page->actions[sig - 1].handler;
    return handler != SIGNAL_HANDLER_DEFAULT && handler != SIGNAL_HANDLER_IGNORE;
}

bool signal_handles(const signal_page_t *page, int sig)
{
    return signal_has_handler(page, sig) || (page != NULL && valid(sig) && sig != SIGKILL &&
                                             sig != SIGSTOP && (page->blocked & SIGNAL_BIT(sig)));
}

bool signal_parent_autoreaps(const signal_page_t *page)
{
    if (page == NULL) {
        return false;
    }
    const signal_action_t *chld = &page->actions[SIGCHLD - 1];
    return chld->handler == SIGNAL_HANDLER_IGNORE || (chld->flags & SA_NOCLDWAIT);
}

bool signal_chld_on_stop(const signal_page_t *page)
{
    return page != NULL && !(page->actions[SIGCHLD - 1].flags & SA_NOCLDSTOP);
}

bool signal_chld_on_exit(const signal_page_t *page)
{
    return page != NULL && page->actions[SIGCHLD - 1].handler != SIGNAL_HANDLER_IGNORE;
}

bool signal_mark_pending(signal_page_t *page, int sig, const signal_info_t *info)
{
    if (!valid(sig) || (__atomic_load_n(&page->pending, __ATOMIC_ACQUIRE) & SIGNAL_BIT(sig))) {
        return false;
    }
    page->info[sig - 1] = *info;
    __atomic_fetch_or(&page->pending, SIGNAL_BIT(sig), __ATOMIC_RELEASE);
    return true;
}

void signal_page_init(signal_page_t *page)
{
    memset(page, 0, sizeof(*page));
    page->magic = SIGNAL_PAGE_MAGIC;
}

void signal_page_for_fork(signal_page_t *child, const signal_page_t *parent)
{
    signal_page_init(child);
    memcpy(child->actions, parent->actions, sizeof(child->actions));
    child->blocked = parent->blocked;
}

void signal_page_for_exec(signal_page_t *page, const signal_page_t *old)
{
    signal_page_init(page);
    for (int i = 0; i < SIGNAL_COUNT; i++) {
        if (old->actions[i].handler == SIGNAL_HANDLER_IGNORE) {
            page->actions[i].handler = SIGNAL_HANDLER_IGNORE;
        }
    }
    page->blocked = old->blocked;
    page->pending = old->pending;
    memcpy(page->info, old->info, sizeof(page->info));
}
