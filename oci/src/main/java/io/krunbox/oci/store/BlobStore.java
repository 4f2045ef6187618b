package io.krunbox.oci.store;

import io.krunbox.oci.Descriptor;
import io.krunbox.oci.Digest;
import io.krunbox.oci.ImageException;
import io.krunbox.oci.UnexpectedBlobDigestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Verified, content-addressed blobs under {@code blobs/sha256/<hex>}. A blob is written to
 * {@code blobs/.partial/<hex>} (kept across a crash, so a download resumes), hashed as it is
 * written, and renamed into place only when its size and digest match its descriptor. A
 * mismatch deletes the partial file: the store never holds a blob that is not what it says.
 */
public final class BlobStore {
    private final Path dir;

    public BlobStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path path(Digest d) {
        return dir.resolve(d.algorithm()).resolve(d.hex());
    }

    public boolean has(Digest d) {
        return Files.isRegularFile(path(d));
    }

    Path partial(Digest d) {
        return dir.resolve(".partial").resolve(d.hex());
    }

    /** Stores a whole stream as the blob {@code d} describes. */
    public Path put(Descriptor d, InputStream in, String where) throws IOException {
        if (has(d.digest())) {
            return path(d.digest());
        }
        try (Writer w = open(d, where)) {
            w.restart();
            in.transferTo(w.stream());
            return w.commit();
        }
    }

    public Path put(Descriptor d, byte[] bytes, String where) throws IOException {
        return put(d, new java.io.ByteArrayInputStream(bytes), where);
    }

    /** Blobs being written by a thread of this JVM: a file lock only keeps other processes out. */
    private static final java.util.concurrent.ConcurrentHashMap<Path, java.util.concurrent.Semaphore> WRITING =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Opens (and locks) the partial file of a blob, to append to it. */
    public Writer open(Descriptor d, String where) throws IOException {
        Path partial = partial(d.digest()).toAbsolutePath().normalize();
        Files.createDirectories(partial.getParent());
        // another call of this JVM (the warm server) pulling the same blob waits here, then other processes below
        java.util.concurrent.Semaphore mine = WRITING.computeIfAbsent(partial, p -> new java.util.concurrent.Semaphore(1));
        try {
            mine.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for " + d.digest());
        }
        try {
            FileChannel ch = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            try {
                FileLock lock = ch.lock(); // another process pulling the same blob waits here
                return new Writer(d, where, ch, lock, mine);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            mine.release();
            throw e;
        }
    }

    /** Re-hashes every blob; returns one line per blob that is not what its name says. */
    public List<String> verify() throws IOException {
        List<String> problems = new ArrayList<>();
        Path sha = dir.resolve("sha256");
        if (!Files.isDirectory(sha)) {
            return problems;
        }
        try (Stream<Path> files = Files.list(sha)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String actual = hash(f);
                if (!actual.equals(f.getFileName().toString())) {
                    problems.add("blob sha256:" + f.getFileName() + " hashes to sha256:" + actual);
                }
            }
        }
        return problems;
    }

    public List<Digest> all() throws IOException {
        Path sha = dir.resolve("sha256");
        if (!Files.isDirectory(sha)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(sha)) {
            return files.map(f -> new Digest("sha256", f.getFileName().toString())).toList();
        }
    }

    public void delete(Digest d) throws IOException {
        Files.deleteIfExists(path(d));
    }

    static String hash(Path f) throws IOException {
        MessageDigest md = io.krunbox.oci.StreamSha256.forStream(Files.size(f));
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Appends to one blob's partial file, hashing everything that is in it. */
    public final class Writer implements AutoCloseable {
        private final Descriptor d;
        private final String where;
        private final FileChannel ch;
        private final FileLock lock;
        private final java.util.concurrent.Semaphore mine;
        private final MessageDigest md;
        private long written;

        Writer(Descriptor d, String where, FileChannel ch, FileLock lock, java.util.concurrent.Semaphore mine)
                throws IOException {
            this.mine = mine;
            this.d = d;
            this.md = io.krunbox.oci.StreamSha256.forStream(d.size());
            this.where = where;
            this.ch = ch;
            this.lock = lock;
            // what an earlier attempt left is hashed again: the digest covers every byte
            long size = ch.size();
            if (d.size() >= 0 && size > d.size()) {
                ch.truncate(0);
                size = 0;
            }
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            long pos = 0;
            while (pos < size) {
                buf.clear();
                int n = ch.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                md.update(buf.array(), 0, n);
                pos += n;
            }
            written = pos;
            ch.position(written);
        }

        /** Bytes already in the partial file: where a download resumes. */
        public long offset() {
            return written;
        }

        /** Throws away what an earlier attempt wrote. */
        public void restart() throws IOException {
            ch.truncate(0);
            ch.position(0);
            md.reset();
            written = 0;
        }

        /** A stream that appends and hashes. */
        public OutputStream stream() {
            OutputStream raw = Channels.newOutputStream(ch);
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    raw.write(b, off, len);
                    md.update(b, off, len);
                    written += len;
                }
            };
        }

        /** Verifies size and digest and moves the blob into place; on a mismatch nothing is kept. */
        public Path commit() throws IOException {
            ch.force(true);
            String actual = "sha256:" + HexFormat.of().formatHex(md.digest());
            Path partial = partial(d.digest());
            if (d.size() >= 0 && written != d.size()) {
                Files.deleteIfExists(partial);
                throw new ImageException("blob " + d.digest() + " of " + where + " has " + written
                        + " bytes, its descriptor says " + d.size());
            }
            if (!actual.equals(d.digest().toString())) {
                Files.deleteIfExists(partial);
                throw new UnexpectedBlobDigestException(d.digest(), actual, where);
            }
            Path target = path(d.digest());
            Files.createDirectories(target.getParent());
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                try {
                    ch.close();
                } finally {
                    mine.release();
                }
            }
        }
    }
}
