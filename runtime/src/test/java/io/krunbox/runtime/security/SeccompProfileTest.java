package io.krunbox.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.model.Capability;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeccompProfileTest {
    static void refused(String json, String message) {
        assertThatThrownBy(() -> SeccompProfile.parse(json, "p.json")).isInstanceOf(BoxException.class)
                .hasMessageContaining("seccomp profile p.json").hasMessageContaining(message);
    }

    @Test
    void malformedProfilesAreRefusedWithWhatIsWrong() {
        refused("[1]", "must be a JSON object");
        refused("{\"defaultAction\": \"SCMP_ACT_NOPE\"}", "defaultAction \"SCMP_ACT_NOPE\" is not one of");
        refused("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": {}}", "\"syscalls\" must be an array");
        refused("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"action\": \"SCMP_ACT_ALLOW\"}]}",
                "syscalls[0] needs \"names\"");
        refused("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}",
                "needs a seccomp agent");
        refused("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\","
                + " \"args\": [{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}", "args[0].index must be 0-5");
        refused("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\","
                + " \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_LIKE\"}]}]}", "op \"SCMP_CMP_LIKE\"");
        refused("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\","
                + " \"includes\": {\"caps\": [\"CAP_WIZARD\"]}}]}", "syscalls[0].includes.caps");
    }

    @Test
    @SuppressWarnings("unchecked")
    void valuesTravelAsUnsignedTextAndConditionsByCapability() {
        SeccompProfile p = SeccompProfile.parse("""
                {"defaultAction": "SCMP_ACT_KILL_PROCESS", "syscalls": [
                  {"names": ["ioctl"], "action": "SCMP_ACT_ERRNO", "errnoRet": 22,
                   "args": [{"index": 1, "value": -1, "op": "SCMP_CMP_NE"}]},
                  {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
                  {"name": "read", "action": "SCMP_ACT_ALLOW", "excludes": {"caps": ["CAP_SYS_ADMIN"]}}]}
                """, "p.json");
        Map<String, Object> plain = p.forBox(EnumSet.noneOf(Capability.class));
        assertThat(plain.get("default_action")).isEqualTo("kill_process");
        List<Map<String, Object>> rules = (List<Map<String, Object>>) plain.get("rules");
        assertThat(rules).hasSize(2);
        Map<String, Object> arg = ((List<Map<String, Object>>) rules.get(0).get("args")).get(0);
        assertThat(arg).containsEntry("value", "18446744073709551615").containsEntry("op", "ne").containsEntry("index", 1);
        assertThat(rules.get(0)).containsEntry("errno", 22).containsEntry("action", "errno");
        assertThat(rules.get(1).get("names")).isEqualTo(List.of("read"));
        List<Map<String, Object>> admin = (List<Map<String, Object>>) p.forBox(EnumSet.of(Capability.SYS_ADMIN)).get("rules");
        assertThat(admin).extracting(r -> r.get("names")).containsExactly(List.of("ioctl"), List.of("mount"));
    }
}
