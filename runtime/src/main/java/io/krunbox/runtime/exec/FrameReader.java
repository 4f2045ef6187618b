package io.krunbox.runtime.exec;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the frames guest-init sends ({@code [type:1][length:4, big endian][payload]}), which in a
 * VM come from an untrusted guest kernel: only the types the host expects ('O', 'E', 'C'), a
 * length of at most {@link #MAX_PAYLOAD} bytes, the whole payload, and an exit code of 0-255.
 * Anything else ends the session with an {@link ExecProtocolException} that says what was wrong.
 */
public final class FrameReader {
    /** guest-init sends output in pieces of at most 64 KiB; four times that is refused as hostile. */
    public static final int MAX_PAYLOAD = 256 * 1024;

    /** One frame from the guest. */
    public record Frame(char type, byte[] payload) {
        /** The exit code a 'C' frame carries. */
        public int exitCode() {
            return Integer.parseInt(new String(payload, StandardCharsets.US_ASCII));
        }
    }

    private final DataInputStream in;

    public FrameReader(InputStream in) {
        this.in = in instanceof DataInputStream d ? d : new DataInputStream(in);
    }

    /** The next frame; an end of the stream before a frame starts is an {@link EOFException}. */
    public Frame next() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("the box closed the exec without an exit code (did it stop?)");
        }
        if (type != 'O' && type != 'E' && type != 'C') {
            throw new ExecProtocolException("the box sent a frame of unknown type 0x" + Integer.toHexString(type));
        }
        int len;
        try {
            len = in.readInt();
        } catch (EOFException e) {
            throw new ExecProtocolException("the box's exec stream ended inside a frame header");
        }
        if (len < 0 || len > MAX_PAYLOAD) {
            throw new ExecProtocolException("the box sent a frame of " + Integer.toUnsignedString(len)
                    + " bytes; at most " + MAX_PAYLOAD + " are accepted");
        }
        byte[] payload = new byte[len];
        try {
            in.readFully(payload);
        } catch (EOFException e) {
            throw new ExecProtocolException("the box's exec stream ended inside a frame of " + len + " bytes");
        }
        if (type == 'C' && !new String(payload, StandardCharsets.US_ASCII).matches("[0-9]{1,3}")
                || type == 'C' && Integer.parseInt(new String(payload, StandardCharsets.US_ASCII)) > 255) {
            throw new ExecProtocolException("the box sent an exit code that is not 0-255");
        }
        return new Frame((char) type, payload);
    }
}
