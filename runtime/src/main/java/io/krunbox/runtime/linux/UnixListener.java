package io.krunbox.runtime.linux;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A listening unix stream socket whose connections are {@link CallSocket}s. */
public final class UnixListener implements AutoCloseable {
    private final int fd;
    private final Path path;

    private UnixListener(int fd, Path path) {
        this.fd = fd;
        this.path = path;
    }

    /** Binds {@code path} (which must not exist) and listens. */
    public static UnixListener bind(Path path, int backlog) throws IOException {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= 108) {
            throw new IOException("socket path too long: " + path);
        }
        byte[] addr = new byte[2 + name.length + 1];
        addr[0] = (byte) Unix.AF_UNIX;
        System.arraycopy(name, 0, addr, 2, name.length);
        int fd = Unix.C.socket(Unix.AF_UNIX, Unix.SOCK_STREAM | Unix.SOCK_CLOEXEC, 0);
        try {
            Unix.C.bind(fd, addr, addr.length);
            Unix.C.listen(fd, backlog);
        } catch (LastErrorException e) {
            Unix.C.close(fd);
            throw new IOException("cannot listen on " + path + ": errno " + e.getErrorCode());
        }
        return new UnixListener(fd, path);
    }

    /** The next connection; null when {@link #shutdown} ended listening. */
    public CallSocket accept() throws IOException {
        while (true) {
            try {
                return new CallSocket(Unix.C.accept4(fd, null, null, Unix.SOCK_CLOEXEC));
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                if (errno == 22) { // EINVAL: shut down
                    return null;
                }
                if (errno == 4 || errno == 103 || errno == 24 || errno == 23) { // EINTR, ECONNABORTED, EMFILE, ENFILE
                    if (errno == 24 || errno == 23) {
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                            return null;
                        }
                    }
                    continue;
                }
                throw new IOException("accept on " + path + ": errno " + errno);
            }
        }
    }

    /** Stops listening: a blocked {@link #accept} returns null. */
    public void shutdown() {
        try {
            Unix.C.shutdown(fd, 2);
        } catch (LastErrorException ignored) {
            // not listening any more
        }
    }

    @Override
    public void close() {
        Unix.C.close(fd);
    }

    /** This process's real uid. */
    public static int uid() {
        return Unix.C.getuid();
    }
}
