package io.krunbox.runtime.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One mount of a box: a host path, a named (or anonymous) volume, or a tmpfs.
 *
 * @param source  host path (bind), volume name (volume; null for an anonymous one), null for tmpfs
 * @param options tmpfs options ({@code size=64m,mode=1777}), else empty
 */
public record MountSpec(Type type, String source, String target, boolean readOnly, String options) {
    public enum Type { BIND, VOLUME, TMPFS }

    public MountSpec {
        options = options == null ? "" : options;
        if (target == null || !target.startsWith("/")) {
            throw new IllegalArgumentException("mount target \"" + target + "\" must be an absolute path in the box");
        }
        // checked as the box will resolve it: /run/../.krunbox is /.krunbox
        target = java.nio.file.Path.of(target).normalize().toString();
        if (target.equals("/") || target.startsWith("/.krunbox")) {
            throw new IllegalArgumentException("cannot mount over " + target + ": choose another path in the box");
        }
        if (type == Type.BIND && (source == null || !source.startsWith("/"))) {
            throw new IllegalArgumentException("bind source \"" + source + "\" must be an absolute host path");
        }
        if (type == Type.VOLUME && source != null && !source.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("volume name \"" + source
                    + "\" may only hold letters, digits, '_', '.', '-' (a host path must start with /)");
        }
    }

    /** {@code -v HOST_PATH:BOX_PATH[:ro|rw]}, {@code -v NAME:BOX_PATH[:ro]}, {@code -v BOX_PATH} (anonymous). */
    public static MountSpec parseVolume(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length > 3 || text.isEmpty()) {
            throw new IllegalArgumentException("invalid volume \"" + text + "\": use HOST_PATH:BOX_PATH[:ro] or NAME:BOX_PATH[:ro]");
        }
        if (parts.length == 1) {
            return new MountSpec(Type.VOLUME, null, parts[0], false, "");
        }
        boolean ro = false;
        if (parts.length == 3) {
            for (String o : parts[2].split(",")) {
                switch (o) {
                    case "ro", "readonly" -> ro = true;
                    case "rw", "z", "Z" -> { }
                    default -> throw new IllegalArgumentException("invalid volume \"" + text + "\": unknown option \""
                            + o + "\" (ro or rw)");
                }
            }
        }
        String src = parts[0];
        try {
            return new MountSpec(src.startsWith("/") || src.startsWith(".") ? Type.BIND : Type.VOLUME,
                    src.startsWith(".") ? io.krunbox.runtime.base.Invocation.current().resolve(java.nio.file.Path.of(src)).normalize().toString() : src,
                    parts[1], ro, "");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid volume \"" + text + "\": " + e.getMessage());
        }
    }

    /** {@code --tmpfs PATH[:size=64m,mode=1777]}. */
    public static MountSpec parseTmpfs(String text) {
        int colon = text.indexOf(':');
        String target = colon < 0 ? text : text.substring(0, colon);
        String options = colon < 0 ? "" : text.substring(colon + 1);
        return new MountSpec(Type.TMPFS, null, target, false, tmpfsOptions(text, options));
    }

    /** {@code --mount type=bind|volume|tmpfs,source=...,target=...[,readonly][,tmpfs-size=...][,tmpfs-mode=...]}. */
    public static MountSpec parseMount(String text) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            kv.put(eq < 0 ? part.trim().toLowerCase(Locale.ROOT) : part.substring(0, eq).trim().toLowerCase(Locale.ROOT),
                    eq < 0 ? "true" : part.substring(eq + 1).trim());
        }
        String type = kv.getOrDefault("type", "volume");
        String source = kv.getOrDefault("source", kv.get("src"));
        String target = kv.getOrDefault("target", kv.getOrDefault("destination", kv.get("dst")));
        boolean ro = kv.containsKey("readonly") && !kv.get("readonly").equals("false") || kv.containsKey("ro");
        for (String k : kv.keySet()) {
            if (!k.matches("type|source|src|target|destination|dst|readonly|ro|tmpfs-size|tmpfs-mode|volume-nocopy|bind-propagation")) {
                throw new IllegalArgumentException("invalid mount \"" + text + "\": unknown key \"" + k + "\"");
            }
        }
        if (target == null) {
            throw new IllegalArgumentException("invalid mount \"" + text + "\": target= is missing");
        }
        return switch (type) {
            case "bind" -> new MountSpec(Type.BIND, source, target, ro, "");
            case "volume" -> new MountSpec(Type.VOLUME, source, target, ro, "");
            case "tmpfs" -> {
                StringBuilder o = new StringBuilder();
                if (kv.containsKey("tmpfs-size")) {
                    o.append("size=").append(kv.get("tmpfs-size"));
                }
                if (kv.containsKey("tmpfs-mode")) {
                    o.append(o.length() > 0 ? "," : "").append("mode=").append(kv.get("tmpfs-mode"));
                }
                yield new MountSpec(Type.TMPFS, null, target, false, tmpfsOptions(text, o.toString()));
            }
            default -> throw new IllegalArgumentException("invalid mount \"" + text + "\": type \"" + type
                    + "\" is not bind, volume or tmpfs");
        };
    }

    private static String tmpfsOptions(String text, String options) {
        if (options.isEmpty()) {
            return "mode=1777";
        }
        for (String o : options.split(",")) {
            String k = o.contains("=") ? o.substring(0, o.indexOf('=')) : o;
            String v = o.contains("=") ? o.substring(o.indexOf('=') + 1) : "";
            boolean ok = switch (k) {
                case "size" -> v.matches("\\d+[kmgKMG%]?");
                case "mode" -> v.matches("[0-7]{3,4}");
                case "uid", "gid", "nr_inodes" -> v.matches("\\d+");
                default -> false;
            };
            if (!ok) {
                throw new IllegalArgumentException("invalid tmpfs \"" + text + "\": option \"" + o
                        + "\" (use size=64m, mode=1777, uid=, gid=)");
            }
        }
        return options;
    }

    @Override
    public String toString() {
        return switch (type) {
            case TMPFS -> "tmpfs:" + target + (options.isEmpty() ? "" : ":" + options);
            default -> (source == null ? "<anonymous>" : source) + ":" + target + (readOnly ? ":ro" : "");
        };
    }
}
