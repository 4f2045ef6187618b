package io.krunbox.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.oci.Descriptor;
import io.krunbox.oci.Digest;
import io.krunbox.oci.Image;
import io.krunbox.oci.ImageConfig;
import io.krunbox.oci.layer.LayerCache;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.guest.GuestInit;
import io.krunbox.runtime.isolation.BoxOutput;
import io.krunbox.runtime.isolation.vm.KvmHost;
import io.krunbox.runtime.isolation.vm.LibkrunShimEngine;
import io.krunbox.runtime.isolation.vm.VmLauncher;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.Isolation;
import io.krunbox.runtime.plan.BoxPlanner;
import io.krunbox.runtime.plan.BoxSession;
import io.krunbox.runtime.rootfs.RootfsPreparer;
import io.krunbox.runtime.wiring.BoxHosts;
import io.krunbox.runtime.wiring.BoxWiring;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The printed plan of a box, libkrun calls included, must match its golden file under
 * src/test/resources/golden/ exactly. Set -Dgolden.update=true to rewrite them after a
 * deliberate change (and review the diff).
 */
class GoldenPlanTest {
    static final Path HOME = Path.of("/var/lib/krunbox-golden");
    static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    static Image twoLayerImage() {
        ImageConfig config = new ImageConfig(List.of("PATH=/usr/bin:/bin", "LANG=C.UTF-8"), List.of(),
                List.of("sh"), "/", "", List.of(), Map.of(), "amd64", "linux");
        Image.Layer base = layer("base", "base-diff");
        Image.Layer top = layer("top", "top-diff");
        return new Image("oci:/images/demo", digest("manifest"), config, List.of(base, top));
    }

    static Image entrypointImage() {
        ImageConfig config = new ImageConfig(List.of("PATH=/bin"), List.of("/bin/server"), List.of("--port", "80"),
                "/srv", "daemon", List.of(), Map.of(), "amd64", "linux");
        return new Image("oci:/images/server:2", digest("server-manifest"), config, List.of(layer("srv", "srv-diff")));
    }

    static Image.Layer layer(String blob, String diff) {
        return new Image.Layer(new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", digest(blob), 100, Map.of()),
                digest(diff), Path.of("/images/blobs", blob));
    }

    static Digest digest(String seed) {
        return Digest.of(seed.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> plans() {
        return Stream.of(
                Arguments.of("sandbox-echo", BoxSpec.builder("demo").name("gentle-otter").isolation(Isolation.SANDBOX)
                        .command("echo", "hello").remove(true).build(), twoLayerImage(), RootfsPreparer.Method.OVERLAY),
                Arguments.of("vm-cpus-memory", BoxSpec.builder("demo").name("gentle-otter").isolation(Isolation.VM)
                        .cpus(2).memoryMib(512).command("echo", "hi").build(), twoLayerImage(), RootfsPreparer.Method.OVERLAY),
                Arguments.of("vm-kernel", BoxSpec.builder("demo").name("brave-heron").isolation(Isolation.VM)
                        .kernel("/boot/vmlinux-golden").build(), twoLayerImage(), RootfsPreparer.Method.OVERLAY),
                Arguments.of("vm-entrypoint-env-user", BoxSpec.builder("oci:/images/server:2").name("web")
                        .isolation(Isolation.VM).entrypoint(List.of("/bin/sh")).command("-c", "exec server")
                        .env("MODE=prod").workdir("/app").user("1000:1000").hostname("web.local").cpus(4)
                        .memoryMib(2048).build(), entrypointImage(), RootfsPreparer.Method.OVERLAY),
                Arguments.of("vm-two-networks-three-volumes", BoxSpec.builder("demo").name("db").isolation(Isolation.VM)
                        .network(new io.krunbox.runtime.model.NetworkAttachment("back", List.of("database"), null))
                        .network("front")
                        .mount(io.krunbox.runtime.model.MountSpec.parseVolume("pgdata:/var/lib/data"))
                        .mount(io.krunbox.runtime.model.MountSpec.parseVolume("/etc/os-release:/etc/host-release:ro"))
                        .mount(io.krunbox.runtime.model.MountSpec.parseTmpfs("/run/cache:size=64m"))
                        .port(new io.krunbox.runtime.model.PortMapping("127.0.0.1", 18080, 80, "tcp"))
                        .command("sleep", "60").build(), twoLayerImage(), RootfsPreparer.Method.OVERLAY),
                Arguments.of("sandbox-network-volumes", BoxSpec.builder("demo").name("web").isolation(Isolation.SANDBOX)
                        .network("back").mount(io.krunbox.runtime.model.MountSpec.parseVolume("pgdata:/data:ro"))
                        .readOnly(true).command("httpd", "-f").build(), twoLayerImage(), RootfsPreparer.Method.OVERLAY),
                Arguments.of("sandbox-copy-image-defaults", BoxSpec.builder("oci:/images/server:2").name("srv")
                        .isolation(Isolation.SANDBOX).build(), entrypointImage(), RootfsPreparer.Method.COPY),
                Arguments.of("sandbox-caps-sysctl-device", BoxSpec.builder("demo").name("tuned").isolation(Isolation.SANDBOX)
                        .capAdd("NET_ADMIN").capDrop("MKNOD").capDrop("CAP_NET_RAW").sysctl("net.ipv4.ip_forward", "1")
                        .device(io.krunbox.runtime.model.DeviceMapping.parse("/dev/null:/dev/kbnull:rw"))
                        .noNewPrivileges(true).command("true").build(), twoLayerImage(), RootfsPreparer.Method.OVERLAY),
                Arguments.of("sandbox-privileged", BoxSpec.builder("demo").name("root").isolation(Isolation.SANDBOX)
                        .privileged(true).command("true").build(), twoLayerImage(), RootfsPreparer.Method.OVERLAY),
                Arguments.of("sandbox-userns-auto", BoxSpec.builder("demo").name("apart").isolation(Isolation.SANDBOX)
                        .userns("auto").command("true").build(), twoLayerImage(), RootfsPreparer.Method.OVERLAY),
                Arguments.of("vm-seccomp-unconfined", BoxSpec.builder("demo").name("loose").isolation(Isolation.VM)
                        .seccomp("unconfined").capDrop("ALL").command("true").build(), twoLayerImage(),
                        RootfsPreparer.Method.OVERLAY));
    }

    @org.junit.jupiter.api.io.TempDir
    Path state;

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void planMatchesItsGoldenFile(String golden, BoxSpec spec, Image image, RootfsPreparer.Method method) throws IOException {
        LayerCache layers = new LayerCache(HOME.resolve("layers"), s -> {});
        // networks as records only: planning reads them and touches no host network
        io.krunbox.statedb.StateDb db = io.krunbox.statedb.StateDb.open(state.resolve("state.db"));
        io.krunbox.runtime.network.NetworkStore nets = new io.krunbox.runtime.network.NetworkStore(db);
        io.krunbox.runtime.network.SubnetPool pool = io.krunbox.runtime.network.SubnetPool.fromEnvironment();
        nets.create("back", io.krunbox.runtime.network.Subnet.parse("10.89.0.0/24"), pool, null, false, List.of());
        nets.create("front", io.krunbox.runtime.network.Subnet.parse("10.90.0.0/24"), pool, null, true, List.of());
        KrunboxHome home = new KrunboxHome(HOME);
        io.krunbox.runtime.state.BoxStore boxes = new io.krunbox.runtime.state.BoxStore(db);
        BoxWiring wiring = new BoxWiring(new io.krunbox.runtime.network.Networks(nets,
                new io.krunbox.runtime.network.HostNet(null), pool),
                new io.krunbox.runtime.volume.Volumes(home, new io.krunbox.runtime.volume.VolumeStore(db), boxes));
        BoxPlanner planner = new BoxPlanner(layers, new RootfsPreparer(layers, s -> {}), GuestInit::builtIn,
                new VmLauncher(new KvmHost(true, true, false), new LibkrunShimEngine()),
                new io.krunbox.runtime.exec.SocketLinks(Path.of("/tmp/krunbox-golden")), true, wiring,
                new BoxHosts(home, boxes, nets));
        BoxSession session = new BoxSession(ID, spec.name(), spec, image, spec.isolation(), HOME.resolve("boxes/" + ID),
                method);
        BoxOutput discard = new BoxOutput(OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
        String actual = planner.plan(session, discard).render(HOME);

        Path file = Path.of("src/test/resources/golden", golden + ".plan");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, actual);
        }
        assertThat(actual).isEqualTo(Files.readString(file));
    }
}
