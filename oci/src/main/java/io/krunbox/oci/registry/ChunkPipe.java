package io.krunbox.oci.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A pipe between two threads as a bounded queue of copied chunks. (java.io's piped streams
 * wake each other with one-second polls, which stalls a fast download.) Closing the
 * output ends the input; closing the input (the reader gave up) fails the writer, and
 * {@link #fail} (the writer gave up) fails the reader: neither side ever waits for the other forever.
 */
final class ChunkPipe {
    private static final byte[] EOF = new byte[0];
    private final BlockingQueue<byte[]> queue;
    private volatile boolean readerGone;
    private volatile boolean writerFailed;

    ChunkPipe(int chunks) {
        queue = new ArrayBlockingQueue<>(chunks);
    }

    final OutputStream out = new OutputStream() {
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("pipe closed");
            }
            if (len > 0) {
                put(java.util.Arrays.copyOfRange(b, off, off + len));
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                put(EOF);
            }
        }

        private void put(byte[] chunk) throws IOException {
            try {
                while (!queue.offer(chunk, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    if (readerGone) {
                        throw new IOException("the layer's unpacker stopped reading");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while piping a layer");
            }
        }
    };

    final InputStream in = new InputStream() {
        private byte[] current = new byte[0];
        private int pos;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (pos == current.length) {
                if (ended) {
                    return -1;
                }
                try {
                    byte[] next = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (next == null) {
                        if (writerFailed) {
                            throw new IOException("the layer's download failed");
                        }
                        continue;
                    }
                    current = next;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading a piped layer");
                }
                pos = 0;
                if (current == EOF) {
                    ended = true;
                    return -1;
                }
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void close() {
            readerGone = true;
            queue.clear();
        }
    };

    /** The writer gave up: the reader's next wait ends in an error instead of lasting forever. */
    void fail() {
        writerFailed = true;
    }
}
