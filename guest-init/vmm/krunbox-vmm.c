/*
 * krunbox-vmm: the per-box process that configures libkrun and enters the VM, in place of a
 * JVM shim (a few MiB instead of ~70). It reads the box's libkrun calls from CALLS (written by
 * the runtime's VmmCalls), makes them one by one through libkrun.so.1 (dlopen: the system's
 * library path) and ends with krun_start_enter, which does not return on success: libkrun
 * exits this process when the guest powers off.
 *
 *   krunbox-vmm CALLS
 *
 * CALLS: a first line "krunbox-vmm-calls 1", then one call per line: the function's name and
 * its arguments separated by spaces, each one of  s<hex of the bytes> (a string), z (NULL),
 * n<decimal>, b0 / b1, m<12 hex digits> (a MAC), a<count>:<hex>,<hex>,... (a NULL-ended string
 * array). Every size is bounded; anything else is refused with 125.
 * A missing root or volume directory is refused before libkrun takes it (it would only fail at
 * boot, with nothing on the console). Built with the host's C compiler: libkrun is a glibc
 * library, which a static musl program cannot load.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CALLS_MAX (1 << 20)
#define ARGS_MAX 8
#define ARRAY_MAX 1024

enum kind { STR, NUL, NUM, FLAG, MAC, ARR };

struct arg {
    enum kind kind;
    char *s;
    long long n;
    uint8_t mac[6];
    char **a;
};

static void die(const char *fmt, const char *what) {
    fprintf(stderr, "krunbox-vmm: ");
    fprintf(stderr, fmt, what);
    fputc('\n', stderr);
    exit(125);
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* hex (len digits) -> a new NUL-terminated string; a NUL byte inside is refused */
static char *unhex(const char *p, size_t len) {
    if (len % 2) die("%s", "a string argument of an odd number of hex digits");
    char *s = malloc(len / 2 + 1);
    if (!s) die("%s", "out of memory");
    for (size_t i = 0; i < len; i += 2) {
        int h = hexval(p[i]), l = hexval(p[i + 1]);
        if (h < 0 || l < 0 || (h == 0 && l == 0)) die("%s", "a string argument that is not hex of non-NUL bytes");
        s[i / 2] = (char)(h * 16 + l);
    }
    s[len / 2] = 0;
    return s;
}

static struct arg parse_arg(char *tok) {
    struct arg a = {0};
    size_t len = strlen(tok);
    switch (tok[0]) {
    case 's': a.kind = STR; a.s = unhex(tok + 1, len - 1); break;
    case 'z': if (len != 1) die("%s", "a bad NULL argument"); a.kind = NUL; break;
    case 'n': {
        char *end;
        errno = 0;
        a.kind = NUM;
        a.n = strtoll(tok + 1, &end, 10);
        if (errno || end == tok + 1 || *end) die("bad number %s", tok + 1);
        break;
    }
    case 'b':
        if (len != 2 || (tok[1] != '0' && tok[1] != '1')) die("bad flag %s", tok);
        a.kind = FLAG;
        a.n = tok[1] == '1';
        break;
    case 'm':
        if (len != 13) die("bad MAC %s", tok);
        a.kind = MAC;
        for (int i = 0; i < 6; i++) {
            int h = hexval(tok[1 + 2 * i]), l = hexval(tok[2 + 2 * i]);
            if (h < 0 || l < 0) die("bad MAC %s", tok);
            a.mac[i] = (uint8_t)(h * 16 + l);
        }
        break;
    case 'a': { /* a<count>:<hex>,<hex>,... */
        a.kind = ARR;
        char *colon = strchr(tok, ':'), *end;
        errno = 0;
        long count = strtol(tok + 1, &end, 10);
        if (!colon || end != colon || errno || count < 0 || count > ARRAY_MAX) die("bad string array %s", tok);
        a.a = calloc((size_t)count + 1, sizeof(char *));
        if (!a.a) die("%s", "out of memory");
        char *p = colon + 1;
        for (long i = 0; i < count; i++) {
            char *comma = strchr(p, ',');
            if ((i < count - 1) != (comma != NULL)) die("bad string array %s", tok);
            size_t l = comma ? (size_t)(comma - p) : strlen(p);
            a.a[i] = unhex(p, l);
            p += l + (comma ? 1 : 0);
        }
        if (count == 0 && *p) die("bad string array %s", tok);
        break;
    }
    default: die("unknown argument %s", tok);
    }
    return a;
}

static void *lib;

static void *fn(const char *name) {
    void *f = dlsym(lib, name);
    if (!f) die("libkrun has no %s: is libkrun.so.1 of the version krunbox was built for installed?", name);
    return f;
}

static void need(int nargs, int want, const char *name, const struct arg *a, const char *kinds) {
    if (nargs != want) die("%s: wrong number of arguments", name);
    for (int i = 0; i < want; i++) {
        enum kind k = a[i].kind;
        char c = kinds[i];
        int ok = (c == 's' && k == STR) || (c == 'S' && (k == STR || k == NUL)) || (c == 'n' && k == NUM)
                 || (c == 'b' && k == FLAG) || (c == 'm' && k == MAC) || (c == 'a' && k == ARR);
        if (!ok) die("%s: an argument of the wrong kind", name);
    }
}

static void directory(const char *function, const char *dir) {
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "krunbox-vmm: %s: \"%s\" is not a directory\n", function, dir);
        exit(125);
    }
}

/* Makes one call; returns libkrun's result (negative: -errno). */
static int apply(uint32_t ctx, const char *f, int n, struct arg *a) {
    if (!strcmp(f, "krun_create_ctx")) return 0;
    if (!strcmp(f, "krun_set_vm_config")) {
        need(n, 2, f, a, "nn");
        if (a[0].n < 0 || a[0].n > 255 || a[1].n < 0 || a[1].n > UINT32_MAX) return -EINVAL;
        return ((int32_t(*)(uint32_t, uint8_t, uint32_t))fn(f))(ctx, (uint8_t)a[0].n, (uint32_t)a[1].n);
    }
    if (!strcmp(f, "krun_set_root")) {
        need(n, 1, f, a, "s");
        directory(f, a[0].s);
        return ((int32_t(*)(uint32_t, const char *))fn(f))(ctx, a[0].s);
    }
    if (!strcmp(f, "krun_add_virtiofs3")) {
        need(n, 4, f, a, "ssnb");
        directory(f, a[1].s);
        return ((int32_t(*)(uint32_t, const char *, const char *, uint64_t, bool))fn(f))(ctx, a[0].s, a[1].s,
                                                                                         (uint64_t)a[2].n, a[3].n);
    }
    if (!strcmp(f, "krun_add_net_tap")) {
        need(n, 4, f, a, "smnn");
        return ((int32_t(*)(uint32_t, char *, uint8_t *, uint32_t, uint32_t))fn(f))(ctx, a[0].s, a[1].mac,
                                                                                   (uint32_t)a[2].n, (uint32_t)a[3].n);
    }
    if (!strcmp(f, "krun_add_net_unixstream")) {
        need(n, 4, f, a, "smnn");
        return ((int32_t(*)(uint32_t, const char *, int, uint8_t *, uint32_t, uint32_t))fn(f))(
            ctx, a[0].s, -1, a[1].mac, (uint32_t)a[2].n, (uint32_t)a[3].n);
    }
    if (!strcmp(f, "krun_disable_implicit_vsock")) {
        need(n, 0, f, a, "");
        return ((int32_t(*)(uint32_t))fn(f))(ctx);
    }
    if (!strcmp(f, "krun_add_vsock")) {
        need(n, 1, f, a, "n");
        return ((int32_t(*)(uint32_t, uint32_t))fn(f))(ctx, (uint32_t)a[0].n);
    }
    if (!strcmp(f, "krun_add_vsock_port2")) {
        need(n, 3, f, a, "nsb");
        return ((int32_t(*)(uint32_t, uint32_t, const char *, bool))fn(f))(ctx, (uint32_t)a[0].n, a[1].s, a[2].n);
    }
    if (!strcmp(f, "krun_set_exec")) {
        need(n, 3, f, a, "saa");
        return ((int32_t(*)(uint32_t, const char *, char *const *, char *const *))fn(f))(ctx, a[0].s, a[1].a, a[2].a);
    }
    if (!strcmp(f, "krun_set_env")) {
        need(n, 1, f, a, "a");
        return ((int32_t(*)(uint32_t, char *const *))fn(f))(ctx, a[0].a);
    }
    if (!strcmp(f, "krun_set_workdir") || !strcmp(f, "krun_set_console_output")) {
        need(n, 1, f, a, "s");
        return ((int32_t(*)(uint32_t, const char *))fn(f))(ctx, a[0].s);
    }
    if (!strcmp(f, "krun_set_kernel")) {
        need(n, 4, f, a, "snSS");
        return ((int32_t(*)(uint32_t, const char *, uint32_t, const char *, const char *))fn(f))(
            ctx, a[0].s, (uint32_t)a[1].n, a[2].kind == NUL ? NULL : a[2].s, a[3].kind == NUL ? NULL : a[3].s);
    }
    if (!strcmp(f, "krun_start_enter")) {
        need(n, 0, f, a, "");
        return ((int32_t(*)(uint32_t))fn(f))(ctx);
    }
    die("krunbox does not make the libkrun call %s", f);
    return -1;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: krunbox-vmm CALLS\n");
        return 125;
    }
    FILE *in = fopen(argv[1], "re");
    if (!in) die("cannot read %s", argv[1]);
    static char text[CALLS_MAX + 1];
    size_t len = fread(text, 1, CALLS_MAX + 1, in);
    fclose(in);
    if (len > CALLS_MAX) die("%s is larger than 1 MiB", argv[1]);
    text[len] = 0;
    char *save = NULL, *line = strtok_r(text, "\n", &save);
    if (!line || strcmp(line, "krunbox-vmm-calls 1")) die("%s is not a krunbox-vmm calls file", argv[1]);
    lib = dlopen("libkrun.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) die("cannot load libkrun.so.1 (%s): run scripts/setup.sh", dlerror());
    int32_t ctx = ((int32_t(*)(void))fn("krun_create_ctx"))();
    if (ctx < 0) {
        fprintf(stderr, "krunbox-vmm: krun_create_ctx() failed: %s\n", strerror(-ctx));
        return 125;
    }
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *tsave = NULL, *function = strtok_r(line, " ", &tsave), *tok;
        struct arg args[ARGS_MAX];
        int n = 0;
        if (!function) continue;
        while ((tok = strtok_r(NULL, " ", &tsave)) != NULL) {
            if (n == ARGS_MAX) die("%s: more arguments than any libkrun call takes", function);
            args[n++] = parse_arg(tok);
        }
        int rc = apply((uint32_t)ctx, function, n, args);
        if (rc < 0) {
            fprintf(stderr, "krunbox-vmm: %s failed: %s (errno %d)\n", function, strerror(-rc), -rc);
            return 125;
        }
    }
    fprintf(stderr, "krunbox-vmm: the calls did not end with krun_start_enter\n");
    return 125;
}
