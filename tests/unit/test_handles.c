/* proc-server's handles: object badges (never a session badge), handle lookup
 * by kind and rights, references held and dropped, fork's copy. */
#include <errno.h>

#include "handles.h"
#include "proc_fixture.h"
#include "protocol/proc.h"

static void test_badge_round_trip(void **state)
{
    (void)state;
    obj_badge_t b;
    uint64_t badge = obj_badge_make(32767, HANDLES_MAX - 1, OBJ_BADGE_GEN_MASK);
    assert_true(obj_badge_is_object(badge));
    assert_true(obj_badge_decode(badge, &b));
    assert_int_equal(b.holder_pid, 32767);
    assert_int_equal(b.index, HANDLES_MAX - 1);
    assert_int_equal(b.gen, OBJ_BADGE_GEN_MASK);
    assert_true(obj_badge_decode(obj_badge_make(1, 0, 0), &b));
    assert_int_equal(b.holder_pid, 1);
    assert_int_equal(b.index, 0);
    assert_int_equal(b.gen, 0);
    /* a generation wider than its field wraps, never spills into bit 63's neighbours */
    assert_true(obj_badge_decode(obj_badge_make(9, 3, OBJ_BADGE_GEN_MASK + 2), &b));
    assert_int_equal(b.gen, 1);
    assert_int_equal(b.holder_pid, 9);
}

static void test_badge_never_a_session(void **state)
{
    (void)state;
    obj_badge_t b;
    /* every session and fault badge: global PID << 1 | fault */
    for (uint64_t p = 0; p < PROC_PID_MAX_DEFAULT; p++) {
        assert_false(obj_badge_is_object(p << 1));
        assert_false(obj_badge_decode(p << 1 | 1, &b));
    }
}

static void test_badge_malformed(void **state)
{
    (void)state;
    obj_badge_t b = {-7, 99, 5};
    assert_false(obj_badge_decode(OBJ_BADGE_FLAG, &b));                      /* no holder */
    assert_false(obj_badge_decode(obj_badge_make(5, HANDLES_MAX, 0), &b));   /* index */
    assert_false(obj_badge_decode(obj_badge_make(5, 0, 0) | 0x80, &b));      /* index bits */
    assert_false(obj_badge_decode(OBJ_BADGE_FLAG | 0x80000000ull << 8, &b)); /* PID over int */
    /* vfs-server's context badges (bit 62) are not proc-server's handles:
     * fork leaves them out instead of copying the holder's handle i */
    assert_false(obj_badge_decode(obj_badge_encode(OBJ_SERVER_VFS, 5, 0, 0), &b));
    assert_int_equal(b.holder_pid, -7); /* nothing written */
    assert_int_equal(b.index, 99);
}

static void test_rights(void **state)
{
    (void)state;
    assert_true(handle_rights_allow(PROC_SCOPE_RIGHTS_ALL, PROC_SCOPE_RIGHT_SPAWN));
    assert_false(handle_rights_allow(PROC_SCOPE_RIGHT_LIST, PROC_SCOPE_RIGHT_KILL));
    assert_false(handle_rights_allow(PROC_SCOPE_RIGHT_LIST, 0));
    assert_false(handle_rights_allow(0, PROC_SCOPE_RIGHT_LIST));
    assert_false(
        handle_rights_allow(PROC_SCOPE_RIGHT_LIST, PROC_SCOPE_RIGHT_LIST | PROC_SCOPE_RIGHT_KILL));
}

static void test_lookup_kind_and_rights(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    scope_t *scope = fx_scope(tab, NULL, NULL);
    hostname_ctx_t *ctx;
    assert_int_equal(hostname_create(tab, NULL, &ctx), 0);
    handle_table_t t = {0};
    int s = handle_add(&t, HANDLE_SCOPE, scope, PROC_SCOPE_RIGHT_LIST);
    int h = handle_add(&t, HANDLE_HOSTNAME, ctx, PROC_HOSTNAME_RIGHTS_ALL);
    assert_int_equal(s, 0);
    assert_int_equal(h, 1);
    assert_int_equal(scope->refs, 2);
    assert_int_equal(ctx->refs, 2);
    handle_t out;
    assert_int_equal(handle_get(&t, s, HANDLE_SCOPE, PROC_SCOPE_RIGHT_LIST, &out), 0);
    assert_ptr_equal(out.obj, scope);
    assert_int_equal(handle_get(&t, s, HANDLE_SCOPE, PROC_SCOPE_RIGHT_SPAWN, &out), -EPERM);
    assert_int_equal(handle_get(&t, s, HANDLE_HOSTNAME, PROC_HOSTNAME_RIGHT_GET, &out), -EBADF);
    assert_int_equal(handle_get(&t, 2, HANDLE_SCOPE, PROC_SCOPE_RIGHT_LIST, &out), -EBADF);
    assert_int_equal(handle_get(&t, HANDLES_MAX, HANDLE_SCOPE, 1, &out), -EBADF);
    assert_int_equal(handle_get(&t, UINT64_MAX, HANDLE_SCOPE, 1, &out), -EBADF);

    /* generations: a closed handle's badge never names the slot's next one */
    assert_true(handle_current(&t, (unsigned)s, 0));
    handle_table_t spare = {0};
    int x = handle_add(&spare, HANDLE_SCOPE, scope, PROC_SCOPE_RIGHTS_ALL);
    handle_remove(&spare, (unsigned)x);
    assert_false(handle_current(&spare, (unsigned)x, 0));
    assert_int_equal(handle_add(&spare, HANDLE_SCOPE, scope, PROC_SCOPE_RIGHT_LIST), x);
    assert_false(handle_current(&spare, (unsigned)x, 0));
    assert_true(handle_current(&spare, (unsigned)x, 1));
    handle_remove(&spare, 7); /* empty: nothing */
    assert_int_equal(spare.gen[7], 0);
    handle_table_t child = {0};
    handle_copy(&child, &spare, (unsigned)x);
    assert_true(handle_current(&child, (unsigned)x, 1)); /* fork keeps the generation */
    handle_drop_all(&child);
    handle_drop_all(&spare);

    handle_copy(&child, &t, (unsigned)s);
    handle_copy(&child, &t, 5); /* empty: nothing */
    assert_int_equal(scope->refs, 3);
    assert_int_equal(child.h[5].kind, HANDLE_NONE);
    handle_drop_all(&child);
    handle_drop_all(&t);
    assert_int_equal(scope->refs, 1);
    assert_int_equal(ctx->refs, 1);
    hostname_put(ctx);
    scope_put(scope);
    proc_table_destroy(tab);
}

static void test_table_full(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    hostname_ctx_t *ctx = tab->root_hostname;
    handle_table_t t = {0};
    for (int i = 0; i < HANDLES_MAX; i++) {
        assert_int_equal(handle_add(&t, HANDLE_HOSTNAME, ctx, 1), i);
    }
    unsigned refs = ctx->refs;
    assert_int_equal(handle_add(&t, HANDLE_HOSTNAME, ctx, 1), -EMFILE);
    assert_int_equal(ctx->refs, refs);
    handle_drop_all(&t);
    proc_table_destroy(tab);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_badge_round_trip),       cmocka_unit_test(test_badge_never_a_session),
        cmocka_unit_test(test_badge_malformed),        cmocka_unit_test(test_rights),
        cmocka_unit_test(test_lookup_kind_and_rights), cmocka_unit_test(test_table_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
