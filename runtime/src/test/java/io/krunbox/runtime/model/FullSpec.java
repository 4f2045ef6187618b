package io.krunbox.runtime.model;

import java.time.Duration;
import java.util.List;

/** A box spec for tests, with every field away from its default. */
public final class FullSpec {
    private FullSpec() {}

    public static BoxSpec everything() {
        return BoxSpec.builder("registry.example/app:1").name("web").command("sh", "-c", "echo hi")
                .entrypoint(List.of("/bin/tini", "--")).env("A=1").env("B=two words").workdir("/srv").user("1000:1000")
                .hostname("web-host").isolation(Isolation.SANDBOX).cpus(3).memoryMib(768).kernel("/boot/vmlinux")
                .bootTimeout(Duration.ofMillis(12_345))
                .health(new HealthCheck(List.of("CMD", "true"), Duration.ofMillis(1500), Duration.ofSeconds(3),
                        Duration.ofMillis(250), 7))
                .restart(RestartPolicy.parse("on-failure:4")).pidsLimit(64)
                .network(new NetworkAttachment("back", List.of("api", "web-api"), "10.90.0.7")).network("front")
                .port(new PortMapping("127.0.0.1", 18080, 80, "tcp")).port(new PortMapping("0.0.0.0", 5353, 53, "udp"))
                .dns("10.0.0.2").extraHost("db:10.0.0.9")
                .mount(new MountSpec(MountSpec.Type.VOLUME, "data", "/data", false, ""))
                .mount(new MountSpec(MountSpec.Type.BIND, "/etc/hostname", "/etc/host-name", true, ""))
                .mount(new MountSpec(MountSpec.Type.TMPFS, null, "/scratch", false, "size=64m"))
                .readOnly(true).label("team", "core").label("io.krunbox.project", "shop")
                .stopSignal("USR1").stopTimeout(Duration.ofMillis(2500)).ulimit(Ulimit.parse("nofile=123:456"))
                .capAdd("NET_ADMIN").capDrop("MKNOD").seccomp("unconfined").noNewPrivileges(true)
                .device(DeviceMapping.parse("/dev/fuse")).sysctl("net.ipv4.ip_forward", "1").userns("auto")
                .build();
    }

}
