/*
 * debug-fuzz: malformed debug requests (protocol/debug.h) on the caller's
 * debug capability each get their error, fuzzed labels, offsets and
 * lengths get an answer or an error (never a hang), and the protocol still
 * works afterwards. Prints "debug-fuzz: ok" or the first mismatch.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capsule/proc_client.h"
#include "protocol/debug.h"
#include "protocol/posix_runtime.h"

static char buf[DEBUG_PAGE_MAX];

static int64_t ask(uint64_t label, uint64_t words, unsigned descs, uint64_t offset, uint64_t length,
                   uint64_t arg, uint64_t flags, uint64_t desc_len)
{
    uint64_t mr[4] = {offset, length, arg, flags};
    buffer_desc_t d = {(uint64_t)buf, desc_len, DESC_WRITE};
    return capsule_call(CAP_DEBUG_SESSION, label, words, mr, &d, descs, NULL);
}

static int failures;

/* The whole text of a listing read in pages of `page` bytes; its length,
 * or -errno. */
static long read_all(uint64_t label, uint64_t page, char *out, size_t room)
{
    uint64_t offset = 0;
    int64_t total;
    do {
        total = ask(label, 4, 1, offset, page, 0, DEBUG_FLAG_JSON, page);
        if (total < 0 || (uint64_t)total > room) {
            return total < 0 ? (long)total : -E2BIG;
        }
        uint64_t count = (uint64_t)total - offset < page ? (uint64_t)total - offset : page;
        memcpy(out + offset, buf, count);
        offset += count;
    } while (offset < (uint64_t)total);
    return (long)total;
}

static char whole[DEBUG_PAGE_MAX], paged[DEBUG_PAGE_MAX];

static void expect(const char *what, int64_t got, int64_t want)
{
    if (got != want) {
        printf("debug-fuzz: %s: got %lld, want %lld\n", what, (long long)got, (long long)want);
        failures++;
    }
}

int main(void)
{
    int64_t total = ask(DEBUG_PROC_LIST, 4, 1, 0, 64, 0, 0, 64);
    if (total <= 0) {
        printf("debug-fuzz: proc list answers %lld\n", (long long)total);
        return 1;
    }
    expect("unknown label", ask(0x6ff, 4, 1, 0, 64, 0, 0, 64), -ENOSYS);
    /* the sessions carry no debug request, well-formed or not */
    uint64_t mr[4] = {0, 64, 0, 0};
    buffer_desc_t d = {(uint64_t)buf, 64, DESC_WRITE};
    expect("on the proc session",
           capsule_call(CAP_PROC_SESSION, DEBUG_PROC_LIST, 4, mr, &d, 1, NULL), -EPERM);
    expect("on the vfs session",
           capsule_call(CAP_VFS_SESSION, DEBUG_VFS_CONTEXTS, 4, mr, &d, 1, NULL), -EPERM);
    expect("proc label on the vfs session",
           capsule_call(CAP_VFS_SESSION, DEBUG_PROC_LIST, 4, mr, &d, 1, NULL), -EPERM);
    expect("unknown vfs label", ask(0x67f, 4, 1, 0, 64, 0, 0, 64), -ENOSYS);
    expect("unknown console label", ask(0x6bf, 4, 1, 0, 64, 0, 0, 64), -ENOSYS);
    expect("offset past the end", ask(DEBUG_PROC_LIST, 4, 1, 1u << 30, 64, 0, 0, 64), -EINVAL);
    expect("vfs offset past the end", ask(DEBUG_VFS_CONTEXTS, 4, 1, ~0ull, 64, 0, 0, 64), -EINVAL);
    expect("page too long", ask(DEBUG_PROC_LIST, 4, 1, 0, DEBUG_PAGE_MAX + 1, 0, 0, 64), -EINVAL);
    expect("no descriptor", ask(DEBUG_PROC_LIST, 4, 0, 0, 64, 0, 0, 64), -EINVAL);
    expect("two words", ask(DEBUG_PROC_LIST, 2, 1, 0, 64, 0, 0, 64), -EINVAL);
    expect("unknown flags", ask(DEBUG_PROC_LIST, 4, 1, 0, 64, 0, 0x80, 64), -EINVAL);
    expect("descriptor shorter than the page", ask(DEBUG_PROC_LIST, 4, 1, 0, 4096, 0, 0, 16),
           -EINVAL);
    expect("vfs descriptor shorter", ask(DEBUG_VFS_CONTEXTS, 4, 1, 0, 4096, 0, 0, 16), -EINVAL);
    expect("no such process", ask(DEBUG_PROC_SHOW, 4, 1, 0, 64, 1u << 31, 0, 64), -ESRCH);
    expect("no such context", ask(DEBUG_VFS_MOUNTS, 4, 1, 0, 64, 99999, 0, 64), -ESRCH);
    expect("the end itself", ask(DEBUG_CONSOLE_STATE, 4, 1, 0, 0, 0, 0, 64) > 0, 1);
    /* pages join up into the text one request gives, and the total says when
     * it is complete */
    long n1 = read_all(DEBUG_PROC_LIST, DEBUG_PAGE_MAX, whole, sizeof(whole));
    long n2 = read_all(DEBUG_PROC_LIST, 37, paged, sizeof(paged));
    expect("paged length", n2, n1);
    expect("paged text", n1 > 0 && n1 == n2 && memcmp(whole, paged, (size_t)n1) == 0, 1);
    n1 = read_all(DEBUG_VFS_MOUNTS + 0, DEBUG_PAGE_MAX, whole, sizeof(whole));
    expect("no context 0", n1, -ESRCH);
    n1 = read_all(DEBUG_VFS_CONTEXTS, DEBUG_PAGE_MAX, whole, sizeof(whole));
    n2 = read_all(DEBUG_VFS_CONTEXTS, 5, paged, sizeof(paged));
    expect("relayed paged text", n1 > 0 && n1 == n2 && memcmp(whole, paged, (size_t)n1) == 0, 1);
    srand(8);
    for (int i = 0; i < 300; i++) {
        uint64_t label = 0x600 + (uint64_t)(rand() % 0x100);
        uint64_t offset = (uint64_t)rand() % 4096, length = (uint64_t)rand() % (2 * DEBUG_PAGE_MAX);
        int64_t r = ask(label, (uint64_t)(rand() % 5), (unsigned)(rand() % 2), offset, length,
                        (uint64_t)(rand() % 4), (uint64_t)(rand() % 3), sizeof(buf));
        if (r < -4095) {
            printf("debug-fuzz: label %#llx: %lld\n", (unsigned long long)label, (long long)r);
            failures++;
        }
    }
    expect("still answers", ask(DEBUG_PROC_LIST, 4, 1, 0, 64, 0, 0, 64) > 0, 1);
    /* jailed since its CSpace was built: it still holds the capability, and
     * proc-server refuses it at the request */
    expect("jail", capsule_jail(), 0);
    expect("jailed holder", ask(DEBUG_PROC_LIST, 4, 1, 0, 64, 0, 0, 64), -EPERM);
    expect("jailed holder, relayed", ask(DEBUG_VFS_CONTEXTS, 4, 1, 0, 64, 0, 0, 64), -EPERM);
    if (failures == 0) {
        printf("debug-fuzz: ok\n");
    }
    return failures != 0;
}
