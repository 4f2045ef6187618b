/* The escape suite's probes: each tries one way out of a box and prints "NAME through" when
 * the kernel let it, "NAME refused ERRNO" when it was refused for lack of privilege, and
 * "NAME failed ERRNO" for anything else. Every probe is harmless when it succeeds: the clock
 * gets an invalid time (EINVAL past the filter, EPERM at it, so it is never set), the disk is
 * mounted inside the box's own mount namespace (read-only without journal replay, or, where the
 * host holds it read-write, as the host's own superblock) and only stat'ed, the kernel
 * log and the keyring are only read, the sysctl written is the box's own host name, unchanged.
 *
 * A host character device (/dev/kmsg, 1:11) made with mknod is only opened for reading, never read.
 *
 *   escape-probe mount | blockdev MAJOR MINOR FSTYPE | chardev | clock | handle FILE | unshare | keyctl | syslog | sysctl
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *errname(int e) {
    static char num[16];
    switch (e) {
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case EROFS: return "EROFS";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case ENOSYS: return "ENOSYS";
    case EBUSY: return "EBUSY";
    case ENODEV: return "ENODEV";
    case ENXIO: return "ENXIO";
    case ENOTBLK: return "ENOTBLK";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    default: snprintf(num, sizeof num, "errno-%d", e); return num;
    }
}

/* A directory for a device node: a tmpfs of the box's own where it may mount one (no nodev there), else /tmp. */
static const char *node_dir(const char *mnt) {
    mkdir(mnt, 0755);
    return mount("tmpfs", mnt, "tmpfs", 0, "size=1m") == 0 ? mnt : "/tmp";
}

static int report(const char *name, int ok, int err) {
    if (ok) printf("%s through\n", name);
    else if (err == EPERM || err == EACCES || err == EROFS) printf("%s refused %s\n", name, errname(err));
    else printf("%s failed %s\n", name, errname(err));
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    const char *p = argv[1];
    if (!strcmp(p, "mount")) {
        mkdir("/tmp/kb-probe-tmpfs", 0755);
        int r = mount("tmpfs", "/tmp/kb-probe-tmpfs", "tmpfs", 0, "size=1m");
        int e = errno;
        if (r == 0) umount("/tmp/kb-probe-tmpfs");
        return report(p, r == 0, e);
    }
    if (!strcmp(p, "blockdev") && argc == 5) {
        const char *dir = node_dir("/tmp/kb-probe-dev");
        char node[128];
        snprintf(node, sizeof node, "%s/kb-disk", dir);
        unlink(node);
        if (mknod(node, S_IFBLK | 0600, makedev(atoi(argv[2]), atoi(argv[3]))) < 0) return report(p, 0, errno);
        mkdir("/tmp/kb-probe-disk", 0755);
        int r = mount(node, "/tmp/kb-probe-disk", argv[4], MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "noload");
        int e = errno;
        if (r < 0 && e == EBUSY) {
            /* the host has it mounted read-write: the kernel hands out that same superblock, only
               with the same read-only flag; nothing is written through it, only /etc looked at */
            r = mount(node, "/tmp/kb-probe-disk", argv[4], MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
            e = errno;
        }
        if (r == 0) {
            struct stat st;
            int seen = stat("/tmp/kb-probe-disk/etc", &st) == 0;
            umount("/tmp/kb-probe-disk");
            if (!seen) { printf("%s failed mounted-but-no-etc\n", p); return 0; }
        }
        unlink(node);
        return report(p, r == 0, e);
    }
    if (!strcmp(p, "chardev")) {
        const char *dir = node_dir("/tmp/kb-probe-cdev");
        char node[128];
        snprintf(node, sizeof node, "%s/kb-kmsg", dir);
        unlink(node);
        if (mknod(node, S_IFCHR | 0600, makedev(1, 11)) < 0) return report(p, 0, errno);
        int fd = open(node, O_RDONLY | O_NONBLOCK);
        int e = errno;
        if (fd >= 0) close(fd);
        unlink(node);
        return report(p, fd >= 0, e);
    }
    if (!strcmp(p, "clock")) {
        struct timespec invalid = {0, -1}; /* never a time: the kernel refuses it with EINVAL once allowed to look */
        int r = clock_settime(CLOCK_REALTIME, &invalid);
        int e = errno;
        if (r == 0) { printf("%s failed the-invalid-time-was-accepted\n", p); return 0; }
        return report(p, e == EINVAL, e);
    }
    if (!strcmp(p, "handle") && argc == 3) {
        struct { struct file_handle h; unsigned char bytes[128]; } fh;
        fh.h.handle_bytes = 128;
        int mount_id;
        if (syscall(SYS_name_to_handle_at, AT_FDCWD, argv[2], &fh.h, &mount_id, 0) < 0) return report(p, 0, errno);
        int mfd = open(argv[2], O_RDONLY);
        if (mfd < 0) return report(p, 0, errno);
        int fd = (int)syscall(SYS_open_by_handle_at, mfd, &fh.h, O_RDONLY);
        int e = errno;
        if (fd >= 0) close(fd);
        return report(p, fd >= 0, e);
    }
    if (!strcmp(p, "unshare")) {
        pid_t c = fork();
        if (c == 0) _exit(unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0 ? 0 : errno);
        int st;
        waitpid(c, &st, 0);
        int code = WIFEXITED(st) ? WEXITSTATUS(st) : 255;
        return report(p, code == 0, code);
    }
    if (!strcmp(p, "keyctl")) {
        long r = syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* KEY_SPEC_SESSION_KEYRING */, 0);
        return report(p, r >= 0, errno);
    }
    if (!strcmp(p, "syslog")) {
        static char buf[4096];
        long r = syscall(SYS_syslog, 3 /* SYSLOG_ACTION_READ_ALL */, buf, (int)sizeof buf);
        return report(p, r >= 0, errno);
    }
    if (!strcmp(p, "sysctl")) {
        char name[256] = {0};
        int fd = open("/proc/sys/kernel/hostname", O_RDONLY);
        if (fd < 0) return report(p, 0, errno);
        ssize_t n = read(fd, name, sizeof name - 1);
        close(fd);
        if (n <= 0) return report(p, 0, errno);
        fd = open("/proc/sys/kernel/hostname", O_WRONLY);
        if (fd < 0) return report(p, 0, errno);
        ssize_t w = write(fd, name, (size_t)n); /* the box's own UTS namespace, the same name again */
        int e = errno;
        close(fd);
        return report(p, w == n, e);
    }
    fprintf(stderr, "escape-probe: unknown probe %s\n", p);
    return 2;
}
