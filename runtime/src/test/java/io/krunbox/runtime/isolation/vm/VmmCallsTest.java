package io.krunbox.runtime.isolation.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VmmCallsTest {
    @Test
    void everyKindOfArgumentHasItsToken() {
        String text = VmmCalls.render(List.of(
                KrunCall.of("krun_set_vm_config", 2, 512),
                KrunCall.of("krun_add_virtiofs3", "tag", "/a b\nc", 0, true),
                KrunCall.of("krun_add_net_tap", "kbt1", KrunCall.Mac.parse("52:54:00:1a:2b:3c"), 0, 0),
                KrunCall.of("krun_set_exec", "/.krunbox/init", List.of(), List.of("", "A=1")),
                KrunCall.of("krun_set_kernel", "/k", 0, null, null)));
        assertThat(text.lines().toList()).containsExactly("krunbox-vmm-calls 1",
                "krun_set_vm_config n2 n512",
                "krun_add_virtiofs3 s746167 s2f6120620a63 n0 b1",
                "krun_add_net_tap s6b627431 m5254001a2b3c n0 n0",
                "krun_set_exec s2f2e6b72756e626f782f696e6974 a0: a2:,413d31",
                "krun_set_kernel s2f6b n0 z z");
    }

    @Test
    void aNulCharacterCannotBeCarried() {
        assertThatThrownBy(() -> VmmCalls.render(List.of(KrunCall.of("krun_set_root", "/a\0b"))))
                .hasMessageContaining("NUL");
        assertThat(Arrays.asList(VmmCalls.render(List.of(KrunCall.of("krun_start_enter"))).split("\n")))
                .containsExactly("krunbox-vmm-calls 1", "krun_start_enter");
    }
}
