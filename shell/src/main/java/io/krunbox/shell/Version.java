package io.krunbox.shell;

import picocli.CommandLine.IVersionProvider;

/** {@code krunbox --version}: the build's version. */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"krunbox " + (v != null ? v : "0.1.0-SNAPSHOT")};
    }
}
