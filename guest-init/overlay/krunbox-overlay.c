/* krunbox-overlay: mounts a --userns auto box's root. The image's layers are shared by every
 * box, owned as the image says (root is 0), so each layer goes into the overlay through an
 * idmapped mount (0 -> BASE, COUNT ids) of its own: the box's root, uid BASE on the host,
 * sees them as its own, and nothing on disk changes. The upper directory is a plain one: what
 * the box writes is stored with host ids BASE and up. The idmapped layers are detached mounts
 * handed to overlayfs by descriptor (lowerdir+), so nothing but the overlay is left mounted.
 *
 *   krunbox-overlay BASE COUNT UPPER WORK MERGED LOWER... (LOWER top layer first)
 *
 * Exit 0 when MERGED is mounted; 125 with a message naming the step and the path otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/mount.h>

static void die(const char *what, const char *path) {
    fprintf(stderr, "krunbox-overlay: %s %s: %s\n", what, path, strerror(errno));
    exit(125);
}

static void write_map(pid_t pid, const char *file, const char *map) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, map, strlen(map)) != (ssize_t)strlen(map)) die("cannot write", path);
    close(fd);
}

/* A user namespace with uids and gids 0..COUNT-1 mapped to BASE..: made by a child that waits to be mapped. */
static int make_userns(unsigned long base, unsigned long count) {
    int ready[2], done[2];
    if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(done, O_CLOEXEC) < 0) die("cannot make", "pipes");
    pid_t child = fork();
    if (child < 0) die("cannot fork", "the namespace's holder");
    if (child == 0) {
        char c = unshare(CLONE_NEWUSER) == 0 ? 'y' : 'n';
        if (write(ready[1], &c, 1) != 1) _exit(1);
        if (read(done[0], &c, 1) < 0) _exit(1);
        _exit(0);
    }
    char c = 0;
    if (read(ready[0], &c, 1) != 1 || c != 'y') {
        errno = EPERM;
        die("cannot make", "a user namespace");
    }
    char map[64], path[64];
    snprintf(map, sizeof map, "0 %lu %lu\n", base, count);
    write_map(child, "uid_map", map);
    write_map(child, "gid_map", map);
    snprintf(path, sizeof path, "/proc/%d/ns/user", (int)child);
    int ns = open(path, O_RDONLY | O_CLOEXEC);
    if (ns < 0) die("cannot open", path);
    if (write(done[1], "x", 1) != 1) die("cannot release", "the namespace's holder");
    waitpid(child, NULL, 0);
    return ns;
}

int main(int argc, char **argv) {
    if (argc < 7) {
        fprintf(stderr, "usage: krunbox-overlay BASE COUNT UPPER WORK MERGED LOWER...\n");
        return 2;
    }
    char *end;
    unsigned long base = strtoul(argv[1], &end, 10), count;
    if (*end || !base) { errno = EINVAL; die("bad base", argv[1]); }
    count = strtoul(argv[2], &end, 10);
    if (*end || !count || count > 65536 * 16) { errno = EINVAL; die("bad count", argv[2]); }
    int ns = make_userns(base, count);
    int fs = (int)syscall(SYS_fsopen, "overlay", FSOPEN_CLOEXEC);
    if (fs < 0) die("cannot open", "overlayfs");
    for (int i = 6; i < argc; i++) {
        int layer = (int)syscall(SYS_open_tree, AT_FDCWD, argv[i], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        if (layer < 0) die("cannot clone the mount of layer", argv[i]);
        struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP | MOUNT_ATTR_RDONLY, .userns_fd = (unsigned long long)ns};
        if (syscall(SYS_mount_setattr, layer, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0)
            die("cannot idmap (the file system may not support idmapped mounts) layer", argv[i]);
        if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_FD, "lowerdir+", NULL, layer) < 0)
            die("overlayfs refused (it needs Linux 6.13 or later for layers by descriptor) layer", argv[i]);
        /* kept open: overlayfs takes the layers from their descriptors when the overlay is made */
    }
    if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "upperdir", argv[3], 0) < 0) die("bad upper directory", argv[3]);
    if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "workdir", argv[4], 0) < 0) die("bad work directory", argv[4]);
    if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
        char msg[256];
        ssize_t n = read(fs, msg, sizeof msg - 1);
        if (n > 0) { msg[n] = 0; fprintf(stderr, "krunbox-overlay: %s\n", msg); }
        die("cannot make the overlay for", argv[5]);
    }
    int mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
    if (mnt < 0) die("cannot mount the overlay for", argv[5]);
    if (syscall(SYS_move_mount, mnt, "", AT_FDCWD, argv[5], MOVE_MOUNT_F_EMPTY_PATH) < 0) die("cannot attach the overlay at", argv[5]);
    return 0;
}
