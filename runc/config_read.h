/*
 * Shared by the config.json section readers (config*.c): the validation
 * context and typed access that refuses with the key path and value.
 */
#ifndef RUNC_CONFIG_READ_H
#define RUNC_CONFIG_READ_H

#include "config.h"
#include "json.h"

#define PATH_MAX_KEY 96

typedef const json_value_t jv_t;

typedef struct {
    config_t *c;
    char *err;
    size_t err_size;
} ctx_t;

/* Writes "KEY VALUE REASON" (value NULL: "KEY REASON"; a reason starting
 * with ':' follows the value directly) and returns -1. */
int refuse(ctx_t *x, const char *key, jv_t *value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void join(char *out, const char *parent, const char *key);
void index_key(char *out, const char *parent, size_t i);
/* 1 present with the type, 0 absent or null, -1 refused (wrong type). */
int member(ctx_t *x, jv_t *obj, const char *parent, const char *key, json_type_t type, jv_t **out);
/* As member, but absent is refused too. */
int required(ctx_t *x, jv_t *obj, const char *parent, const char *key, json_type_t type,
             jv_t **out);
int get_bool(ctx_t *x, jv_t *obj, const char *parent, const char *key, bool *out);
int check_integer(ctx_t *x, const char *path, jv_t *v);
int absolute_path(ctx_t *x, const char *path, jv_t *v);
int string_list(ctx_t *x, jv_t *arr, const char *parent, const char ***out, size_t *count,
                int (*check)(ctx_t *, const char *, jv_t *));

/* The sections in their own files. */
int config_read_mounts(ctx_t *x, jv_t *top);
int config_read_linux(ctx_t *x, jv_t *top);
/* After every section: a hostname needs a new uts namespace. */
int config_check_uts(ctx_t *x);
/* After every section: what a joined pid or mount namespace leaves no room for. */
int config_check_joins(ctx_t *x);

#endif
