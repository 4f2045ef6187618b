package io.krunbox.runtime;

import io.krunbox.oci.Image;
import io.krunbox.runtime.isolation.BoxProcess;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.Isolation;
import io.krunbox.runtime.rootfs.RootfsPreparer;
import java.nio.file.Path;

/** One box while its plan is carried out: who it is, where it lives, and what is running. */
public final class BoxSession {
    final String id;
    final String name;
    final BoxSpec spec;
    final Image image;
    final Isolation isolation;
    final Path boxDir;
    RootfsPreparer.Method rootfsMethod;
    volatile BoxProcess process;
    java.util.List<Path> cgroups = java.util.List.of();
    volatile io.krunbox.runtime.network.PortForwarder forwarder;
    /** run -it: the box waits for its command to be attached over the exec channel. */
    boolean attach;
    /** --userns auto: the first host id of the box's range, once allocated. */
    long usernsBase = -1;

    public BoxSession(String id, String name, BoxSpec spec, Image image, Isolation isolation, Path boxDir,
                      RootfsPreparer.Method rootfsMethod) {
        this.id = id;
        this.name = name;
        this.spec = spec;
        this.image = image;
        this.isolation = isolation;
        this.boxDir = boxDir;
        this.rootfsMethod = rootfsMethod;
    }

    public String id() {
        return id;
    }

    public String shortId() {
        return id.substring(0, 12);
    }

    public String name() {
        return name;
    }

    public Path merged() {
        return RootfsPreparer.merged(boxDir);
    }

    public io.krunbox.runtime.guest.BoxControl control() {
        return io.krunbox.runtime.guest.BoxControl.of(boxDir);
    }

    public Path socketDir() {
        return boxDir.resolve("sock");
    }

    public Path consoleLog() {
        return boxDir.resolve("logs/console.log");
    }
}
