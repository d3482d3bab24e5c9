/*
 * dbg: shows the kernel's and the servers' state through the debug
 * protocol (docs/protocols/debug.md). One-shot (`dbg vfs contexts`) or, with
 * no arguments, a `dbg> ` prompt reading commands from standard input.
 * Errors are one line on stderr and a non-zero exit.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capsule/proc_client.h"
#include "commands.h"
#include "protocol/debug.h"

#define LINE_MAX_WORDS 8

static char page[DEBUG_PAGE_MAX];

static const char *reason(int64_t err)
{
    switch (err) {
    case -EPERM:
    case -EIO: /* the slot is empty: this process was given no debug capability */
        return "no debug capability (jailed, or not of the host's root scope)";
    case -ESRCH:
        return "no such process or context";
    case -EFBIG:
        return "the answer is too long for the server";
    case -ENOSYS:
        return "the server does not know this listing";
    case -EAGAIN:
        return "the listing changed, or its server was restarted, while answering: try again";
    default:
        return strerror((int)-err);
    }
}

/* Asks for the text page by page and writes it to stdout: 0, or -errno. */
static int64_t show(const dbg_query_t *q)
{
    uint64_t offset = 0, total;
    do {
        uint64_t mr[4] = {offset, sizeof(page), q->arg, q->json ? DEBUG_FLAG_JSON : 0};
        buffer_desc_t desc = {(uint64_t)page, sizeof(page), DESC_WRITE};
        int64_t r =
            capsule_call(CAP_DEBUG_SESSION, q->label, DEBUG_REQUEST_WORDS, mr, &desc, 1, NULL);
        if (r < 0) {
            return r;
        }
        total = (uint64_t)r;
        if (offset > total) {
            return -EAGAIN; /* the text shrank between two pages */
        }
        uint64_t count = total - offset < sizeof(page) ? total - offset : sizeof(page);
        fwrite(page, 1, count, stdout);
        offset += count;
    } while (offset < total);
    fflush(stdout);
    return 0;
}

/* One command: 0 when it worked; else prints why and returns 1. */
static int run(int argc, char **argv)
{
    if (argc == 1 && strcmp(argv[0], "help") == 0) {
        fputs(dbg_help, stdout);
        return 0;
    }
    dbg_query_t q;
    const char *why;
    if (dbg_parse(argc, argv, &q, &why) != 0) {
        fprintf(stderr, "dbg: %s\n", why);
        return 1;
    }
    int64_t err = show(&q);
    if (err != 0) {
        fprintf(stderr, "dbg: %s\n", reason(err));
        return 1;
    }
    return 0;
}

static int interactive(void)
{
    char line[256];
    int status = 0;
    for (;;) {
        fputs("dbg> ", stdout);
        fflush(stdout);
        if (fgets(line, sizeof(line), stdin) == NULL) {
            fputc('\n', stdout);
            return status;
        }
        char *words[LINE_MAX_WORDS];
        int n = 0;
        for (char *w = strtok(line, " \t\r\n"); w != NULL; w = strtok(NULL, " \t\r\n")) {
            if (n < LINE_MAX_WORDS) {
                words[n++] = w;
            }
        }
        if (n == 0) {
            continue;
        }
        if (n == 1 && (strcmp(words[0], "quit") == 0 || strcmp(words[0], "exit") == 0)) {
            return status;
        }
        status = run(n, words);
    }
}

int main(int argc, char **argv)
{
    return argc > 1 ? run(argc - 1, argv + 1) : interactive();
}
