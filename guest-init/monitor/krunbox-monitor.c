/*
 * krunbox-monitor: the host process that watches one detached sandbox box while it runs,
 * in place of a supervisor JVM (a few hundred KiB instead of tens of MiB).
 *
 *   krunbox-monitor -l LOG -i INFO -e EXIT [-o OWN_LOG] [-c CGROUP_PROCS]... [-s STOPSIG] [-g GRACE_MS]
 *                   [-m MAX_BYTES -n MAX_FILES] [-x AFTER] -- CMD...
 *
 * It forks at once: the process the caller started prints the watcher's pid on stdout and
 * exits (a JVM that started it would otherwise wait ~300 ms at exit for its thread blocked in
 * waitpid); the watcher writes its own messages to OWN_LOG. It leaves the caller's session, starts CMD (bwrap ... /.krunbox/init) with stdin on
 * /dev/null, fd 3 on INFO (bwrap's --info-fd) and its pids in each CGROUP_PROCS file first,
 * and writes CMD's stdout and stderr to LOG as "<RFC 3339 time> <stdout|stderr> <line>"
 * lines (the format of the runtime's LogWriter). SIGTERM or SIGINT to the monitor sends
 * STOPSIG to the box's init (the child-pid in INFO), then SIGKILL after GRACE_MS. When CMD
 * ends, its status (the exit code, or 128 + signal) goes to EXIT, and the monitor exits:
 * the next krunbox command records the box's end and takes its resources down. With -m, a
 * line that would take LOG past MAX_BYTES rotates it first: LOG.1 is the newest old file, and
 * at most MAX_FILES files are kept in all (the format and naming of the runtime's LogWriter).
 * With -x, once EXIT is written the command in AFTER (NUL-separated arguments) runs when the
 * monitor has exited: krunbox itself, which records the end at once (a --rm box is removed then,
 * a box with a restart policy set up and started again under a new monitor).
 * With -r, AFTER is not run when the file STOPPING exists as the box ends: a command asked for
 * the end (stop, rm -f, compose down), and it records the end itself.
 * With -j, CMD is the box's process itself (a VM's jailed shim): the monitor writes its pid to
 * INFO as bwrap would ({"child-pid": N}) and sends stop signals to it.
 * With -d, CMD starts only after DELAY_MS (a restart's backoff); a SIGTERM before then ends the
 * monitor with 128 + the signal in EXIT and CMD never runs.
 * With -H, the box's health check runs while CMD does (health.c): the exec request in
 * REQUEST is sent to the exec socket SOCK every -I ms (-Q ms in the -P ms start period), each
 * probe killed after -T ms, -R failures in a row making the box unhealthy; the health goes to
 * STATUS (-W); SIGUSR1 runs the check at once (`krunbox healthcheck run`).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "health.h"

#define MAX_CGROUPS 8
#define LINE_MAX_BYTES 65536

struct stream {
    const char *name;
    int fd;
    char line[LINE_MAX_BYTES];
    size_t len;
};

static int log_fd = -1;
static const char *log_path;
static long long log_size;
static long long log_max; /* 0: no rotation */
static int log_files = 1;

static void log_open(void) {
    log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    struct stat st;
    log_size = log_fd >= 0 && fstat(log_fd, &st) == 0 ? (long long)st.st_size : 0;
}

/* LOG -> LOG.1 -> ... -> LOG.(MAX_FILES-1); the oldest goes. */
static void log_rotate(void) {
    char from[4096], to[4096];
    close(log_fd);
    int keep = log_files - 1;
    if (keep < 1) {
        unlink(log_path);
    } else {
        snprintf(to, sizeof to, "%s.%d", log_path, keep);
        unlink(to);
        for (int i = keep - 1; i >= 1; i--) {
            snprintf(from, sizeof from, "%s.%d", log_path, i);
            snprintf(to, sizeof to, "%s.%d", log_path, i + 1);
            rename(from, to);
        }
        snprintf(to, sizeof to, "%s.1", log_path);
        rename(log_path, to);
    }
    log_open();
}

static void write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return;
        }
        p += w;
        n -= (size_t)w;
    }
}

/* Starts the command in FILE (NUL-separated arguments, at most 64 KiB and 256 of them) in a
 * child that waits for this process to exit first. */
static void run_after(const char *file) {
    static char buf[65536];
    char *args[257];
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return;
    buf[n] = 0;
    int argc = 0;
    for (char *p = buf; p < buf + n && argc < 256; p += strlen(p) + 1) {
        if (*p) args[argc++] = p;
    }
    args[argc] = NULL;
    if (argc == 0) return;
    /* the command runs once this monitor is gone: it takes the monitor's end as the box's supervisor's */
    pid_t me = getpid(), c = fork();
    if (c != 0) return;
    for (int i = 0; i < 1000 && getppid() == me; i++) usleep(2000);
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0) {
        dup2(null, 0);
        close(null);
    }
    execv(args[0], args);
    fprintf(stderr, "krunbox-monitor: cannot run %s: %s\n", args[0], strerror(errno));
}

/* One log line: the time it was seen, the stream, the text. */
static void emit(struct stream *s) {
    struct timespec ts;
    struct tm tm;
    char head[64];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(head, sizeof head, "%Y-%m-%dT%H:%M:%S", &tm);
    n += (size_t)snprintf(head + n, sizeof head - n, ".%09ldZ %s ", ts.tv_nsec, s->name);
    char *out = malloc(n + s->len + 1);
    if (!out) return;
    memcpy(out, head, n);
    memcpy(out + n, s->line, s->len);
    out[n + s->len] = '\n';
    size_t total = n + s->len + 1;
    if (log_max > 0 && log_size > 0 && log_size + (long long)total > log_max) log_rotate();
    if (log_fd >= 0) write_all(log_fd, out, total); /* one write: lines of the two streams never interleave */
    log_size += (long long)total;
    free(out);
    s->len = 0;
}

static void take(struct stream *s, const char *buf, ssize_t n) {
    for (ssize_t i = 0; i < n; i++) {
        if (buf[i] == '\n') {
            emit(s);
        } else {
            if (s->len == sizeof s->line) emit(s); /* a line longer than the buffer is cut */
            s->line[s->len++] = buf[i];
        }
    }
}

/* guest-init's host pid, from bwrap's {"child-pid": N} in INFO; 0 while unknown. */
static pid_t init_pid(const char *info) {
    char buf[256];
    int fd = open(info, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return 0;
    buf[n] = 0;
    char *p = strstr(buf, "\"child-pid\"");
    if (!p || !(p = strchr(p, ':'))) return 0;
    return (pid_t)strtol(p + 1, NULL, 10);
}

/* The box's status, whole, through a rename: a reader sees all of it or none. */
static void write_exit(const char *exit_file, int code) {
    char tmp[4096], text[16];
    snprintf(tmp, sizeof tmp, "%s.tmp", exit_file);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        int n = snprintf(text, sizeof text, "%d\n", code);
        write_all(fd, text, (size_t)n);
        fsync(fd);
        close(fd);
        rename(tmp, exit_file);
    }
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void usage(void) {
    fprintf(stderr, "usage: krunbox-monitor -l LOG -i INFO -e EXIT [-o OWN_LOG] [-c CGROUP_PROCS]... [-s STOPSIG] [-g GRACE_MS] -- CMD...\n");
    exit(125);
}

int main(int argc, char **argv) {
    const char *log = NULL, *info = NULL, *exit_file = NULL, *own_log = NULL, *cgroups[MAX_CGROUPS];
    int ncgroups = 0, stop_signal = SIGTERM, opt;
    long grace_ms = 10000;
    const char *after = NULL;
    long long delay_ms = 0;
    int own_info = 0;
    const char *stopping = NULL;
    struct health health = {.interval_ms = 30000, .timeout_ms = 30000, .retries = 3};
    while ((opt = getopt(argc, argv, "+l:i:e:o:c:s:g:m:n:x:d:jr:H:S:W:I:T:P:Q:R:")) != -1) {
        switch (opt) {
        case 'l': log = optarg; break;
        case 'o': own_log = optarg; break;
        case 'i': info = optarg; break;
        case 'e': exit_file = optarg; break;
        case 'c':
            if (ncgroups == MAX_CGROUPS) usage();
            cgroups[ncgroups++] = optarg;
            break;
        case 's': stop_signal = atoi(optarg); break;
        case 'g': grace_ms = atol(optarg); break;
        case 'm': log_max = atoll(optarg); break;
        case 'n': log_files = atoi(optarg); break;
        case 'x': after = optarg; break;
        case 'd': delay_ms = atoll(optarg); break;
        case 'j': own_info = 1; break;
        case 'r': stopping = optarg; break;
        case 'H': health.request = optarg; break;
        case 'S': health.socket = optarg; break;
        case 'W': health.status = optarg; break;
        case 'I': health.interval_ms = atoll(optarg); break;
        case 'T': health.timeout_ms = atoll(optarg); break;
        case 'P': health.start_period_ms = atoll(optarg); break;
        case 'Q': health.start_interval_ms = atoll(optarg); break;
        case 'R': health.retries = atoi(optarg); break;
        default: usage();
        }
    }
    if (!log || !info || !exit_file || optind >= argc) usage();
    int checks = health.request != NULL;
    if (checks && (!health.socket || !health.status || health.interval_ms <= 0 || health.timeout_ms <= 0
                   || health.retries < 1)) usage();
    char **cmd = argv + optind;

    pid_t watcher = fork();
    if (watcher < 0) {
        fprintf(stderr, "krunbox-monitor: fork: %s\n", strerror(errno));
        return 125;
    }
    if (watcher > 0) {
        printf("%d\n", (int)watcher);
        return 0;
    }
    if (own_log) { /* the caller's pipe is not held open by the watcher */
        int fd = open(own_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
    }
    setsid(); /* the box outlives the command that started it, and its terminal */
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    log_path = log;
    log_open();
    if (log_fd < 0) {
        fprintf(stderr, "krunbox-monitor: cannot open %s: %s\n", log, strerror(errno));
        return 125;
    }
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
        fprintf(stderr, "krunbox-monitor: pipes: %s\n", strerror(errno));
        return 125;
    }
    sigset_t watched;
    sigemptyset(&watched);
    sigaddset(&watched, SIGTERM);
    sigaddset(&watched, SIGINT);
    sigaddset(&watched, SIGCHLD);
    sigaddset(&watched, SIGUSR1);
    sigprocmask(SIG_BLOCK, &watched, NULL);

    if (delay_ms > 0) { /* a restart's backoff: a stop now ends it before the box runs again */
        int dfd = signalfd(-1, &watched, SFD_CLOEXEC);
        long long until = now_ms() + delay_ms;
        while (now_ms() < until) {
            struct pollfd dp = {dfd, POLLIN, 0};
            if (poll(&dp, 1, (int)(until - now_ms())) <= 0) continue;
            struct signalfd_siginfo si;
            if (read(dfd, &si, sizeof si) == (ssize_t)sizeof si && (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)) {
                write_exit(exit_file, 128 + (int)si.ssi_signo);
                if (after) run_after(after);
                return 0;
            }
        }
        close(dfd);
    }
    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "krunbox-monitor: fork: %s\n", strerror(errno));
        return 125;
    }
    if (child == 0) {
        sigprocmask(SIG_UNBLOCK, &watched, NULL);
        signal(SIGHUP, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        char pid[24];
        int pl = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
        for (int i = 0; i < ncgroups; i++) { /* nothing of the box runs outside its cgroups */
            int fd = open(cgroups[i], O_WRONLY | O_CLOEXEC);
            if (fd < 0 || write(fd, pid, (size_t)pl) != pl) {
                dprintf(err[1], "krunbox-monitor: cannot join %s: %s\n", cgroups[i], strerror(errno));
                _exit(125);
            }
            close(fd);
        }
        int null = open("/dev/null", O_RDONLY);
        int inf = open(info, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (null < 0 || inf < 0) {
            dprintf(err[1], "krunbox-monitor: cannot open %s: %s\n", null < 0 ? "/dev/null" : info, strerror(errno));
            _exit(125);
        }
        if (own_info) { /* CMD is the box's process: its pid is known before it runs */
            dprintf(inf, "{\"child-pid\": %d}\n", (int)getpid());
            close(inf);
            inf = open("/dev/null", O_WRONLY);
        }
        dup2(null, 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        dup2(inf, 3);
        execvp(cmd[0], cmd);
        dprintf(2, "krunbox-monitor: cannot run %s: %s\n", cmd[0], strerror(errno));
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    int sfd = signalfd(-1, &watched, SFD_CLOEXEC);
    if (checks) health_begin(&health, now_ms());

    struct stream streams[2] = {{.name = "stdout", .fd = out[0]}, {.name = "stderr", .fd = err[0]}};
    long long kill_at = -1, drain_until = -1;
    int status = 0, reaped = 0;
    char buf[65536];
    while (streams[0].fd >= 0 || streams[1].fd >= 0) {
        struct pollfd p[3] = {{streams[0].fd, POLLIN, 0}, {streams[1].fd, POLLIN, 0}, {sfd, POLLIN, 0}};
        long long due = kill_at >= 0 ? kill_at : drain_until;
        if (checks && !reaped) {
            long long h = health_due(&health);
            if (h >= 0 && (due < 0 || h < due)) due = h;
        }
        int timeout = due < 0 ? -1 : (int)(due > now_ms() ? due - now_ms() : 0);
        int r = poll(p, 3, timeout);
        if (r < 0 && errno != EINTR) break;
        if (drain_until >= 0 && now_ms() >= drain_until) break; /* CMD ended; something it left holds the pipes */
        if (kill_at >= 0 && now_ms() >= kill_at) { /* the grace period is over */
            pid_t init = init_pid(info);
            if (init > 0) kill(init, SIGKILL);
            kill(child, SIGKILL);
            kill_at = -1;
        }
        if (checks && !reaped) health_tick(&health, now_ms());
        if (r <= 0) continue;
        if (p[2].revents & POLLIN) {
            struct signalfd_siginfo si;
            if (read(sfd, &si, sizeof si) != (ssize_t)sizeof si) {
                /* nothing */
            } else if (si.ssi_signo == SIGCHLD) {
                int st;
                pid_t w;
                while ((w = waitpid(-1, &st, WNOHANG)) > 0) { /* signals merge: every ended child */
                    if (w == child && !reaped) {
                        status = st;
                        reaped = 1;
                        drain_until = now_ms() + 2000; /* what it wrote last is still read */
                        if (checks) health_end(&health);
                    } else if (checks) {
                        health_reaped(&health, w, st, now_ms());
                    }
                }
            } else if (si.ssi_signo == SIGUSR1) {
                if (checks && !reaped) health_now(&health, now_ms());
            } else if (kill_at < 0 && !reaped) {
                pid_t init = init_pid(info);
                kill(init > 0 ? init : child, stop_signal);
                kill_at = now_ms() + grace_ms;
            }
        }
        for (int k = 0; k < 2; k++) {
            if (streams[k].fd < 0 || !(p[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t n = read(streams[k].fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                if (streams[k].len > 0) emit(&streams[k]); /* a last unfinished line */
                close(streams[k].fd);
                streams[k].fd = -1;
                continue;
            }
            take(&streams[k], buf, n);
        }
    }
    for (int k = 0; k < 2; k++)
        if (streams[k].fd >= 0 && streams[k].len > 0) emit(&streams[k]);
    while (!reaped && waitpid(child, &status, 0) < 0 && errno == EINTR) {}
    int code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
    write_exit(exit_file, code);
    if (after && !(stopping && access(stopping, F_OK) == 0)) run_after(after);
    return 0;
}
