#include "record.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"

void record_json_string(const char *s, FILE *out)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\') {
            fprintf(out, "\\%c", *p);
        } else if (*p < 0x20) {
            fprintf(out, "\\u%04x", *p);
        } else {
            fputc(*p, out);
        }
    }
    fputc('"', out);
}

char *record_encode(const config_t *config, const char *rootfs, const char *created)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (out == NULL) {
        return NULL;
    }
    fputs("{\"ociVersion\":", out);
    record_json_string(config->oci_version, out);
    fputs(",\"rootfs\":", out);
    record_json_string(rootfs, out);
    fputs(",\"created\":", out);
    record_json_string(created, out);
    fputs(",\"annotations\":{", out);
    for (size_t i = 0; i < config->annotation_count; i++) {
        fputs(i > 0 ? "," : "", out);
        record_json_string(config->annotations[i].key, out);
        fputc(':', out);
        record_json_string(config->annotations[i].value, out);
    }
    fputs("}}", out);
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

void record_time(unsigned long long ns, char *out, size_t size)
{
    time_t secs = (time_t)(ns / 1000000000ull);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char date[32];
    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, size, "%s.%09lluZ", date, ns % 1000000000ull);
}

/* The record text parsed, or NULL (an empty or foreign record). */
static json_value_t *parse_meta(const char *meta)
{
    json_error_t err;
    json_value_t *v = meta != NULL && meta[0] != '\0' ? json_parse(meta, strlen(meta), &err) : NULL;
    if (v != NULL && v->type != JSON_OBJECT) {
        json_free(v);
        return NULL;
    }
    return v;
}

const char *record_field(const char *meta, const char *key, char *buf, size_t size)
{
    json_value_t *v = parse_meta(meta);
    const json_value_t *f = json_get(v, key);
    snprintf(buf, size, "%s", f != NULL && f->type == JSON_STRING ? f->string : "");
    json_free(v);
    return buf;
}

static void annotations_json(const json_value_t *annotations, FILE *out)
{
    fputs(",\"annotations\":{", out);
    const char *sep = "";
    for (const json_value_t *a = annotations->first; a != NULL; a = a->next) {
        if (a->type == JSON_STRING) {
            fputs(sep, out);
            record_json_string(a->key, out);
            fputc(':', out);
            record_json_string(a->string, out);
            sep = ",";
        }
    }
    fputc('}', out);
}

void record_state_json(const record_view_t *view, FILE *out)
{
    json_value_t *meta = parse_meta(view->meta);
    const json_value_t *version = json_get(meta, "ociVersion");
    const json_value_t *rootfs = json_get(meta, "rootfs");
    const json_value_t *created = json_get(meta, "created");
    const json_value_t *annotations = json_get(meta, "annotations");
    fputs("{\"ociVersion\":", out);
    record_json_string(version != NULL && version->type == JSON_STRING ? version->string : "1.0.2",
                       out);
    fputs(",\"id\":", out);
    record_json_string(view->id, out);
    fprintf(out, ",\"status\":\"%s\",\"pid\":%d,\"bundle\":", view->status, view->pid);
    record_json_string(view->bundle, out);
    fputs(",\"rootfs\":", out);
    record_json_string(rootfs != NULL && rootfs->type == JSON_STRING ? rootfs->string : "", out);
    fputs(",\"created\":", out);
    record_json_string(created != NULL && created->type == JSON_STRING ? created->string : "", out);
    if (annotations != NULL && annotations->type == JSON_OBJECT && annotations->count > 0) {
        annotations_json(annotations, out);
    }
    fputc('}', out);
    json_free(meta);
}
