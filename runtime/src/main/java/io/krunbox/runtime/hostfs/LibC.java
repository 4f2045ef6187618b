package io.krunbox.runtime.hostfs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The few libc calls the host needs to work inside a box's root by descriptor. */
interface LibC extends Library {
    LibC C = Native.load("c", LibC.class);

    int O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0100, O_EXCL = 0200, O_NOCTTY = 0400, O_TRUNC = 01000,
            O_NONBLOCK = 04000, O_DIRECTORY = 0200000, O_NOFOLLOW = 0400000, O_CLOEXEC = 02000000, O_PATH = 010000000;
    long RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04, RESOLVE_IN_ROOT = 0x10;
    long SYS_OPENAT2 = 437;
    int AT_FDCWD = -100, AT_REMOVEDIR = 0x200;

    /** syscall(SYS_openat2, dirfd, path, &how, sizeof how): how is {flags, mode, resolve}, three u64. */
    int syscall(long number, long dirfd, String path, Pointer how, long size) throws LastErrorException;

    int openat(int dirfd, String path, int flags, int mode) throws LastErrorException;

    int mkdirat(int dirfd, String path, int mode) throws LastErrorException;

    int unlinkat(int dirfd, String path, int flags) throws LastErrorException;

    int renameat(int olddirfd, String oldpath, int newdirfd, String newpath) throws LastErrorException;

    int symlinkat(String target, int newdirfd, String linkpath) throws LastErrorException;

    int fchownat(int dirfd, String path, int uid, int gid, int flags) throws LastErrorException;

    int fchmod(int fd, int mode) throws LastErrorException;

    int fchown(int fd, int uid, int gid) throws LastErrorException;

    long write(int fd, byte[] buf, long count) throws LastErrorException;

    long read(int fd, byte[] buf, long count) throws LastErrorException;

    int fsync(int fd) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int statx(int dirfd, String path, int flags, int mask, Pointer buf) throws LastErrorException;

    long readlinkat(int dirfd, String path, byte[] buf, long size) throws LastErrorException;
}
