package io.krunbox.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecurityOptionsTest {
    @Test
    void onlyNamespacedSysctlsAreAccepted() {
        assertThat(SecurityOptions.parseSysctl("net.ipv4.ip_forward=1")).isEqualTo(Map.entry("net.ipv4.ip_forward", "1"));
        assertThat(SecurityOptions.parseSysctl("kernel.shmmax = 65536").getValue()).isEqualTo("65536");
        assertThat(SecurityOptions.parseSysctl("fs.mqueue.msg_max=20").getKey()).isEqualTo("fs.mqueue.msg_max");
        for (String host : List.of("kernel.hostname=x", "vm.swappiness=1", "kernel.panic=1", "fs.file-max=1")) {
            assertThatThrownBy(() -> SecurityOptions.parseSysctl(host)).as(host).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not namespaced");
        }
        assertThatThrownBy(() -> SecurityOptions.parseSysctl("net.ipv4.ip_forward")).hasMessageContaining("is not KEY=VALUE");
        assertThatThrownBy(() -> SecurityOptions.parseSysctl("../../etc=1")).hasMessageContaining("is not a dotted sysctl name");
    }

    @Test
    void capabilitiesAreNamedAsInCapabilities7() {
        assertThat(Capability.parse("CAP_NET_ADMIN")).isEqualTo(Capability.NET_ADMIN);
        assertThat(Capability.parse("sys_ptrace").bit()).isEqualTo(1L << 19);
        assertThat(Capability.CHECKPOINT_RESTORE.ordinal()).isEqualTo(40);
        assertThat(Capability.mask(Capability.DOCKER_DEFAULT)).isEqualTo(0xa80425fbL);
        assertThatThrownBy(() -> Capability.parse("NET_ADMINN")).hasMessageContaining("\"NET_ADMINN\" is not a capability");
        assertThatThrownBy(() -> BoxSpec.builder("demo").capAdd("WIZARD").build()).hasMessageContaining("WIZARD");
    }

    @Test
    void devicesAreParsedAsDockersFlag() {
        assertThat(DeviceMapping.parse("/dev/fuse")).isEqualTo(new DeviceMapping("/dev/fuse", "/dev/fuse", "rwm"));
        assertThat(DeviceMapping.parse("/dev/sda:r")).isEqualTo(new DeviceMapping("/dev/sda", "/dev/sda", "r"));
        assertThat(DeviceMapping.parse("/dev/sda:/dev/xvda:rw").boxPath()).isEqualTo("/dev/xvda");
        assertThatThrownBy(() -> DeviceMapping.parse("/etc/passwd")).hasMessageContaining("give a device under /dev");
        assertThatThrownBy(() -> DeviceMapping.parse("/dev/null:/etc/x")).hasMessageContaining("must lie under /dev");
        assertThatThrownBy(() -> DeviceMapping.parse("/dev/null:/dev/x:rwx")).hasMessageContaining("not a combination");
    }

    @Test
    void usernsIsHostOrAuto() {
        assertThat(BoxSpec.builder("demo").build().security().userns()).isEqualTo("host");
        assertThat(BoxSpec.builder("demo").build().security().isDefault()).isTrue();
        assertThatThrownBy(() -> BoxSpec.builder("demo").userns("keep-id").build()).hasMessageContaining("use host or auto");
    }

    @Test
    void theStoredSpecKeepsTheSecurityOptions() {
        BoxSpec spec = BoxSpec.builder("demo").privileged(false).capAdd("NET_ADMIN").capDrop("MKNOD").seccomp("unconfined")
                .noNewPrivileges(true).device(DeviceMapping.parse("/dev/fuse")).sysctl("net.core.somaxconn", "1024")
                .build();
        BoxSpec back = io.krunbox.runtime.state.BoxSpecJson.read(io.krunbox.runtime.state.BoxSpecJson.write(spec));
        assertThat(back.security()).isEqualTo(spec.security());
        assertThat(io.krunbox.runtime.state.BoxSpecJson.read(io.krunbox.runtime.state.BoxSpecJson.write(
                BoxSpec.builder("demo").build())).security()).isEqualTo(SecurityOptions.DEFAULT);
    }
}
