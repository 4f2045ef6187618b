#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"

#define MAX_CONFIG (4u << 20)

static char *read_all(const char *path, size_t *n, char *err, size_t errlen) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) break;
        if (len == cap) {
            if (cap >= MAX_CONFIG) {
                snprintf(err, errlen, "%s is larger than %u bytes", path, MAX_CONFIG);
                free(buf);
                close(fd);
                return NULL;
            }
            cap *= 2;
            buf = realloc(buf, cap);
            continue;
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
            free(buf);
            close(fd);
            return NULL;
        }
        if (r == 0) break;
        len += (size_t)r;
    }
    close(fd);
    if (!buf) snprintf(err, errlen, "out of memory reading %s", path);
    *n = len;
    return buf;
}

/* A string array field; absent means an empty array when optional. */
static char **string_array(const struct jval *root, const char *key, int required, char *err, size_t errlen) {
    const struct jval *a = json_get(root, key);
    if (!a && !required) {
        char **none = calloc(1, sizeof(char *));
        return none;
    }
    if (!a || a->type != J_ARR) {
        snprintf(err, errlen, "\"%s\" must be an array of strings", key);
        return NULL;
    }
    char **out = calloc(a->len + 1, sizeof(char *));
    for (size_t i = 0; out && i < a->len; i++) {
        if (a->items[i]->type != J_STR) {
            snprintf(err, errlen, "\"%s\"[%zu] must be a string", key, i);
            return NULL;
        }
        out[i] = a->items[i]->str;
    }
    return out;
}

static char *string_field(const struct jval *root, const char *key, const char *dflt, char *err, size_t errlen) {
    const struct jval *v = json_get(root, key);
    if (!v || v->type == J_NULL) return strdup(dflt);
    if (v->type != J_STR) {
        snprintf(err, errlen, "\"%s\" must be a string", key);
        return NULL;
    }
    return v->str;
}

int config_load(const char *path, struct box_config *cfg, char *err, size_t errlen) {
    size_t n;
    char detail[256];
    char *text = read_all(path, &n, err, errlen);
    if (!text) return -1;
    struct jval *root = json_parse(text, n, detail, sizeof detail);
    if (!root) {
        snprintf(err, errlen, "%s is not valid JSON: %s", path, detail);
        return -1;
    }
    if (root->type != J_OBJ) {
        snprintf(err, errlen, "%s must hold a JSON object", path);
        return -1;
    }
    detail[0] = 0;
    cfg->argv = string_array(root, "argv", 1, detail, sizeof detail);
    if (cfg->argv && !cfg->argv[0]) snprintf(detail, sizeof detail, "\"argv\" is empty: nothing to run");
    if (!detail[0]) cfg->env = string_array(root, "env", 0, detail, sizeof detail);
    if (!detail[0]) cfg->workdir = string_field(root, "workdir", "/", detail, sizeof detail);
    if (!detail[0] && cfg->workdir[0] != '/')
        snprintf(detail, sizeof detail, "\"workdir\" must be an absolute path, got \"%s\"", cfg->workdir);
    if (!detail[0]) cfg->user = string_field(root, "user", "", detail, sizeof detail);
    if (!detail[0]) cfg->hostname = string_field(root, "hostname", "", detail, sizeof detail);
    if (detail[0]) {
        snprintf(err, errlen, "%s: %s", path, detail);
        return -1;
    }
    return 0;
}
