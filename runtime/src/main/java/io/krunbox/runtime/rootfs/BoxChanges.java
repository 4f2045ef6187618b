package io.krunbox.runtime.rootfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a box changed in its root, as {@code docker diff} prints it: A (added), C (changed), D
 * (deleted), paths from the root. An overlay box's changes are its upper directory (whiteouts,
 * character devices 0/0, are deletions); a box whose root is a copy is compared with the
 * image's layers. Links are never followed; krunbox's own files ({@code /.krunbox}, and the
 * hosts, hostname and resolv.conf it writes) are not the box's changes.
 */
public final class BoxChanges {
    /** One change: its kind (A, C or D) and the path in the box. */
    public record Change(char kind, String path) {
        @Override
        public String toString() {
            return kind + " " + path;
        }
    }

    /** Paths (relative to the root) that krunbox itself writes. */
    public static final Set<String> KRUNBOX_OWN = Set.of(".krunbox", "etc/hosts", "etc/hostname", "etc/resolv.conf");

    private BoxChanges() {}

    /** The changes of the box in {@code boxDir} against its image's layer directories (top layer first). */
    public static List<Change> of(Path boxDir, List<Path> lowerDirs) throws IOException {
        Path upper = boxDir.resolve("upper");
        return Files.isDirectory(upper, LinkOption.NOFOLLOW_LINKS) ? fromUpper(upper, lowerDirs)
                : byComparison(RootfsPreparer.merged(boxDir), lowerDirs);
    }

    /** Whether {@code p} is overlayfs's whiteout: a character device 0/0, a deleted entry of a lower layer. */
    public static boolean isWhiteout(Path p) throws IOException {
        return isWhiteout(Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS));
    }

    /** The same, from attributes already read ({@code unix:mode} and {@code unix:rdev}). */
    public static boolean isWhiteout(Map<String, Object> a) {
        return ((Integer) a.get("mode") & 0170000) == 0020000 && ((Number) a.get("rdev")).longValue() == 0;
    }

    /**
     * {@code rel} as the layers (top first) have it: the topmost layer's entry, or empty when no
     * layer has it or the topmost one deleted it. A path that climbs ({@code ..}) is no layer's.
     */
    public static java.util.Optional<Path> inLayers(List<Path> layerDirs, String rel) throws IOException {
        Path clean = Path.of(rel.replaceFirst("^/+", "")).normalize();
        if (clean.startsWith("..")) {
            return java.util.Optional.empty();
        }
        for (Path l : layerDirs) {
            Path p = l.resolve(clean);
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return isWhiteout(p) ? java.util.Optional.empty() : java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    static boolean own(String rel) {
        return KRUNBOX_OWN.stream().anyMatch(k -> rel.equals(k) || rel.startsWith(k + "/"));
    }

    private static List<Change> fromUpper(Path upper, List<Path> lowerDirs) throws IOException {
        List<Change> out = new ArrayList<>();
        try (Stream<Path> all = Files.walk(upper)) {
            for (Path p : all.sorted().toList()) {
                if (p.equals(upper)) {
                    continue;
                }
                String rel = upper.relativize(p).toString();
                if (own(rel)) {
                    continue;
                }
                if (isWhiteout(p)) {
                    out.add(new Change('D', "/" + rel));
                } else {
                    out.add(new Change(inLayers(lowerDirs, rel).isPresent() ? 'C' : 'A', "/" + rel));
                }
            }
        }
        return out;
    }

    /**
     * Whether a file whose time changed (a copied root does not keep times) still holds what the
     * layer has: links by target, files by content, each inode compared once (hard links).
     */
    private static boolean sameContent(Path now, Path was, int type, Map<Object, Boolean> compared) throws IOException {
        if (type == 0120000) {
            return Files.readSymbolicLink(now).equals(Files.readSymbolicLink(was));
        }
        if (type != 0100000) {
            return true;
        }
        Object key = List.of(Files.getAttribute(now, "unix:dev", LinkOption.NOFOLLOW_LINKS),
                Files.getAttribute(now, "unix:ino", LinkOption.NOFOLLOW_LINKS), was);
        Boolean known = compared.get(key);
        if (known == null) {
            known = equalFiles(now, was);
            compared.put(key, known);
        }
        return known;
    }

    /** Byte for byte, each opened without following a link (the box may swap a file for one meanwhile). */
    private static boolean equalFiles(Path a, Path b) throws IOException {
        try (var x = new java.io.BufferedInputStream(Files.newInputStream(a, LinkOption.NOFOLLOW_LINKS), 1 << 16);
             var y = new java.io.BufferedInputStream(Files.newInputStream(b, LinkOption.NOFOLLOW_LINKS), 1 << 16)) {
            for (;;) {
                int c = x.read();
                if (c != y.read()) {
                    return false;
                }
                if (c < 0) {
                    return true;
                }
            }
        }
    }

    /** A copied root against the layers: what is new, what differs in type, size, mode, owner or time, what is gone. */
    private static List<Change> byComparison(Path root, List<Path> lowerDirs) throws IOException {
        TreeMap<String, Map<String, Object>> image = new TreeMap<>();
        for (int i = lowerDirs.size() - 1; i >= 0; i--) { // bottom layer first, upper layers override
            Path l = lowerDirs.get(i);
            try (Stream<Path> all = Files.walk(l)) {
                for (Path p : all.toList()) {
                    if (p.equals(l)) {
                        continue;
                    }
                    String rel = l.relativize(p).toString();
                    Map<String, Object> a = new java.util.HashMap<>(Files.readAttributes(p,
                            "unix:mode,rdev,size,uid,gid,lastModifiedTime", LinkOption.NOFOLLOW_LINKS));
                    a.put("path", p);
                    if (isWhiteout(a)) {
                        image.keySet().removeIf(k -> k.equals(rel) || k.startsWith(rel + "/"));
                    } else {
                        image.put(rel, a);
                    }
                }
            }
        }
        TreeMap<String, Change> changes = new TreeMap<>();
        Map<Object, Boolean> compared = new java.util.HashMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                if (p.equals(root)) {
                    continue;
                }
                String rel = root.relativize(p).toString();
                if (own(rel)) {
                    continue;
                }
                Map<String, Object> was = image.get(rel);
                if (was == null) {
                    changes.put(rel, new Change('A', "/" + rel));
                    continue;
                }
                Map<String, Object> now = Files.readAttributes(p, "unix:mode,rdev,size,uid,gid,lastModifiedTime",
                        LinkOption.NOFOLLOW_LINKS);
                int type = (Integer) now.get("mode") & 0170000;
                boolean same = now.get("mode").equals(was.get("mode")) && now.get("uid").equals(was.get("uid"))
                        && now.get("gid").equals(was.get("gid"))
                        && (type == 0040000 || now.get("size").equals(was.get("size"))
                        && (now.get("lastModifiedTime").equals(was.get("lastModifiedTime"))
                        || sameContent(p, (Path) was.get("path"), type, compared)));
                if (!same) {
                    changes.put(rel, new Change('C', "/" + rel));
                }
            }
        }
        for (String rel : image.keySet()) {
            if (!own(rel) && !Files.exists(root.resolve(rel), LinkOption.NOFOLLOW_LINKS)) {
                String parent = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/')) : null;
                if (parent == null || Files.exists(root.resolve(parent), LinkOption.NOFOLLOW_LINKS)) {
                    changes.put(rel, new Change('D', "/" + rel));
                }
            }
        }
        // a changed file's directories count as changed, as Docker prints them
        for (String rel : new ArrayList<>(changes.keySet())) {
            for (int i = rel.indexOf('/'); i > 0; i = rel.indexOf('/', i + 1)) {
                String dir = rel.substring(0, i);
                changes.putIfAbsent(dir, new Change(image.containsKey(dir) ? 'C' : 'A', "/" + dir));
            }
        }
        return new ArrayList<>(changes.values());
    }
}
