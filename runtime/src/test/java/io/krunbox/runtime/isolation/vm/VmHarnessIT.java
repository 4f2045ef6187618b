package io.krunbox.runtime.isolation.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.oci.OciLayout;
import io.krunbox.oci.layer.LayerCache;
import io.krunbox.runtime.BoxRunner;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.guest.BoxControl;
import io.krunbox.runtime.guest.ExitRecord;
import io.krunbox.runtime.guest.GuestInit;
import io.krunbox.runtime.image.ImageResolver;
import io.krunbox.runtime.image.Images;
import io.krunbox.runtime.isolation.BoxOutput;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.Isolation;
import io.krunbox.runtime.state.BoxStore;
import io.krunbox.runtime.testing.HostParts;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VM path in a real guest: boxes go through the runtime's own vm plan (rootfs,
 * config.json, guest-init) and the libkrun calls are carried out by QEMU (TCG), which boots
 * Debian's kernel with guest-init as PID 1 from a virtio-fs root.
 */
class VmHarnessIT {
    static final Duration BOOT = Duration.ofSeconds(90);
    @TempDir static Path tmp;
    static Path harness;
    static Images images;
    static BoxRunner runner;

    @BeforeAll
    static void harness() {
        HostParts.sandbox();
        HostParts.qemu();
        harness = QemuHarnessEngine.buildHarness();
        System.setProperty("krunbox.netns", HostParts.testNetns());
        KrunboxHome home = new KrunboxHome(tmp.resolve("home"));
        images = Images.open(home, java.util.Set.of());
        runner = new BoxRunner(home, new ImageResolver(HostParts.demoImage()), images, new KvmHost(true, true, false),
                new QemuHarnessEngine(harness), new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterAll
    static void close() {
        if (images != null) {
            images.close();
        }
    }

    record Run(int code, String output, String log) {}

    static Run run(String name, String... command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BoxSpec spec = BoxSpec.builder("demo").name(name).isolation(Isolation.VM).command(command).bootTimeout(BOOT).build();
        int code = runner.run(spec, new BoxOutput(out, out));
        String id = new BoxStore(images.db()).all().stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow().id();
        Path box = tmp.resolve("home/boxes").resolve(id);
        String log = Files.readString(box.resolve("logs/console.log"));
        return new Run(code, out.toString(StandardCharsets.UTF_8), log);
    }

    @Test
    void boxesBootInARealGuestAndTheirExitCodesComeBackThroughTheExitFile() throws Exception {
        // three boots at once: about 4 s each under TCG, on 2 cores
        Map<String, CompletableFuture<Run>> runs = Map.of(
                "hello", CompletableFuture.supplyAsync(() -> unchecked("vm-hello", "echo", "hello")),
                "seven", CompletableFuture.supplyAsync(() -> unchecked("vm-seven", "sh", "-c", "exit 7")),
                "killed", CompletableFuture.supplyAsync(() -> unchecked("vm-killed", "sh", "-c", "kill -9 $$")));
        Run hello = runs.get("hello").get();
        assertThat(hello.code()).as(hello.log()).isZero();
        assertThat(hello.log()).contains("hello").contains("reboot: Power down");
        assertThat(hello.output()).contains("hello");
        assertThat(runs.get("seven").get().code()).isEqualTo(7);
        assertThat(runs.get("killed").get().code()).isEqualTo(137);
    }

    @Test
    void hostnameUserAndWorkdirReachTheWorkloadInTheGuest() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BoxSpec spec = BoxSpec.builder("demo").name("vm-who").isolation(Isolation.VM).hostname("guest1").user("nobody")
                .workdir("/srv/w").env("GREETING=hi").bootTimeout(BOOT).remove(true)
                .command("sh", "-c", "echo \"$GREETING|$(hostname)|$(id -u)|$(pwd)|$(cat /proc/1/comm)\"").build();
        assertThat(runner.run(spec, new BoxOutput(out, out))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("hi|guest1|65534|/srv/w|init");
    }

    @Test
    void aMalformedConfigMakesGuestInitSayWhyAndPowerOffWith125() throws Exception {
        Path box = tmp.resolve("malformed");
        Path rootfs = box.resolve("merged");
        LayerCache.flatten(OciLayout.open(HostParts.demoImage()).image(null), rootfs, s -> {});
        BoxControl control = BoxControl.of(box);
        control.prepare(rootfs);
        GuestInit.builtIn().installInto(control);
        Files.writeString(control.config(), "{\"argv\": [\"echo\"");
        Path console = box.resolve("logs/console.log");
        BoxSpec spec = BoxSpec.builder("demo").isolation(Isolation.VM).build();
        VmLauncher launcher = new VmLauncher(new KvmHost(true, true, false), new QemuHarnessEngine(harness));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        VmLauncher.VmProcess vm = launcher.start(KrunCalls.forBox(spec, rootfs, console, box.resolve("exec.sock")), box, rootfs, console,
                box.resolve("logs/qemu.log"), new BoxOutput(out, out));
        vm.awaitReady("malformed", BOOT, false);
        assertThat(vm.waitFor(BOOT)).as("the guest powers off instead of hanging").isTrue();
        vm.waitFor();
        assertThat(Files.readString(console)).contains(
                "krunbox-init: /.krunbox/config.json is not valid JSON: expected ',' or ']' at byte 16");
        assertThat(ExitRecord.readFrom(control)).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(125));
    }

    @Test
    void aGuestGetsItsNicOnTheBridgeAndItsVolumesOverVirtioFsReadOnlyEnforced() throws Exception {
        Path shared = tmp.resolve("shared");
        Files.createDirectories(shared);
        Files.writeString(shared.resolve("note.txt"), "from-host\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BoxSpec spec = BoxSpec.builder("demo").name("vm-wired").isolation(Isolation.VM).bootTimeout(BOOT).remove(true)
                .mount(io.krunbox.runtime.model.MountSpec.parseVolume(shared + ":/data:ro"))
                .mount(io.krunbox.runtime.model.MountSpec.parseVolume("vm-vol:/vol"))
                .mount(io.krunbox.runtime.model.MountSpec.parseTmpfs("/scratch:size=4m"))
                .command("sh", "-c", "ip -4 addr show; ip route; cat /data/note.txt; echo x > /data/new || echo refused;"
                        + " echo kept > /vol/f; ping -c 1 -W 3 host.krunbox.internal >/dev/null && echo gateway-ok;"
                        + " mount | grep -c virtiofs")
                .build();
        int code = runner.run(spec, new BoxOutput(out, out));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        assertThat(text).containsPattern("inet 10\\.88\\.\\d+\\.\\d+/24").contains("default via 10.88.")
                .contains("from-host").contains("Read-only file system").contains("refused").contains("gateway-ok");
        assertThat(shared.resolve("new")).doesNotExist();
        assertThat(tmp.resolve("home/volumes/vm-vol/_data/f")).hasContent("kept");
    }

    @Test
    void twoGuestsAndASandboxBoxOnOneBridgeReachEachOtherByName() throws Exception {
        // the server guest answers two connections (a guest's and a sandbox box's), then ends
        CompletableFuture<Run> server = CompletableFuture.supplyAsync(() -> unchecked("vm-echo", "sh", "-c",
                "for i in 1 2; do nc -l -p 7000 -e cat; done; echo served"));
        String client = "for i in $(seq 60); do r=$(echo ping-$0 | nc vm-echo 7000) && [ -n \"$r\" ] && echo got:$r && exit 0;"
                + " sleep 0.5; done; exit 9";
        // the server's lease (and so its name) must exist before the clients' hosts files are written
        io.krunbox.runtime.network.NetworkStore leases = new io.krunbox.runtime.network.NetworkStore(images.db());
        for (int i = 0; i < 200 && leases.allLeases().stream().noneMatch(l -> l.hostname().equals("vm-echo")); i++) {
            Thread.sleep(50);
        }
        Run vmClient = run("vm-client", "sh", "-c", client, "vm");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int sandboxCode = runner.run(BoxSpec.builder("demo").name("sandbox-client").isolation(Isolation.SANDBOX)
                .remove(true).command("sh", "-c", client, "sandbox").build(), new BoxOutput(out, out));
        assertThat(vmClient.code()).as(vmClient.log()).isZero();
        assertThat(vmClient.output()).contains("got:ping-vm");
        assertThat(sandboxCode).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("got:ping-sandbox");
        Run s = server.get();
        assertThat(s.code()).as(s.log()).isZero();
        assertThat(s.output()).contains("served");
    }

    static Run unchecked(String name, String... command) {
        try {
            return run(name, command);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
