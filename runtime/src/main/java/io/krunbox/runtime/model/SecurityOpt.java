package io.krunbox.runtime.model;

import java.util.function.UnaryOperator;

/**
 * One {@code --security-opt} (compose {@code security_opt}) as Docker spells it:
 * {@code seccomp=unconfined}, {@code seccomp=PROFILE.json}, {@code no-new-privileges[=true|false]},
 * and {@code label=disable} / {@code apparmor=unconfined}, accepted as this host has neither;
 * {@code :} works in place of {@code =}.
 */
public final class SecurityOpt {
    private SecurityOpt() {}

    /** Applies {@code opt} to {@code b}; {@code readProfile} turns a profile's path into its JSON text. */
    public static void apply(BoxSpec.Builder b, String opt, UnaryOperator<String> readProfile) {
        String o = opt.trim();
        int eq = o.indexOf('='), colon = o.indexOf(':');
        int sep = eq >= 0 && (colon < 0 || eq < colon) ? eq : colon;
        String key = sep < 0 ? o : o.substring(0, sep), value = sep < 0 ? "" : o.substring(sep + 1);
        switch (key) {
            case "seccomp" -> {
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("security option seccomp needs a value: seccomp=unconfined or"
                            + " seccomp=PROFILE.json");
                }
                b.seccomp(value.equals(SecurityOptions.UNCONFINED) ? value : readProfile.apply(value));
            }
            case "no-new-privileges" -> {
                if (!value.isEmpty() && !value.equals("true") && !value.equals("false")) {
                    throw new IllegalArgumentException("security option no-new-privileges takes true or false, not \""
                            + value + "\"");
                }
                b.noNewPrivileges(!value.equals("false"));
            }
            case "label", "apparmor" -> {
                String off = key.equals("label") ? "disable" : "unconfined";
                if (!value.equals(off)) {
                    throw new IllegalArgumentException("security option " + o + ": this host has no " + key
                            + " confinement; only " + key + "=" + off + " is accepted");
                }
            }
            default -> throw new IllegalArgumentException("security option \"" + opt + "\" is not known: use"
                    + " seccomp=unconfined, seccomp=PROFILE.json or no-new-privileges");
        }
    }
}
