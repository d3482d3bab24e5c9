/* runc's command line: signal names and numbers, verbs and their flags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "signals.h"

static void test_signal_names(void **state)
{
    (void)state;
    assert_int_equal(signal_parse("TERM"), 15);
    assert_int_equal(signal_parse("SIGTERM"), 15);
    assert_int_equal(signal_parse("sigkill"), 9);
    assert_int_equal(signal_parse("Kill"), 9);
    assert_int_equal(signal_parse("HUP"), 1);
    assert_int_equal(signal_parse("USR1"), 10);
    assert_int_equal(signal_parse("SIGUSR2"), 12);
    assert_int_equal(signal_parse("CHLD"), 17);
    assert_int_equal(signal_parse("WINCH"), 28);
    assert_int_equal(signal_parse("SYS"), 31);
    assert_int_equal(signal_parse("IOT"), 6);
    assert_int_equal(signal_parse("RTMIN"), 34);
    assert_int_equal(signal_parse("RTMIN+3"), 37);
    assert_int_equal(signal_parse("SIGRTMAX-1"), 63);
    assert_int_equal(signal_parse("RTMAX"), 64);
    assert_int_equal(signal_parse("RTMIN+31"), -1);
    assert_int_equal(signal_parse("RTMIN+"), -1);
    assert_int_equal(signal_parse("SIG"), -1);
    assert_int_equal(signal_parse(""), -1);
    assert_int_equal(signal_parse("FOO"), -1);
    assert_int_equal(signal_parse("SIGTERMX"), -1);
    assert_int_equal(signal_parse("SIGSIGTERM"), -1);
    assert_int_equal(signal_parse("AVERYLONGNAMEINDEEDTHATISLONG"), -1);
}

static void test_signal_numbers(void **state)
{
    (void)state;
    assert_int_equal(signal_parse("9"), 9);
    assert_int_equal(signal_parse("1"), 1);
    assert_int_equal(signal_parse("64"), 64);
    assert_int_equal(signal_parse("0"), -1);
    assert_int_equal(signal_parse("65"), -1);
    assert_int_equal(signal_parse("9x"), -1);
    assert_int_equal(signal_parse("0009"), -1);
    assert_int_equal(signal_parse("-9"), -1);
}

/* Parses a command line given as one string of words. */
static int parse(const char *line, cli_t *c, char *err)
{
    static char buf[512];
    static char *argv[32];
    int argc = 0;

    strcpy(buf, line);
    for (char *w = strtok(buf, " "); w != NULL; w = strtok(NULL, " ")) {
        argv[argc++] = w;
    }
    argv[argc] = NULL;
    return cli_parse(argc, argv, c, err, 256);
}

static void refused(const char *line, const char *want)
{
    char err[256];
    cli_t c;
    assert_int_equal(parse(line, &c, err), -1);
    assert_string_equal(err, want);
}

static void test_verbs(void **state)
{
    (void)state;
    char err[256];
    cli_t c;

    assert_int_equal(parse("run -b /b -d --keep box", &c, err), 0);
    assert_string_equal(c.verb->name, "run");
    assert_string_equal(c.bundle, "/b");
    assert_true(c.detach && c.keep);
    assert_string_equal(c.id, "box");
    assert_int_equal(parse("create --bundle=/x a", &c, err), 0);
    assert_string_equal(c.bundle, "/x");
    assert_int_equal(parse("create a", &c, err), 0);
    assert_string_equal(c.bundle, ".");
    assert_int_equal(parse("kill a", &c, err), 0);
    assert_int_equal(c.signal, 15);
    assert_int_equal(parse("kill -a a KILL", &c, err), 0);
    assert_int_equal(c.signal, 9);
    assert_true(c.all);
    assert_int_equal(parse("kill --all a 2", &c, err), 0);
    assert_int_equal(c.signal, 2);
    assert_int_equal(parse("delete -f a", &c, err), 0);
    assert_true(c.force);
    assert_int_equal(parse("delete --force a", &c, err), 0);
    assert_true(c.force);
    assert_int_equal(parse("list -q -f json", &c, err), 0);
    assert_true(c.quiet && c.json);
    assert_int_equal(parse("list --format=table", &c, err), 0);
    assert_false(c.json);
    assert_int_equal(parse("exec -t --cwd /tmp -e A=1 -e B=2 a ls -l /", &c, err), 0);
    assert_true(c.tty);
    assert_string_equal(c.cwd, "/tmp");
    assert_int_equal(c.envc, 2);
    assert_string_equal(c.env[1], "B=2");
    assert_int_equal(c.command_argc, 3);
    assert_string_equal(c.command[0], "ls");
    assert_string_equal(c.command[1], "-l"); /* after the ID: the command's own */
    assert_int_equal(parse("spec -b /tmp", &c, err), 0);
    assert_string_equal(c.bundle, "/tmp");
    assert_int_equal(parse("state a", &c, err), 0);
    assert_int_equal(parse("start a", &c, err), 0);
    assert_int_equal(parse("ps a", &c, err), 0);
    assert_int_equal(parse("ps --help", &c, err), 0);
    assert_true(c.help);
    assert_int_equal(parse("run -h", &c, err), 0);
    assert_true(c.help);
}

static void test_bad_lines(void **state)
{
    (void)state;
    refused("frob", "\"frob\" is not a command (runc --help lists them)");
    refused("run", "run: a container ID is required");
    refused("run a/b", "run: container ID \"a/b\" is not [A-Za-z0-9_.+-]{1,1024}");
    refused("run a b", "run: unexpected argument \"b\"");
    refused("run -x a", "run: unknown option -x");
    refused("run -f a", "run: unknown option -f");
    refused("run --bundle", "run: --bundle needs a value");
    refused("run --keep=1 a", "run: --keep=1 takes no value");
    refused("start -d a", "start: unknown option -d");
    refused("kill a SIGFOO", "kill: \"SIGFOO\" is not a signal");
    refused("kill a 0", "kill: \"0\" is not a signal");
    refused("kill a 9 x", "kill: unexpected argument \"x\"");
    refused("list -f yaml", "list: --format \"yaml\" is not table or json");
    refused("list x", "list: unexpected argument \"x\"");
    refused("exec a", "exec: a command is required");
    refused("exec --cwd tmp a ls", "exec: --cwd \"tmp\" is not an absolute path");
    refused("exec -e FOO a ls", "exec: --env \"FOO\" is not NAME=VALUE (at most 64)");
    refused("spec x", "spec: unexpected argument \"x\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signal_names),
        cmocka_unit_test(test_signal_numbers),
        cmocka_unit_test(test_verbs),
        cmocka_unit_test(test_bad_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
