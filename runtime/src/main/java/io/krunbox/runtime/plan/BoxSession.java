package io.krunbox.runtime.plan;

import io.krunbox.oci.Image;
import io.krunbox.runtime.isolation.BoxProcess;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.Isolation;
import io.krunbox.runtime.rootfs.RootfsPreparer;
import java.nio.file.Path;

/** One box while its plan is carried out: who it is, where it lives, and what is running. */
public final class BoxSession {
    public final String id;
    public final String name;
    public final BoxSpec spec;
    public final Image image;
    public final Isolation isolation;
    public final Path boxDir;
    public RootfsPreparer.Method rootfsMethod;
    public volatile BoxProcess process;
    public java.util.List<Path> cgroups = java.util.List.of();
    /** run -it: the box waits for its command to be attached over the exec channel. */
    public boolean attach;
    /** --userns auto: the first host id of the box's range, once allocated. */
    public long usernsBase = -1;
    /** What the plan this box is part of makes before the box's own steps run. */
    public Upcoming upcoming = Upcoming.NONE;

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
