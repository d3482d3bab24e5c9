/* vfs-server's context handles: badges tagged as vfs-server's (never read
 * as proc-server's, never a session badge), generations, references. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ctx_handles.h"
#include "vfs_fixture.h"

static void test_badge_round_trip(void **state)
{
    (void)state;
    obj_badge_fields_t b;
    uint64_t badge = ctx_badge_make(32767, CTX_HANDLES_MAX - 1, OBJ_BADGE_GEN_MASK);
    assert_true(obj_badge_is_object_badge(badge));
    assert_true(ctx_badge_decode(badge, &b));
    assert_int_equal(b.server, OBJ_SERVER_VFS);
    assert_int_equal(b.holder_pid, 32767);
    assert_int_equal(b.index, CTX_HANDLES_MAX - 1);
    assert_int_equal(b.gen, OBJ_BADGE_GEN_MASK);
    /* a generation wider than its field wraps, never into the server bit */
    assert_true(ctx_badge_decode(ctx_badge_make(9, 3, OBJ_BADGE_GEN_MASK + 2), &b));
    assert_int_equal(b.gen, 1);
    assert_int_equal(b.server, OBJ_SERVER_VFS);
}

static void test_badge_refused(void **state)
{
    (void)state;
    obj_badge_fields_t b;
    /* proc-server's badges, sessions and malformed ones are not contexts */
    assert_false(ctx_badge_decode(obj_badge_encode(OBJ_SERVER_PROC, 5, 0, 0), &b));
    for (uint64_t p = 0; p < 32768; p++) {
        assert_false(ctx_badge_decode(p << 1 | 1, &b));
    }
    assert_false(ctx_badge_decode(ctx_badge_make(5, CTX_HANDLES_MAX, 0), &b));
    assert_false(ctx_badge_decode(ctx_badge_make(0, 0, 0), &b));
    assert_false(ctx_badge_decode(OBJ_BADGE_FLAG | 1ull << OBJ_BADGE_SERVER_SHIFT |
                                      0x80000000ull << OBJ_BADGE_PID_SHIFT,
                                  &b));
}

static void test_handles_and_references(void **state)
{
    (void)state;
    vfs_fs_t *fs = t_ramfs();
    rootctx_t *ctx = t_ctx_new(fs);
    vfs_fs_put(fs);
    ctx_handles_t t = {0};
    uint32_t refs = ctx->refs;
    int i = ctx_handle_add(&t, ctx);
    assert_int_equal(i, 0);
    assert_int_equal(ctx->refs, refs + 1);
    assert_ptr_equal(ctx_handle_get(&t, 0, 0), ctx);
    assert_null(ctx_handle_get(&t, 0, 1));               /* another generation */
    assert_null(ctx_handle_get(&t, CTX_HANDLES_MAX, 0)); /* out of range */
    ctx_handle_remove(&t, 0);
    assert_int_equal(ctx->refs, refs);
    assert_null(ctx_handle_get(&t, 0, 0)); /* closed */
    /* the slot's next handle has the next generation: old badges name nothing */
    assert_int_equal(ctx_handle_add(&t, ctx), 0);
    assert_null(ctx_handle_get(&t, 0, 0));
    assert_ptr_equal(ctx_handle_get(&t, 0, 1), ctx);
    for (int k = 1; k < CTX_HANDLES_MAX; k++) {
        assert_int_equal(ctx_handle_add(&t, ctx), k);
    }
    assert_int_equal(ctx_handle_add(&t, ctx), -EMFILE);
    assert_int_equal(ctx->refs, refs + CTX_HANDLES_MAX);
    ctx_handles_drop_all(&t);
    assert_int_equal(ctx->refs, refs);
    ctx_handle_remove(&t, 3); /* nothing there: nothing happens */
    assert_int_equal(ctx->refs, refs);
    rootctx_put(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_badge_round_trip),
        cmocka_unit_test(test_badge_refused),
        cmocka_unit_test(test_handles_and_references),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
