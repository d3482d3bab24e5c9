/*
 * What runc keeps about a container beyond what proc-server knows itself:
 * a small JSON object stored as the registry record's text (ociVersion,
 * rootfs, creation time, annotations), and the OCI state document `runc
 * state` and `runc list -f json` print from it. No state directory: the
 * record lives in proc-server with the container. Pure, host-tested.
 */
#ifndef RUNC_RECORD_H
#define RUNC_RECORD_H

#include <stdio.h>

#include "config.h"

/* What one container looks like from outside: proc-server's facts and runc's record. */
typedef struct {
    const char *id;
    const char *status; /* created, running, stopped */
    int pid;            /* 0 when stopped */
    const char *bundle;
    const char *meta; /* record_encode's text, or "" */
} record_view_t;

/* The record text for config (rootfs absolute, created RFC 3339), malloc'd;
 * NULL on ENOMEM. */
char *record_encode(const config_t *config, const char *rootfs, const char *created);
/* RFC 3339 UTC with nanoseconds, from nanoseconds since the epoch. */
void record_time(unsigned long long ns, char *out, size_t size);

/* The OCI state of view as one JSON object (no newline). */
void record_state_json(const record_view_t *view, FILE *out);
/* A field of the record text ("rootfs", "created"), or "" when absent. The
 * string is copied into buf. */
const char *record_field(const char *meta, const char *key, char *buf, size_t size);
/* JSON string literal of s. */
void record_json_string(const char *s, FILE *out);

#endif
