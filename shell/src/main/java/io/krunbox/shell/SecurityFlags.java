package io.krunbox.shell;

import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.DeviceMapping;
import io.krunbox.runtime.model.SecurityOpt;
import io.krunbox.runtime.model.SecurityOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Docker's security flags ({@code --privileged}, {@code --cap-add}, {@code --security-opt}, ...) onto a box spec. */
final class SecurityFlags {
    private SecurityFlags() {}

    static void apply(BoxSpec.Builder b, boolean privileged, List<String> capAdd, List<String> capDrop,
                      List<String> securityOpts, List<String> devices, List<String> sysctls, String userns) {
        b.privileged(privileged).userns(userns);
        capAdd.forEach(b::capAdd);
        capDrop.forEach(b::capDrop);
        for (String o : securityOpts) {
            SecurityOpt.apply(b, o, SecurityFlags::readProfile);
        }
        devices.forEach(d -> b.device(DeviceMapping.parse(d)));
        for (String s : sysctls) {
            Map.Entry<String, String> e = SecurityOptions.parseSysctl(s);
            b.sysctl(e.getKey(), e.getValue());
        }
    }

    static String readProfile(String file) {
        return io.krunbox.runtime.security.SeccompProfile.readFile(io.krunbox.runtime.base.Invocation.current().resolve(file));
    }
}
