package io.krunbox.build.dockerfile;

/** One {@code --name=value} flag of an instruction ({@code --mount} may come several times). */
public record Flag(String name, String value) {
    @Override
    public String toString() {
        return "--" + name + (value == null ? "" : "=" + value);
    }
}
