package io.krunbox.build.dockerfile;

/** A Dockerfile that cannot be built, with where ({@code Dockerfile:LINE:COL}) and what to do. */
public final class DockerfileException extends IllegalArgumentException {
    private final String file;
    private final int line;
    private final int column;

    public DockerfileException(String file, int line, int column, String message) {
        super(file + ":" + line + ":" + column + ": " + message);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
