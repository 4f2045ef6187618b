#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
    const char *s;
    size_t n, i;
    char *err;
    size_t errlen;
    int depth;
};

static void *xcalloc(size_t a, size_t b) {
    void *p = calloc(a ? a : 1, b ? b : 1);
    if (!p) {
        fprintf(stderr, "krunbox-init: out of memory reading config\n");
        exit(125);
    }
    return p;
}

static int fail(struct parser *p, const char *what) {
    if (!p->err[0]) snprintf(p->err, p->errlen, "%s at byte %zu", what, p->i);
    return -1;
}

static void skip_ws(struct parser *p) {
    while (p->i < p->n && strchr(" \t\r\n", p->s[p->i]) && p->s[p->i]) p->i++;
}

static struct jval *parse_value(struct parser *p);

/* A half-built container on failure: freed with what it holds so far. */
static struct jval *drop(struct jval *v, char *key, struct jval *item) {
    free(key);
    json_free(item);
    json_free(v);
    return NULL;
}

static void put_utf8(char *out, size_t *o, unsigned cp) {
    if (cp < 0x80) {
        out[(*o)++] = (char)cp;
    } else if (cp < 0x800) {
        out[(*o)++] = (char)(0xC0 | (cp >> 6));
        out[(*o)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out[(*o)++] = (char)(0xE0 | (cp >> 12));
        out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*o)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        out[(*o)++] = (char)(0xF0 | (cp >> 18));
        out[(*o)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*o)++] = (char)(0x80 | (cp & 0x3F));
    }
}

static int hex4(struct parser *p, unsigned *cp) {
    if (p->i + 4 > p->n) return fail(p, "truncated \\u escape");
    *cp = 0;
    for (int k = 0; k < 4; k++) {
        char c = p->s[p->i++];
        *cp <<= 4;
        if (c >= '0' && c <= '9') *cp |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') *cp |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') *cp |= (unsigned)(c - 'A' + 10);
        else return fail(p, "bad \\u escape");
    }
    return 0;
}

static char *parse_string(struct parser *p) {
    if (p->i >= p->n || p->s[p->i] != '"') { fail(p, "expected a string"); return NULL; }
    p->i++;
    /* as long as the raw text up to the closing quote: escapes never make it longer */
    size_t end = p->i;
    while (end < p->n && p->s[end] != '"') end += p->s[end] == '\\' ? 2 : 1;
    char *out = xcalloc((end < p->n ? end : p->n) - p->i + 1, 1);
    size_t o = 0;
    while (p->i < p->n) {
        unsigned char c = (unsigned char)p->s[p->i++];
        if (c == '"') { out[o] = 0; return out; }
        if (c < 0x20) { free(out); fail(p, "control character in string"); return NULL; }
        if (c != '\\') { out[o++] = (char)c; continue; }
        if (p->i >= p->n) break;
        char e = p->s[p->i++];
        switch (e) {
        case '"': out[o++] = '"'; break;
        case '\\': out[o++] = '\\'; break;
        case '/': out[o++] = '/'; break;
        case 'b': out[o++] = '\b'; break;
        case 'f': out[o++] = '\f'; break;
        case 'n': out[o++] = '\n'; break;
        case 'r': out[o++] = '\r'; break;
        case 't': out[o++] = '\t'; break;
        case 'u': {
            unsigned cp;
            if (hex4(p, &cp)) { free(out); return NULL; }
            if (cp >= 0xD800 && cp <= 0xDBFF && p->i + 6 <= p->n && p->s[p->i] == '\\' && p->s[p->i + 1] == 'u') {
                unsigned lo;
                p->i += 2;
                if (hex4(p, &lo)) { free(out); return NULL; }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            if (cp == 0) { free(out); fail(p, "NUL in string"); return NULL; }
            put_utf8(out, &o, cp);
            break;
        }
        default: free(out); fail(p, "bad escape"); return NULL;
        }
    }
    free(out);
    fail(p, "unterminated string");
    return NULL;
}

static struct jval *parse_container(struct parser *p, int obj) {
    struct jval *v = xcalloc(1, sizeof *v);
    v->type = obj ? J_OBJ : J_ARR;
    size_t cap = 0;
    char close = obj ? '}' : ']';
    p->i++;
    if (++p->depth > 64) { fail(p, "nesting too deep"); return drop(v, NULL, NULL); }
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == close) { p->i++; p->depth--; return v; }
    for (;;) {
        char *key = NULL;
        skip_ws(p);
        if (obj) {
            key = parse_string(p);
            if (!key) return drop(v, NULL, NULL);
            skip_ws(p);
            if (p->i >= p->n || p->s[p->i] != ':') { fail(p, "expected ':'"); return drop(v, key, NULL); }
            p->i++;
        }
        struct jval *item = parse_value(p);
        if (!item) return drop(v, key, NULL);
        if (v->len == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            struct jval **items = realloc(v->items, ncap * sizeof *v->items);
            if (items) v->items = items;
            char **keys = items ? realloc(v->keys, ncap * sizeof *v->keys) : NULL;
            if (keys) v->keys = keys;
            if (!items || !keys) { fail(p, "out of memory"); return drop(v, key, item); }
            cap = ncap;
        }
        v->items[v->len] = item;
        v->keys[v->len] = key;
        v->len++;
        skip_ws(p);
        if (p->i < p->n && p->s[p->i] == ',') { p->i++; continue; }
        if (p->i < p->n && p->s[p->i] == close) { p->i++; p->depth--; return v; }
        fail(p, obj ? "expected ',' or '}'" : "expected ',' or ']'");
        return drop(v, NULL, NULL);
    }
}

static struct jval *parse_value(struct parser *p) {
    skip_ws(p);
    if (p->i >= p->n) { fail(p, "unexpected end of input"); return NULL; }
    char c = p->s[p->i];
    if (c == '{' || c == '[') return parse_container(p, c == '{');
    struct jval *v = xcalloc(1, sizeof *v);
    if (c == '"') {
        v->type = J_STR;
        v->str = parse_string(p);
        if (!v->str) { free(v); return NULL; }
        return v;
    }
    static const struct { const char *word; enum jtype t; double num; } lits[] = {
        {"true", J_BOOL, 1}, {"false", J_BOOL, 0}, {"null", J_NULL, 0}};
    for (size_t k = 0; k < 3; k++) {
        size_t l = strlen(lits[k].word);
        if (p->i + l <= p->n && !strncmp(p->s + p->i, lits[k].word, l)) {
            p->i += l;
            v->type = lits[k].t;
            v->num = lits[k].num;
            return v;
        }
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        char buf[64];
        size_t l = 0;
        while (p->i < p->n && l < sizeof buf - 1 && strchr("+-0123456789.eE", p->s[p->i]) && p->s[p->i])
            buf[l++] = p->s[p->i++];
        buf[l] = 0;
        char *end;
        v->type = J_NUM;
        v->num = strtod(buf, &end);
        if (*end) { fail(p, "bad number"); free(v); return NULL; }
        return v;
    }
    fail(p, "unexpected character");
    free(v);
    return NULL;
}

struct jval *json_parse(const char *text, size_t n, char *err, size_t errlen) {
    struct parser p = {text, n, 0, err, errlen, 0};
    err[0] = 0;
    struct jval *v = parse_value(&p);
    if (!v) return NULL;
    skip_ws(&p);
    if (p.i != n) { fail(&p, "trailing characters"); json_free(v); return NULL; }
    return v;
}

const struct jval *json_get(const struct jval *obj, const char *key) {
    if (!obj || obj->type != J_OBJ) return NULL;
    for (size_t k = 0; k < obj->len; k++)
        if (!strcmp(obj->keys[k], key)) return obj->items[k];
    return NULL;
}

int json_int(const struct jval *v, long long min, long long max, long long *out) {
    if (!v || (v->type != J_NUM && v->type != J_BOOL)) return -1;
    double d = v->num;
    if (d != d || d < (double)min || d > (double)max || d != (double)(long long)d) return -1;
    *out = (long long)d;
    return 0;
}

void json_free(struct jval *v) {
    if (!v) return;
    for (size_t k = 0; k < v->len; k++) {
        json_free(v->items[k]);
        if (v->keys) free(v->keys[k]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    free(v);
}
