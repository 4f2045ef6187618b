#define _GNU_SOURCE
#include "security.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#define X32_BIT 0x40000000u
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#else
#error "guest-init's seccomp filter knows x86_64 and aarch64"
#endif

/* {"name", number} for this architecture, generated from the kernel's headers (Makefile) */
static const struct { const char *name; int nr; } SYSCALLS[] = {
#include "syscall_names.h"
};

#define MAX_PATHS 64
#define MAX_SYSCTLS 64
#define MAX_INSNS 4000

static struct {
    int loaded;
    int privileged;
    int no_new_privs;
    uint64_t caps;                 /* bounding, and for root permitted/effective/inheritable */
    const char *masked[MAX_PATHS];
    size_t n_masked;
    const char *readonly[MAX_PATHS];
    size_t n_readonly;
    const char *sysctl_key[MAX_SYSCTLS];
    const char *sysctl_value[MAX_SYSCTLS];
    size_t n_sysctls;
    unsigned long userns_base, userns_count; /* --userns auto; 0: the host's user namespace */
    int userns_fd;
    int filter_inherited;          /* PID 1 runs under the filter: its children have it already */
    struct sock_filter prog[MAX_INSNS];
    size_t n_prog;                 /* 0: no filter (unconfined or privileged) */
} sec;

static int syscall_nr(const char *name) {
    for (size_t i = 0; i < sizeof SYSCALLS / sizeof *SYSCALLS; i++)
        if (!strcmp(SYSCALLS[i].name, name)) return SYSCALLS[i].nr;
    return -1;
}

/* ---- the BPF program ---------------------------------------------------------------- */

static int emit(struct sock_filter f, char *err, size_t errlen) {
    if (sec.n_prog >= MAX_INSNS) {
        snprintf(err, errlen, "the seccomp profile needs more than %d filter instructions", MAX_INSNS);
        return -1;
    }
    sec.prog[sec.n_prog++] = f;
    return 0;
}

#define STMT(code, k) ((struct sock_filter)BPF_STMT(code, k))
#define JUMP(code, k, jt, jf) ((struct sock_filter)BPF_JUMP(code, k, jt, jf))
#define FAIL_MARK 0xff /* a jump to the end of the rule's block, patched when the block is done */

static int parse_u64(const struct jval *v, uint64_t *out) {
    if (v && v->type == J_STR) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(v->str, &end, 0);
        if (errno || !*v->str || *end) return -1;
        *out = n;
        return 0;
    }
    if (v && v->type == J_NUM && v->num >= 0 && v->num <= 9007199254740992.0 && v->num == (double)(uint64_t)v->num) {
        *out = (uint64_t)v->num;
        return 0;
    }
    return -1;
}

static int action_of(const char *name, const struct jval *errno_v, uint32_t *out) {
    uint64_t e = EPERM;
    if (errno_v && parse_u64(errno_v, &e) < 0) return -1;
    if (e > 4095) return -1;
    if (!strcmp(name, "allow")) *out = SECCOMP_RET_ALLOW;
    else if (!strcmp(name, "errno")) *out = SECCOMP_RET_ERRNO | (uint32_t)e;
    else if (!strcmp(name, "kill_process")) *out = SECCOMP_RET_KILL_PROCESS;
    else if (!strcmp(name, "kill_thread") || !strcmp(name, "kill")) *out = SECCOMP_RET_KILL_THREAD;
    else if (!strcmp(name, "trap")) *out = SECCOMP_RET_TRAP;
    else if (!strcmp(name, "log")) *out = SECCOMP_RET_LOG;
    else if (!strcmp(name, "trace")) *out = SECCOMP_RET_TRACE | (uint32_t)e;
    else return -1;
    return 0;
}

/* One condition on a 64-bit argument; jumps to FAIL_MARK when it does not hold. */
static int emit_cond(const struct jval *c, size_t rule, char *err, size_t errlen) {
    const struct jval *index = json_get(c, "index"), *op = json_get(c, "op");
    uint64_t value = 0, two = 0, idx;
    if (parse_u64(index, &idx) < 0 || idx > 5 || !op || op->type != J_STR ||
        parse_u64(json_get(c, "value"), &value) < 0 ||
        (json_get(c, "value_two") && parse_u64(json_get(c, "value_two"), &two) < 0)) {
        snprintf(err, errlen, "seccomp rule %zu: an argument condition needs index 0-5, op and numeric value", rule);
        return -1;
    }
    uint32_t lo_off = (uint32_t)(offsetof(struct seccomp_data, args) + 8 * idx), hi_off = lo_off + 4;
    uint32_t vlo = (uint32_t)value, vhi = (uint32_t)(value >> 32);
    const char *o = op->str;
    int r = 0;
    if (!strcmp(o, "eq")) {
        r |= emit(STMT(BPF_LD | BPF_W | BPF_ABS, hi_off), err, errlen);
        r |= emit(JUMP(BPF_JMP | BPF_JEQ | BPF_K, vhi, 0, FAIL_MARK), err, errlen);
        r |= emit(STMT(BPF_LD | BPF_W | BPF_ABS, lo_off), err, errlen);
        r |= emit(JUMP(BPF_JMP | BPF_JEQ | BPF_K, vlo, 0, FAIL_MARK), err, errlen);
    } else if (!strcmp(o, "ne")) {
        r |= emit(STMT(BPF_LD | BPF_W | BPF_ABS, hi_off), err, errlen);
        r |= emit(JUMP(BPF_JMP | BPF_JEQ | BPF_K, vhi, 0, 2), err, errlen);
        r |= emit(STMT(BPF_LD | BPF_W | BPF_ABS, lo_off), err, errlen);
        r |= emit(JUMP(BPF_JMP | BPF_JEQ | BPF_K, vlo, FAIL_MARK, 0), err, errlen);
    } else if (!strcmp(o, "masked_eq")) {
        /* value is the mask, value_two what the masked argument must equal (Docker's order) */
        uint32_t mlo = vlo, mhi = vhi, wlo = (uint32_t)two, whi = (uint32_t)(two >> 32);
        r |= emit(STMT(BPF_LD | BPF_W | BPF_ABS, hi_off), err, errlen);
        r |= emit(STMT(BPF_ALU | BPF_AND | BPF_K, mhi), err, errlen);
        r |= emit(JUMP(BPF_JMP | BPF_JEQ | BPF_K, whi, 0, FAIL_MARK), err, errlen);
        r |= emit(STMT(BPF_LD | BPF_W | BPF_ABS, lo_off), err, errlen);
        r |= emit(STMT(BPF_ALU | BPF_AND | BPF_K, mlo), err, errlen);
        r |= emit(JUMP(BPF_JMP | BPF_JEQ | BPF_K, wlo, 0, FAIL_MARK), err, errlen);
    } else if (!strcmp(o, "ge") || !strcmp(o, "gt") || !strcmp(o, "le") || !strcmp(o, "lt")) {
        int greater = o[0] == 'g', strict = o[1] == 't';
        /* high words decide unless equal; then the low words, unsigned */
        r |= emit(STMT(BPF_LD | BPF_W | BPF_ABS, hi_off), err, errlen);
        if (greater) {
            r |= emit(JUMP(BPF_JMP | BPF_JGT | BPF_K, vhi, 3, 0), err, errlen);       /* holds */
            r |= emit(JUMP(BPF_JMP | BPF_JEQ | BPF_K, vhi, 0, FAIL_MARK), err, errlen);
            r |= emit(STMT(BPF_LD | BPF_W | BPF_ABS, lo_off), err, errlen);
            r |= emit(JUMP(BPF_JMP | (strict ? BPF_JGT : BPF_JGE) | BPF_K, vlo, 0, FAIL_MARK), err, errlen);
        } else {
            r |= emit(JUMP(BPF_JMP | BPF_JGE | BPF_K, vhi, 0, 3), err, errlen);       /* hi < vhi: holds */
            r |= emit(JUMP(BPF_JMP | BPF_JEQ | BPF_K, vhi, 0, FAIL_MARK), err, errlen);
            r |= emit(STMT(BPF_LD | BPF_W | BPF_ABS, lo_off), err, errlen);
            r |= emit(JUMP(BPF_JMP | (strict ? BPF_JGE : BPF_JGT) | BPF_K, vlo, FAIL_MARK, 0), err, errlen);
        }
    } else {
        snprintf(err, errlen, "seccomp rule %zu: operator \"%s\" is not eq, ne, masked_eq, ge, gt, le or lt", rule, o);
        return -1;
    }
    return r;
}

/* Points every FAIL_MARK jump of the block [start, end) at end. */
static int patch_block(size_t start, char *err, size_t errlen) {
    size_t end = sec.n_prog;
    for (size_t i = start; i < end; i++) {
        struct sock_filter *f = &sec.prog[i];
        if (BPF_CLASS(f->code) != BPF_JMP || BPF_OP(f->code) == BPF_JA) continue;
        size_t dist = end - i - 1;
        if (dist > 254) {
            snprintf(err, errlen, "a seccomp rule is too long for one filter jump");
            return -1;
        }
        if (f->jt == FAIL_MARK) f->jt = (uint8_t)dist;
        if (f->jf == FAIL_MARK) f->jf = (uint8_t)dist;
    }
    return 0;
}

static int compile_filter(const struct jval *p, char *err, size_t errlen) {
    const struct jval *dflt = json_get(p, "default_action"), *rules = json_get(p, "rules");
    uint32_t default_action;
    if (!dflt || dflt->type != J_STR || action_of(dflt->str, json_get(p, "default_errno"), &default_action) < 0) {
        snprintf(err, errlen, "\"security\".\"seccomp\" needs a \"default_action\" (allow, errno, kill_process, ...)");
        return -1;
    }
    if (rules && rules->type != J_ARR) {
        snprintf(err, errlen, "\"security\".\"seccomp\".\"rules\" must be an array");
        return -1;
    }
    static unsigned char plain[1024]; /* syscalls that are simply allowed, as one bitmap */
    memset(plain, 0, sizeof plain);
    sec.n_prog = 0;
    int r = 0;
    r |= emit(STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)), err, errlen);
    r |= emit(JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0), err, errlen);
    r |= emit(STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS), err, errlen); /* i386 by int 0x80, or another ABI */
    r |= emit(STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)), err, errlen);
#ifdef X32_BIT
    r |= emit(JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_BIT, 0, 1), err, errlen);
    r |= emit(STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM), err, errlen); /* x32 refused */
#endif
    if (r) return -1;
    for (size_t i = 0; rules && i < rules->len; i++) {
        const struct jval *rule = rules->items[i];
        const struct jval *names = json_get(rule, "names"), *act = json_get(rule, "action"), *args = json_get(rule, "args");
        uint32_t action;
        if (rule->type != J_OBJ || !names || names->type != J_ARR || !act || act->type != J_STR ||
            action_of(act->str, json_get(rule, "errno"), &action) < 0 || (args && args->type != J_ARR)) {
            snprintf(err, errlen, "seccomp rule %zu needs \"names\" (an array) and a known \"action\"", i);
            return -1;
        }
        size_t n_args = args ? args->len : 0;
        for (size_t k = 0; k < names->len; k++) {
            if (names->items[k]->type != J_STR) {
                snprintf(err, errlen, "seccomp rule %zu: names must be strings", i);
                return -1;
            }
            int nr = syscall_nr(names->items[k]->str);
            if (nr < 0) continue; /* not a system call of this architecture, as libseccomp skips it */
            if (action == SECCOMP_RET_ALLOW && !n_args && nr < (int)(8 * sizeof plain)) {
                plain[nr / 8] |= (unsigned char)(1u << (nr % 8));
                continue;
            }
            size_t start = sec.n_prog;
            r |= emit(JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, FAIL_MARK), err, errlen);
            for (size_t a = 0; !r && a < n_args; a++) {
                if (args->items[a]->type != J_OBJ) {
                    snprintf(err, errlen, "seccomp rule %zu: args must be objects", i);
                    return -1;
                }
                r |= emit_cond(args->items[a], i, err, errlen);
            }
            r |= emit(STMT(BPF_RET | BPF_K, action), err, errlen);
            if (r || patch_block(start, err, errlen) < 0) return -1;
            /* the block's end: the number is loaded again for what follows */
            if (n_args) r |= emit(STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)), err, errlen);
            else {
                /* no reload needed: nothing changed the accumulator; the fail target is the next block */
            }
            if (r) return -1;
        }
    }
    /* the allowed numbers as ranges: jge lo / jgt hi / ret allow, three short jumps each */
    int nmax = 8 * (int)sizeof plain;
    for (int lo = 0; lo < nmax; lo++) {
        if (!(plain[lo / 8] & (1u << (lo % 8)))) continue;
        int hi = lo;
        while (hi + 1 < nmax && (plain[(hi + 1) / 8] & (1u << ((hi + 1) % 8)))) hi++;
        r |= emit(JUMP(BPF_JMP | BPF_JGE | BPF_K, (uint32_t)lo, 0, 2), err, errlen);
        r |= emit(JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)hi, 1, 0), err, errlen);
        r |= emit(STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW), err, errlen);
        lo = hi;
    }
    r |= emit(STMT(BPF_RET | BPF_K, default_action), err, errlen);
    return r;
}

/* ---- loading ------------------------------------------------------------------------ */

static int strings_into(const struct jval *a, const char **out, size_t max, size_t *n, const char *what, char *err,
                        size_t errlen) {
    *n = 0;
    if (!a || a->type == J_NULL) return 0;
    if (a->type != J_ARR || a->len > max) {
        snprintf(err, errlen, "\"security\".\"%s\" must be an array of at most %zu paths", what, max);
        return -1;
    }
    for (size_t i = 0; i < a->len; i++) {
        if (a->items[i]->type != J_STR || a->items[i]->str[0] != '/') {
            snprintf(err, errlen, "\"security\".\"%s\"[%zu] must be an absolute path", what, i);
            return -1;
        }
        out[(*n)++] = a->items[i]->str;
    }
    return 0;
}

int security_load(const struct jval *root, char *err, size_t errlen) {
    const struct jval *s = json_get(root, "security");
    memset(&sec, 0, sizeof sec);
    sec.loaded = 1;
    sec.userns_fd = -1;
    if (!s || s->type == J_NULL) {
        /* a config without the key (an older host): keep what the launcher gave */
        sec.privileged = 1;
        return 0;
    }
    if (s->type != J_OBJ) {
        snprintf(err, errlen, "\"security\" must be an object");
        return -1;
    }
    const struct jval *priv = json_get(s, "privileged"), *nnp = json_get(s, "no_new_privileges");
    sec.privileged = priv && priv->type == J_BOOL && priv->num != 0;
    sec.no_new_privs = nnp && nnp->type == J_BOOL && nnp->num != 0;
    const struct jval *caps = json_get(s, "capabilities");
    if (caps && caps->type == J_ARR) {
        for (size_t i = 0; i < caps->len; i++) {
            uint64_t c;
            if (parse_u64(caps->items[i], &c) < 0 || c > 63) {
                snprintf(err, errlen, "\"security\".\"capabilities\"[%zu] must be a capability number 0-63", i);
                return -1;
            }
            sec.caps |= 1ull << c;
        }
    } else if (caps && caps->type != J_NULL) {
        snprintf(err, errlen, "\"security\".\"capabilities\" must be an array of numbers");
        return -1;
    }
    if (strings_into(json_get(s, "masked_paths"), sec.masked, MAX_PATHS, &sec.n_masked, "masked_paths", err, errlen) < 0 ||
        strings_into(json_get(s, "readonly_paths"), sec.readonly, MAX_PATHS, &sec.n_readonly, "readonly_paths", err,
                     errlen) < 0)
        return -1;
    const struct jval *sysctls = json_get(s, "sysctls");
    if (sysctls && sysctls->type == J_OBJ) {
        if (sysctls->len > MAX_SYSCTLS) {
            snprintf(err, errlen, "\"security\".\"sysctls\" has more than %d keys", MAX_SYSCTLS);
            return -1;
        }
        for (size_t i = 0; i < sysctls->len; i++) {
            const char *k = sysctls->keys[i];
            if (sysctls->items[i]->type != J_STR || !*k || strstr(k, "..") || strchr(k, '/')) {
                snprintf(err, errlen, "\"security\".\"sysctls\": \"%s\" needs a string value and a dotted name", k);
                return -1;
            }
            sec.sysctl_key[sec.n_sysctls] = k;
            sec.sysctl_value[sec.n_sysctls++] = sysctls->items[i]->str;
        }
    } else if (sysctls && sysctls->type != J_NULL) {
        snprintf(err, errlen, "\"security\".\"sysctls\" must be an object");
        return -1;
    }
    const struct jval *userns = json_get(s, "userns");
    if (userns && userns->type == J_OBJ) {
        uint64_t base, count;
        if (parse_u64(json_get(userns, "base"), &base) < 0 || parse_u64(json_get(userns, "count"), &count) < 0 ||
            base == 0 || base > 0xfffeffffull || count == 0 || count > 1048576 || base + count > 0xffffffffull) {
            snprintf(err, errlen, "\"security\".\"userns\" needs a \"base\" host id and a \"count\" within 32 bits");
            return -1;
        }
        sec.userns_base = (unsigned long)base;
        sec.userns_count = (unsigned long)count;
    } else if (userns && userns->type != J_NULL) {
        snprintf(err, errlen, "\"security\".\"userns\" must be an object");
        return -1;
    }
    const struct jval *filter = json_get(s, "seccomp");
    if (filter && filter->type == J_OBJ && (!sec.privileged || sec.userns_base)) return compile_filter(filter, err, errlen);
    if (filter && filter->type != J_OBJ && filter->type != J_NULL) {
        snprintf(err, errlen, "\"security\".\"seccomp\" must be an object or null (unconfined)");
        return -1;
    }
    return 0;
}

/* ---- PID 1's file system steps ------------------------------------------------------ */

unsigned long security_userns_base(void) {
    return sec.userns_base;
}

static int map_ids(pid_t pid, const char *file, char *err, size_t errlen) {
    char path[64], map[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
    int n = snprintf(map, sizeof map, "0 %lu %lu\n", sec.userns_base, sec.userns_count);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, map, (size_t)n) != n) {
        snprintf(err, errlen, "cannot map the box's ids to host %lu and up (%s): %s", sec.userns_base, file, strerror(errno));
        if (fd >= 0) close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

/* The box's user namespace: a child unshares, PID 1 (root of the host's namespace) writes its
   maps and keeps a descriptor, which every process of the box enters before it runs. */
static int make_userns(char *err, size_t errlen) {
    int ready[2], done[2];
    if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(done, O_CLOEXEC) < 0) {
        snprintf(err, errlen, "pipes for the user namespace: %s", strerror(errno));
        return -1;
    }
    pid_t child = fork();
    if (child < 0) {
        snprintf(err, errlen, "fork for the user namespace: %s", strerror(errno));
        return -1;
    }
    if (child == 0) {
        char c = unshare(CLONE_NEWUSER) == 0 ? 'y' : 'n';
        if (write(ready[1], &c, 1) != 1) _exit(1);
        if (read(done[0], &c, 1) < 0) _exit(1);
        _exit(0);
    }
    close(ready[1]);
    close(done[0]);
    char c = 0;
    int rc = -1;
    if (read(ready[0], &c, 1) != 1 || c != 'y') {
        snprintf(err, errlen, "cannot make the box's user namespace (--userns auto): the kernel refused it");
    } else if (map_ids(child, "uid_map", err, errlen) == 0 && map_ids(child, "gid_map", err, errlen) == 0) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/ns/user", (int)child);
        sec.userns_fd = open(path, O_RDONLY | O_CLOEXEC);
        if (sec.userns_fd < 0) snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        else rc = 0;
    }
    if (write(done[1], "x", 1) < 0) {}
    close(done[1]);
    close(ready[0]);
    while (waitpid(child, NULL, 0) < 0 && errno == EINTR) {}
    return rc;
}

int security_setup_fs(char *err, size_t errlen) {
    if (sec.userns_base && make_userns(err, errlen) < 0) return -1;
    for (size_t i = 0; i < sec.n_sysctls; i++) {
        char path[512];
        int l = snprintf(path, sizeof path, "/proc/sys/%s", sec.sysctl_key[i]);
        for (char *p = path + 10; p < path + l; p++)
            if (*p == '.') *p = '/';
        int fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
        size_t vl = strlen(sec.sysctl_value[i]);
        if (fd < 0 || write(fd, sec.sysctl_value[i], vl) != (ssize_t)vl) {
            snprintf(err, errlen, "cannot set sysctl %s=%s: %s", sec.sysctl_key[i], sec.sysctl_value[i], strerror(errno));
            if (fd >= 0) close(fd);
            return -1;
        }
        close(fd);
    }
    if (sec.privileged) {
        /* --privileged: /sys writable, as in Docker (the sandbox's launcher mounts it read-only) */
        if (mount(NULL, "/sys", NULL, MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 && errno != EINVAL) {
            snprintf(err, errlen, "cannot make /sys writable: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    for (size_t i = 0; i < sec.n_masked; i++) {
        struct stat st;
        const char *p = sec.masked[i];
        if (lstat(p, &st) < 0) continue; /* not on this kernel */
        int r = S_ISDIR(st.st_mode) ? mount("tmpfs", p, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0")
                                    : mount("/dev/null", p, NULL, MS_BIND, NULL);
        if (r < 0) {
            snprintf(err, errlen, "cannot mask %s: %s", p, strerror(errno));
            return -1;
        }
    }
    for (size_t i = 0; i < sec.n_readonly; i++) {
        const char *p = sec.readonly[i];
        if (access(p, F_OK) < 0) continue;
        if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0 ||
            mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
            snprintf(err, errlen, "cannot make %s read-only: %s", p, strerror(errno));
            return -1;
        }
    }
    return 0;
}

static int set_caps(uint64_t permitted, uint64_t effective, uint64_t inheritable) {
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2] = {
        {(uint32_t)effective, (uint32_t)permitted, (uint32_t)inheritable},
        {(uint32_t)(effective >> 32), (uint32_t)(permitted >> 32), (uint32_t)(inheritable >> 32)}};
    return (int)syscall(SYS_capset, &h, d);
}

/* Drops every capability but those in keep from the bounding set; -1 with errno, *failed the capability. */
static int drop_bounding(uint64_t keep, int *failed) {
    for (int c = 0; c <= 63; c++) {
        if (keep & (1ull << c)) continue;
        if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL) { /* EINVAL: past the last */
            *failed = c;
            return -1;
        }
    }
    return 0;
}

/* The permitted set this process holds now (the launcher may have kept one back, such as MAC_OVERRIDE). */
static int permitted_now(uint64_t *out) {
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct now[2];
    if (syscall(SYS_capget, &h, now) < 0) return -1;
    *out = (uint64_t)now[0].permitted | ((uint64_t)now[1].permitted << 32);
    return 0;
}

/* ---- PID 1 itself ------------------------------------------------------------------- */

int security_lock_init(char *err, size_t errlen) {
    /* --privileged in the host's namespace is no boundary to keep; under --userns auto no process of
       the box can trace PID 1, and its children must still enter the namespace (setns) */
    if (!sec.loaded || sec.privileged || sec.userns_fd >= 0) return 0;
    uint64_t keep = sec.caps | (1ull << 6) | (1ull << 7) | (1ull << 8) | (1ull << 5); /* SETGID SETUID SETPCAP KILL */
    int failed;
    if (drop_bounding(keep, &failed) < 0) {
        snprintf(err, errlen, "cannot drop capability %d from PID 1: %s", failed, strerror(errno));
        return -1;
    }
    uint64_t held;
    if (permitted_now(&held) < 0) return -1;
    held &= keep;
    if (set_caps(held, held, 0) < 0) {
        snprintf(err, errlen, "cannot lower PID 1's capabilities: %s", strerror(errno));
        return -1;
    }
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
        snprintf(err, errlen, "cannot set no_new_privs on PID 1: %s", strerror(errno));
        return -1;
    }
    /* PID 1 is under the box's own filter, as an init inside a Docker container is: every process of
       the box inherits it from here (so they do not install it again) */
    if (sec.n_prog) {
        struct sock_fprog prog = {(unsigned short)sec.n_prog, sec.prog};
        if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0) {
            snprintf(err, errlen, "cannot put PID 1 under the box's seccomp filter: %s", strerror(errno));
            return -1;
        }
        sec.filter_inherited = 1;
    }
    return 0;
}

/* ---- a child's last steps before exec ------------------------------------------------ */


int security_enter(uid_t uid, gid_t gid, const char *name, int *stage) {
    int privileged = !sec.loaded || (sec.privileged && sec.userns_fd < 0);
    *stage = 5;
    /* --userns auto: everything below happens in the box's user namespace, whose 0 is not the host's */
    if (sec.userns_fd >= 0 && setns(sec.userns_fd, CLONE_NEWUSER) < 0) return -1;
    int failed;
    if (!privileged && drop_bounding(sec.caps, &failed) < 0) return -1;
    if (sec.no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return -1;
    if (sec.n_prog && !sec.filter_inherited) {
        /* installed while this process still holds CAP_SYS_ADMIN: no_new_privs is not forced */
        struct sock_fprog prog = {(unsigned short)sec.n_prog, sec.prog};
        if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0) return -1;
    }
    if (!privileged && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) return -1;
    *stage = 2;
    if ((name ? initgroups(name, gid) : setgroups(0, NULL)) < 0) return -1;
    if (setgid(gid) < 0 || setuid(uid) < 0) return -1;
    if (privileged) return 0;
    *stage = 5;
    uint64_t held;
    if (permitted_now(&held) < 0) return -1;
    uint64_t set = uid == 0 ? sec.caps & held : 0;
    /* inheritable stays empty (as runc and Docker since CVE-2022-24769): root gets its set through the bounding set */
    if (set_caps(set, set, 0) < 0) return -1;
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) return -1;
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    return 0;
}
