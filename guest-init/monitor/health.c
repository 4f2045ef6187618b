/* krunbox-monitor's health checks. A probe runs in a child of its own, so a box that does not
 * answer never stalls the log: the child connects to the box's exec socket, sends the request
 * ('X') and the end of stdin ('i'), reads the frames back (checked as the runtime's FrameReader
 * checks them: a guest is hostile) and leaves the exit code and the start of the output in
 * STATUS.probe. The monitor kills a probe past its timeout and writes the box's health to
 * STATUS, whole, through a rename: the next krunbox command reads it without a race. */
#define _GNU_SOURCE
#include "health.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define REQUEST_MAX (1 << 20)
#define PAYLOAD_MAX (256 * 1024) /* as the runtime's FrameReader */

static long long wall_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int put(int fd, const void *p, size_t n) {
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

static int get(int fd, void *p, size_t n) {
    char *c = p;
    while (n > 0) {
        ssize_t r = read(fd, c, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        c += r;
        n -= (size_t)r;
    }
    return 0;
}

static int send_frame(int fd, char type, const char *data, uint32_t len) {
    unsigned char head[5] = {(unsigned char)type, (unsigned char)(len >> 24), (unsigned char)(len >> 16),
                             (unsigned char)(len >> 8), (unsigned char)len};
    return put(fd, head, 5) < 0 || (len && put(fd, data, len) < 0) ? -1 : 0;
}

static char probe_file[4096];

static void leave(int code, const char *output, size_t len) {
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", probe_file);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0) {
        dprintf(fd, "%d\n", code);
        put(fd, output, len);
        close(fd);
        rename(tmp, probe_file);
    }
    _exit(0);
}

static void fail(const char *what) {
    char msg[512];
    int n = snprintf(msg, sizeof msg, "%s: %s", what, strerror(errno));
    leave(-1, msg, (size_t)n);
}

/* The child's whole life: one exec of the check in the box. */
static void probe(const struct health *h) {
    static char request[REQUEST_MAX], output[HEALTH_OUTPUT_MAX], payload[PAYLOAD_MAX];
    size_t out_len = 0;
    int rfd = open(h->request, O_RDONLY | O_CLOEXEC);
    if (rfd < 0) fail("cannot read the health check's request");
    ssize_t rn = read(rfd, request, sizeof request);
    close(rfd);
    if (rn <= 0) fail("cannot read the health check's request");
    /* the socket's directory is writable in the box: the socket itself must be one, not a link
     * the box left there to another socket of the host; connect to what was checked */
    int sfd = open(h->socket, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    struct stat sst;
    if (sfd < 0 || fstat(sfd, &sst) < 0) fail("cannot reach the box's exec socket");
    if (!S_ISSOCK(sst.st_mode)) {
        errno = ENOTSOCK;
        fail("the box's exec socket is not a socket");
    }
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d", sfd);
    if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof addr) < 0) fail("cannot reach the box's exec socket");
    if (send_frame(s, 'X', request, (uint32_t)rn) < 0 || send_frame(s, 'i', NULL, 0) < 0)
        fail("cannot send the health check to the box");
    for (;;) {
        unsigned char head[5];
        if (get(s, head, 5) < 0) {
            errno = EPIPE;
            fail("the box closed the health check without an exit code");
        }
        uint32_t len = ((uint32_t)head[1] << 24) | ((uint32_t)head[2] << 16) | ((uint32_t)head[3] << 8) | head[4];
        if ((head[0] != 'O' && head[0] != 'E' && head[0] != 'C') || len > PAYLOAD_MAX) {
            errno = EPROTO;
            fail("the box sent a frame the exec protocol does not have");
        }
        if (len && get(s, payload, len) < 0) {
            errno = EPIPE;
            fail("the box's exec stream ended inside a frame");
        }
        if (head[0] == 'C') {
            int code = 0;
            if (len < 1 || len > 3) len = 0;
            for (uint32_t i = 0; i < len; i++) {
                if (payload[i] < '0' || payload[i] > '9') len = 0;
                else code = code * 10 + (payload[i] - '0');
            }
            if (len == 0 || code > 255) {
                errno = EPROTO;
                fail("the box sent an exit code that is not 0-255");
            }
            leave(code, output, out_len);
        }
        size_t take = len < sizeof output - out_len ? len : sizeof output - out_len;
        memcpy(output + out_len, payload, take);
        out_len += take;
    }
}

static long long next_wait(const struct health *h, long long now) {
    int in_start = !h->healthy_seen && now - h->started_ms < h->start_period_ms;
    return in_start && h->start_interval_ms > 0 ? h->start_interval_ms : h->interval_ms;
}

/* One line per result; the output with \\, \n, \r and \t escaped so that a line stays one. */
static void write_status(const struct health *h) {
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", h->status);
    FILE *f = fopen(tmp, "we");
    if (!f) return;
    fprintf(f, "%s %d\n", h->word, h->streak);
    for (int i = 0; i < h->nresults; i++) {
        const struct health_result *r = &h->results[i];
        fprintf(f, "%lld %lld %d ", r->start_ms, r->end_ms, r->exit_code);
        for (const char *c = r->output; *c; c++) {
            switch (*c) {
            case '\\': fputs("\\\\", f); break;
            case '\n': fputs("\\n", f); break;
            case '\r': fputs("\\r", f); break;
            case '\t': fputs("\\t", f); break;
            default:
                if ((unsigned char)*c < 0x20 || *c == 0x7f) fputc('?', f); /* no terminal control from the guest */
                else fputc(*c, f);
            }
        }
        fputc('\n', f);
    }
    if (fclose(f) == 0) rename(tmp, h->status);
}

static void record(struct health *h, int code, const char *output, size_t len, long long now) {
    if (h->nresults == HEALTH_RESULTS) {
        memmove(&h->results[0], &h->results[1], sizeof h->results[0] * (HEALTH_RESULTS - 1));
        h->nresults--;
    }
    struct health_result *r = &h->results[h->nresults++];
    r->start_ms = h->probe_start_ms;
    r->end_ms = wall_ms();
    r->exit_code = code;
    if (len > HEALTH_OUTPUT_MAX) len = HEALTH_OUTPUT_MAX;
    memcpy(r->output, output, len);
    r->output[len] = 0;
    for (size_t i = 0; i < len; i++)
        if (r->output[i] == 0) r->output[i] = ' ';
    int in_start = !h->healthy_seen && now - h->started_ms < h->start_period_ms;
    if (code == 0) {
        h->healthy_seen = 1;
        h->streak = 0;
        h->word = "healthy";
    } else if (!in_start) { /* failures in the start period do not count */
        h->streak++;
        if (h->streak >= h->retries) h->word = "unhealthy";
    }
    write_status(h);
    h->next_ms = now + next_wait(h, now);
}

void health_begin(struct health *h, long long now) {
    snprintf(probe_file, sizeof probe_file, "%s.probe", h->status);
    h->word = "starting";
    h->started_ms = now;
    h->probe = 0;
    h->deadline_ms = -1;
    h->next_ms = now + next_wait(h, now);
    write_status(h);
}

long long health_due(const struct health *h) {
    return h->probe > 0 ? h->deadline_ms : h->next_ms;
}

void health_tick(struct health *h, long long now) {
    if (h->probe > 0) {
        if (now >= h->deadline_ms) {
            kill(h->probe, SIGKILL); /* recorded when it is reaped */
            h->deadline_ms = -2;
        }
        return;
    }
    if (now < h->next_ms) return;
    unlink(probe_file);
    h->probe_start_ms = wall_ms();
    pid_t p = fork();
    if (p == 0) {
        signal(SIGPIPE, SIG_IGN);
        sigset_t all;
        sigemptyset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        probe(h);
        _exit(0);
    }
    if (p < 0) {
        record(h, -1, "cannot start the health check", 29, now);
        return;
    }
    h->probe = p;
    h->deadline_ms = now + h->timeout_ms;
}

int health_reaped(struct health *h, pid_t pid, int status, long long now) {
    (void)status;
    if (h->probe <= 0 || pid != h->probe) return 0;
    int timed_out = h->deadline_ms == -2;
    h->probe = 0;
    h->deadline_ms = -1;
    static char buf[HEALTH_OUTPUT_MAX + 64];
    if (timed_out) {
        int n = snprintf(buf, sizeof buf, "Health check exceeded timeout (%llds)", h->timeout_ms / 1000);
        record(h, -1, buf, (size_t)n, now);
        return 1;
    }
    int fd = open(probe_file, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0) close(fd);
    if (n <= 0) {
        record(h, -1, "the health check ended without a result", 39, now);
        return 1;
    }
    buf[n] = 0;
    char *nl = strchr(buf, '\n');
    int code = (int)strtol(buf, NULL, 10);
    size_t len = nl ? (size_t)(n - (nl + 1 - buf)) : 0;
    record(h, code, nl ? nl + 1 : "", len, now);
    return 1;
}

void health_now(struct health *h, long long now) {
    if (h->probe <= 0) {
        h->next_ms = now;
        health_tick(h, now);
    }
}

void health_end(struct health *h) {
    if (h->probe > 0) {
        kill(h->probe, SIGKILL);
    }
}
