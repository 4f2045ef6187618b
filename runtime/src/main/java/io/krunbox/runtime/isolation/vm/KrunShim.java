package io.krunbox.runtime.isolation.vm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code krunbox-shim}: the per-box process that configures libkrun and enters the VM. It
 * reads the box's libkrun calls from a file, makes them one by one and ends with
 * {@code krun_start_enter}, which never returns on success: libkrun exits this process
 * when the guest powers off. Started with libjsig preloaded so libkrun's signal handlers
 * chain with the JVM's.
 */
public final class KrunShim {
    static final int SHIM_ERROR = 125;
    /** The box's cgroup directories, joined by the shim (all its threads) before libkrun makes the VM. */
    static final String CGROUPS_ENV = "KRUNBOX_CGROUPS";
    private static final ObjectMapper JSON = new ObjectMapper();

    private KrunShim() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: krunbox-shim CALLS.json");
            System.exit(SHIM_ERROR);
        }
        try {
            String groups = System.getenv(CGROUPS_ENV);
            if (groups != null && !groups.isBlank()) {
                for (String g : groups.trim().split("\\s+")) {
                    java.nio.file.Files.writeString(Path.of(g, "cgroup.procs"), Long.toString(ProcessHandle.current().pid()));
                }
            }
            List<KrunCall> calls = read(Path.of(args[0]));
            LibKrun lib = LibKrun.load();
            try (KrunContext ctx = KrunContext.create(lib)) {
                for (KrunCall call : calls) {
                    ctx.apply(call);
                }
            }
            System.err.println("krunbox-shim: krun_start_enter returned without an error");
            System.exit(SHIM_ERROR);
        } catch (KrunException | IOException | UnsatisfiedLinkError e) {
            System.err.println("krunbox-shim: " + e.getMessage());
            System.exit(SHIM_ERROR);
        }
    }

    public static void write(Path file, List<KrunCall> calls) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (KrunCall c : calls) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("function", c.function());
            m.put("args", c.args().stream().map(a -> a instanceof KrunCall.Mac mac ? mac.toString() : a).toList());
            out.add(m);
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), out);
    }

    public static List<KrunCall> read(Path file) throws IOException {
        List<Map<String, Object>> in = JSON.readValue(file.toFile(), new TypeReference<>() {});
        List<KrunCall> calls = new ArrayList<>();
        for (Map<String, Object> m : in) {
            @SuppressWarnings("unchecked")
            List<Object> args = (List<Object>) m.get("args");
            calls.add(new KrunCall((String) m.get("function"), args));
        }
        return calls;
    }
}
