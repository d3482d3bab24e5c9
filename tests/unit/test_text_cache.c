/*
 * Host unit tests for proc-server's cache of executables' read-only pages
 * (proc-server/text_cache.c): an entry is found only by the same file and
 * content version, users are counted through exec, fork and exit, a file
 * written since is never served from its old entry, idle entries are kept
 * up to a bound and evicted least recently used first, and one in use never.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text_cache.h"

/* Which entries' frames were freed, in order. */
static text_key_t freed[64];
static size_t freed_count;

static void record_free(text_cache_t *c, text_entry_t *e)
{
    (void)c;
    assert_int_equal(e->users, 0); /* never while mapped */
    assert_true(freed_count < 64);
    freed[freed_count++] = e->key;
    free(e->frames);
    e->frames = NULL;
}

static int reset(void **state)
{
    (void)state;
    freed_count = 0;
    return 0;
}

/* Ends every use and frees every entry (LeakSanitizer checks the rest). */
static void finish(text_cache_t *c)
{
    for (;;) {
        text_entry_t *e = c->head;
        while (e != NULL && e->users == 0) {
            e = e->next;
        }
        if (e == NULL) {
            break;
        }
        text_cache_release(c, e);
    }
    while (text_cache_evict_idle(c)) {
    }
    assert_int_equal(c->count, 0);
    assert_int_equal(c->idle, 0);
}

static text_key_t key(uint64_t ino, uint64_t version)
{
    return (text_key_t){.dev = 1, .ino = ino, .version = version, .size = 8192};
}

static void test_lookup_finds_same_content(void **state)
{
    (void)state;
    text_cache_t c;
    text_cache_init(&c, 4, record_free);
    text_key_t k = key(7, 100);
    text_entry_t *a = text_cache_acquire(&c, &k);
    assert_non_null(a);
    a->frames = malloc(1); /* as text_frames.c fills it */
    text_entry_t *b = text_cache_acquire(&c, &k);
    assert_ptr_equal(a, b);
    assert_int_equal(a->users, 2);
    assert_int_equal(c.count, 1);
    /* another inode, another device: other files, other entries */
    text_key_t other_ino = key(8, 100), other_dev = k;
    other_dev.dev = 2;
    assert_ptr_not_equal(text_cache_acquire(&c, &other_ino), a);
    assert_ptr_not_equal(text_cache_acquire(&c, &other_dev), a);
    assert_int_equal(c.count, 3);
    assert_false(a->stale);
    text_cache_release(&c, a);
    text_cache_release(&c, a);
    assert_int_equal(freed_count, 0); /* kept idle, as a cache */
    assert_ptr_equal(text_cache_acquire(&c, &k), a);
    assert_int_equal(a->users, 1);
    finish(&c);
}

static void test_no_identity_no_entry(void **state)
{
    (void)state;
    text_cache_t c;
    text_cache_init(&c, 4, record_free);
    text_key_t k = key(7, 0);
    assert_null(text_cache_acquire(&c, &k));
    assert_int_equal(c.count, 0);
    finish(&c);
}

static void test_fork_and_exit_count_users(void **state)
{
    (void)state;
    text_cache_t c;
    text_cache_init(&c, 0, record_free); /* nothing kept idle */
    text_key_t k = key(7, 100);
    text_entry_t *e = text_cache_acquire(&c, &k); /* exec */
    text_cache_hold(&c, e);                       /* fork */
    text_cache_hold(&c, e);                       /* fork */
    assert_int_equal(e->users, 3);
    text_cache_release(&c, e); /* exit */
    text_cache_release(&c, e); /* exec away */
    assert_int_equal(freed_count, 0);
    assert_int_equal(c.idle, 0);
    text_cache_release(&c, e); /* the last: freed at once (idle_max 0) */
    assert_int_equal(freed_count, 1);
    assert_int_equal(c.count, 0);
    assert_int_equal(c.idle, 0);
    text_cache_release(&c, NULL); /* harmless */
    finish(&c);
}

static void test_modified_file_never_served_stale(void **state)
{
    (void)state;
    text_cache_t c;
    text_cache_init(&c, 4, record_free);
    text_key_t old = key(7, 100), newer = key(7, 200);
    text_entry_t *running = text_cache_acquire(&c, &old);
    text_entry_t *e = text_cache_acquire(&c, &newer); /* the file was rewritten */
    assert_ptr_not_equal(e, running);
    assert_true(running->stale);
    assert_false(e->stale);
    assert_int_equal(freed_count, 0); /* still mapped by the running image */
    /* the old content is never found again, even with the same size */
    text_entry_t *again = text_cache_acquire(&c, &newer);
    assert_ptr_equal(again, e);
    /* its last user gone, a stale entry is freed, not kept */
    text_cache_release(&c, running);
    assert_int_equal(freed_count, 1);
    assert_int_equal(freed[0].version, 100);
    assert_int_equal(c.count, 1);
    /* an idle entry of an older version goes as soon as a newer one is seen */
    text_cache_release(&c, e);
    text_cache_release(&c, e);
    text_key_t newest = key(7, 300);
    text_entry_t *n = text_cache_acquire(&c, &newest);
    assert_int_equal(freed_count, 2);
    assert_int_equal(freed[1].version, 200);
    assert_int_equal(c.count, 1);
    assert_int_equal(n->users, 1);
    finish(&c);
}

static void test_idle_bound_evicts_least_recent(void **state)
{
    (void)state;
    text_cache_t c;
    text_cache_init(&c, 2, record_free);
    text_entry_t *e[3];
    for (uint64_t i = 0; i < 3; i++) {
        text_key_t k = key(10 + i, 1);
        e[i] = text_cache_acquire(&c, &k);
    }
    text_cache_release(&c, e[1]); /* idle first: least recently used */
    text_cache_release(&c, e[0]);
    assert_int_equal(freed_count, 0);
    text_cache_release(&c, e[2]); /* a third idle one: over the bound */
    assert_int_equal(freed_count, 1);
    assert_int_equal(freed[0].ino, 11);
    assert_int_equal(c.count, 2);
    assert_int_equal(c.idle, 2);
    finish(&c);
}

static void test_evict_idle_spares_entries_in_use(void **state)
{
    (void)state;
    text_cache_t c;
    text_cache_init(&c, 8, record_free);
    text_key_t k1 = key(1, 5), k2 = key(2, 5), k3 = key(3, 5);
    text_entry_t *in_use = text_cache_acquire(&c, &k1);
    text_entry_t *a = text_cache_acquire(&c, &k2);
    text_entry_t *b = text_cache_acquire(&c, &k3);
    text_cache_release(&c, b);
    text_cache_release(&c, a); /* a used more recently than b */
    assert_true(text_cache_evict_idle(&c));
    assert_int_equal(freed[0].ino, 3);
    assert_true(text_cache_evict_idle(&c));
    assert_int_equal(freed[1].ino, 2);
    assert_false(text_cache_evict_idle(&c)); /* only the one in use is left */
    assert_int_equal(c.count, 1);
    assert_int_equal(in_use->users, 1);
    /* an evicted file's next exec starts a new entry */
    text_entry_t *again = text_cache_acquire(&c, &k2);
    assert_non_null(again);
    assert_null(again->frames);
    assert_int_equal(c.count, 2);
    finish(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_lookup_finds_same_content, reset),
        cmocka_unit_test_setup(test_no_identity_no_entry, reset),
        cmocka_unit_test_setup(test_fork_and_exit_count_users, reset),
        cmocka_unit_test_setup(test_modified_file_never_served_stale, reset),
        cmocka_unit_test_setup(test_idle_bound_evicts_least_recent, reset),
        cmocka_unit_test_setup(test_evict_idle_spares_entries_in_use, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
