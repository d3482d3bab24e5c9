/*
 * A small, strict JSON parser (RFC 8259) for config.json, which is
 * untrusted input: the whole text is checked (UTF-8, escapes, numbers,
 * duplicate keys, depth and size limits) before anything reads it, and an
 * error says where, as line and column.
 *
 * The result is a tree of json_value_t nodes; json_free releases it.
 */
#ifndef RUNC_JSON_H
#define RUNC_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_INPUT (1u << 20) /* bytes: a config is a few KiB */
#define JSON_MAX_DEPTH 64         /* nested arrays and objects */
#define JSON_MAX_MEMBERS 4096     /* per object: keeps the duplicate check cheap */
#define JSON_ERROR_MAX 160

typedef enum {
    JSON_NULL,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT,
} json_type_t;

typedef struct json_value json_value_t;

struct json_value {
    json_type_t type;
    bool boolean;
    /* Numbers: the value as a double, and exactly when it is an integer
     * literal (no fraction or exponent) that fits in int64_t. */
    double number;
    bool is_integer;
    int64_t integer;
    /* Strings (never containing NUL: \u0000 is refused) and member keys. */
    char *string;
    size_t length;
    char *key;
    /* Arrays and objects: children in order, linked through next. */
    json_value_t *first;
    json_value_t *next;
    size_t count;
    unsigned line, column; /* where the value starts, for messages */
};

typedef struct {
    unsigned line, column;
    char message[JSON_ERROR_MAX];
} json_error_t;

/* Parses text[0..len); on success returns the root, else NULL with *err set
 * (line and column 1-based; column counts characters, not bytes). */
json_value_t *json_parse(const char *text, size_t len, json_error_t *err);
void json_free(json_value_t *v);

/* The member named key of an object, or NULL (also when v is no object). */
const json_value_t *json_get(const json_value_t *object, const char *key);
/* The index-th element of an array (or member of an object), or NULL. */
const json_value_t *json_at(const json_value_t *v, size_t index);
const char *json_type_name(json_type_t type);

#endif
