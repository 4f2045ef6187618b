package io.krunbox.compose.yaml;

/** Where a node starts: file, 1-based line and column. */
public record Loc(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
