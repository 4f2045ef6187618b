#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "json.h"
#include "security.h"

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
    if (!out) {
        snprintf(err, errlen, "out of memory reading \"%s\"", key);
        return NULL;
    }
    for (size_t i = 0; i < a->len; i++) {
        if (a->items[i]->type != J_STR) {
            snprintf(err, errlen, "\"%s\"[%zu] must be a string", key, i);
            free(out);
            return NULL;
        }
        out[i] = a->items[i]->str;
    }
    return out;
}

static char *string_field(const struct jval *root, const char *key, const char *dflt, char *err, size_t errlen) {
    const struct jval *v = json_get(root, key);
    if (!v || v->type == J_NULL) return (char *)dflt; /* a literal: never written to, never freed */
    if (v->type != J_STR) {
        snprintf(err, errlen, "\"%s\" must be a string", key);
        return NULL;
    }
    return v->str;
}

/* An integer field within [min, max]; absent or null gives dflt; anything else is an error in err. */
static int int_field(const struct jval *o, const char *key, int dflt, int min, int max, char *err, size_t errlen) {
    const struct jval *v = json_get(o, key);
    long long n;
    if (!v || v->type == J_NULL) return dflt;
    if (json_int(v, min, max, &n) < 0) {
        if (!err[0]) snprintf(err, errlen, "\"%s\" must be a whole number from %d to %d", key, min, max);
        return dflt;
    }
    return (int)n;
}

static int load_ifaces(const struct jval *root, struct box_config *cfg, char *err, size_t errlen) {
    const struct jval *a = json_get(root, "interfaces");
    if (!a || a->type == J_NULL) return 0;
    if (a->type != J_ARR) {
        snprintf(err, errlen, "\"interfaces\" must be an array");
        return -1;
    }
    cfg->ifaces = calloc(a->len + 1, sizeof *cfg->ifaces);
    if (!cfg->ifaces) {
        snprintf(err, errlen, "out of memory reading \"interfaces\"");
        return -1;
    }
    for (size_t i = 0; i < a->len; i++) {
        const struct jval *o = a->items[i];
        struct box_iface *f = &cfg->ifaces[i];
        if (o->type != J_OBJ) {
            snprintf(err, errlen, "\"interfaces\"[%zu] must be an object", i);
            return -1;
        }
        f->mac = string_field(o, "mac", "", err, errlen);
        if (f->mac) f->address = string_field(o, "address", "", err, errlen);
        if (f->address) f->gateway = string_field(o, "gateway", "", err, errlen);
        if (!f->gateway) return -1;
        f->prefix = int_field(o, "prefix", 24, 1, 32, err, errlen);
        f->default_route = int_field(o, "default_route", 0, 0, 1, err, errlen);
        if (err[0]) return -1;
        if (!f->mac[0] || !f->address[0] || f->prefix < 1 || f->prefix > 32) {
            snprintf(err, errlen, "\"interfaces\"[%zu] needs \"mac\", \"address\" and a \"prefix\" of 1-32", i);
            return -1;
        }
    }
    cfg->n_ifaces = a->len;
    return 0;
}

static int load_mounts(const struct jval *root, struct box_config *cfg, char *err, size_t errlen) {
    const struct jval *a = json_get(root, "mounts");
    if (!a || a->type == J_NULL) return 0;
    if (a->type != J_ARR) {
        snprintf(err, errlen, "\"mounts\" must be an array");
        return -1;
    }
    cfg->mounts = calloc(a->len + 1, sizeof *cfg->mounts);
    if (!cfg->mounts) {
        snprintf(err, errlen, "out of memory reading \"mounts\"");
        return -1;
    }
    for (size_t i = 0; i < a->len; i++) {
        const struct jval *o = a->items[i];
        struct box_mount *m = &cfg->mounts[i];
        if (o->type != J_OBJ) {
            snprintf(err, errlen, "\"mounts\"[%zu] must be an object", i);
            return -1;
        }
        m->type = string_field(o, "type", "", err, errlen);
        if (m->type) m->source = string_field(o, "source", "", err, errlen);
        if (m->source) m->target = string_field(o, "target", "", err, errlen);
        if (m->target) m->options = string_field(o, "options", "", err, errlen);
        if (m->options) m->subpath = string_field(o, "subpath", "", err, errlen);
        if (!m->subpath) return -1;
        m->readonly = int_field(o, "readonly", 0, 0, 1, err, errlen);
        if (err[0]) return -1;
        if (m->target[0] != '/') {
            snprintf(err, errlen, "\"mounts\"[%zu]: target \"%s\" must be an absolute path", i, m->target);
            return -1;
        }
        if (strcmp(m->type, "virtiofs") && strcmp(m->type, "tmpfs") && strcmp(m->type, "bind")) {
            snprintf(err, errlen, "\"mounts\"[%zu]: type \"%s\" is not virtiofs, tmpfs or bind", i, m->type);
            return -1;
        }
    }
    cfg->n_mounts = a->len;
    return 0;
}

static const struct { const char *name; int resource; } RLIMIT_NAMES[] = {
    {"core", RLIMIT_CORE}, {"cpu", RLIMIT_CPU}, {"data", RLIMIT_DATA}, {"fsize", RLIMIT_FSIZE},
    {"locks", RLIMIT_LOCKS}, {"memlock", RLIMIT_MEMLOCK}, {"msgqueue", RLIMIT_MSGQUEUE}, {"nice", RLIMIT_NICE},
    {"nofile", RLIMIT_NOFILE}, {"nproc", RLIMIT_NPROC}, {"rss", RLIMIT_RSS}, {"rtprio", RLIMIT_RTPRIO},
    {"rttime", RLIMIT_RTTIME}, {"sigpending", RLIMIT_SIGPENDING}, {"stack", RLIMIT_STACK}, {"as", RLIMIT_AS},
};

static int load_rlimits(const struct jval *root, struct box_config *cfg, char *err, size_t errlen) {
    const struct jval *a = json_get(root, "rlimits");
    if (!a || a->type == J_NULL) return 0;
    if (a->type != J_ARR) {
        snprintf(err, errlen, "\"rlimits\" must be an array");
        return -1;
    }
    cfg->rlimits = calloc(a->len + 1, sizeof *cfg->rlimits);
    if (!cfg->rlimits) {
        snprintf(err, errlen, "out of memory reading \"rlimits\"");
        return -1;
    }
    for (size_t i = 0; i < a->len; i++) {
        const struct jval *o = a->items[i];
        struct box_rlimit *r = &cfg->rlimits[i];
        const struct jval *soft = o->type == J_OBJ ? json_get(o, "soft") : NULL;
        const struct jval *hard = o->type == J_OBJ ? json_get(o, "hard") : NULL;
        r->name = o->type == J_OBJ ? string_field(o, "name", "", err, errlen) : NULL;
        if (!r->name || !soft || soft->type != J_NUM || !hard || hard->type != J_NUM) {
            snprintf(err, errlen, "\"rlimits\"[%zu] needs \"name\", \"soft\" and \"hard\"", i);
            return -1;
        }
        r->resource = -1;
        for (size_t k = 0; k < sizeof RLIMIT_NAMES / sizeof *RLIMIT_NAMES; k++) {
            if (!strcmp(RLIMIT_NAMES[k].name, r->name)) r->resource = RLIMIT_NAMES[k].resource;
        }
        if (r->resource < 0) {
            snprintf(err, errlen, "\"rlimits\"[%zu]: \"%s\" is not a resource limit", i, r->name);
            return -1;
        }
        if (json_int(soft, -1, (long long)1 << 62, &r->soft) < 0 || json_int(hard, -1, (long long)1 << 62, &r->hard) < 0) {
            snprintf(err, errlen, "\"rlimits\"[%zu]: \"%s\" needs whole-number limits (-1: unlimited)", i, r->name);
            return -1;
        }
    }
    cfg->n_rlimits = a->len;
    return 0;
}

int config_load(const char *path, struct box_config *cfg, char *err, size_t errlen) {
    size_t n;
    char *text = read_all(path, &n, err, errlen);
    if (!text) return -1;
    return config_parse(text, n, path, cfg, err, errlen);
}

int config_parse(const char *text, size_t n, const char *path, struct box_config *cfg, char *err, size_t errlen) {
    char detail[256];
    struct jval *root = json_parse(text, n, detail, sizeof detail);
    if (!root) {
        snprintf(err, errlen, "%s is not valid JSON: %s", path, detail);
        return -1;
    }
    cfg->doc = root;
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
    if (!detail[0]) load_ifaces(root, cfg, detail, sizeof detail);
    if (!detail[0]) load_mounts(root, cfg, detail, sizeof detail);
    if (!detail[0]) cfg->readonly_root = int_field(root, "readonly_root", 0, 0, 1, detail, sizeof detail);
    if (!detail[0]) cfg->attach = int_field(root, "attach", 0, 0, 1, detail, sizeof detail);
    if (!detail[0]) load_rlimits(root, cfg, detail, sizeof detail);
    if (!detail[0]) security_load(root, detail, sizeof detail);
    if (detail[0]) {
        snprintf(err, errlen, "%s: %s", path, detail);
        return -1;
    }
    return 0;
}

void config_free(struct box_config *cfg) {
    free(cfg->argv);
    free(cfg->env);
    free(cfg->ifaces);
    free(cfg->mounts);
    free(cfg->rlimits);
    json_free(cfg->doc);
    cfg->argv = cfg->env = NULL;
    cfg->ifaces = NULL;
    cfg->mounts = NULL;
    cfg->rlimits = NULL;
    cfg->doc = NULL;
}
