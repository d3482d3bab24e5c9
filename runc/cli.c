/*
 * The verbs of runc and their flags. Flags come before the positional
 * arguments (as runc's own parser wants for exec, where everything after
 * the ID is the command); "--bundle DIR" and "--bundle=DIR" both work.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "signals.h"

/* Flag letters: b bundle, d detach, k keep, f force, a all, t tty, q quiet,
 * F format, c cwd, e env. */
const verb_t cli_verbs[] = {
    {"create", "runc create [-b BUNDLE] ID", "create a container from a bundle",
     "  -b, --bundle DIR  the bundle (default: the current directory)\n", "b", 1},
    {"delete", "runc delete [-f] ID", "delete a stopped container",
     "  -f, --force  kill it first if it is not stopped\n", "f", 1},
    {"exec", "runc exec [-t] [--cwd DIR] [-e NAME=VALUE]... ID COMMAND [ARG...]",
     "run a new process inside a running container",
     "  -t, --tty          give the process a terminal of the container's devfs\n"
     "      --cwd DIR      its working directory (default: process.cwd)\n"
     "  -e, --env N=V      add to the environment of config.json\n",
     "tce", 1},
    {"kill", "runc kill [-a] ID [SIGNAL]", "send a signal (default TERM) to the container",
     "  -a, --all  signal every process of the container, not only its first\n", "a", 1},
    {"list", "runc list [-q] [-f table|json]", "list the containers",
     "  -q, --quiet          print only the IDs\n"
     "  -f, --format FORMAT  table (default) or json\n",
     "qF", 0},
    {"ps", "runc ps ID", "list the processes of a container (host PIDs)", "", "", 1},
    {"run", "runc run [-b BUNDLE] [-d] [--keep] ID", "create and start a container",
     "  -b, --bundle DIR  the bundle (default: the current directory)\n"
     "  -d, --detach      return once the container runs\n"
     "      --keep        keep the stopped container (default: delete it)\n",
     "bdk", 1},
    {"spec", "runc spec [-b BUNDLE]", "write a default config.json",
     "  -b, --bundle DIR  where to write it (default: the current directory)\n", "b", 0},
    {"start", "runc start ID", "start a created container", "", "", 1},
    {"state", "runc state ID", "print a container's state as JSON", "", "", 1},
};
const size_t cli_verb_count = sizeof(cli_verbs) / sizeof(cli_verbs[0]);

const verb_t *cli_find(const char *name)
{
    for (size_t i = 0; i < cli_verb_count; i++) {
        if (strcmp(cli_verbs[i].name, name) == 0) {
            return &cli_verbs[i];
        }
    }
    return NULL;
}

static const struct {
    char letter;
    char short_name; /* 0: long only */
    const char *long_name;
    bool value;
} flags[] = {
    {'b', 'b', "bundle", true}, {'d', 'd', "detach", false}, {'k', 0, "keep", false},
    {'f', 'f', "force", false}, {'a', 'a', "all", false},    {'t', 't', "tty", false},
    {'q', 'q', "quiet", false}, {'F', 'f', "format", true},  {'c', 0, "cwd", true},
    {'e', 'e', "env", true},
};

static int fail(char *err, size_t n, const char *fmt, const char *a, const char *b)
{
    snprintf(err, n, fmt, a, b);
    return -1;
}

static int set_flag(cli_t *c, char letter, const char *value, char *err, size_t n)
{
    switch (letter) {
    case 'b':
        c->bundle = value;
        break;
    case 'd':
        c->detach = true;
        break;
    case 'k':
        c->keep = true;
        break;
    case 'f':
        c->force = true;
        break;
    case 'a':
        c->all = true;
        break;
    case 't':
        c->tty = true;
        break;
    case 'q':
        c->quiet = true;
        break;
    case 'F':
        if (strcmp(value, "json") != 0 && strcmp(value, "table") != 0) {
            return fail(err, n, "%s: --format \"%s\" is not table or json", c->verb->name, value);
        }
        c->json = strcmp(value, "json") == 0;
        break;
    case 'c':
        if (value[0] != '/') {
            return fail(err, n, "%s: --cwd \"%s\" is not an absolute path", c->verb->name, value);
        }
        c->cwd = value;
        break;
    case 'e':
        if (c->envc == CLI_MAX_ENV || strchr(value, '=') == NULL || value[0] == '=') {
            return fail(err, n, "%s: --env \"%s\" is not NAME=VALUE (at most 64)", c->verb->name,
                        value);
        }
        c->env[c->envc++] = value;
        break;
    }
    return 0;
}

/* One flag at argv[*i]; moves *i past its value when it takes one. */
static int parse_flag(cli_t *c, int argc, char **argv, int *i, char *err, size_t n)
{
    const char *arg = argv[*i], *value = NULL;
    bool is_long = arg[1] == '-';
    size_t len = strcspn(arg + 2, "=");

    if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
        c->help = true;
        return 0;
    }
    for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); k++) {
        bool match = is_long ? strlen(flags[k].long_name) == len &&
                                   strncmp(arg + 2, flags[k].long_name, len) == 0
                             : flags[k].short_name == arg[1] && arg[2] == '\0';
        if (!match || strchr(c->verb->flags, flags[k].letter) == NULL) {
            continue;
        }
        if (flags[k].value) {
            if (is_long && arg[2 + len] == '=') {
                value = arg + 3 + len;
            } else if (*i + 1 < argc) {
                value = argv[++*i];
            } else {
                return fail(err, n, "%s: %s needs a value", c->verb->name, arg);
            }
        } else if (is_long && arg[2 + len] == '=') {
            return fail(err, n, "%s: %s takes no value", c->verb->name, arg);
        }
        return set_flag(c, flags[k].letter, value, err, n);
    }
    return fail(err, n, "%s: unknown option %s", c->verb->name, arg);
}

static int positionals(cli_t *c, int argc, char **argv, char *err, size_t n)
{
    const char *name = c->verb->name;

    if (c->verb->ids == 0) {
        return argc > 0 ? fail(err, n, "%s: unexpected argument \"%s\"", name, argv[0]) : 0;
    }
    if (argc == 0) {
        return fail(err, n, "%s: a container ID is required%s", name, "");
    }
    c->id = argv[0];
    if (!config_valid_id(c->id)) {
        return fail(err, n, "%s: container ID \"%.64s\" is not [A-Za-z0-9_.+-]{1,1024}", name,
                    c->id);
    }
    if (strcmp(name, "exec") == 0) {
        if (argc < 2) {
            return fail(err, n, "%s: a command is required%s", name, "");
        }
        c->command = argv + 1;
        c->command_argc = argc - 1;
        return 0;
    }
    if (strcmp(name, "kill") == 0 && argc >= 2) {
        c->signal = signal_parse(argv[1]);
        if (c->signal < 0) {
            return fail(err, n, "%s: \"%s\" is not a signal", name, argv[1]);
        }
        argc--;
        argv++;
    }
    return argc > 1 ? fail(err, n, "%s: unexpected argument \"%s\"", name, argv[1]) : 0;
}

int cli_parse(int argc, char **argv, cli_t *out, char *err, size_t err_size)
{
    int i = 1;

    memset(out, 0, sizeof(*out));
    out->verb = cli_find(argv[0]);
    out->bundle = ".";
    out->signal = 15;
    if (out->verb == NULL) {
        return fail(err, err_size, "\"%s\" is not a command (runc --help lists them)%s", argv[0],
                    "");
    }
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (parse_flag(out, argc, argv, &i, err, err_size) < 0) {
            return -1;
        }
        if (out->help) {
            return 0;
        }
    }
    return positionals(out, argc - i, argv + i, err, err_size);
}
