package io.krunbox.runtime.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/** The libc calls of a unix-socket server that takes file descriptors (SCM_RIGHTS), bound by JNA. */
interface Unix extends Library {
    Unix C = Native.load("c", Unix.class);

    int AF_UNIX = 1;
    int SOCK_STREAM = 1;
    int SOCK_CLOEXEC = 0x80000;
    int SOL_SOCKET = 1;
    int SO_PEERCRED = 17;
    int SO_RCVTIMEO = 20;
    int SCM_RIGHTS = 1;
    int MSG_CMSG_CLOEXEC = 0x40000000;
    int O_RDWR = 2;
    int O_CLOEXEC = 0x80000;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, byte[] addr, int len) throws LastErrorException;

    int listen(int fd, int backlog) throws LastErrorException;

    int accept4(int fd, byte[] addr, int[] len, int flags) throws LastErrorException;

    /** recvmsg(fd, msg, flags) with msg an msghdr laid out by {@link CallSocket}. */
    long recvmsg(int fd, com.sun.jna.Pointer msg, int flags) throws LastErrorException;

    long read(int fd, byte[] buf, long count) throws LastErrorException;

    long write(int fd, byte[] buf, long count) throws LastErrorException;

    int getsockopt(int fd, int level, int name, byte[] value, int[] len) throws LastErrorException;

    int setsockopt(int fd, int level, int name, byte[] value, int len) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int isatty(int fd);

    int open(String path, int flags) throws LastErrorException;

    int dup2(int from, int to) throws LastErrorException;

    int shutdown(int fd, int how) throws LastErrorException;

    int getuid();

    int setsid();

    /** poll(fds, n, timeout) with fds {int fd; short events; short revents}[n]. */
    int poll(byte[] fds, long n, int timeout) throws LastErrorException;
}
