/* krunbox guest-init: PID 1 of every box, in a VM and in the sandbox.
 *
 * It mounts the pseudo file systems, reads /.krunbox/config.json, runs the workload,
 * reaps every child, forwards termination signals to the workload, records the
 * workload's end in /.krunbox/exit (fsynced) and then powers the VM off or, in the
 * sandbox, exits with the workload's code. Every failure of its own ends with 125.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <poll.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "exec.h"
#include "netcfg.h"
#include "security.h"

#define INIT_ERROR 125

static int sandbox;     /* KRUNBOX_ISOLATION=sandbox: the launcher made /dev and /proc */

static void say(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("krunbox-init: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void write_file_synced(const char *path, const char *text) {
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        say("cannot write %s: %s", tmp, strerror(errno));
        return;
    }
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        off += (size_t)w;
    }
    fsync(fd);
    close(fd);
    if (rename(tmp, path) < 0) say("cannot rename %s: %s", tmp, strerror(errno));
    int dir = open(KRUNBOX_RUN_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        fsync(dir);
        close(dir);
    }
}

/* JSON string escaping for the reason text in the exit file. */
static void json_escape(char *out, size_t cap, const char *in) {
    size_t o = 0;
    for (; *in && o + 7 < cap; in++) {
        unsigned char c = (unsigned char)*in;
        if (c == '"' || c == '\\') { out[o++] = '\\'; out[o++] = (char)c; }
        else if (c < 0x20) o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
        else out[o++] = (char)c;
    }
    out[o] = 0;
}

static void record_exit(int code, int sig, const char *reason) {
    char esc[600], text[800];
    json_escape(esc, sizeof esc, reason);
    snprintf(text, sizeof text, "{\"code\":%d,\"signal\":%d,\"reason\":\"%s\"}\n", code, sig, esc);
    write_file_synced(EXIT_PATH, text);
}

static void finish(int code) {
    sync();
    if (!sandbox && getpid() == 1) {
        reboot(RB_POWER_OFF);
        /* reboot only returns on failure; exiting PID 1 still ends the VM */
        say("power off failed: %s", strerror(errno));
    }
    _exit(code);
}

static void init_error(const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    say("%s", msg);
    record_exit(INIT_ERROR, 0, msg);
    finish(INIT_ERROR);
}

static int is_mountpoint(const char *path) {
    struct stat a, b;
    char parent[256];
    snprintf(parent, sizeof parent, "%s/..", path);
    if (stat(path, &a) < 0 || stat(parent, &b) < 0) return 0;
    return a.st_dev != b.st_dev || a.st_ino == b.st_ino;
}

/* Mounts fstype on target unless something is mounted there already. Best effort. */
static void mount_once(const char *src, const char *target, const char *fstype, unsigned long flags, const char *data) {
    mkdir(target, 0755);
    if (is_mountpoint(target)) return;
    if (mount(src, target, fstype, flags, data) < 0 && errno != EBUSY)
        say("mount %s on %s: %s", fstype, target, strerror(errno));
}

static void setup_filesystems(void) {
    const unsigned long nosuid_nodev_noexec = MS_NOSUID | MS_NODEV | MS_NOEXEC;
    mount_once("proc", "/proc", "proc", nosuid_nodev_noexec, NULL);
    mount_once("sysfs", "/sys", "sysfs", nosuid_nodev_noexec | (sandbox ? MS_RDONLY : 0), NULL);
    if (!sandbox) mount_once("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
    mount_once("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620");
    mount_once("shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
    /* /tmp stays the image's own directory, as in Docker: what `cp` puts there is seen (a
       read-only root gets a tmpfs there instead, see mounts_apply) */
    if (access("/dev/ptmx", F_OK) < 0) symlink("pts/ptmx", "/dev/ptmx");
    if (access("/dev/fd", F_OK) < 0) symlink("/proc/self/fd", "/dev/fd");
    /* a VM's control directory is a share of its own (the sandbox's launcher binds it) */
    if (!sandbox && access(CONFIG_PATH, F_OK) < 0) {
        mount_once(CONTROL_TAG, KRUNBOX_DIR, "virtiofs", MS_RDONLY | MS_NOSUID | MS_NODEV, NULL);
        mount_once(RUN_TAG, KRUNBOX_RUN_DIR, "virtiofs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    }
}

struct creds {
    uid_t uid;
    gid_t gid;
    const char *name; /* for supplementary groups; NULL when numeric */
    const char *home;
};

static int all_digits(const char *s) {
    if (!*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

/* "", "uid", "uid:gid", "name", "name:group", resolved against the box's /etc files. */
static void resolve_user(const char *spec, struct creds *c) {
    c->uid = 0;
    c->gid = 0;
    c->name = NULL;
    c->home = "/root";
    if (!*spec) {
        c->name = "root";
        return;
    }
    char user[256], *group = NULL;
    snprintf(user, sizeof user, "%s", spec);
    char *colon = strchr(user, ':');
    if (colon) {
        *colon = 0;
        group = colon + 1;
        if (!*group || !*user) init_error("user \"%s\" has an empty part: give USER, USER:GROUP, UID or UID:GID", spec);
    }
    struct passwd *pw = all_digits(user) ? getpwuid((uid_t)strtoul(user, NULL, 10)) : getpwnam(user);
    if (pw) {
        c->uid = pw->pw_uid;
        c->gid = pw->pw_gid;
        c->name = strdup(pw->pw_name);
        c->home = strdup(pw->pw_dir);
    } else if (all_digits(user)) {
        c->uid = (uid_t)strtoul(user, NULL, 10);
        c->gid = c->uid;
        c->home = "/";
    } else {
        init_error("user \"%s\" is not in the box's /etc/passwd; use a numeric uid[:gid] or add the user to the image", user);
    }
    if (group) {
        if (all_digits(group)) {
            c->gid = (gid_t)strtoul(group, NULL, 10);
        } else {
            struct group *gr = getgrnam(group);
            if (!gr) init_error("group \"%s\" is not in the box's /etc/group; use a numeric gid", group);
            c->gid = gr->gr_gid;
        }
        c->name = NULL; /* an explicit group replaces the user's supplementary groups */
    }
}

static int has_env(char **env, const char *key) {
    size_t l = strlen(key);
    for (; *env; env++)
        if (!strncmp(*env, key, l) && (*env)[l] == '=') return 1;
    return 0;
}

static char **with_defaults(char **env, const struct creds *c) {
    size_t n = 0;
    while (env[n]) n++;
    char **out = calloc(n + 4, sizeof(char *));
    if (!out) return env;
    memcpy(out, env, n * sizeof(char *));
    if (!has_env(env, "PATH")) out[n++] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    if (!has_env(env, "HOME")) {
        char *home = malloc(strlen(c->home) + 6);
        if (home) {
            sprintf(home, "HOME=%s", c->home);
            out[n++] = home;
        }
    }
    if (!has_env(env, "HOSTNAME")) {
        char host[300] = "HOSTNAME=";
        gethostname(host + 9, sizeof host - 10);
        char *copy = strdup(host);
        if (copy) out[n++] = copy;
    }
    return out;
}

/* mkdir -p; nothing is made (or asked of the seccomp filter) where the directory is there */
static int make_dirs(const char *path) {
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return 0;
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(buf, 0755) < 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* Runs in the forked child: becomes the workload or reports errno through the pipe. */
static void exec_workload(const struct box_config *cfg, const struct creds *c, int report_fd) {
    sigset_t none;
    sigemptyset(&none);
    for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL);
    sigprocmask(SIG_SETMASK, &none, NULL);
    setsid();
    int stage = 0, err = 0;
    if (make_dirs(cfg->workdir) < 0) { stage = 1; err = errno; }
    else if (chdir(cfg->workdir) < 0) { stage = 1; err = errno; }
    else {
        int step;
        if (security_enter(c->uid, c->gid, c->name, &step) < 0) { stage = step; err = errno; }
    }
    if (!stage) {
        environ = with_defaults(cfg->env, c);
        execvp(cfg->argv[0], cfg->argv);
        stage = 3;
        err = errno;
    }
    int msg[2] = {stage, err};
    if (write(report_fd, msg, sizeof msg) < 0) _exit(INIT_ERROR);
    _exit(INIT_ERROR);
}

static pid_t start_workload(const struct box_config *cfg, const struct creds *c) {
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) init_error("pipe: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0) init_error("fork: %s", strerror(errno));
    if (pid == 0) {
        close(p[0]);
        exec_workload(cfg, c, p[1]);
    }
    close(p[1]);
    int msg[2];
    ssize_t r;
    do r = read(p[0], msg, sizeof msg); while (r < 0 && errno == EINTR);
    close(p[0]);
    if (r == (ssize_t)sizeof msg) {
        waitpid(pid, NULL, 0);
        if (msg[0] == 1) init_error("cannot use working directory \"%s\": %s", cfg->workdir, strerror(msg[1]));
        if (msg[0] == 2) init_error("cannot switch to user \"%s\": %s", cfg->user, strerror(msg[1]));
        if (msg[0] == 5) init_error("cannot set the box's privileges (capabilities, seccomp filter): %s", strerror(msg[1]));
        init_error("cannot run \"%s\": %s", cfg->argv[0], strerror(msg[1]));
    }
    return pid;
}

static const int forwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT};

static void ignore(int sig) { (void)sig; }

int main(int argc, char **argv) {
    (void)argc;
    (void)argv;
    const char *iso = getenv("KRUNBOX_ISOLATION");
    sandbox = iso && !strcmp(iso, "sandbox");
    if (getpid() != 1) prctl(PR_SET_CHILD_SUBREAPER, 1);

    /* Block what we wait for before anything can arrive; handlers make PID 1 receive them. */
    sigset_t waitset;
    sigemptyset(&waitset);
    sigaddset(&waitset, SIGCHLD);
    struct sigaction sa = {0};
    sa.sa_handler = ignore;
    for (size_t i = 0; i < sizeof forwarded / sizeof *forwarded; i++) {
        sigaddset(&waitset, forwarded[i]);
        sigaction(forwarded[i], &sa, NULL);
    }
    sigaction(SIGCHLD, &sa, NULL);
    sigprocmask(SIG_BLOCK, &waitset, NULL);

    setup_filesystems();
    unlink(EXIT_PATH);

    struct box_config cfg = {0};
    char err[600];
    if (config_load(CONFIG_PATH, &cfg, err, sizeof err) < 0) init_error("%s", err);
    /* set on PID 1, so the workload and every exec inherit them */
    for (size_t i = 0; i < cfg.n_rlimits; i++) {
        const struct box_rlimit *r = &cfg.rlimits[i];
        struct rlimit lim = {r->soft < 0 ? RLIM_INFINITY : (rlim_t)r->soft, r->hard < 0 ? RLIM_INFINITY : (rlim_t)r->hard};
        if (setrlimit(r->resource, &lim) < 0)
            init_error("cannot set ulimit %s to %lld:%lld: %s", r->name, r->soft, r->hard, strerror(errno));
    }
    if (cfg.hostname[0] && sethostname(cfg.hostname, strlen(cfg.hostname)) < 0)
        say("cannot set hostname \"%s\": %s", cfg.hostname, strerror(errno));

    if (net_configure(&cfg, err, sizeof err) < 0) init_error("%s", err);
    if (mounts_apply(&cfg, sandbox, err, sizeof err) < 0) init_error("%s", err);
    if (security_setup_fs(err, sizeof err) < 0) init_error("%s", err);

    struct creds creds;
    resolve_user(cfg.user, &creds);
    int sfd = signalfd(-1, &waitset, SFD_CLOEXEC);
    if (sfd < 0) init_error("signalfd: %s", strerror(errno));
    int lfd = exec_listen(sandbox);
    /* from here on PID 1 holds no more than the box: its set-up is done */
    if (sandbox && security_lock_init(err, sizeof err) < 0) init_error("%s", err);
    /* run -it: the workload is the command of the first exec, with the box's stdio on the caller's terminal */
    pid_t workload = cfg.attach ? 0 : start_workload(&cfg, &creds);
    write_file_synced(READY_PATH, "ready\n");

    for (;;) {
        struct pollfd p[2] = {{sfd, POLLIN, 0}, {lfd, POLLIN, 0}};
        if (poll(p, lfd >= 0 ? 2 : 1, -1) < 0) continue;
        if (lfd >= 0 && (p[1].revents & POLLIN)) {
            int conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
            if (conn >= 0) {
                /* one process per exec: many run at once, and a failing one never touches PID 1 */
                pid_t handler = fork();
                if (handler > 0 && workload == 0) workload = handler;
                if (handler == 0) {
                    sigset_t none;
                    sigemptyset(&none);
                    for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL);
                    sigprocmask(SIG_SETMASK, &none, NULL);
                    close(lfd);
                    close(sfd);
                    _exit(exec_serve(conn));
                }
                close(conn);
            }
        }
        if (!(p[0].revents & POLLIN)) continue;
        struct signalfd_siginfo si;
        if (read(sfd, &si, sizeof si) != (ssize_t)sizeof si) continue;
        int sig = (int)si.ssi_signo;
        if (sig != SIGCHLD) {
            if (workload > 0) {
                kill(workload, sig);
            } else if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP) {
                /* stopped while waiting for run -it to attach: nothing runs yet, the box just ends */
                record_exit(128 + sig, sig, "stopped before a command was attached");
                finish(128 + sig);
            }
            continue;
        }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid != workload) continue;
            int code, signo = 0;
            char reason[64];
            if (WIFSIGNALED(status)) {
                signo = WTERMSIG(status);
                code = 128 + signo;
                snprintf(reason, sizeof reason, "killed by signal %d", signo);
            } else {
                code = WEXITSTATUS(status);
                snprintf(reason, sizeof reason, "exited");
            }
            /* the box ends with its workload: no process outlives it */
            if (getpid() == 1) {
                kill(-1, SIGKILL);
                while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {}
            }
            record_exit(code, signo, reason);
            finish(code);
        }
    }
}
