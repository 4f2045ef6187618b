package io.krunbox.shell;

import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.DeviceMapping;
import io.krunbox.runtime.model.SecurityOptions;
import java.io.IOException;
import java.nio.file.Files;
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
            securityOpt(b, o);
        }
        devices.forEach(d -> b.device(DeviceMapping.parse(d)));
        for (String s : sysctls) {
            Map.Entry<String, String> e = SecurityOptions.parseSysctl(s);
            b.sysctl(e.getKey(), e.getValue());
        }
    }

    /** One {@code --security-opt}: {@code seccomp=unconfined|FILE}, {@code no-new-privileges[=true|false]} ({@code :} works too). */
    static void securityOpt(BoxSpec.Builder b, String opt) {
        String o = opt.trim();
        int sep = o.indexOf('=') >= 0 ? o.indexOf('=') : o.indexOf(':');
        String key = sep < 0 ? o : o.substring(0, sep), value = sep < 0 ? "" : o.substring(sep + 1);
        switch (key) {
            case "seccomp" -> {
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("--security-opt seccomp needs a value: seccomp=unconfined or seccomp=PROFILE.json");
                }
                b.seccomp(value.equals(SecurityOptions.UNCONFINED) ? value : readProfile(value));
            }
            case "no-new-privileges" -> {
                if (!value.isEmpty() && !value.equals("true") && !value.equals("false")) {
                    throw new IllegalArgumentException("--security-opt no-new-privileges takes true or false, not \"" + value + "\"");
                }
                b.noNewPrivileges(!value.equals("false"));
            }
            case "label", "apparmor" -> {
                if (!value.equals("disable") && !value.equals("unconfined")) {
                    throw new IllegalArgumentException("--security-opt " + o + ": this host has no " + key
                            + " confinement; only " + key + "=" + (key.equals("label") ? "disable" : "unconfined")
                            + " is accepted");
                }
            }
            default -> throw new IllegalArgumentException("--security-opt \"" + opt + "\" is not known: use seccomp=unconfined,"
                    + " seccomp=PROFILE.json or no-new-privileges");
        }
    }

    private static String readProfile(String file) {
        Path p = Path.of(file);
        try {
            if (Files.size(p) > (1 << 20)) {
                throw new IllegalArgumentException("seccomp profile " + file + " is larger than 1 MiB");
            }
            String text = Files.readString(p);
            io.krunbox.runtime.security.SeccompProfile.parse(text, file); // a bad profile is refused here, not at start
            return text;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read seccomp profile " + file + ": " + e.getMessage());
        }
    }
}
