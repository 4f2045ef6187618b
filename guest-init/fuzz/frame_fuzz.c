/* libFuzzer harness: guest-init's reader of the host's exec frames, on any byte stream. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../src/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int fd = memfd_create("frames", MFD_CLOEXEC);
    if (fd < 0) return 0;
    if (write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return 0;
    }
    char *payload;
    uint32_t len;
    while (frame_recv(fd, &payload, &len) >= 0) free(payload);
    close(fd);
    return 0;
}
