/*
 * krunbox: the command on PATH. A small static client of the warm per-user server: it passes
 * the call (argv, environment, working directory, window size) and its stdin, stdout and stderr
 * (SCM_RIGHTS) over a unix socket in the user's 0700 /tmp/krunbox-<uid>/server/, forwards SIGINT,
 * SIGTERM, SIGHUP and SIGWINCH, sets raw mode on its terminal when the server asks, and exits
 * with the call's code. It starts the server when none answers, replaces one of another build,
 * and runs the call in a JVM of its own (the launcher, krunbox-jvm) when KRUNBOX_SERVER=0 or
 * when no server can start.
 *
 * Frames both ways: type (1 byte), length (4, big-endian), payload.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_FRAME (4u << 20)
#define TOOL_ERROR 125

extern char **environ;

static int sigpipe_fds[2] = {-1, -1};
static struct termios saved_tty;
static int tty_raw;

static void die(const char *fmt, const char *arg) {
    fprintf(stderr, "krunbox: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(TOOL_ERROR);
}

static void restore_tty(void) {
    if (tty_raw) {
        tcsetattr(0, TCSANOW, &saved_tty);
        tty_raw = 0;
    }
}

static void on_signal(int sig) {
    int saved = errno;
    unsigned char s = (unsigned char)sig;
    if (write(sigpipe_fds[1], &s, 1) < 0) {
        /* the pipe is full: the signal is already pending */
    }
    errno = saved;
}

/* FNV-1a of the home path: the socket's name */
static uint64_t fnv1a(const char *s) {
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

struct buf {
    char *data;
    size_t len, cap;
};

static void put(struct buf *b, const void *p, size_t n) {
    if (b->len + n > MAX_FRAME + 5) die("%s", "the call is too large for the server (over 4 MiB of arguments and environment): run it with KRUNBOX_SERVER=0");
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n) cap *= 2;
        b->data = realloc(b->data, cap);
        if (!b->data) die("%s", "out of memory");
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void put_field(struct buf *b, const char *s) {
    put(b, s, strlen(s) + 1);
}

static void put_number(struct buf *b, long n) {
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%ld", n);
    put_field(b, tmp);
}

static int write_all(int fd, const void *p, size_t n) {
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

static int send_frame(int fd, char type, const void *p, uint32_t n) {
    unsigned char head[5] = {(unsigned char)type, n >> 24, n >> 16, n >> 8, n};
    if (write_all(fd, head, 5) < 0) return -1;
    return n ? write_all(fd, p, n) : 0;
}

/* reads exactly n bytes; 0 at a clean end before any byte, -1 on error or a cut frame */
static int read_all(int fd, void *p, size_t n) {
    char *c = p;
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, c + got, n - got);
        if (r < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (r == 0) return got == 0 ? 0 : -1;
        got += (size_t)r;
    }
    return 1;
}

static void window(int *rows, int *cols) {
    struct winsize ws;
    *rows = *cols = 0;
    if (ioctl(1, TIOCGWINSZ, &ws) == 0 || ioctl(0, TIOCGWINSZ, &ws) == 0) {
        *rows = ws.ws_row;
        *cols = ws.ws_col;
    }
}

static int connect_to(const char *path) {
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof a.sun_path) die("socket path too long: %s", path);
    strcpy(a.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static char *jvm_launcher(void) {
    const char *env = getenv("KRUNBOX_JVM");
    if (env && *env) return strdup(env);
    static char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) die("%s", "cannot read /proc/self/exe: set KRUNBOX_JVM to the krunbox-jvm launcher");
    self[n] = 0;
    char *slash = strrchr(self, '/');
    *slash = 0;
    char *out;
    if (asprintf(&out, "%s/../lib/krunbox/krunbox-jvm", self) < 0) die("%s", "out of memory");
    return out;
}

/* the build the launcher runs (setup writes it next to the launcher), with the JVM options */
static char *identity_of(const char *jvm) {
    char *idfile, id[512] = "";
    if (asprintf(&idfile, "%s.id", jvm) < 0) die("%s", "out of memory");
    int fd = open(idfile, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = read(fd, id, sizeof id - 1);
        id[n > 0 ? n : 0] = 0;
        close(fd);
        id[strcspn(id, "\n")] = 0;
    }
    free(idfile);
    const char *opts = getenv("KRUNBOX_JAVA_OPTS");
    char *out;
    if (asprintf(&out, "%s|%s|%s", id, jvm, opts ? opts : "") < 0) die("%s", "out of memory");
    return out;
}

static void exec_jvm(const char *jvm, int argc, char **argv) {
    char **args = calloc((size_t)argc + 1, sizeof *args);
    if (!args) die("%s", "out of memory");
    args[0] = (char *)jvm;
    for (int i = 1; i < argc; i++) args[i] = argv[i];
    execv(jvm, args);
    die("cannot run %s: run scripts/setup.sh", jvm);
}

/* the server, detached: its own session, stdin /dev/null, output to the log */
/* mkdir -p with 0700 for what it makes */
static void make_dirs(const char *path) {
    char tmp[PATH_MAX];
    if (strlen(path) >= sizeof tmp) return;
    strcpy(tmp, path);
    for (char *c = tmp + 1; *c; c++) {
        if (*c == '/') {
            *c = 0;
            mkdir(tmp, 0700);
            *c = '/';
        }
    }
    mkdir(tmp, 0700);
}

static void start_server(const char *jvm, const char *sock, const char *identity, const char *log, const char *lock) {
    char *home = strdup(log);
    *strrchr(home, '/') = 0;
    make_dirs(home);
    free(home);
    pid_t caller = getpid(); /* this call, about to become a JVM of its own */
    pid_t p = fork();
    if (p < 0) return;
    if (p == 0) {
        setsid();
        if (fork() != 0) _exit(0);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        signal(SIGWINCH, SIG_DFL);
        /* the home's lock, taken now and kept across exec (a POSIX lock is the process's): while the JVM
           starts, other calls see a server coming and wait for it; if another holds it, none is needed */
        int opened = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (opened < 0) _exit(0);
        /* moved out of the way of the descriptors closed below before locking: closing any descriptor of
           the file would drop the lock; the copy has no close-on-exec, so the lock lasts into the JVM */
        int keep = fcntl(opened, F_DUPFD, 900);
        close(opened);
        struct flock l = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
        if (keep < 0 || fcntl(keep, F_SETLK, &l) < 0) _exit(0);
        /* the log before the wait: nothing is made in the home after it (a home being removed stays removed) */
        int out = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (out < 0) _exit(1);
        /* the call first: the server's JVM starts once it ends (or after 1.5 s), not competing for the CPU */
        struct timespec tick = {0, 10 * 1000 * 1000};
        for (int i = 0; i < 150 && kill(caller, 0) == 0; i++) nanosleep(&tick, NULL);
        struct stat held;
        if (fstat(keep, &held) < 0 || held.st_nlink == 0) _exit(0); /* the home was removed meanwhile: none needed */
        if (chdir("/") < 0) _exit(1);
        int nul = open("/dev/null", O_RDWR);
        if (nul < 0) _exit(1);
        dup2(nul, 0);
        dup2(out, 1);
        dup2(out, 2);
        for (int fd = 3; fd < 1024; fd++) {
            if (fd != keep) close(fd);
        }
        signal(SIGINT, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        static char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n > 0) {
            self[n] = 0;
            setenv("KRUNBOX_CLIENT", self, 1);
        }
        setenv("KRUNBOX_JVM", jvm, 1);
        setenv("KRUNBOX_SERVING", "1", 1);
        char *args[] = {(char *)jvm, "server", "run", "--socket", (char *)sock, "--lock", (char *)lock, "--identity",
                        (char *)identity, NULL};
        execv(jvm, args);
        _exit(127);
    }
    waitpid(p, NULL, 0);
}

/* whether a server holds the home's lock (one is starting or serving) */
static int server_holds(const char *lock) {
    int fd = open(lock, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    /* the JVM's FileChannel.tryLock is a POSIX record lock over the whole file */
    struct flock l = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    int held = fcntl(fd, F_GETLK, &l) == 0 && l.l_type != F_UNLCK;
    close(fd);
    return held;
}

/* the server's socket, waiting while a server that holds the lock is still starting */
static int connect_waiting(const char *sock, const char *lock) {
    struct timespec pause = {0, 5 * 1000 * 1000};
    for (int i = 0; i < 6000; i++) { /* 30 s: a cold JVM on a busy machine */
        int fd = connect_to(sock);
        if (fd >= 0) return fd;
        if (i > 20 && !server_holds(lock)) return -1;
        nanosleep(&pause, NULL);
    }
    return -1;
}

/*
 * The server's connection, or -1 when none answers: then one is started in the background for
 * the next call, and this call runs in a JVM of its own (no slower than before there was a server).
 */
static int connect_or_start(const char *jvm, const char *sock, const char *identity, const char *log, const char *lock) {
    int fd = connect_to(sock);
    if (fd >= 0) return fd;
    if (server_holds(lock)) return connect_waiting(sock, lock);
    start_server(jvm, sock, identity, log, lock);
    return -1;
}

/* sends the hello with fds 0, 1, 2 attached */
static int send_hello(int fd, struct buf *hello) {
    int fds[3] = {0, 1, 2};
    char control[CMSG_SPACE(sizeof fds)];
    memset(control, 0, sizeof control);
    struct iovec iov = {.iov_base = hello->data, .iov_len = hello->len};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof fds);
    memcpy(CMSG_DATA(c), fds, sizeof fds);
    ssize_t n;
    do {
        n = sendmsg(fd, &m, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return -1;
    return (size_t)n == hello->len ? 0 : write_all(fd, hello->data + n, hello->len - (size_t)n);
}

enum outcome { DONE, STALE, LOST };

/* the call, to its exit code */
static enum outcome serve_call(int fd, int *code) {
    struct pollfd p[2] = {{.fd = fd, .events = POLLIN}, {.fd = sigpipe_fds[0], .events = POLLIN}};
    for (;;) {
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return LOST;
        }
        if (p[1].revents & POLLIN) {
            unsigned char s;
            while (read(sigpipe_fds[0], &s, 1) == 1) {
                if (s == SIGWINCH) {
                    int rows, cols;
                    char tmp[32];
                    window(&rows, &cols);
                    int n = snprintf(tmp, sizeof tmp, "%d %d", rows, cols);
                    send_frame(fd, 'W', tmp, (uint32_t)n);
                } else {
                    send_frame(fd, 'S', &s, 1);
                }
            }
        }
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            unsigned char head[5];
            int r = read_all(fd, head, 5);
            if (r <= 0) return LOST;
            uint32_t len = ((uint32_t)head[1] << 24) | ((uint32_t)head[2] << 16) | ((uint32_t)head[3] << 8) | head[4];
            if (len > 65536) return LOST;
            unsigned char payload[65536];
            if (len && read_all(fd, payload, len) <= 0) return LOST;
            switch (head[0]) {
            case 'X':
                if (len != 4) return LOST;
                *code = (int)(((uint32_t)payload[0] << 24) | ((uint32_t)payload[1] << 16) | ((uint32_t)payload[2] << 8) | payload[3]);
                return DONE;
            case 'T':
                return STALE;
            case 'M':
                write_all(2, payload, len);
                break;
            case 'R':
                if (len == 1 && payload[0] && !tty_raw && tcgetattr(0, &saved_tty) == 0) {
                    struct termios raw = saved_tty;
                    cfmakeraw(&raw);
                    if (tcsetattr(0, TCSANOW, &raw) == 0) tty_raw = 1;
                } else if (len == 1 && !payload[0]) {
                    restore_tty();
                }
                break;
            default:
                return LOST;
            }
        }
    }
}

int main(int argc, char **argv) {
    char *jvm = jvm_launcher();
    const char *mode = getenv("KRUNBOX_SERVER");
    if (mode && strcmp(mode, "0") == 0) exec_jvm(jvm, argc, argv);
    /* the shell, jshell and login's password prompt own the terminal for a whole session: a JVM of their own */
    if ((argc == 1 && isatty(0) && isatty(1)) ||
        (argc > 1 && (!strcmp(argv[1], "shell") || !strcmp(argv[1], "jshell") || !strcmp(argv[1], "login"))))
        exec_jvm(jvm, argc, argv);

    /* a closed stdio descriptor reads as /dev/null, as writes to it go nowhere in a process of its own */
    for (int f = 0; f < 3; f++) {
        if (fcntl(f, F_GETFD) < 0) {
            int nul = open("/dev/null", O_RDWR);
            if (nul >= 0 && nul != f) {
                dup2(nul, f);
                close(nul);
            }
        }
    }

    uid_t uid = getuid();
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");

    const char *h = getenv("KRUNBOX_HOME");
    char *home;
    if (h && *h) {
        if (h[0] == '/') home = strdup(h);
        else if (asprintf(&home, "%s/%s", cwd, h) < 0) die("%s", "out of memory");
    } else {
        struct passwd *pw = getpwuid(uid);
        const char *u = pw && pw->pw_dir ? pw->pw_dir : getenv("HOME");
        if (!u) die("%s", "no home directory: set KRUNBOX_HOME");
        if (asprintf(&home, "%s/.krunbox", u) < 0) die("%s", "out of memory");
    }

    /* /tmp/krunbox-<uid>/server: the user's own, closed to others, at both levels */
    /* one spelling per home (a trailing slash, ./, a link): its socket's name is the hash of its real path */
    char *real = realpath(home, NULL);
    if (real) home = real;

    char top[64], dir[80];
    snprintf(top, sizeof top, "/tmp/krunbox-%u", (unsigned)uid);
    snprintf(dir, sizeof dir, "%s/server", top);
    const char *levels[2] = {top, dir};
    for (int i = 0; i < 2; i++) {
        if (mkdir(levels[i], 0700) < 0 && errno != EEXIST) die("cannot make %s", levels[i]);
        struct stat st;
        if (lstat(levels[i], &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != uid || (st.st_mode & 077))
            die("%s must be a directory of this user closed to others (0700): remove it, or set KRUNBOX_SERVER=0",
                levels[i]);
    }
    char sock[128], *log, *lock;
    uint64_t hash = fnv1a(home);
    snprintf(sock, sizeof sock, "%s/%016llx.sock", dir, (unsigned long long)hash);
    /* the server's log and lock live in the home (0700, as krunbox makes it), and go with it */
    if (asprintf(&log, "%s/server.log", home) < 0 || asprintf(&lock, "%s/server.lock", home) < 0) die("%s", "out of memory");
    char *identity = identity_of(jvm);

    /* server status / stop when none runs: answered here, without starting one */
    int control = argc >= 3 && strcmp(argv[1], "server") == 0 && (!strcmp(argv[2], "status") || !strcmp(argv[2], "stop"));
    int first_fd = -1;
    if (control) {
        int fd = connect_waiting(sock, lock);
        first_fd = fd;
        if (fd < 0) {
            if (!strcmp(argv[2], "status")) {
                printf("no server for %s\n", home);
                return 1;
            }
            printf("no server for %s\n", home);
            return 0;
        }
    }

    if (pipe2(sigpipe_fds, O_CLOEXEC | O_NONBLOCK) < 0) die("%s", "pipe failed");
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGWINCH, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    atexit(restore_tty);

    struct buf hello = {0};
    put(&hello, "H\0\0\0\0", 5);
    put_field(&hello, identity);
    put_field(&hello, cwd);
    mode_t mask = umask(0);
    umask(mask);
    put_number(&hello, (int)mask); /* files the call makes for the caller get the caller's mode */
    int rows, cols;
    window(&rows, &cols);
    put_number(&hello, rows);
    put_number(&hello, cols);
    put_number(&hello, argc - 1);
    for (int i = 1; i < argc; i++) put_field(&hello, argv[i]);
    long envc = 0;
    for (char **e = environ; *e; e++) envc++;
    put_number(&hello, envc);
    for (char **e = environ; *e; e++) put_field(&hello, *e);
    uint32_t len = (uint32_t)(hello.len - 5);
    hello.data[1] = (char)(len >> 24);
    hello.data[2] = (char)(len >> 16);
    hello.data[3] = (char)(len >> 8);
    hello.data[4] = (char)len;

    for (int attempt = 0; attempt < 3; attempt++) {
        int fd = first_fd >= 0 ? first_fd : connect_or_start(jvm, sock, identity, log, lock);
        first_fd = -1;
        if (fd < 0) exec_jvm(jvm, argc, argv); /* the server starts meanwhile (its log: server.log in the home) */
        if (send_hello(fd, &hello) < 0) {
            close(fd);
            continue; /* a server that was retiring: the next connect finds or starts the new one */
        }
        int code = TOOL_ERROR;
        enum outcome o = serve_call(fd, &code);
        close(fd);
        if (o == DONE) {
            restore_tty();
            return code;
        }
        if (o == LOST) {
            restore_tty();
            fprintf(stderr, "krunbox: the server ended during the call (its log: %s); nothing is lost: state.db holds "
                    "what was done, and the next call starts a new server\n", log);
            return TOOL_ERROR;
        }
        if (control) { /* the server of another build has retired; status and stop start none */
            printf("no server for %s\n", home);
            return strcmp(argv[2], "status") == 0 ? 1 : 0;
        }
        /* STALE: a server of another build, or other JVM options; it has retired: start ours */
    }
    die("%s", "the server kept asking for another build: run scripts/setup.sh, or KRUNBOX_SERVER=0");
    return TOOL_ERROR;
}
