/* Signal names and numbers for `runc kill`, in Linux's x86_64 numbering. */
#include "signals.h"

#include <ctype.h>
#include <string.h>

static const char *const names[32] = {
    NULL,   "HUP",  "INT",  "QUIT", "ILL",    "TRAP",   "ABRT",  "BUS",  "FPE",  "KILL", "USR1",
    "SEGV", "USR2", "PIPE", "ALRM", "TERM",   "STKFLT", "CHLD",  "CONT", "STOP", "TSTP", "TTIN",
    "TTOU", "URG",  "XCPU", "XFSZ", "VTALRM", "PROF",   "WINCH", "IO",   "PWR",  "SYS",
};

/* A decimal number in [lo, hi] that is all of text, else -1. */
static int number(const char *text, int lo, int hi)
{
    int v = 0;

    if (*text == '\0' || strlen(text) > 3) {
        return -1;
    }
    for (; *text != '\0'; text++) {
        if (!isdigit((unsigned char)*text)) {
            return -1;
        }
        v = v * 10 + (*text - '0');
    }
    return v >= lo && v <= hi ? v : -1;
}

static int realtime(const char *name)
{
    int n;

    if (strcmp(name, "RTMIN") == 0) {
        return SIGNAL_RTMIN;
    }
    if (strcmp(name, "RTMAX") == 0) {
        return SIGNAL_MAX;
    }
    if (strncmp(name, "RTMIN+", 6) == 0 &&
        (n = number(name + 6, 1, SIGNAL_MAX - SIGNAL_RTMIN)) > 0) {
        return SIGNAL_RTMIN + n;
    }
    if (strncmp(name, "RTMAX-", 6) == 0 &&
        (n = number(name + 6, 1, SIGNAL_MAX - SIGNAL_RTMIN)) > 0) {
        return SIGNAL_MAX - n;
    }
    return -1;
}

int signal_parse(const char *text)
{
    char upper[16];
    const char *name;
    size_t i;

    if (isdigit((unsigned char)text[0])) {
        return number(text, 1, SIGNAL_MAX);
    }
    for (i = 0; text[i] != '\0' && i + 1 < sizeof(upper); i++) {
        upper[i] = (char)toupper((unsigned char)text[i]);
    }
    if (text[i] != '\0') {
        return -1;
    }
    upper[i] = '\0';
    name = strncmp(upper, "SIG", 3) == 0 ? upper + 3 : upper;
    for (int s = 1; s < 32; s++) {
        if (strcmp(name, names[s]) == 0) {
            return s;
        }
    }
    if (strcmp(name, "IOT") == 0) {
        return 6;
    }
    if (strcmp(name, "POLL") == 0) {
        return 29;
    }
    return realtime(name);
}
