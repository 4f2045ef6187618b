package io.krunbox.runtime.launch;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.exec.SocketLinks;
import io.krunbox.runtime.guest.BoxConfigFile;
import io.krunbox.runtime.guest.BoxControl;
import io.krunbox.runtime.guest.GuestMount;
import io.krunbox.runtime.guest.GuestNic;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.Isolation;
import io.krunbox.runtime.rootfs.RootfsPreparer;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import io.krunbox.runtime.state.BoxStore;
import io.krunbox.runtime.state.RemovedBoxes;
import io.krunbox.runtime.wiring.BoxHosts;
import io.krunbox.runtime.wiring.BoxWiring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What starting a detached box takes before its process runs, and taking it all down after:
 * the rootfs mounted, the exec socket linked, the box's config, hosts files and network links
 * made. Shared by the supervisor JVM and by {@link BoxMonitor}.
 */
final class BoxLaunch {
    final KrunboxHome home;
    final BoxStore store;
    final BoxRecord box;
    final Isolation isolation;
    final Path boxDir;
    final Path merged;
    final BoxControl control;
    final Path console;
    final Path execSocket;
    final SocketLinks links;
    final BoxWiring wiring;
    final BoxHosts hosts;

    /** The box as wired for one run. */
    record Wired(BoxSpec spec, List<GuestMount> mounts, List<GuestNic> nics, BoxConfigFile config) {}

    private BoxLaunch(KrunboxHome home, BoxStore store, BoxRecord box) throws IOException {
        this.home = home;
        this.store = store;
        this.box = box;
        this.isolation = Isolation.parse(box.isolation());
        this.boxDir = home.box(box.id());
        this.merged = RootfsPreparer.merged(boxDir);
        this.control = BoxControl.of(boxDir);
        this.console = boxDir.resolve("logs/console.log");
        this.links = SocketLinks.forThisUser();
        this.execSocket = links.of(box.shortId()).resolve("exec.sock");
        this.wiring = BoxWiring.open(home, store.db(), store);
        this.hosts = new BoxHosts(home, store, wiring.networks().store());
    }

    /** Mounts the box's rootfs, clears what its last run left, links its exec socket. */
    static BoxLaunch open(KrunboxHome home, BoxStore store, BoxRecord box) throws IOException {
        BoxLaunch l = new BoxLaunch(home, store, box);
        // after a command that found the box's last run ended has taken that run down
        try (io.krunbox.runtime.rootfs.RootfsLock held = io.krunbox.runtime.rootfs.RootfsLock.take(l.boxDir)) {
            RootfsPreparer.remount(l.boxDir, box.lowerDirs(home), l.wiring.usernsRanges().find(box.id()));
        }
        l.clearLastRun();
        Files.createDirectories(l.console.getParent());
        Files.createDirectories(l.boxDir.resolve("sock"));
        l.links.link(box.shortId(), l.boxDir.resolve("sock"));
        return l;
    }

    /** Forgets the ready and exit records of a previous run (a restart, or start after stop). */
    void clearLastRun() throws IOException {
        control.prepare(merged);
        control.clearRun();
        Files.deleteIfExists(boxDir.resolve(BoxMonitor.EXIT_FILE));
        Files.deleteIfExists(boxDir.resolve(BoxMonitor.STOPPING_FILE));
    }

    /** Writes the box's config and hosts files for its spec as it is now, and brings its links up. */
    Wired wire() throws IOException {
        // the spec as it is now: connect / disconnect may have changed its networks
        BoxSpec spec = store.find(box.id()).map(BoxRecord::spec).orElse(box.spec());
        List<GuestMount> mounts = wiring.mounts(box.id(), spec, merged, isolation);
        List<GuestNic> nics = wiring.nics(box.id(), isolation);
        BoxConfigFile config = BoxConfigFile.readFrom(control).wired(nics, mounts)
                .secured(io.krunbox.runtime.security.BoxPrivileges.of(spec.security())
                        .withUsernsBase(wiring.usernsRanges().find(box.id()).orElse(-1)));
        config.writeInto(control);
        hosts.write(box.id(), box.name(), spec, merged, false); // before the box starts
        wiring.up(box.id(), box.shortId(), isolation, spec, nics);
        return new Wired(spec, mounts, nics, config);
    }

    /** Takes down what {@link #open} and {@link #wire} made; a --rm box is removed. */
    void tearDown(BoxSpec spec) throws IOException {
        boolean remove = spec != null && spec.remove();
        try {
            if (remove) {
                hosts.refresh(wiring.release(box.id(), box.shortId(), isolation, BoxWiring.publishes(spec)));
                wiring.volumes().removeAnonymous(box.id());
            } else {
                wiring.down(box.id(), box.shortId(), isolation, BoxWiring.publishes(spec));
            }
        } catch (RuntimeException e) {
            Invocation.current().err().println("krunbox: box " + box.name() + ": taking down its links: " + e.getMessage());
        }
        RootfsPreparer.release(boxDir);
        links.unlink(box.shortId());
        new io.krunbox.runtime.limits.BoxCgroup(box.id()).remove();
        if (remove) {
            store.find(box.id()).ifPresent(r -> RemovedBoxes.keep(home, r));
            store.delete(box.id());
            io.krunbox.oci.layer.LayerUnpacker.deleteTree(boxDir);
        }
    }
}
