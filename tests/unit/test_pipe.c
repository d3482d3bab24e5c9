/* vfs-server's pipes as plain code: the ring, Linux's read and write rules
 * (end of file, EPIPE, PIPE_BUF atomicity, O_NONBLOCK, partial counts), the
 * order waiters are answered in, waiters that are gone, and the limits.
 * pipe_io_t is a fake here: callers are numbered buffers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "pipe.h"

#define CALLERS 400

typedef struct {
    uint8_t *buf;
    size_t len;
    bool gone, kept, answered, dropped;
    int64_t result;
    unsigned flags;
} fake_caller_t;

static fake_caller_t callers[CALLERS];
static unsigned current = 1; /* the caller whose request is handled */
static unsigned changes;
static bool no_room_to_keep;

static fake_caller_t *who(pipe_caller_t c)
{
    assert_true(c != PIPE_CALLER_NONE);
    return &callers[c == PIPE_CALLER_CURRENT ? current : c];
}

static int fake_copy_in(pipe_caller_t c, uint64_t offset, void *dst, size_t len)
{
    fake_caller_t *f = who(c);
    if (f->gone) {
        return -EPIPE;
    }
    if (offset + len > f->len) {
        return -EFAULT;
    }
    if (len > 0) {
        memcpy(dst, f->buf + offset, len);
    }
    return 0;
}

static int fake_copy_out(pipe_caller_t c, uint64_t offset, const void *src, size_t len)
{
    fake_caller_t *f = who(c);
    if (f->gone) {
        return -EPIPE;
    }
    if (offset + len > f->len) {
        return -EFAULT;
    }
    if (len > 0) {
        memcpy(f->buf + offset, src, len);
    }
    return 0;
}

static pipe_caller_t fake_save(void)
{
    if (no_room_to_keep) {
        return PIPE_CALLER_NONE;
    }
    assert_false(callers[current].kept);
    callers[current].kept = true;
    return current;
}

static void fake_answer(pipe_caller_t c, int64_t result, unsigned flags)
{
    fake_caller_t *f = who(c);
    assert_true(f->kept);
    assert_false(f->answered);
    f->kept = false;
    f->answered = true;
    f->result = result;
    f->flags = flags;
}

static void fake_drop(pipe_caller_t c)
{
    fake_caller_t *f = who(c);
    assert_true(f->kept);
    f->kept = false;
    f->dropped = true;
}

static void fake_changed(void)
{
    changes++;
}

static const pipe_io_t io = {fake_copy_in, fake_copy_out, fake_save,
                             fake_answer,  fake_drop,     fake_changed};

/* Caller `n` with a fresh buffer of `len` bytes (filled with `fill`). */
static fake_caller_t *caller(unsigned n, size_t len, int fill)
{
    fake_caller_t *f = &callers[n];
    free(f->buf);
    *f = (fake_caller_t){.buf = malloc(len > 0 ? len : 1), .len = len};
    memset(f->buf, fill, len);
    current = n;
    return f;
}

static pipe_t *new_pipe(void)
{
    pipe_t *p;
    assert_int_equal(pipe_create(&io, &p), 0);
    pipe_open_end(p, true, false);
    pipe_open_end(p, false, true);
    return p;
}

static void close_pipe(pipe_t *p)
{
    pipe_close_end(p, true, false);
    pipe_close_end(p, false, true);
}

static int teardown(void **state)
{
    (void)state;
    for (unsigned i = 0; i < CALLERS; i++) {
        free(callers[i].buf);
        callers[i] = (fake_caller_t){0};
    }
    no_room_to_keep = false;
    assert_int_equal(pipe_count(), 0);
    assert_int_equal(pipe_waiting(), 0);
    return 0;
}

static int64_t do_write(pipe_t *p, unsigned n, size_t len, int fill, bool nonblock)
{
    caller(n, len, fill);
    return pipe_write(p, len, nonblock);
}

static int64_t do_read(pipe_t *p, unsigned n, size_t len, bool nonblock)
{
    caller(n, len, 0);
    return pipe_read(p, len, nonblock);
}

static void test_ring_spans_wrap(void **state)
{
    (void)state;
    pipe_ring_t r;
    assert_int_equal(pipe_ring_init(&r), 0);
    uint8_t *w;
    const uint8_t *rd;
    assert_int_equal(pipe_ring_write_span(&r, 100000, &w), PIPE_RING_SIZE);
    pipe_ring_commit(&r, PIPE_RING_SIZE - 10);
    assert_int_equal(pipe_ring_room(&r), 10);
    assert_int_equal(pipe_ring_read_span(&r, 20, &rd), 20);
    pipe_ring_consume(&r, 20);
    /* the room is now 10 bytes at the end and 20 at the start */
    assert_int_equal(pipe_ring_write_span(&r, 100, &w), 10);
    assert_ptr_equal(w, r.bytes + PIPE_RING_SIZE - 10);
    pipe_ring_commit(&r, 10);
    assert_int_equal(pipe_ring_write_span(&r, 100, &w), 20);
    assert_ptr_equal(w, r.bytes);
    pipe_ring_commit(&r, 20);
    assert_int_equal(pipe_ring_room(&r), 0);
    assert_int_equal(pipe_ring_write_span(&r, 100, &w), 0);
    assert_int_equal(pipe_ring_read_span(&r, PIPE_RING_SIZE, &rd), PIPE_RING_SIZE - 20);
    assert_ptr_equal(rd, r.bytes + 20);
    pipe_ring_consume(&r, PIPE_RING_SIZE - 20);
    assert_int_equal(pipe_ring_read_span(&r, 100, &rd), 20);
    assert_ptr_equal(rd, r.bytes);
    pipe_ring_consume(&r, 20);
    assert_int_equal(pipe_ring_used(&r), 0);
    pipe_ring_free(&r);
}

static void test_read_takes_what_is_there(void **state)
{
    (void)state;
    pipe_t *p = new_pipe();
    assert_int_equal(do_write(p, 1, 5, 'a', false), 5);
    assert_int_equal(pipe_available(p), 5);
    assert_int_equal(do_read(p, 2, 100, false), 5);
    assert_memory_equal(callers[2].buf, "aaaaa", 5);
    assert_int_equal(do_write(p, 1, 5, 'b', false), 5);
    assert_int_equal(do_read(p, 2, 3, false), 3);
    assert_int_equal(pipe_available(p), 2);
    close_pipe(p);
}

static void test_empty_read_waits_then_gets_data(void **state)
{
    (void)state;
    pipe_t *p = new_pipe();
    assert_int_equal(do_read(p, 2, 100, false), PIPE_DEFERRED);
    assert_int_equal(do_read(p, 3, 100, true), -EAGAIN); /* O_NONBLOCK */
    assert_int_equal(pipe_waiting(), 1);
    assert_int_equal(do_write(p, 1, 7, 'x', false), 7);
    assert_true(callers[2].answered);
    assert_int_equal(callers[2].result, 7);
    assert_memory_equal(callers[2].buf, "xxxxxxx", 7);
    assert_int_equal(pipe_available(p), 0);
    close_pipe(p);
}

static void test_end_of_file(void **state)
{
    (void)state;
    pipe_t *p = new_pipe();
    assert_int_equal(do_read(p, 2, 10, false), PIPE_DEFERRED);
    assert_int_equal(do_read(p, 3, 10, false), PIPE_DEFERRED);
    pipe_close_end(p, false, true); /* the last writer */
    assert_true(callers[2].answered && callers[3].answered);
    assert_int_equal(callers[2].result, 0);
    assert_int_equal(callers[3].result, 0);
    assert_int_equal(do_read(p, 4, 10, false), 0);
    assert_int_equal(pipe_poll(p, true, false), POLLHUP);
    pipe_close_end(p, true, false);
}

static void test_data_before_end_of_file(void **state)
{
    (void)state;
    pipe_t *p = new_pipe();
    assert_int_equal(do_write(p, 1, 3, 'q', false), 3);
    pipe_close_end(p, false, true);
    assert_int_equal(pipe_poll(p, true, false), POLLIN | POLLRDNORM | POLLHUP);
    assert_int_equal(do_read(p, 2, 10, false), 3);
    assert_int_equal(do_read(p, 2, 10, false), 0);
    pipe_close_end(p, true, false);
}

static void test_write_without_reader_is_epipe(void **state)
{
    (void)state;
    pipe_t *p = new_pipe();
    pipe_close_end(p, true, false);
    assert_int_equal(do_write(p, 1, 10, 'a', false), -EPIPE);
    assert_int_equal(pipe_poll(p, false, true), POLLOUT | POLLWRNORM | POLLERR);
    pipe_close_end(p, false, true);
}

static void test_last_reader_ends_waiting_writers(void **state)
{
    (void)state;
    pipe_t *p = new_pipe();
    /* fills the ring and waits with 100 bytes still to write */
    assert_int_equal(do_write(p, 1, PIPE_RING_SIZE + 100, 'a', false), PIPE_DEFERRED);
    assert_int_equal(do_write(p, 2, 10, 'b', false), PIPE_DEFERRED);
    pipe_close_end(p, true, false);
    assert_int_equal(callers[1].result, PIPE_RING_SIZE); /* the part that went */
    assert_int_equal(callers[2].result, -EPIPE);
    assert_int_equal(callers[1].flags, PIPE_ANSWER_SIGPIPE);
    assert_int_equal(callers[2].flags, PIPE_ANSWER_SIGPIPE);
    pipe_close_end(p, false, true);
}

static void test_small_writes_are_atomic(void **state)
{
    (void)state;
    pipe_t *p = new_pipe();
    assert_int_equal(do_write(p, 1, PIPE_RING_SIZE - 100, 'a', false), PIPE_RING_SIZE - 100);
    /* 200 bytes do not fit in 100: none go, O_NONBLOCK says so */
    assert_int_equal(do_write(p, 2, 200, 'b', true), -EAGAIN);
    assert_int_equal(pipe_available(p), PIPE_RING_SIZE - 100);
    assert_int_equal(do_write(p, 2, 200, 'b', false), PIPE_DEFERRED);
    assert_int_equal(pipe_available(p), PIPE_RING_SIZE - 100);
    /* 50 bytes read: 150 of room, still not enough */
    assert_int_equal(do_read(p, 3, 50, false), 50);
    assert_false(callers[2].answered);
    assert_int_equal(do_read(p, 3, 50, false), 50);
    assert_true(callers[2].answered);
    assert_int_equal(callers[2].result, 200);
    assert_int_equal(pipe_available(p), PIPE_RING_SIZE);
    close_pipe(p);
}

static void test_large_nonblocking_write_is_partial(void **state)
{
    (void)state;
    pipe_t *p = new_pipe();
    assert_int_equal(do_write(p, 1, PIPE_RING_SIZE - 5000, 'a', false), PIPE_RING_SIZE - 5000);
    assert_int_equal(do_write(p, 2, 8000, 'b', true), 5000);
    assert_int_equal(do_write(p, 2, 8000, 'b', true), -EAGAIN);
    assert_int_equal(pipe_poll(p, false, true), 0);
    close_pipe(p);
}

/* A writer of 200 KiB and a reader taking 10 KiB at a time: every byte
 * arrives once, in order, and the writer is answered with its count. */
static void test_long_write_through_small_reads(void **state)
{
    (void)state;
    pipe_t *p = new_pipe();
    const size_t total = 200 * 1024;
    fake_caller_t *w = caller(1, total, 0);
    for (size_t i = 0; i < total; i++) {
        w->buf[i] = (uint8_t)(i * 7 + i / 251);
    }
    assert_int_equal(pipe_write(p, total, false), PIPE_DEFERRED);
    uint8_t *got = malloc(total);
    size_t have = 0;
    while (have < total) {
        int64_t n = do_read(p, 2, 10 * 1024, false);
        assert_true(n > 0);
        memcpy(got + have, callers[2].buf, (size_t)n);
        have += (size_t)n;
    }
    assert_true(callers[1].answered);
    assert_int_equal(callers[1].result, total);
    assert_memory_equal(got, callers[1].buf, total);
    free(got);
    close_pipe(p);
}

static void test_readers_take_turns(void **state)
{
    (void)state;
    pipe_t *p = new_pipe();
    assert_int_equal(do_read(p, 2, 4, false), PIPE_DEFERRED);
    assert_int_equal(do_read(p, 3, 4, false), PIPE_DEFERRED);
    assert_int_equal(do_write(p, 1, 6, 'z', false), 6);
    assert_int_equal(callers[2].result, 4); /* the first in line first */
    assert_int_equal(callers[3].result, 2);
    close_pipe(p);
}

static void test_gone_reader_takes_nothing(void **state)
{
    (void)state;
    pipe_t *p = new_pipe();
    assert_int_equal(do_read(p, 2, 4, false), PIPE_DEFERRED);
    assert_int_equal(do_read(p, 3, 4, false), PIPE_DEFERRED);
    callers[2].gone = true; /* killed, or its call cancelled */
    assert_int_equal(do_write(p, 1, 3, 'k', false), 3);
    assert_true(callers[2].dropped);
    assert_false(callers[2].answered);
    assert_int_equal(callers[3].result, 3);
    close_pipe(p);
}

static void test_gone_writer_gives_nothing_more(void **state)
{
    (void)state;
    pipe_t *p = new_pipe();
    assert_int_equal(do_write(p, 1, PIPE_RING_SIZE, 'a', false), PIPE_RING_SIZE);
    assert_int_equal(do_write(p, 2, 100, 'b', false), PIPE_DEFERRED);
    callers[2].gone = true;
    assert_int_equal(do_read(p, 3, 200, false), 200); /* room for its 100 bytes */
    assert_true(callers[2].dropped);
    assert_int_equal(pipe_available(p), PIPE_RING_SIZE - 200);
    close_pipe(p);
}

static void test_bad_buffer_moves_nothing(void **state)
{
    (void)state;
    pipe_t *p = new_pipe();
    assert_int_equal(do_write(p, 1, 10, 'a', false), 10);
    caller(2, 4, 0); /* a buffer shorter than the count */
    assert_int_equal(pipe_read(p, 8, false), -EFAULT);
    assert_int_equal(pipe_available(p), 10);
    caller(1, 0, 0);
    assert_int_equal(pipe_write(p, 8, false), -EFAULT);
    assert_int_equal(pipe_available(p), 10);
    close_pipe(p);
}

static void test_queue_bound(void **state)
{
    (void)state;
    pipe_t *p = new_pipe();
    for (unsigned i = 0; i < PIPE_QUEUE; i++) {
        assert_int_equal(do_read(p, 10 + i, 1, false), PIPE_DEFERRED);
    }
    assert_int_equal(do_read(p, 100, 1, false), -EAGAIN);
    callers[10].gone = true; /* a place comes free when its caller is gone */
    assert_int_equal(do_read(p, 100, 1, false), PIPE_DEFERRED);
    assert_true(callers[10].dropped);
    pipe_close_end(p, false, true); /* every waiting reader gets 0 */
    assert_int_equal(callers[100].result, 0);
    pipe_close_end(p, true, false);
}

static void test_global_bounds(void **state)
{
    (void)state;
    pipe_t *pipes[PIPE_MAX];
    unsigned n = 1;
    for (unsigned i = 0; i < PIPE_MAX; i++) {
        pipes[i] = new_pipe();
    }
    pipe_t *extra;
    assert_int_equal(pipe_create(&io, &extra), -ENFILE);
    for (unsigned i = 0; n <= PIPE_WAITERS_MAX; i++) {
        for (unsigned j = 0; j < PIPE_QUEUE && n <= PIPE_WAITERS_MAX; j++, n++) {
            assert_int_equal(do_read(pipes[i], n, 1, false), PIPE_DEFERRED);
        }
    }
    assert_int_equal(pipe_waiting(), PIPE_WAITERS_MAX);
    assert_int_equal(do_read(pipes[PIPE_MAX - 1], n, 1, false), -ENOMEM);
    no_room_to_keep = true;
    for (unsigned i = 0; i < PIPE_MAX; i++) {
        close_pipe(pipes[i]);
    }
    pipe_t *p = new_pipe();
    assert_int_equal(do_read(p, 1, 1, false), -ENOMEM); /* no slot to keep the caller */
    close_pipe(p);
}

static void test_poll_events(void **state)
{
    (void)state;
    pipe_t *p = new_pipe();
    assert_int_equal(pipe_poll(p, true, false), 0);
    assert_int_equal(pipe_poll(p, false, true), POLLOUT | POLLWRNORM);
    unsigned before = changes;
    assert_int_equal(do_write(p, 1, 1, 'a', false), 1);
    assert_true(changes > before);
    assert_int_equal(pipe_poll(p, true, false), POLLIN | POLLRDNORM);
    close_pipe(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_ring_spans_wrap, teardown),
        cmocka_unit_test_teardown(test_read_takes_what_is_there, teardown),
        cmocka_unit_test_teardown(test_empty_read_waits_then_gets_data, teardown),
        cmocka_unit_test_teardown(test_end_of_file, teardown),
        cmocka_unit_test_teardown(test_data_before_end_of_file, teardown),
        cmocka_unit_test_teardown(test_write_without_reader_is_epipe, teardown),
        cmocka_unit_test_teardown(test_last_reader_ends_waiting_writers, teardown),
        cmocka_unit_test_teardown(test_small_writes_are_atomic, teardown),
        cmocka_unit_test_teardown(test_large_nonblocking_write_is_partial, teardown),
        cmocka_unit_test_teardown(test_long_write_through_small_reads, teardown),
        cmocka_unit_test_teardown(test_readers_take_turns, teardown),
        cmocka_unit_test_teardown(test_gone_reader_takes_nothing, teardown),
        cmocka_unit_test_teardown(test_gone_writer_gives_nothing_more, teardown),
        cmocka_unit_test_teardown(test_bad_buffer_moves_nothing, teardown),
        cmocka_unit_test_teardown(test_queue_bound, teardown),
        cmocka_unit_test_teardown(test_global_bounds, teardown),
        cmocka_unit_test_teardown(test_poll_events, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
