/*
 * A bundle as `create` needs it: its absolute path, its config.json parsed
 * and validated as a whole, and the absolute path of its rootfs directory.
 */
#ifndef RUNC_BUNDLE_H
#define RUNC_BUNDLE_H

#include <limits.h>

#include "config.h"

typedef struct {
    char path[PATH_MAX];   /* the bundle, absolute */
    char rootfs[PATH_MAX]; /* root.path, absolute */
    config_t config;
    char *text; /* config.json, which config's strings point into */
} bundle_t;

/* Loads dir's bundle; on an error prints it (runc: ...) and returns -1. */
int bundle_load(const char *dir, bundle_t *out);
void bundle_free(bundle_t *b);

#endif
