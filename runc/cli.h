/*
 * runc's command line: the verbs, their flags, and what each got, parsed
 * without touching anything (cli.c), so the parsing is testable on the host.
 */
#ifndef RUNC_CLI_H
#define RUNC_CLI_H

#include <stdbool.h>
#include <stddef.h>

#define CLI_MAX_ENV 64

typedef struct verb verb_t;

typedef struct {
    const verb_t *verb;
    bool help;
    const char *bundle;               /* -b, --bundle; "." when not given */
    bool detach;                      /* run -d */
    bool keep;                        /* run --keep */
    bool force;                       /* delete -f */
    bool all;                         /* kill -a */
    bool tty;                         /* exec -t */
    bool quiet;                       /* list -q */
    bool json;                        /* list -f json */
    const char *cwd;                  /* exec --cwd */
    const char *env[CLI_MAX_ENV + 1]; /* exec -e, NULL-terminated */
    size_t envc;
    const char *id;
    int signal;     /* kill: 15 unless given */
    char **command; /* exec: the command and its arguments */
    int command_argc;
} cli_t;

struct verb {
    const char *name;
    const char *usage;
    const char *summary;
    const char *options; /* help text for the options, "" for none */
    const char *flags;   /* which flags it takes: letters of "bdkfatqFce" */
    int ids;             /* 1 when it takes an ID */
};

extern const verb_t cli_verbs[];
extern const size_t cli_verb_count;

/* Parses argv after the verb name (argv[0] is the verb). 0 on success;
 * otherwise -1 with the message in err. */
int cli_parse(int argc, char **argv, cli_t *out, char *err, size_t err_size);
const verb_t *cli_find(const char *name);

#endif
