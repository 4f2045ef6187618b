package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.testing.HostParts;
import io.krunbox.runtime.testing.Require;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same Dockerfile built by krunbox and by buildah (Debian's, {@code bud --layers}): both
 * images unpacked by umoci hold the same files (name, type, mode, owner, content) and their
 * configs the same fields. Buildah leaves its mount points behind (empty /etc/hosts, /etc/hostname,
 * /etc/resolv.conf, /run) and labels its version; those are its own.
 */
class BuildahParityIT extends SandboxCliTest {
    static final Set<String> BUILDAHS_OWN = Set.of("etc/hostname", "etc/hosts", "etc/resolv.conf", "run");

    @TempDir Path dir;

    @Test
    void krunboxAndBuildahMakeTheSameImageOfTheSameDockerfile() throws Exception {
        Require.part("buildah", Files.isExecutable(Path.of("/usr/bin/buildah")) && Files.isExecutable(Path.of("/usr/bin/umoci")),
                "buildah and umoci are missing (scripts/setup.sh installs them)");
        Path ctx = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), """
                ARG BASE=demo
                FROM ${BASE} AS builder
                WORKDIR /app
                COPY greet.txt ./
                RUN cat greet.txt > out.txt && echo built >> out.txt && rm -rf /etc/opt && mkdir -p /etc/opt && echo x > /etc/opt/y

                FROM ${BASE}
                ENV MODE=prod
                LABEL title=parity
                COPY --from=builder /app/out.txt /srv/out.txt
                COPY --chown=1000:1000 notes/ /srv/notes/
                RUN rm /etc/group && mkdir -p /var/data && chmod 750 /var/data && ln -s /srv/out.txt /srv/link
                USER 1000
                WORKDIR /srv
                EXPOSE 8080/tcp
                VOLUME /var/data
                STOPSIGNAL SIGQUIT
                ENTRYPOINT ["cat"]
                CMD ["/srv/out.txt"]
                """);
        Files.writeString(ctx.resolve("greet.txt"), "hi\n");
        Files.createDirectories(ctx.resolve("notes"));
        Files.writeString(ctx.resolve("notes/a.txt"), "n\n");
        ok("build", "-q", "-t", "parity-k", "--network", "none", ctx.toString());
        ok("save", "-o", dir.resolve("k.tar").toString(), "parity-k");
        HostCommand.run("skopeo", "copy", "-q", "oci-archive:" + dir.resolve("k.tar"), "oci:" + dir.resolve("a") + ":t");
        String storage = "--root=" + dir.resolve("buildah-root");
        String runroot = "--runroot=" + dir.resolve("buildah-run");
        HostCommand.run("buildah", storage, runroot, "bud", "--layers", "-q", "--format", "oci", "-t", "parity-b",
                "--build-arg", "BASE=oci:" + HostParts.demoImage().toAbsolutePath(), ctx.toString());
        HostCommand.run("buildah", storage, runroot, "push", "-q", "parity-b", "oci:" + dir.resolve("b") + ":t");
        HostCommand.run("umoci", "unpack", "--image", dir.resolve("a") + ":t", dir.resolve("ua").toString());
        HostCommand.run("umoci", "unpack", "--image", dir.resolve("b") + ":t", dir.resolve("ub").toString());
        Map<String, String> ours = tree(dir.resolve("ua/rootfs"));
        Map<String, String> theirs = tree(dir.resolve("ub/rootfs"));
        BUILDAHS_OWN.forEach(theirs::remove);
        assertThat(ours).containsEntry("srv/out.txt", "file 644 0:0 " + sha("hi\nbuilt\n"))
                .containsEntry("srv/link", "link 777 0:0 /srv/out.txt").doesNotContainKey("etc/group");
        assertThat(ours).isEqualTo(theirs);
        JsonNode a = config(dir.resolve("a"));
        ObjectNode b = (ObjectNode) config(dir.resolve("b"));
        ((ObjectNode) b.get("Labels")).remove("io.buildah.version");
        assertThat(a).isEqualTo(b);
    }

    static JsonNode config(Path layout) throws Exception {
        return new ObjectMapper().readTree(HostCommand.run("skopeo", "inspect", "--config", "oci:" + layout + ":t"))
                .get("config");
    }

    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                if (p.equals(root)) {
                    continue;
                }
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) a.get("mode");
                String kind = switch (mode & 0170000) {
                    case 0040000 -> "dir";
                    case 0120000 -> "link";
                    case 0100000 -> "file";
                    default -> "other";
                };
                String what = kind.equals("file") ? sha(Files.readAllBytes(p)) : kind.equals("link")
                        ? Files.readSymbolicLink(p).toString() : "";
                out.put(root.relativize(p).toString(), (kind + " " + Integer.toOctalString(mode & 07777) + " " + a.get("uid")
                        + ":" + a.get("gid") + " " + what).strip());
            }
        }
        return out;
    }

    static String sha(String s) throws Exception {
        return sha(s.getBytes());
    }

    static String sha(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
