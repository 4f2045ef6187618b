package io.krunbox.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.Capability;
import io.krunbox.runtime.model.SecurityOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BoxPrivilegesTest {
    static BoxPrivileges of(BoxSpec.Builder b) {
        return BoxPrivileges.of(b.build().security(), true);
    }

    @Test
    void withoutADevicesCgroupNoBoxGetsMknodUnlessPrivileged() {
        assertThat(BoxPrivileges.of(SecurityOptions.DEFAULT, true).capabilities()).contains(Capability.MKNOD);
        assertThat(BoxPrivileges.of(SecurityOptions.DEFAULT, false).capabilities()).doesNotContain(Capability.MKNOD)
                .contains(Capability.CHOWN, Capability.NET_BIND_SERVICE);
        assertThat(BoxPrivileges.of(BoxSpec.builder("demo").capAdd("MKNOD").build().security(), false).capabilities())
                .doesNotContain(Capability.MKNOD);
        assertThat(BoxPrivileges.of(BoxSpec.builder("demo").privileged(true).build().security(), false).capabilities())
                .contains(Capability.MKNOD);
    }

    @Test
    void theDefaultIsDockersCapabilitySetUnderTheDefaultProfile() {
        BoxPrivileges p = of(BoxSpec.builder("demo"));
        assertThat(p.capabilityMask()).isEqualTo(0xa80425fbL);
        assertThat(p.privileged()).isFalse();
        assertThat(SeccompProfile.isDefault(p.seccomp())).isTrue();
        assertThat(p.maskedPaths()).contains("/proc/kcore", "/proc/keys", "/proc/sched_debug", "/sys/firmware");
        assertThat(p.readOnlyPaths()).contains("/proc/sys", "/proc/sysrq-trigger", "/sys");
        assertThat(p.deviceRules()).contains("c 1:3 rwm", "c 136:* rwm", "c *:* m", "b *:* m")
                .noneMatch(r -> r.startsWith("b ") && r.endsWith("rwm") || r.equals("a *:* rwm"));
    }

    @Test
    void addsAndDropsFollowDockersRules() {
        assertThat(of(BoxSpec.builder("demo").capDrop("ALL")).capabilityMask()).isZero();
        assertThat(of(BoxSpec.builder("demo").capAdd("NET_ADMIN")).capabilityMask()).isEqualTo(0xa80425fbL | 1L << 12);
        assertThat(of(BoxSpec.builder("demo").capDrop("ALL").capAdd("cap_chown")).capabilities())
                .containsExactly(Capability.CHOWN);
        assertThat(of(BoxSpec.builder("demo").capAdd("ALL").capDrop("SYS_ADMIN")).capabilities())
                .hasSize(Capability.values().length - 1).doesNotContain(Capability.SYS_ADMIN);
        assertThat(of(BoxSpec.builder("demo").privileged(true)).capabilities()).hasSize(Capability.values().length);
        assertThat(of(BoxSpec.builder("demo").privileged(true)).seccomp()).isNull();
        assertThat(of(BoxSpec.builder("demo").privileged(true)).deviceRules()).containsExactly("a *:* rwm");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theFilterIsNarrowedToTheBoxsCapabilities() {
        Map<String, Object> plain = of(BoxSpec.builder("demo")).seccomp().forBox(of(BoxSpec.builder("demo")).capabilities());
        List<Map<String, Object>> rules = (List<Map<String, Object>>) plain.get("rules");
        assertThat(rules).noneMatch(r -> ((List<String>) r.get("names")).contains("mount"));
        assertThat(rules).anyMatch(r -> ((List<String>) r.get("names")).contains("clone") && r.containsKey("args"));
        assertThat(rules).anyMatch(r -> ((List<String>) r.get("names")).contains("clone3") && r.get("errno").equals(38));
        BoxPrivileges admin = of(BoxSpec.builder("demo").capAdd("SYS_ADMIN"));
        List<Map<String, Object>> adminRules = (List<Map<String, Object>>) admin.seccomp().forBox(admin.capabilities()).get("rules");
        assertThat(adminRules).anyMatch(r -> ((List<String>) r.get("names")).contains("mount"));
        assertThat(adminRules).noneMatch(r -> ((List<String>) r.get("names")).contains("clone3") && "errno".equals(r.get("action")));
        assertThat(plain.get("default_action")).isEqualTo("errno");
        assertThat(plain.get("default_errno")).isEqualTo(1);
    }

    @Test
    void theDefaultProfileRefusesWhatReachesTheHostAndAllowsWhatImagesNeed() {
        BoxPrivileges p = of(BoxSpec.builder("demo"));
        @SuppressWarnings("unchecked")
        List<String> allowed = ((List<Map<String, Object>>) p.seccomp().forBox(p.capabilities()).get("rules")).stream()
                .filter(r -> "allow".equals(r.get("action")) && !r.containsKey("args"))
                .flatMap(r -> ((List<String>) r.get("names")).stream()).toList();
        assertThat(allowed).doesNotContain("mount", "umount2", "pivot_root", "swapon", "swapoff", "reboot", "kexec_load",
                "kexec_file_load", "init_module", "finit_module", "delete_module", "open_by_handle_at", "clock_settime",
                "settimeofday", "adjtimex", "clock_adjtime", "keyctl", "add_key", "request_key", "bpf", "perf_event_open",
                "userfaultfd", "iopl", "ioperm", "acct", "quotactl", "syslog", "unshare", "setns", "personality", "clone");
        assertThat(allowed).contains("read", "write", "openat", "mmap", "futex", "epoll_wait", "membarrier", "rseq",
                "shmget", "semop", "sendmsg", "io_setup", "chroot", "ptrace").doesNotContain("socket");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> socket = ((List<Map<String, Object>>) p.seccomp().forBox(p.capabilities()).get("rules"))
                .stream().filter(r -> ((List<String>) r.get("names")).contains("socket")).toList();
        assertThat(socket).singleElement().satisfies(r -> assertThat(r.get("args").toString())
                .contains("value=40", "value=38", "op=ne"));
    }

    @Test
    void aBadCustomProfileIsRefusedByName() {
        assertThatThrownBy(() -> BoxPrivileges.of(new SecurityOptions(false, List.of(), List.of(), "{not json", false,
                List.of(), Map.of(), "host"))).isInstanceOf(BoxException.class).hasMessageContaining("is not JSON");
    }

    @Test
    void theGuestGetsCapabilityNumbersAndTheProcPaths() {
        Map<String, Object> g = of(BoxSpec.builder("demo").capDrop("ALL").capAdd("KILL").noNewPrivileges(true)).guestConfig();
        assertThat(g.get("capabilities")).isEqualTo(List.of(5));
        assertThat(g.get("no_new_privileges")).isEqualTo(true);
        assertThat(g.get("masked_paths")).isEqualTo(BoxPrivileges.MASKED);
        Map<String, Object> priv = of(BoxSpec.builder("demo").privileged(true)).guestConfig();
        assertThat(priv.get("seccomp")).isNull();
        assertThat(priv.get("masked_paths")).isEqualTo(List.of());
    }
}
