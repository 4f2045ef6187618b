/* Frames of the exec protocol: [type:1][length:4, big endian][payload]. */
#include "frame.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int write_all(int fd, const void *buf, size_t n) {
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t n) {
    char *p = buf;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

int frame_send(int fd, char type, const void *data, uint32_t len) {
    unsigned char h[5] = {(unsigned char)type, (unsigned char)(len >> 24), (unsigned char)(len >> 16),
                          (unsigned char)(len >> 8), (unsigned char)len};
    if (write_all(fd, h, 5) < 0) return -1;
    return len ? write_all(fd, data, len) : 0;
}

/* Reads one frame; *data is malloc'd (NUL-terminated). Returns the type, or -1 at EOF/error. */
int frame_recv(int fd, char **data, uint32_t *len) {
    unsigned char h[5];
    if (read_all(fd, h, 5) < 0) return -1;
    *len = ((uint32_t)h[1] << 24) | ((uint32_t)h[2] << 16) | ((uint32_t)h[3] << 8) | h[4];
    if (*len > FRAME_MAX) return -1;
    if (!strchr(FRAME_TYPES, (char)h[0]) || !h[0]) return -1;
    *data = malloc(*len + 1);
    if (!*data) return -1;
    if (*len && read_all(fd, *data, *len) < 0) {
        free(*data);
        *data = NULL;
        return -1;
    }
    (*data)[*len] = 0;
    return h[0];
}

