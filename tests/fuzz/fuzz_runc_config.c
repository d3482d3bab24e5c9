/*
 * libFuzzer target for runc's config.json reading (runc/json.c, config*.c):
 * any bytes must parse or be refused with a message, never crash or leak.
 * What the parser accepts must keep json.h's promises (strings NUL-free and
 * as long as their length; depth within the limit); an accepted config
 * must keep config.h's (args non-empty, cwd and mount destinations absolute).
 * Seeds: tests/fuzz/runc_config_seeds/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "json.h"

static void check_tree(const json_value_t *v, unsigned depth)
{
    if (depth > JSON_MAX_DEPTH) {
        abort();
    }
    if (v->type == JSON_STRING && strlen(v->string) != v->length) {
        abort();
    }
    size_t n = 0;
    for (const json_value_t *c = v->first; c != NULL; c = c->next, n++) {
        if ((v->type == JSON_OBJECT) != (c->key != NULL)) {
            abort();
        }
        check_tree(c, depth + 1);
    }
    if (n != v->count) {
        abort();
    }
}

static void check_config(const config_t *c)
{
    if (c->argc == 0 || c->args[0][0] == '\0' || c->args[c->argc] != NULL || c->cwd[0] != '/' ||
        c->root_path[0] == '\0') {
        abort();
    }
    for (size_t i = 0; i < c->mount_count; i++) {
        if (c->mounts[i].destination[0] != '/' ||
            (c->mounts[i].type == MOUNT_BIND && c->mounts[i].source == NULL)) {
            abort();
        }
    }
    if (c->hostname != NULL && strlen(c->hostname) > CONFIG_HOSTNAME_MAX) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[CONFIG_ERROR_MAX];
    json_error_t jerr;
    config_t config;
    /* an exact-size copy so ASan sees any read past the end */
    char *text = malloc(size > 0 ? size : 1);

    if (text == NULL) {
        return 0;
    }
    memcpy(text, data, size);
    json_value_t *tree = json_parse(text, size, &jerr);
    if (tree != NULL) {
        check_tree(tree, 1);
        json_free(tree);
    } else if (jerr.line == 0 || jerr.column == 0 || jerr.message[0] == '\0') {
        abort();
    }
    if (config_parse(text, size, &config, err, sizeof(err)) == 0) {
        check_config(&config);
    } else if (err[0] == '\0') {
        abort();
    }
    config_free(&config);
    free(text);
    return 0;
}
