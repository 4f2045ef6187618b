package io.krunbox.runtime.guest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.krunbox.oci.ImageConfig;
import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.Isolation;
import io.krunbox.runtime.security.BoxPrivileges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /.krunbox/config.json}: what guest-init runs, merged from the image's config and
 * the box spec the way Docker merges them.
 */
public record BoxConfigFile(List<String> argv, List<String> env, String workdir, String user, String hostname,
                            Isolation isolation, List<GuestNic> nics, List<GuestMount> mounts, boolean readOnlyRoot,
                            boolean attach, List<io.krunbox.runtime.model.Ulimit> ulimits, Map<String, Object> security) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public BoxConfigFile {
        argv = List.copyOf(argv);
        env = List.copyOf(env);
        nics = nics == null ? List.of() : List.copyOf(nics);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
        security = security == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(security));
    }

    /** The same box wired to other networks and volumes (each start makes them anew). */
    public BoxConfigFile wired(List<GuestNic> nics, List<GuestMount> mounts) {
        return new BoxConfigFile(argv, env, workdir, user, hostname, isolation, nics, mounts, readOnlyRoot, attach, ulimits, security);
    }

    /** The same box waiting for {@code run -it} to attach: its command is the first exec's. */
    public BoxConfigFile attached(boolean v) {
        return new BoxConfigFile(argv, env, workdir, user, hostname, isolation, nics, mounts, readOnlyRoot, v, ulimits, security);
    }

    /** The same box with the privileges its spec gives now (worked out again at every start). */
    public BoxConfigFile secured(BoxPrivileges privileges) {
        return new BoxConfigFile(argv, env, workdir, user, hostname, isolation, nics, mounts, readOnlyRoot, attach, ulimits,
                privileges.guestConfig());
    }

    public static BoxConfigFile of(BoxSpec spec, ImageConfig image, String hostname, Isolation isolation) {
        List<String> argv = new ArrayList<>();
        if (spec.entrypoint() != null) {
            argv.addAll(spec.entrypoint());
            if (spec.command() != null) {
                argv.addAll(spec.command());
            }
        } else {
            argv.addAll(image.entrypoint());
            argv.addAll(spec.command() != null ? spec.command() : image.cmd());
        }
        if (argv.isEmpty() || argv.get(0).isEmpty()) {
            throw new BoxException("no command to run in " + spec.image()
                    + ": the image has no Entrypoint or Cmd, so give one after the image name");
        }
        List<String> envList = overlaid(image.env(), spec.env());
        String workdir = spec.workdir() != null ? spec.workdir() : image.workingDir().isEmpty() ? "/" : image.workingDir();
        if (!workdir.startsWith("/")) {
            throw new BoxException("working directory \"" + workdir + "\" must be an absolute path");
        }
        String user = spec.user() != null ? spec.user() : image.user();
        return new BoxConfigFile(argv, envList, workdir, user, hostname, isolation, List.of(), List.of(), spec.readOnly(),
                false, spec.ulimits(), null); // its privileges are added by secured(): never written without them
    }

    /** {@code KEY=VALUE} entries: {@code base}, with each key of {@code over} replacing (or joining) it. */
    public static List<String> overlaid(List<String> base, List<String> over) {
        Map<String, String> env = new LinkedHashMap<>();
        base.forEach(e -> put(env, e));
        over.forEach(e -> put(env, e));
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static void put(Map<String, String> env, String entry) {
        int eq = entry.indexOf('=');
        if (eq > 0) {
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", 1);
        m.put("isolation", isolation.toString());
        m.put("argv", argv);
        m.put("env", env);
        m.put("workdir", workdir);
        m.put("user", user);
        m.put("hostname", hostname);
        m.put("interfaces", nics.stream().map(BoxConfigFile::nic).toList());
        m.put("mounts", mounts.stream().map(BoxConfigFile::mount).toList());
        m.put("readonly_root", readOnlyRoot);
        m.put("attach", attach);
        m.put("rlimits", ulimits.stream().map(u -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", u.name());
            r.put("soft", u.soft());
            r.put("hard", u.hard());
            return r;
        }).toList());
        m.put("security", security);
        try {
            return JSON.writeValueAsString(m) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> nic(GuestNic n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mac", n.mac());
        m.put("address", n.address());
        m.put("prefix", n.prefix());
        m.put("gateway", n.gateway());
        m.put("default_route", n.defaultRoute());
        return m;
    }

    private static Map<String, Object> mount(GuestMount g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", g.type());
        m.put("source", g.type().equals("virtiofs") ? g.tag() : g.bindSource());
        m.put("subpath", g.type().equals("virtiofs") ? g.subpath() : "");
        m.put("target", g.target());
        m.put("readonly", g.readOnly());
        m.put("options", g.options());
        return m;
    }

    /** Re-reads a written config.json (argv, env, ...), to wire it anew at a start. */
    public static BoxConfigFile readFrom(BoxControl control) throws IOException {
        if (!Files.isRegularFile(control.config(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new BoxException("the box has no " + control.config() + ": it was made by an earlier krunbox, which kept"
                    + " its config inside the box's own root; remove the box and run its image anew");
        }
        return read(control.config());
    }

    /** Reads a box's config.json. */
    public static BoxConfigFile read(Path configJson) throws IOException {
        com.fasterxml.jackson.databind.JsonNode o = JSON.readTree(configJson.toFile());
        List<String> argv = new ArrayList<>();
        o.path("argv").forEach(n -> argv.add(n.asText()));
        List<String> env = new ArrayList<>();
        o.path("env").forEach(n -> env.add(n.asText()));
        return new BoxConfigFile(argv, env, o.path("workdir").asText("/"), o.path("user").asText(""),
                o.path("hostname").asText(""), Isolation.parse(o.path("isolation").asText("sandbox")), List.of(), List.of(),
                o.path("readonly_root").asBoolean(), o.path("attach").asBoolean(), ulimits(o.path("rlimits")),
                null); // the privileges are worked out again from the spec at every start (secured)
    }

    private static List<io.krunbox.runtime.model.Ulimit> ulimits(com.fasterxml.jackson.databind.JsonNode a) {
        List<io.krunbox.runtime.model.Ulimit> out = new ArrayList<>();
        a.forEach(r -> out.add(new io.krunbox.runtime.model.Ulimit(r.path("name").asText(), r.path("soft").asLong(),
                r.path("hard").asLong())));
        return out;
    }

    /** Writes config.json into the box's control directory (host-owned: the box sees it read-only). */
    public void writeInto(BoxControl control) throws IOException {
        Files.createDirectories(control.dir());
        Path tmp = control.dir().resolve("config.json.tmp");
        Files.writeString(tmp, toJson());
        Files.move(tmp, control.config(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
