package io.krunbox.runtime.rootfs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
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

    /**
     * Waits for and takes the lock of the box in {@code boxDir}. A box whose directory is gone needs
     * none; where the lock file cannot be had, the threads of this process are still kept apart
     * (what happened before the lock existed, across processes).
     */
    public static RootfsLock take(Path boxDir) {
        Path file = canonical(boxDir).resolve("rootfs.lock");
        ReentrantLock mine = IN_THIS_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
        mine.lock();
        if (mine.getHoldCount() > 1) {
            return new RootfsLock(mine, null, null); // this thread holds the file lock already
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            return new RootfsLock(mine, ch, ch.lock());
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            return new RootfsLock(mine, null, null);
        }
    }

    /** One key per box however its home was spelled (a link, a relative path). */
    private static Path canonical(Path boxDir) {
        try {
            return boxDir.toRealPath();
        } catch (IOException gone) {
            return boxDir.toAbsolutePath().normalize();
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
