package io.krunbox.runtime.rootfs;

import io.krunbox.runtime.base.BoxException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One at a time per box, across the threads of a process and across processes: the mount of a
 * box's rootfs and links for a start, and their teardown after it ended. Without it a command that
 * found the box ended (and is taking it down) and a start of the same box interleave, and the
 * start's fresh mount is the one released. The thread that holds it may take it again.
 */
public final class RootfsLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_THIS_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock mine;
    private final FileChannel channel;
    private final FileLock lock;

    private RootfsLock(ReentrantLock mine, FileChannel channel, FileLock lock) {
        this.mine = mine;
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits for and takes the lock of the box in {@code boxDir}; a box whose directory is gone needs none. */
    public static RootfsLock take(Path boxDir) {
        Path file = boxDir.toAbsolutePath().normalize().resolve("rootfs.lock");
        ReentrantLock mine = IN_THIS_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
        mine.lock();
        if (mine.getHoldCount() > 1) {
            return new RootfsLock(mine, null, null); // this thread holds the file lock already
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new RootfsLock(mine, ch, ch.lock());
        } catch (NoSuchFileException gone) {
            return new RootfsLock(mine, null, null);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            mine.unlock();
            throw new BoxException("cannot lock the rootfs of box " + boxDir.getFileName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException closed) {
            // released with its channel
        } finally {
            closeQuietly(channel);
            mine.unlock();
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
