package io.krunbox.runtime.exec;

import java.io.IOException;

/** A frame from a box that breaks guest-init's exec protocol: the session is over. */
public final class ExecProtocolException extends IOException {
    public ExecProtocolException(String message) {
        super(message);
    }
}
