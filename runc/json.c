/*
 * The strict JSON parser of json.h: recursive descent with an explicit
 * depth limit, every byte checked. Positions are tracked as the parser
 * advances so each error names the line and column of the offending
 * character.
 */
#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const unsigned char *text;
    size_t len, pos;
    unsigned line, column;
    unsigned depth;
    json_error_t *err;
} parser_t;

static json_value_t *parse_value(parser_t *p);

static bool fail(parser_t *p, const char *fmt, ...)
{
    va_list ap;

    p->err->line = p->line;
    p->err->column = p->column;
    va_start(ap, fmt);
    vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
    va_end(ap);
    return false;
}

static int peek(const parser_t *p)
{
    return p->pos < p->len ? p->text[p->pos] : -1;
}

/* Moves past one byte; a column is a character, so UTF-8 continuation
 * bytes do not count. */
static void advance(parser_t *p)
{
    unsigned char c = p->text[p->pos++];

    if (c == '\n') {
        p->line++;
        p->column = 1;
    } else if ((c & 0xC0) != 0x80) {
        p->column++;
    }
}

static void skip_space(parser_t *p)
{
    int c;

    while ((c = peek(p)) == ' ' || c == '\t' || c == '\n' || c == '\r') {
        advance(p);
    }
}

static json_value_t *new_value(parser_t *p, json_type_t type)
{
    json_value_t *v = calloc(1, sizeof(*v));

    if (v == NULL) {
        fail(p, "out of memory");
        return NULL;
    }
    v->type = type;
    v->line = p->line;
    v->column = p->column;
    return v;
}

static bool expect_word(parser_t *p, const char *word)
{
    for (const char *w = word; *w != '\0'; w++) {
        if (peek(p) != *w) {
            return fail(p, "invalid literal (expected '%s')", word);
        }
        advance(p);
    }
    return true;
}

/* ---- strings ---- */

typedef struct {
    char *buf;
    size_t len, cap;
} strbuf_t;

static bool put_byte(parser_t *p, strbuf_t *s, unsigned char c)
{
    if (s->len + 1 >= s->cap) {
        size_t cap = s->cap == 0 ? 32 : s->cap * 2;
        char *buf = realloc(s->buf, cap);
        if (buf == NULL) {
            return fail(p, "out of memory");
        }
        s->buf = buf;
        s->cap = cap;
    }
    s->buf[s->len++] = (char)c;
    return true;
}

static bool put_utf8(parser_t *p, strbuf_t *s, uint32_t cp)
{
    if (cp < 0x80) {
        return put_byte(p, s, (unsigned char)cp);
    }
    if (cp < 0x800) {
        return put_byte(p, s, 0xC0 | (cp >> 6)) && put_byte(p, s, 0x80 | (cp & 0x3F));
    }
    if (cp < 0x10000) {
        return put_byte(p, s, 0xE0 | (cp >> 12)) && put_byte(p, s, 0x80 | ((cp >> 6) & 0x3F)) &&
               put_byte(p, s, 0x80 | (cp & 0x3F));
    }
    return put_byte(p, s, 0xF0 | (cp >> 18)) && put_byte(p, s, 0x80 | ((cp >> 12) & 0x3F)) &&
           put_byte(p, s, 0x80 | ((cp >> 6) & 0x3F)) && put_byte(p, s, 0x80 | (cp & 0x3F));
}

static bool read_hex4(parser_t *p, uint32_t *out)
{
    uint32_t v = 0;

    for (int i = 0; i < 4; i++) {
        int c = peek(p);
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0) {
            return fail(p, "invalid \\u escape (expected 4 hex digits)");
        }
        v = v * 16 + (uint32_t)d;
        advance(p);
    }
    *out = v;
    return true;
}

/* After "\u": one code point, joining a surrogate pair. */
static bool read_unicode_escape(parser_t *p, strbuf_t *s)
{
    uint32_t cp, low;

    if (!read_hex4(p, &cp)) {
        return false;
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
        return fail(p, "lone low surrogate \\u%04X", (unsigned)cp);
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (peek(p) != '\\' || p->pos + 1 >= p->len || p->text[p->pos + 1] != 'u') {
            return fail(p, "high surrogate \\u%04X not followed by a low one", (unsigned)cp);
        }
        advance(p);
        advance(p);
        if (!read_hex4(p, &low)) {
            return false;
        }
        if (low < 0xDC00 || low > 0xDFFF) {
            return fail(p, "high surrogate \\u%04X not followed by a low one", (unsigned)cp);
        }
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    if (cp == 0) {
        return fail(p, "\\u0000 is not allowed in a string");
    }
    return put_utf8(p, s, cp);
}

static bool read_escape(parser_t *p, strbuf_t *s)
{
    static const char from[] = "\"\\/bfnrt";
    static const char to[] = "\"\\/\b\f\n\r\t";
    int c = peek(p);
    const char *hit = c > 0 ? strchr(from, c) : NULL;

    if (c == 'u') {
        advance(p);
        return read_unicode_escape(p, s);
    }
    if (hit == NULL) {
        return fail(p, "invalid escape in string");
    }
    advance(p);
    return put_byte(p, s, (unsigned char)to[hit - from]);
}

/* One UTF-8 sequence copied as is, after checking it is well formed:
 * shortest form, no surrogates, at most U+10FFFF. */
static bool read_utf8(parser_t *p, strbuf_t *s)
{
    unsigned char c = p->text[p->pos];
    size_t n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
    uint32_t cp = c & (c >= 0xF0 ? 0x07 : c >= 0xE0 ? 0x0F : 0x1F);

    if (c < 0xC2 || c > 0xF4 || p->pos + n >= p->len) {
        return fail(p, "invalid UTF-8 in string");
    }
    for (size_t i = 1; i <= n; i++) {
        unsigned char t = p->text[p->pos + i];
        if ((t & 0xC0) != 0x80) {
            return fail(p, "invalid UTF-8 in string");
        }
        cp = (cp << 6) | (t & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
        return fail(p, "invalid UTF-8 in string");
    }
    for (size_t i = 0; i <= n; i++) {
        if (!put_byte(p, s, p->text[p->pos])) {
            return false;
        }
        advance(p);
    }
    return true;
}

/* At the opening quote; returns the NUL-terminated contents. */
static char *read_string(parser_t *p, size_t *length)
{
    strbuf_t s = {0};

    advance(p);
    for (;;) {
        int c = peek(p);
        bool ok;
        if (c < 0) {
            fail(p, "unterminated string");
            break;
        }
        if (c == '"') {
            advance(p);
            if (!put_byte(p, &s, '\0')) {
                break;
            }
            *length = s.len - 1;
            return s.buf;
        }
        if (c < 0x20) {
            fail(p, "control character in string");
            break;
        }
        if (c == '\\') {
            advance(p);
            ok = read_escape(p, &s);
        } else if (c < 0x80) {
            advance(p);
            ok = put_byte(p, &s, (unsigned char)c);
        } else {
            ok = read_utf8(p, &s);
        }
        if (!ok) {
            break;
        }
    }
    free(s.buf);
    return NULL;
}

/* ---- numbers ---- */

static void skip_digits(parser_t *p)
{
    while (peek(p) >= '0' && peek(p) <= '9') {
        advance(p);
    }
}

static bool exact_integer(const char *text, int64_t *out)
{
    bool negative = *text == '-';
    uint64_t v = 0, limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;

    for (const char *t = text + negative; *t != '\0'; t++) {
        uint64_t d = (uint64_t)(*t - '0');
        if (v > (limit - d) / 10) {
            return false;
        }
        v = v * 10 + d;
    }
    *out = negative ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

static json_value_t *parse_number(parser_t *p)
{
    json_value_t *v = new_value(p, JSON_NUMBER);
    size_t start = p->pos;
    bool integral = true;
    char buf[64];

    if (v == NULL) {
        return NULL;
    }
    if (peek(p) == '-') {
        advance(p);
    }
    if (peek(p) == '0') {
        advance(p);
    } else if (peek(p) >= '1' && peek(p) <= '9') {
        skip_digits(p);
    } else {
        fail(p, "invalid number");
        goto bad;
    }
    if (peek(p) == '.') {
        integral = false;
        advance(p);
        if (peek(p) < '0' || peek(p) > '9') {
            fail(p, "invalid number (digit expected after '.')");
            goto bad;
        }
        skip_digits(p);
    }
    if (peek(p) == 'e' || peek(p) == 'E') {
        integral = false;
        advance(p);
        if (peek(p) == '+' || peek(p) == '-') {
            advance(p);
        }
        if (peek(p) < '0' || peek(p) > '9') {
            fail(p, "invalid number (digit expected in exponent)");
            goto bad;
        }
        skip_digits(p);
    }
    if (p->pos - start >= sizeof(buf)) {
        fail(p, "number too long");
        goto bad;
    }
    memcpy(buf, p->text + start, p->pos - start);
    buf[p->pos - start] = '\0';
    v->number = strtod(buf, NULL);
    v->is_integer = integral && exact_integer(buf, &v->integer);
    return v;
bad:
    free(v);
    return NULL;
}

/* ---- arrays and objects ---- */

static void append(json_value_t *parent, json_value_t **tail, json_value_t *child)
{
    if (*tail == NULL) {
        parent->first = child;
    } else {
        (*tail)->next = child;
    }
    *tail = child;
    parent->count++;
}

static bool duplicate_key(const json_value_t *object, const char *key, size_t len)
{
    for (const json_value_t *m = object->first; m != NULL; m = m->next) {
        if (strlen(m->key) == len && memcmp(m->key, key, len) == 0) {
            return true;
        }
    }
    return false;
}

/* After a member or element: ',' continues, close ends. */
static int after_item(parser_t *p, char close)
{
    skip_space(p);
    if (peek(p) == ',') {
        advance(p);
        skip_space(p);
        return 1;
    }
    if (peek(p) == close) {
        advance(p);
        return 0;
    }
    fail(p, "expected ',' or '%c'", close);
    return -1;
}

static bool parse_member(parser_t *p, json_value_t *object, json_value_t **tail)
{
    unsigned line = p->line, column = p->column;
    size_t len;
    char *key;
    json_value_t *v;

    if (peek(p) != '"') {
        return fail(p, "expected a string key");
    }
    if (object->count >= JSON_MAX_MEMBERS) {
        return fail(p, "too many members in an object (at most %u)", JSON_MAX_MEMBERS);
    }
    key = read_string(p, &len);
    if (key == NULL) {
        return false;
    }
    if (duplicate_key(object, key, len)) {
        p->line = line;
        p->column = column;
        fail(p, "duplicate key \"%.64s\"", key);
        free(key);
        return false;
    }
    skip_space(p);
    if (peek(p) != ':') {
        free(key);
        return fail(p, "expected ':' after a key");
    }
    advance(p);
    skip_space(p);
    v = parse_value(p);
    if (v == NULL) {
        free(key);
        return false;
    }
    v->key = key;
    append(object, tail, v);
    return true;
}

static json_value_t *parse_container(parser_t *p, json_type_t type)
{
    char close = type == JSON_ARRAY ? ']' : '}';
    json_value_t *v = new_value(p, type), *tail = NULL;
    int more;

    if (v == NULL) {
        return NULL;
    }
    if (++p->depth > JSON_MAX_DEPTH) {
        fail(p, "nested too deeply (at most %u levels)", JSON_MAX_DEPTH);
        goto bad;
    }
    advance(p);
    skip_space(p);
    if (peek(p) == close) {
        advance(p);
        p->depth--;
        return v;
    }
    do {
        if (type == JSON_OBJECT) {
            if (!parse_member(p, v, &tail)) {
                goto bad;
            }
        } else {
            json_value_t *item = parse_value(p);
            if (item == NULL) {
                goto bad;
            }
            append(v, &tail, item);
        }
        more = after_item(p, close);
    } while (more > 0);
    if (more < 0) {
        goto bad;
    }
    p->depth--;
    return v;
bad:
    json_free(v);
    return NULL;
}

static json_value_t *parse_value(parser_t *p)
{
    json_value_t *v;
    int c = peek(p);

    switch (c) {
    case '{':
        return parse_container(p, JSON_OBJECT);
    case '[':
        return parse_container(p, JSON_ARRAY);
    case '"':
        v = new_value(p, JSON_STRING);
        if (v != NULL && (v->string = read_string(p, &v->length)) == NULL) {
            free(v);
            v = NULL;
        }
        return v;
    case 't':
    case 'f':
        v = new_value(p, JSON_BOOL);
        if (v != NULL && !expect_word(p, c == 't' ? "true" : "false")) {
            free(v);
            return NULL;
        }
        if (v != NULL) {
            v->boolean = c == 't';
        }
        return v;
    case 'n':
        v = new_value(p, JSON_NULL);
        if (v != NULL && !expect_word(p, "null")) {
            free(v);
            return NULL;
        }
        return v;
    default:
        if (c == '-' || (c >= '0' && c <= '9')) {
            return parse_number(p);
        }
        fail(p, c < 0 ? "unexpected end of input" : "unexpected character");
        return NULL;
    }
}

json_value_t *json_parse(const char *text, size_t len, json_error_t *err)
{
    parser_t p = {(const unsigned char *)text, len, 0, 1, 1, 0, err};
    json_value_t *root;

    memset(err, 0, sizeof(*err));
    if (len > JSON_MAX_INPUT) {
        fail(&p, "input too large (at most %u bytes)", JSON_MAX_INPUT);
        return NULL;
    }
    skip_space(&p);
    root = parse_value(&p);
    if (root == NULL) {
        return NULL;
    }
    skip_space(&p);
    if (p.pos != p.len) {
        fail(&p, "unexpected data after the JSON value");
        json_free(root);
        return NULL;
    }
    return root;
}

void json_free(json_value_t *v)
{
    while (v != NULL) {
        json_value_t *next = v->next;
        json_free(v->first);
        free(v->string);
        free(v->key);
        free(v);
        v = next;
    }
}

const json_value_t *json_get(const json_value_t *object, const char *key)
{
    if (object == NULL || object->type != JSON_OBJECT) {
        return NULL;
    }
    for (const json_value_t *m = object->first; m != NULL; m = m->next) {
        if (strcmp(m->key, key) == 0) {
            return m;
        }
    }
    return NULL;
}

const json_value_t *json_at(const json_value_t *v, size_t index)
{
    const json_value_t *m = v != NULL ? v->first : NULL;

    while (m != NULL && index-- > 0) {
        m = m->next;
    }
    return m;
}

const char *json_type_name(json_type_t type)
{
    static const char *const names[] = {"null",     "a boolean", "a number",
                                        "a string", "an array",  "an object"};
    return names[type];
}
