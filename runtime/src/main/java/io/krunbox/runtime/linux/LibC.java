package io.krunbox.runtime.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The libc calls behind {@link Sys}, bound by JNA. */
interface LibC extends Library {
    LibC C = Native.load("c", LibC.class);


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

    int open(String path, int flags) throws LastErrorException;

    int setns(int fd, int nstype) throws LastErrorException;

    int statx(int dirfd, String path, int flags, int mask, Pointer buf) throws LastErrorException;

    long readlinkat(int dirfd, String path, byte[] buf, long size) throws LastErrorException;
}
