/*
 * The helpers every section of config.json validation uses: typed member
 * access, and refusals that name the key path and show the value.
 */
#include "config_read.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A value as a message shows it: strings quoted, escaped and shortened. */
static void render(jv_t *v, char *buf, size_t n)
{
    size_t o = 0;

    switch (v->type) {
    case JSON_NULL:
        snprintf(buf, n, "null");
        return;
    case JSON_BOOL:
        snprintf(buf, n, "%s", v->boolean ? "true" : "false");
        return;
    case JSON_NUMBER:
        if (v->is_integer) {
            snprintf(buf, n, "%lld", (long long)v->integer);
        } else {
            snprintf(buf, n, "%g", v->number);
        }
        return;
    case JSON_ARRAY:
        snprintf(buf, n, "[...]");
        return;
    case JSON_OBJECT:
        snprintf(buf, n, "{...}");
        return;
    case JSON_STRING:
        break;
    }
    buf[o++] = '"';
    for (size_t i = 0; i < v->length && o + 8 < n; i++) {
        unsigned char ch = (unsigned char)v->string[i];
        if (i == 64) {
            o += (size_t)snprintf(buf + o, n - o, "...");
            break;
        }
        if (ch < 0x20 || ch == 0x7F || ch == '"' || ch == '\\') {
            o += (size_t)snprintf(buf + o, n - o, "\\x%02x", ch);
        } else {
            buf[o++] = (char)ch;
        }
    }
    snprintf(buf + o, n - o, "\"");
}

/* "KEY VALUE REASON"; value may be NULL for "KEY REASON". */
int refuse(ctx_t *x, const char *key, jv_t *value, const char *fmt, ...)
{
    char shown[96] = "";
    char reason[128];
    va_list ap;

    if (value != NULL) {
        render(value, shown, sizeof(shown));
    }
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    snprintf(x->err, x->err_size, "%s%s%s%s%s", key, value != NULL ? " " : "", shown,
             reason[0] == ':' ? "" : " ", reason);
    return -1;
}

void join(char *out, const char *parent, const char *key)
{
    snprintf(out, PATH_MAX_KEY, "%s%s%s", parent, parent[0] != '\0' ? "." : "", key);
}

void index_key(char *out, const char *parent, size_t i)
{
    snprintf(out, PATH_MAX_KEY, "%s[%zu]", parent, i);
}

/* The member key of obj if it has the wanted type: 1 present, 0 absent (or
 * null, which Go's decoder, and so runc, also reads as absent), -1 wrong. */
int member(ctx_t *x, jv_t *obj, const char *parent, const char *key, json_type_t type, jv_t **out)
{
    char path[PATH_MAX_KEY];
    jv_t *v = json_get(obj, key);

    *out = NULL;
    if (v == NULL || v->type == JSON_NULL) {
        return 0;
    }
    if (v->type != type) {
        join(path, parent, key);
        return refuse(x, path, v, "must be %s", json_type_name(type));
    }
    *out = v;
    return 1;
}

int required(ctx_t *x, jv_t *obj, const char *parent, const char *key, json_type_t type, jv_t **out)
{
    char path[PATH_MAX_KEY];
    int r = member(x, obj, parent, key, type, out);

    if (r == 0) {
        join(path, parent, key);
        return refuse(x, path, NULL, "is required");
    }
    return r;
}

int get_bool(ctx_t *x, jv_t *obj, const char *parent, const char *key, bool *out)
{
    jv_t *v;
    int r = member(x, obj, parent, key, JSON_BOOL, &v);

    if (r > 0) {
        *out = v->boolean;
    }
    return r;
}

int check_integer(ctx_t *x, const char *path, jv_t *v)
{
    if (!v->is_integer) {
        return refuse(x, path, v, "must be an integer");
    }
    return 0;
}

int absolute_path(ctx_t *x, const char *path, jv_t *v)
{
    if (v->string[0] != '/') {
        return refuse(x, path, v, "is not an absolute path");
    }
    if (v->length >= 4096) {
        return refuse(x, path, v, "is too long");
    }
    return 0;
}

/* An array of strings, each checked by check (may be NULL), as a
 * NULL-terminated vector. */
int string_list(ctx_t *x, jv_t *arr, const char *parent, const char ***out, size_t *count,
                int (*check)(ctx_t *, const char *, jv_t *))
{
    char path[PATH_MAX_KEY];
    size_t i = 0;
    const char **list = calloc(arr->count + 1, sizeof(*list));

    if (list == NULL) {
        return refuse(x, parent, NULL, "cannot be read: out of memory");
    }
    *out = list;
    *count = arr->count;
    for (jv_t *s = arr->first; s != NULL; s = s->next, i++) {
        index_key(path, parent, i);
        if (s->type != JSON_STRING) {
            return refuse(x, path, s, "must be a string");
        }
        if (check != NULL && check(x, path, s) < 0) {
            return -1;
        }
        list[i] = s->string;
    }
    return 0;
}
