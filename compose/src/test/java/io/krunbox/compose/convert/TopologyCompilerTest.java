package io.krunbox.compose.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.compose.Compose;
import io.krunbox.compose.load.LoadOptions;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.HealthCheck;
import io.krunbox.runtime.model.MountSpec;
import io.krunbox.runtime.model.NetworkAttachment;
import io.krunbox.runtime.model.PortMapping;
import io.krunbox.runtime.model.RestartPolicy;
import io.krunbox.runtime.model.Topology;
import io.krunbox.runtime.model.Ulimit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a compose project compiles to: the Topology, field by field. */
class TopologyCompilerTest {
    @TempDir Path dir;

    private Topology compile(String yaml) throws Exception {
        Path f = Files.writeString(dir.resolve("compose.yaml"), yaml);
        return Compose.topology(new LoadOptions(List.of(f), null, null, List.of(), List.of(), true,
                Map.of("HOME", "/home/tester"), dir));
    }

    @Test
    void aServiceBecomesABoxTemplateWithEveryKeyCarriedOver() throws Exception {
        Topology t = compile("""
                name: shop
                services:
                  db:
                    image: postgres:16
                    healthcheck:
                      test: ["CMD-SHELL", "pg_isready -U app"]
                      interval: 2s
                      timeout: 1s
                      retries: 7
                      start_period: 500ms
                      start_interval: 100ms
                    volumes: [data:/var/lib/postgresql/data]
                    networks:
                      back:
                        aliases: [database]
                        ipv4_address: 10.77.0.9
                  web:
                    image: nginx
                    command: ["nginx", "-g", "daemon off;"]
                    entrypoint: /docker-entrypoint.sh
                    environment: {MODE: prod, EMPTY: ""}
                    working_dir: /srv
                    user: "101:101"
                    hostname: front
                    labels: {team: core}
                    restart: on-failure:3
                    ports: ["127.0.0.1:8080:80", "443/udp"]
                    volumes:
                      - ./site:/usr/share/nginx/html:ro
                      - type: tmpfs
                        target: /var/cache/nginx
                        tmpfs: {size: 1048576}
                    tmpfs: [/run]
                    read_only: true
                    stop_signal: SIGQUIT
                    stop_grace_period: 3s
                    ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 64}
                    cap_add: [NET_ADMIN]
                    cap_drop: [MKNOD]
                    sysctls: {net.ipv4.ip_unprivileged_port_start: "0"}
                    dns: [10.0.0.2]
                    extra_hosts: ["api:10.0.0.5"]
                    depends_on:
                      db: {condition: service_healthy}
                    deploy:
                      replicas: 2
                      resources: {limits: {cpus: "1.5", memory: 256m, pids: 50}}
                    networks: [back, front]
                networks:
                  back:
                    ipam: {config: [{subnet: 10.77.0.0/24, gateway: 10.77.0.1}]}
                  front:
                    internal: true
                volumes:
                  data:
                """);
        assertThat(t.project()).isEqualTo("shop");
        assertThat(t.networks()).containsExactly(
                new Topology.Network("back", "shop_back", "10.77.0.0/24", "10.77.0.1", false, false,
                        Map.of(Topology.PROJECT_LABEL, "shop")),
                new Topology.Network("front", "shop_front", null, null, true, false, Map.of(Topology.PROJECT_LABEL, "shop")));
        assertThat(t.volumes()).containsExactly(new Topology.Volume("data", "shop_data", false,
                Map.of(Topology.PROJECT_LABEL, "shop")));

        Topology.Service db = t.service("db");
        assertThat(db.replicas()).isEqualTo(1);
        assertThat(db.template().health()).isEqualTo(HealthCheck.shell("pg_isready -U app").withTiming(
                Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(500), 7).withStartInterval(Duration.ofMillis(100)));
        assertThat(db.template().mounts()).containsExactly(
                new MountSpec(MountSpec.Type.VOLUME, "shop_data", "/var/lib/postgresql/data", false, ""));
        assertThat(db.template().networks()).containsExactly(
                new NetworkAttachment("shop_back", List.of("db", "database"), "10.77.0.9"));

        Topology.Service web = t.service("web");
        BoxSpec s = web.template();
        assertThat(web.replicas()).isEqualTo(2);
        assertThat(web.dependsOn()).containsExactly(Map.entry("db",
                new Topology.Dependency(Topology.Condition.HEALTHY, true)));
        assertThat(s.image()).isEqualTo("nginx");
        assertThat(s.command()).containsExactly("nginx", "-g", "daemon off;");
        assertThat(s.entrypoint()).containsExactly("/docker-entrypoint.sh");
        assertThat(s.env()).containsExactlyInAnyOrder("MODE=prod", "EMPTY=");
        assertThat(List.of(s.workdir(), s.user(), s.hostname())).containsExactly("/srv", "101:101", "front");
        assertThat(s.labels()).containsEntry("team", "core").containsEntry(Topology.PROJECT_LABEL, "shop")
                .containsEntry(Topology.SERVICE_LABEL, "web").containsKey(Topology.HASH_LABEL);
        assertThat(s.restart()).isEqualTo(RestartPolicy.parse("on-failure:3"));
        assertThat(s.ports()).containsExactly(new PortMapping("127.0.0.1", 8080, 80, "tcp"),
                new PortMapping("0.0.0.0", 0, 443, "udp"));
        assertThat(s.mounts()).containsExactly(
                new MountSpec(MountSpec.Type.BIND, dir.resolve("site").toString(), "/usr/share/nginx/html", true, ""),
                MountSpec.parseTmpfs("/var/cache/nginx:size=1048576"), MountSpec.parseTmpfs("/run"));
        assertThat(s.readOnly()).isTrue();
        assertThat(s.stop().signal()).isEqualTo("QUIT");
        assertThat(s.stop().grace()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.ulimits()).containsExactly(new Ulimit("nofile", 1024, 2048), new Ulimit("nproc", 64, 64));
        assertThat(s.security().capAdd()).containsExactly("NET_ADMIN");
        assertThat(s.security().capDrop()).containsExactly("MKNOD");
        assertThat(s.security().sysctls()).containsExactly(Map.entry("net.ipv4.ip_unprivileged_port_start", "0"));
        assertThat(s.dns()).containsExactly("10.0.0.2");
        assertThat(s.extraHosts()).containsExactly("api:10.0.0.5");
        assertThat(s.cpus()).isEqualTo(2);
        assertThat(s.memoryMib()).isEqualTo(256);
        assertThat(s.pidsLimit()).isEqualTo(50);
        assertThat(s.networks()).extracting(NetworkAttachment::network).containsExactly("shop_back", "shop_front");
    }

    @Test
    void secretsAndConfigsBecomeFilesMountedReadOnlyWhereTheServiceWantsThem() throws Exception {
        Files.writeString(dir.resolve("token.txt"), "s3cret");
        Topology t = compile("""
                name: app
                services:
                  api:
                    image: demo
                    network_mode: none
                    secrets: [token]
                    configs:
                      - source: motd
                        target: /etc/motd
                secrets:
                  token: {file: ./token.txt}
                configs:
                  motd: {content: "hello"}
                """);
        assertThat(t.secrets()).containsExactly(new Topology.Secret("secrets/token", dir.resolve("token.txt").toString(), null),
                new Topology.Secret("configs/motd", null, "hello"));
        Topology.Service api = t.service("api");
        assertThat(api.secrets()).containsExactly(new Topology.SecretMount("secrets/token", "/run/secrets/token"),
                new Topology.SecretMount("configs/motd", "/etc/motd"));
        assertThat(api.template().networks()).containsExactly(NetworkAttachment.of(NetworkAttachment.NONE));
    }

    @Test
    void theConfigHashChangesWithTheServiceAndOnlyWithIt() throws Exception {
        String base = "services:\n  a:\n    image: demo\n  b:\n    image: demo\n";
        Topology one = compile(base);
        Topology two = compile(base.replace("  b:\n    image: demo\n", "  b:\n    image: demo\n    command: [true]\n"));
        assertThat(two.service("a").template().labels().get(Topology.HASH_LABEL))
                .isEqualTo(one.service("a").template().labels().get(Topology.HASH_LABEL));
        assertThat(two.service("b").template().labels().get(Topology.HASH_LABEL))
                .isNotEqualTo(one.service("b").template().labels().get(Topology.HASH_LABEL));
    }
}
