package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.krunbox.runtime.isolation.vm.LibKrunInstall;
import io.krunbox.runtime.testing.HostParts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code krunbox doctor} tells the truth about this host. */
class DoctorIT {
    @TempDir Path home;

    @Test
    void reportsTheLibrariesAndTheKindOfKvm() throws Exception {
        HostParts.libkrun();
        HostParts.sandbox();
        Cli.Result r = new Cli(home).run("doctor");
        assertThat(r.exit()).as(r.out()).isZero();
        String libkrun = LibKrunInstall.version(LibKrunInstall.find(LibKrunInstall.LIBKRUN).orElseThrow(), LibKrunInstall.LIBKRUN);
        assertThat(r.out()).containsPattern("(?m)^OK +libkrun +" + libkrun.replace(".", "\\.") + " at .*features: net, blk")
                .containsPattern("(?m)^OK +libkrunfw +")
                .containsPattern("(?m)^OK +bubblewrap +.*namespaces work")
                .containsPattern("(?m)^OK +guest-init +the built-in guest-init: static ELF");
        if (Files.isDirectory(Path.of("/sys/module/kvm_pvm"))) {
            assertThat(r.out()).containsPattern("(?m)^WARN +kvm kind +PVM")
                    .containsPattern("(?m)^WARN +vm boot +.*default isolation: sandbox");
        } else {
            assertThat(r.out()).containsPattern("(?m)^OK +kvm kind +KVM");
        }
    }

    @Test
    void jsonFormatIsOneObjectPerCheck() throws Exception {
        Cli.Result r = new Cli(home).run("doctor", "--format", "json");
        JsonNode checks = new ObjectMapper().readTree(r.out());
        assertThat(checks.isArray()).isTrue();
        assertThat(checks.findValuesAsText("name")).contains("libkrun", "libkrunfw", "/dev/kvm", "kvm kind", "vm boot",
                "bubblewrap", "overlayfs", "cgroups", "guest-init", "home");
        assertThat(checks.findValuesAsText("status")).allMatch(s -> s.matches("OK|WARN|FAIL"));
    }
}
