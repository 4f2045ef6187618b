/* Frames of the exec protocol (exec.h): reading and writing them, bounded and checked. */
#ifndef KRUNBOX_FRAME_H
#define KRUNBOX_FRAME_H

#include <stddef.h>
#include <stdint.h>

/* the largest payload accepted from the host, and the frame types the host may send */
#define FRAME_MAX (16u << 20)
#define FRAME_TYPES "XIiRS"

int frame_send(int fd, char type, const void *data, uint32_t len);

/* Reads one frame from the host; *data is malloc'd and NUL-terminated. Returns the type, or -1
 * at EOF, on a short read, an unknown type or a length past FRAME_MAX (nothing is left allocated). */
int frame_recv(int fd, char **data, uint32_t *len);

#endif
