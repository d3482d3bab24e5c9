/*
 * The kernel log's ring and its handover: Debug_ReadLog returns what was
 * logged (the last 64 KiB), Debug_ReleaseConsole stops the kernel's COM1
 * output and signals a notification on Debug_Write, Debug_ReclaimConsole
 * brings the output back. The checks made while the console is released
 * are recorded and reported after the reclaim, so a failure is visible.
 */
#include <stddef.h>

#include "check.h"
#include "helper.h"

#define RING_BYTES 65536
#define FLOOD_CHUNK 900

static bool same_bytes(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i]) {
            return false;
        }
    }
    return true;
}

static uint64_t log_end(void)
{
    char buf[8];
    debug_log_chunk_t chunk = {0};
    debug_read_log(CAP_INIT_DEBUG, 0, buf, sizeof(buf), &chunk);
    return chunk.end;
}

void test_debug_read_log(void)
{
    static const char line[] = "selftest-debug: a line for Debug_ReadLog\n";
    const size_t len = sizeof(line) - 1;
    uint64_t before = log_end();
    CHECK_OK(debug_write(CAP_INIT_DEBUG, line, len));
    char buf[128];
    debug_log_chunk_t chunk;
    CHECK_OK(debug_read_log(CAP_INIT_DEBUG, before, buf, sizeof(buf), &chunk));
    CHECK_EQ(chunk.first, before);
    CHECK_EQ(chunk.end, before + len);
    CHECK_EQ(chunk.count, len);
    CHECK(same_bytes(buf, line, len));
    /* the end itself is a valid, empty position; beyond it is not */
    CHECK_OK(debug_read_log(CAP_INIT_DEBUG, chunk.end, buf, sizeof(buf), &chunk));
    CHECK_EQ(chunk.count, 0);
    CHECK_ERR_ARG(debug_read_log(CAP_INIT_DEBUG, chunk.end + 1, buf, sizeof(buf), &chunk),
                  KERR_RANGE, 0);
    /* reading needs the Read right, and only that */
    cptr_t ro, wo;
    CHECK_OK(cap_derive(CAP_INIT_DEBUG, RIGHT_READ, &ro));
    CHECK_OK(cap_derive(CAP_INIT_DEBUG, RIGHT_WRITE, &wo));
    CHECK_OK(debug_read_log(ro, before, buf, sizeof(buf), &chunk));
    CHECK_ERR(debug_read_log(wo, before, buf, sizeof(buf), &chunk), KERR_NO_RIGHTS);
    uint64_t end;
    CHECK_ERR(debug_release_console(ro, 0, &end), KERR_NO_RIGHTS);
    CHECK_ERR(debug_reclaim_console(ro), KERR_NO_RIGHTS);
}

void test_debug_release_errors(void)
{
    cptr_t n, n_ro;
    uint64_t end;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &n));
    CHECK_OK(cap_derive(n, RIGHT_READ, &n_ro));
    CHECK_ERR_ARG(debug_release_console(CAP_INIT_DEBUG, CAP_INIT_TCB, &end), KERR_WRONG_TYPE, 0);
    CHECK_ERR_ARG(debug_release_console(CAP_INIT_DEBUG, n_ro, &end), KERR_NO_RIGHTS, 0);
    CHECK_ERR_ARG(debug_release_console(CAP_INIT_DEBUG, slot_alloc(), &end), KERR_INVALID_CAP, 0);
}

/* What the released phase observed. */
typedef struct {
    kerr_t release, reclaim;
    uint64_t end_at_release, end_before;
    uint64_t word;        /* the notification after a Debug_Write */
    uint64_t word_after;  /* after a second Poll: cleared */
    bool read_back;       /* the line written while released is in the ring */
    uint64_t flood_first; /* the oldest position after 70 KiB more */
    uint64_t flood_end;
} released_t;

static void flood_log(void)
{
    char chunk[FLOOD_CHUNK];
    for (size_t i = 0; i < sizeof(chunk); i++) {
        chunk[i] = (i % 64 == 63) ? '\n' : 'f';
    }
    for (size_t done = 0; done < RING_BYTES + 4096; done += sizeof(chunk)) {
        debug_write(CAP_INIT_DEBUG, chunk, sizeof(chunk));
    }
}

static void released_phase(cptr_t badged, released_t *r)
{
    static const char line[] = "selftest-debug: only in the ring\n";
    const size_t len = sizeof(line) - 1;
    r->end_before = log_end();
    r->release = debug_release_console(CAP_INIT_DEBUG, badged, &r->end_at_release);
    debug_write(CAP_INIT_DEBUG, line, len);
    r->word = sys_nbrecv(badged).badge;
    r->word_after = sys_nbrecv(badged).badge;
    char buf[64];
    debug_log_chunk_t chunk = {0};
    debug_read_log(CAP_INIT_DEBUG, r->end_at_release, buf, sizeof(buf), &chunk);
    r->read_back = chunk.count == len && same_bytes(buf, line, len);
    flood_log();
    debug_read_log(CAP_INIT_DEBUG, 0, buf, sizeof(buf), &chunk);
    r->flood_first = chunk.first;
    r->flood_end = chunk.end;
    r->reclaim = debug_reclaim_console(CAP_INIT_DEBUG);
}

void test_debug_release_console(void)
{
    cptr_t n, badged;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &n));
    CHECK_OK(cnode_mint(CAP_INIT_CNODE, badged = slot_alloc(), CAP_INIT_CNODE, n, RIGHTS_ALL, 0x4));
    released_t r = {0};
    released_phase(badged, &r);
    /* back on COM1: what the released phase saw */
    CHECK_OK(r.release);
    CHECK_OK(r.reclaim);
    CHECK(r.end_at_release > r.end_before); /* the kernel printed its handover line */
    CHECK_EQ(r.word, 0x4);
    CHECK_EQ(r.word_after, 0);
    CHECK(r.read_back);
    CHECK_EQ(r.flood_first, r.flood_end - RING_BYTES);
    /* after the reclaim Debug_Write signals no one (the flood's signal is still pending) */
    CHECK_EQ(sys_nbrecv(badged).badge, 0x4);
    CHECK_OK(debug_write(CAP_INIT_DEBUG, "selftest-debug: back on COM1\n", 29));
    CHECK_EQ(sys_nbrecv(badged).badge, 0);
    /* released without a notification, and reclaimed at once */
    uint64_t end;
    CHECK_OK(debug_release_console(CAP_INIT_DEBUG, 0, &end));
    CHECK_OK(debug_reclaim_console(CAP_INIT_DEBUG));
}
