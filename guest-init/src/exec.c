#define _GNU_SOURCE
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <linux/vm_sockets.h>

#include "frame.h"
#include "json.h"
#include "security.h"

/* stdin bytes held for a command that is not reading them; past this, frames wait */
#define MAX_PENDING_STDIN (1u << 20)

int exec_listen(int sandbox) {
    int fd;
    if (sandbox) {
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        snprintf(a.sun_path, sizeof a.sun_path, "%s", EXEC_SOCKET);
        mkdir(EXEC_SOCKET_DIR, 0700);
        unlink(EXEC_SOCKET);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 64) < 0) {
            if (fd >= 0) close(fd);
            return -1;
        }
        chmod(EXEC_SOCKET, 0600);
        return fd;
    }
    struct sockaddr_vm v = {.svm_family = AF_VSOCK, .svm_cid = VMADDR_CID_ANY, .svm_port = EXEC_VSOCK_PORT};
    fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&v, sizeof v) < 0 || listen(fd, 64) < 0) {
        if (fd >= 0) close(fd);
        return -1; /* no vsock (e.g. a VM without the device): no exec, the box still runs */
    }
    return fd;
}

static void fail(int conn, int code, const char *fmt, const char *arg) {
    char msg[512], num[8];
    snprintf(msg, sizeof msg, fmt, arg, strerror(errno));
    size_t l = strlen(msg);
    msg[l++] = '\n';
    frame_send(conn, 'E', msg, (uint32_t)l);
    snprintf(num, sizeof num, "%d", code);
    frame_send(conn, 'C', num, (uint32_t)strlen(num));
}

static char **strings(const struct jval *a) {
    size_t n = a && a->type == J_ARR ? a->len : 0;
    char **out = calloc(n + 1, sizeof(char *));
    if (!out) exit(126); /* a handler without memory ends; PID 1 goes on */
    for (size_t i = 0; i < n; i++) out[i] = a->items[i]->type == J_STR ? a->items[i]->str : "";
    return out;
}

static const char *text(const struct jval *o, const char *key, const char *dflt) {
    const struct jval *v = json_get(o, key);
    return v && v->type == J_STR ? v->str : dflt;
}

/* uid/gid and a name for supplementary groups, from "uid[:gid]" or "name[:group]"; -1 when unknown. */
static int lookup_user(const char *spec, uid_t *uid, gid_t *gid, const char **name) {
    char user[256], *group = NULL;
    snprintf(user, sizeof user, "%s", spec);
    char *colon = strchr(user, ':');
    if (colon) {
        *colon = 0;
        group = colon + 1;
        if (!*group || !*user) return -1; /* "1000:" is not uid 1000 with group 0 */
    }
    *uid = 0;
    *gid = 0;
    *name = "root";
    if (!user[0]) return 0;
    char *end;
    unsigned long n = strtoul(user, &end, 10);
    struct passwd *pw = *end ? getpwnam(user) : getpwuid((uid_t)n);
    if (pw) {
        *uid = pw->pw_uid;
        *gid = pw->pw_gid;
        *name = strdup(pw->pw_name);
    } else if (!*end) {
        *uid = (uid_t)n;
        *gid = (gid_t)n;
        *name = NULL;
    } else {
        return -1;
    }
    if (group) {
        unsigned long g = strtoul(group, &end, 10);
        struct group *gr = *end ? getgrnam(group) : NULL;
        if (*end && !gr) return -1;
        *gid = *end ? gr->gr_gid : (gid_t)g;
        *name = NULL;
    }
    return 0;
}

int exec_serve(int conn) {
    char *data;
    uint32_t len;
    if (frame_recv(conn, &data, &len) != 'X') return 1;
    char err[256];
    struct jval *req = json_parse(data, len, err, sizeof err);
    if (!req || req->type != J_OBJ) {
        errno = EINVAL;
        fail(conn, 125, "krunbox-init: bad exec request: %s (%s)", err);
        return 1;
    }
    char **argv = strings(json_get(req, "argv"));
    char **env = strings(json_get(req, "env"));
    const char *workdir = text(req, "workdir", "/");
    const char *user = text(req, "user", "");
    const struct jval *tty_v = json_get(req, "tty");
    int tty = tty_v && tty_v->type == J_BOOL && tty_v->num != 0;
    /* exec -d: the command starts in its own session with no stdio and outlives this connection */
    const struct jval *detach_v = json_get(req, "detach");
    int detach = detach_v && detach_v->type == J_BOOL && detach_v->num != 0;
    if (detach) tty = 0;
    const struct jval *rows_v = json_get(req, "rows"), *cols_v = json_get(req, "cols");
    long long rows = 24, cols = 80;
    if ((rows_v && json_int(rows_v, 0, 65535, &rows) < 0) || (cols_v && json_int(cols_v, 0, 65535, &cols) < 0)) {
        errno = EINVAL;
        fail(conn, 125, "krunbox-init: bad exec request: rows and cols must be 0-65535%s (%s)", "");
        return 1;
    }
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    if (!argv[0]) {
        errno = EINVAL;
        fail(conn, 125, "krunbox-init: exec needs a command%s (%s)", "");
        return 1;
    }
    uid_t uid;
    gid_t gid;
    const char *uname;
    if (lookup_user(user, &uid, &gid, &uname) < 0) {
        errno = ENOENT;
        fail(conn, 125, "krunbox-init: user \"%s\" is not in the box's /etc/passwd or /etc/group (%s)", user);
        return 1;
    }

    int in[2] = {-1, -1}, out[2] = {-1, -1}, errp[2] = {-1, -1}, report[2], master = -1;
    if (tty) {
        master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) {
            fail(conn, 126, "krunbox-init: no pseudo-terminal for \"%s\": %s", argv[0]);
            return 1;
        }
        ioctl(master, TIOCSWINSZ, &ws);
    } else if (!detach && (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0)) {
        fail(conn, 126, "krunbox-init: pipes for \"%s\": %s", argv[0]);
        return 1;
    }
    if (pipe2(report, O_CLOEXEC) < 0) return 1;
    pid_t child = fork();
    if (child == 0) {
        int e = 0, stage = 0;
        if (tty) {
            setsid();
            int slave = open(ptsname(master), O_RDWR);
            if (slave < 0 || ioctl(slave, TIOCSCTTY, 0) < 0) { stage = 1; e = errno; }
            else { dup2(slave, 0); dup2(slave, 1); dup2(slave, 2); if (slave > 2) close(slave); }
        } else if (detach) {
            setsid();
            int null = open("/dev/null", O_RDWR);
            if (null < 0) { stage = 1; e = errno; }
            else { dup2(null, 0); dup2(null, 1); dup2(null, 2); if (null > 2) close(null); }
        } else {
            dup2(in[0], 0);
            dup2(out[1], 1);
            dup2(errp[1], 2);
        }
        if (!stage && chdir(workdir) < 0) { stage = 2; e = errno; }
        int step;
        if (!stage && security_enter(uid, gid, uname, &step) < 0) {
            e = errno;
            stage = step == 2 ? 3 : step;
        }
        if (!stage) {
            environ = env;
            execvp(argv[0], argv);
            stage = 4;
            e = errno;
        }
        int msg[2] = {stage, e};
        if (write(report[1], msg, sizeof msg) < 0) _exit(126);
        _exit(126);
    }
    close(report[1]);
    if (!tty && !detach) {
        close(in[0]);
        close(out[1]);
        close(errp[1]);
    }
    int msg[2];
    ssize_t r;
    do r = read(report[0], msg, sizeof msg); while (r < 0 && errno == EINTR);
    close(report[0]);
    if (r == (ssize_t)sizeof msg) {
        waitpid(child, NULL, 0);
        errno = msg[1];
        int notfound = msg[0] == 4 && (msg[1] == ENOENT || msg[1] == ENOTDIR);
        if (msg[0] == 2) fail(conn, 126, "krunbox-init: cannot use working directory \"%s\": %s", workdir);
        else if (msg[0] == 3) fail(conn, 126, "krunbox-init: cannot switch to user \"%s\": %s", user);
        else if (msg[0] == 5) fail(conn, 126, "krunbox-init: cannot set the privileges of \"%s\": %s", argv[0]);
        else fail(conn, notfound ? 127 : 126, "krunbox-init: cannot run \"%s\": %s", argv[0]);
        return 0;
    }
    if (detach) { /* it runs: PID 1 reaps it once this handler is gone */
        frame_send(conn, 'C', "0", 1);
        return 0;
    }

    int fd_out = tty ? master : out[0], fd_err = tty ? -1 : errp[0], fd_in = tty ? master : in[1];
    /* stdin is written without blocking, from a bounded buffer: a command that fills its output
       while its input is full is still read from, and frames (signals, a disconnect) are still seen */
    signal(SIGPIPE, SIG_IGN);
    if (fd_in >= 0) fcntl(fd_in, F_SETFL, fcntl(fd_in, F_GETFL) | O_NONBLOCK);
    int pidfd = (int)syscall(SYS_pidfd_open, child, 0); /* -1 on an old kernel: wait for the output's end */
    char *pending = NULL;
    size_t plen = 0, poff = 0, pcap = 0;
    int close_in = 0, exited = 0, status = 0;
    char buf[65536];
    for (;;) {
        if (fd_out < 0 && fd_err < 0 && (exited || pidfd < 0)) break;
        int backlog = plen - poff >= MAX_PENDING_STDIN;
        struct pollfd p[5] = {{conn >= 0 && !backlog ? conn : -1, POLLIN, 0}, {fd_out, POLLIN, 0}, {fd_err, POLLIN, 0},
                              {plen > poff ? fd_in : -1, POLLOUT, 0}, {exited ? -1 : pidfd, POLLIN, 0}};
        if (poll(p, 5, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (p[0].fd >= 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            int type = frame_recv(conn, &data, &len);
            if (type < 0) {
                /* the host went away: the command goes too */
                kill(tty ? -child : child, SIGKILL);
                conn = -1;
                break;
            }
            if ((type == 'I' || (type == 'i' && tty)) && fd_in >= 0) {
                const char *bytes = type == 'I' ? data : "\004";
                size_t n = type == 'I' ? len : 1;
                if (plen + n > pcap) {
                    size_t cap = pcap ? pcap : 65536;
                    while (cap < plen + n) cap *= 2;
                    char *grown = realloc(pending, cap);
                    if (!grown) { kill(tty ? -child : child, SIGKILL); free(data); break; }
                    pending = grown;
                    pcap = cap;
                }
                memcpy(pending + plen, bytes, n);
                plen += n;
            } else if (type == 'i' && fd_in >= 0) {
                if (plen == poff) { close(fd_in); fd_in = -1; }
                else close_in = 1;
            } else if (type == 'R' && tty) {
                unsigned rows, cols;
                if (sscanf(data, "%u %u", &rows, &cols) == 2 && rows <= 65535 && cols <= 65535) {
                    struct winsize w = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
                    ioctl(master, TIOCSWINSZ, &w);
                }
            } else if (type == 'S') {
                int sig = atoi(data);
                if (sig > 0 && sig < NSIG) kill(tty ? -child : child, sig);
            }
            free(data);
        }
        if (p[3].fd >= 0 && (p[3].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t w = write(fd_in, pending + poff, plen - poff);
            if (w > 0) poff += (size_t)w;
            else if (w < 0 && errno != EAGAIN && errno != EINTR) poff = plen; /* the command closed its stdin */
            if (poff == plen) {
                plen = poff = 0;
                if (close_in && !tty) { close(fd_in); fd_in = -1; }
            }
        }
        for (int k = 1; k <= 2; k++) {
            if (p[k].fd < 0 || !(p[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t n = read(p[k].fd, buf, sizeof buf);
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            if (n <= 0) { /* EOF, or EIO once a terminal's last writer closed it */
                if (k == 1) fd_out = -1; else fd_err = -1;
                if (!tty || k == 1) close(p[k].fd);
                if (tty && k == 1) fd_in = -1; /* the same descriptor */
                continue;
            }
            if (frame_send(conn, k == 1 ? 'O' : 'E', buf, (uint32_t)n) < 0) {
                kill(tty ? -child : child, SIGKILL);
                conn = -1;
                fd_out = fd_err = -1;
            }
        }
        if (p[4].fd >= 0 && (p[4].revents & POLLIN) && waitpid(child, &status, WNOHANG) == child) exited = 1;
    }
    free(pending);
    if (!exited) while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
    int code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
    if (conn >= 0) {
        char num[8];
        snprintf(num, sizeof num, "%d", code);
        frame_send(conn, 'C', num, (uint32_t)strlen(num));
    }
    return code; /* the box's own code when this exec is its attached workload */
}
