/*
 * IPC benchmarks: Call + ReplyRecv round trips (same and separate address
 * spaces, with a capability, with 4 KiB and 64 KiB bulk copies) and a
 * notification wake-up. The server threads use no globals: in their own
 * address space the root task's data is mapped read-only.
 */
#include "ipc_bench.h"

#include "capsule/print.h"
#include "measure.h"
#include "spawn.h"

#define ROUNDTRIPS 1000
#define COPY_ROUNDTRIPS 100
#define RECV_SLOT_SERVER 3 /* in the server's IPC buffer: see cap_server */

/* Answers every call with its first word. */
static void echo_server(uint64_t ep, uint64_t unused)
{
    (void)unused;
    sys_result_t r = sys_recv(ep);
    for (;;) {
        r = sys_ipc(SYS_REPLY_RECV, ep, msginfo_make(0, 1), r.mr[0], 0, 0, 0);
    }
}

/* Copies the first descriptor's bytes (length in word 0) into its own
 * pages, then answers. */
static void copy_server(uint64_t ep, uint64_t unused)
{
    (void)unused;
    sys_result_t r = sys_recv(ep);
    for (;;) {
        sys_result_t c = sys_call(CAP_REPLY_CURRENT, msginfo_make(INV_REPLY_COPY_FROM, 4), 0, 0,
                                  SPAWN_DATA, r.mr[0]);
        r = sys_ipc(SYS_REPLY_RECV, ep, msginfo_make(0, 1), c.mr[0], 0, 0, 0);
    }
}

/* Receives a capability into `slot` each time and deletes it again. */
static void cap_server(uint64_t ep, uint64_t slot)
{
    ipc_buffer_t *buf = (ipc_buffer_t *)SPAWN_IPC_BUFFER;
    buf->recv_slot = slot;
    sys_result_t r = sys_recv(ep);
    for (;;) {
        sys_call(CAP_INIT_CNODE, msginfo_make(INV_CNODE_DELETE, 1), slot, 0, 0, 0);
        r = sys_ipc(SYS_REPLY_RECV, ep, msginfo_make(0, 1), msginfo_caps(r.info), 0, 0, 0);
    }
}

static void waiter(uint64_t notification, uint64_t unused)
{
    (void)unused;
    for (;;) {
        sys_recv(notification);
    }
}

/* What the measuring client thread does; it runs without the FPU, like
 * the servers, so the round trip is the kernel's IPC path alone. */
typedef struct {
    uint64_t ep, info, word;
    int count;
    measurement_t m;
    uint64_t done;      /* notification the client signals when it is finished */
    uint64_t cap;       /* a capability to send with every call, or 0 */
    buffer_desc_t desc; /* a buffer to lend with every call (length 0: none) */
    ipc_buffer_t *ipc;  /* the client's IPC buffer */
} client_job_t;

static client_job_t job;

static void client(uint64_t unused, uint64_t unused2)
{
    (void)unused;
    (void)unused2;
    job.ipc->caps[0] = job.cap;
    job.ipc->descriptors[0] = job.desc;
    for (int b = 0; b < BATCHES; b++) {
        uint64_t t0 = tsc_now();
        for (int i = 0; i < job.count; i++) {
            sys_call(job.ep, job.info, job.word, 0, 0, 0);
        }
        job.m.per_iteration[b] = (tsc_now() - t0) / (uint64_t)job.count;
    }
    sys_signal(job.done); /* the root waits there: it takes the signal */
    for (;;) {
        sys_recv(job.done);
    }
}

/* Runs the client for `job` (filled in by the caller) and reports. */
static void roundtrips(const char *name, uint64_t ep, uint64_t info, uint64_t word, int count)
{
    job.ep = ep, job.info = info, job.word = word, job.count = count;
    job.m = (measurement_t){name, (uint64_t)count, {0}};
    job.done = spawn_object(OBJ_NOTIFICATION);
    spawned_t c = spawn(client, 0, 0, BENCH_PRIORITY, false);
    job.ipc = c.ipc; /* read by the client only once the root blocks below */
    sys_recv(job.done);
    spawn_stop(&c);
    measurement_report(&job.m);
}

static void bench_echo(const char *name, bool own_vspace)
{
    uint64_t ep = spawn_object(OBJ_ENDPOINT);
    spawned_t s = spawn(echo_server, ep, 0, BENCH_PRIORITY, own_vspace);
    job = (client_job_t){0};
    roundtrips(name, ep, msginfo_make(1, 1), 42, ROUNDTRIPS);
    spawn_stop(&s);
}

static void bench_cap(void)
{
    uint64_t ep = spawn_object(OBJ_ENDPOINT);
    uint64_t slot = spawn_slot();
    uint64_t granted = spawn_object(OBJ_NOTIFICATION);
    spawned_t s = spawn(cap_server, ep, slot, BENCH_PRIORITY, true);
    job = (client_job_t){.cap = granted};
    roundtrips("ipc_roundtrip_cap", ep, msginfo_with(msginfo_make(1, 1), 1, 0), 0, ROUNDTRIPS);
    spawn_stop(&s);
}

static uint8_t copy_source[65536];

static void bench_copy(const char *name, uint64_t len)
{
    uint64_t ep = spawn_object(OBJ_ENDPOINT);
    spawned_t s = spawn(copy_server, ep, 0, BENCH_PRIORITY, true);
    job = (client_job_t){.desc = {(uint64_t)copy_source, len, DESC_READ}};
    roundtrips(name, ep, msginfo_with(msginfo_make(1, 1), 0, 1), len, COPY_ROUNDTRIPS);
    spawn_stop(&s);
}

/* The waiter outranks the signaller: each Signal switches to it and its
 * next Wait switches back. */
static void bench_notification(void)
{
    uint64_t n = spawn_object(OBJ_NOTIFICATION);
    uint64_t badged = spawn_slot();
    cnode_mint(CAP_INIT_CNODE, badged, CAP_INIT_CNODE, n, RIGHTS_ALL, 1);
    spawned_t s = spawn(waiter, n, 0, BENCH_PRIORITY + 1, false);
    measurement_t m = {"notification_wake", ROUNDTRIPS, {0}};
    for (int b = 0; b < BATCHES; b++) {
        uint64_t t0 = tsc_now();
        for (int i = 0; i < ROUNDTRIPS; i++) {
            sys_signal(badged);
        }
        m.per_iteration[b] = (tsc_now() - t0) / ROUNDTRIPS;
    }
    measurement_report(&m);
    spawn_stop(&s);
}

void ipc_benchmarks(void)
{
    for (unsigned i = 0; i < sizeof(copy_source); i++) {
        copy_source[i] = (uint8_t)i;
    }
    tcb_set_priority(CAP_INIT_TCB, CAP_INIT_TCB, BENCH_PRIORITY);
    bench_echo("ipc_roundtrip_same_as", false);
    bench_echo("ipc_roundtrip", true);
    bench_cap();
    bench_copy("ipc_copy_4k", 4096);
    bench_copy("ipc_copy_64k", 65536);
    bench_notification();
    tcb_set_priority(CAP_INIT_TCB, CAP_INIT_TCB, PRIORITY_MAX);
}
