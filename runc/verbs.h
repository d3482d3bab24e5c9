/*
 * The verbs that act on containers, over proc-server's registry
 * (capsule/container_client.h). Each returns runc's exit status and prints
 * its errors as `runc: VERB: ...`.
 */
#ifndef RUNC_VERBS_H
#define RUNC_VERBS_H

#include "cli.h"

int verb_create(const cli_t *c);
int verb_run(const cli_t *c);
int verb_start(const cli_t *c);
int verb_state(const cli_t *c);
int verb_list(const cli_t *c);
int verb_kill(const cli_t *c);
int verb_delete(const cli_t *c);
int verb_ps(const cli_t *c);
int verb_exec(const cli_t *c);

#endif
