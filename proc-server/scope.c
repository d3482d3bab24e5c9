/*
 * The scope tree: creation, references, limits, the container registry and
 * the scope state machine. PID numbering lives in pid_entry.c, and what a
 * scope's processes see of each other in process.c.
 */
#include "scope.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "process.h"

static scope_t *scope_alloc(void)
{
    scope_t *scope = calloc(1, sizeof(*scope));
    if (scope == NULL) {
        return NULL;
    }
    scope->refs = 1;
    scope->next_nr = 1;
    scope->limit = SCOPE_NO_LIMIT;
    list_init(&scope->children);
    list_init(&scope->sibling);
    return scope;
}

scope_t *scope_alloc_root(void)
{
    scope_t *root = scope_alloc();
    if (root != NULL) {
        root->state = SCOPE_RUNNING;
    }
    return root;
}

/* Forgets the owner, once the scope is registered, stopped or freed. */
static void scope_clear_owner(scope_t *scope)
{
    if (scope->owner != NULL) {
        scope->owner->owned_scopes--;
        scope->owner = NULL;
    }
}

static void (*scope_release)(scope_t *scope);

void scope_set_release(void (*release)(scope_t *scope))
{
    scope_release = release;
}

static void scope_free(scope_t *scope)
{
    if (scope_release != NULL) {
        scope_release(scope);
    }
    if (scope->registered) { /* only when the whole tree goes */
        name_index_remove(&scope->parent->registry, &scope->name_link);
    }
    name_index_free(&scope->registry);
    free(scope->name);
    free(scope->bundle);
    free(scope->meta);
    free(scope);
}

void scope_free_tree(scope_t *root)
{
    list_node_t *pos, *tmp;
    list_for_each_safe(pos, tmp, &root->children)
    {
        scope_free_tree(list_entry(pos, scope_t, sibling));
    }
    scope_free(root);
}

bool scope_contains(const scope_t *outer, const scope_t *inner)
{
    while (inner != NULL && inner->level > outer->level) {
        inner = inner->parent;
    }
    return inner == outer;
}

bool scope_is_dying(const scope_t *scope)
{
    for (; scope != NULL; scope = scope->parent) {
        if (scope->state == SCOPE_STOPPED) {
            return true;
        }
    }
    return false;
}

int scope_create(proc_table_t *tab, process_t *creator, scope_t *parent, uint64_t now,
                 scope_t **out)
{
    if (creator != NULL && creator->jailed) {
        return -EPERM;
    }
    if (parent == NULL) {
        parent = creator != NULL ? creator->scope : tab->root_scope;
    }
    if (creator != NULL && !scope_contains(creator->scope, parent)) {
        return -EPERM;
    }
    if (scope_is_dying(parent)) {
        return -EINVAL;
    }
    if (parent->level + 1 >= SCOPE_LEVELS_MAX) {
        return -ENOSPC;
    }
    scope_t *scope = scope_alloc();
    if (scope == NULL) {
        return -ENOMEM;
    }
    scope->id = tab->next_scope_id++;
    scope->level = parent->level + 1;
    scope->parent = parent;
    scope->state = SCOPE_CREATING;
    scope->created_time = now;
    scope->owner = creator;
    if (creator != NULL) {
        creator->owned_scopes++;
    }
    scope_get(parent);
    list_add_tail(&parent->children, &scope->sibling);
    *out = scope;
    return 0;
}

int scope_create_joined(proc_table_t *tab, process_t *creator, scope_t *host, uint64_t now,
                        scope_t **out)
{
    if (creator->jailed) {
        return -EPERM;
    }
    if (host == creator->scope || !scope_contains(creator->scope, host)) {
        return -EPERM;
    }
    if (scope_is_dying(host)) {
        return -EINVAL;
    }
    int err = scope_create(tab, creator, NULL, now, out);
    if (err == 0) {
        scope_get(host);
        (*out)->host = host;
    }
    return err;
}

bool scope_holds(const scope_t *scope, const process_t *proc)
{
    return scope->host != NULL ? proc->joined == scope : scope_contains(scope, proc->scope);
}

void scope_get(scope_t *scope)
{
    assert(scope->refs > 0);
    scope->refs++;
}

void scope_put(scope_t *scope)
{
    assert(scope->refs > 0);
    if (--scope->refs > 0) {
        return;
    }
    /* Processes and children hold references, so a scope freed here is empty. */
    assert(scope->count == 0 && list_empty(&scope->children) && scope->parent != NULL);
    scope_t *parent = scope->parent, *host = scope->host;
    list_remove(&scope->sibling);
    scope_clear_owner(scope);
    scope_free(scope);
    if (host != NULL) {
        scope_put(host);
    }
    scope_put(parent);
}

int scope_charge(scope_t *scope)
{
    for (const scope_t *s = scope; s != NULL; s = s->parent) {
        if (s->count >= s->limit) {
            return -EAGAIN;
        }
    }
    for (scope_t *s = scope; s != NULL; s = s->parent) {
        s->count++;
    }
    return 0;
}

void scope_uncharge(scope_t *scope)
{
    for (scope_t *s = scope; s != NULL; s = s->parent) {
        assert(s->count > 0);
        s->count--;
    }
}

void scope_set_limit(scope_t *scope, unsigned limit)
{
    scope->limit = limit;
}

static bool scope_name_char_valid(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '+' || c == '-';
}

bool scope_name_valid(const char *name)
{
    if (name == NULL) {
        return false;
    }
    size_t len = 0;
    for (; name[len] != '\0'; len++) {
        if (len >= SCOPE_NAME_MAX || !scope_name_char_valid(name[len])) {
            return false;
        }
    }
    return len > 0;
}

scope_t *scope_find_child(const scope_t *parent, const char *name)
{
    name_node_t *node = name_index_find(&parent->registry, name);
    return node != NULL ? list_entry(node, scope_t, name_link) : NULL;
}

int scope_register(scope_t *scope, const char *name, const char *bundle)
{
    if (scope->parent == NULL || scope->state != SCOPE_CREATING || !scope_name_valid(name) ||
        bundle == NULL) {
        return -EINVAL;
    }
    if (scope_find_child(scope->parent, name) != NULL) {
        return -EEXIST;
    }
    char *name_copy = strdup(name);
    char *bundle_copy = strdup(bundle);
    scope->name_link = (name_node_t){NULL, name_copy};
    if (name_copy == NULL || bundle_copy == NULL ||
        name_index_add(&scope->parent->registry, &scope->name_link) != 0) {
        free(name_copy);
        free(bundle_copy);
        scope->name_link = (name_node_t){0};
        return -ENOMEM;
    }
    scope->name = name_copy;
    scope->bundle = bundle_copy;
    scope->registered = true;
    scope->state = SCOPE_CREATED;
    scope_clear_owner(scope);
    scope_get(scope);
    return 0;
}

int scope_set_meta(scope_t *scope, const char *meta)
{
    char *copy = strdup(meta);
    if (copy == NULL) {
        return -ENOMEM;
    }
    free(scope->meta);
    scope->meta = copy;
    return 0;
}

/* Drops the registry's hold on scope and on every registered scope below it. */
static void scope_unregister_tree(scope_t *scope)
{
    /* Freed children drop references on scope: hold one so it outlives the walk. */
    scope_get(scope);
    list_node_t *pos, *tmp;
    list_for_each_safe(pos, tmp, &scope->children)
    {
        scope_unregister_tree(list_entry(pos, scope_t, sibling));
    }
    if (scope->registered) {
        name_index_remove(&scope->parent->registry, &scope->name_link);
        scope->registered = false;
        scope_put(scope);
    }
    scope_put(scope);
}

int scope_unregister(scope_t *scope)
{
    if (!scope->registered) {
        return -EINVAL;
    }
    if (scope->state != SCOPE_STOPPED && scope->count > 0) {
        return -EBUSY;
    }
    scope_unregister_tree(scope);
    return 0;
}

int scope_start(scope_t *scope)
{
    if (scope->state != SCOPE_CREATING && scope->state != SCOPE_CREATED) {
        return -EINVAL;
    }
    scope->state = SCOPE_RUNNING;
    return 0;
}

bool scope_stop(scope_t *scope, int wstatus)
{
    if (scope->state == SCOPE_STOPPED) {
        return false;
    }
    scope->state = SCOPE_STOPPED;
    scope->exit_status = wstatus;
    scope_clear_owner(scope);
    return true;
}

const char *scope_state_name(scope_state_t state)
{
    static const char *const names[] = {
        [SCOPE_CREATING] = "creating",
        [SCOPE_CREATED] = "created",
        [SCOPE_RUNNING] = "running",
        [SCOPE_STOPPED] = "stopped",
    };
    return names[state];
}
