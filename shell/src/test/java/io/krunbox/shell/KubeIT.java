package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.testing.HostParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kube play} of hand-written Kubernetes YAML as real boxes, bad YAML refused, and the
 * round trip: a compose project through {@code kube generate} and back through {@code kube play},
 * reached by the same names, on the same ports, with the same data.
 */
class KubeIT extends SandboxCliTest {
    static final Path YAML = Path.of("src/test/resources/kube").toAbsolutePath();
    @TempDir Path work;

    @Test
    void aDeploymentOfTwoWithServiceClaimConfigMapSecretAndInitContainerRunsAsBoxes() throws Exception {
        Path app = Files.copy(YAML.resolve("app.yaml"), work.resolve("app.yaml"));
        ok("kube", "play", "--wait", app.toString());
        String ps = ok("ps", "-a", "--format", "{{.Names}} {{.Status}}").out();
        assertThat(ps).contains("app-web-1 Up", "app-web-2 Up", "app-client-1 Up", "app-web-init-prepare-1 Exited (0)");
        // the Service's name reaches the replicas from another box
        assertThat(ok("exec", "app-client-1", "sh", "-c",
                "for i in $(seq 25); do r=$(nc frontend 8080 </dev/null) && [ -n \"$r\" ] && echo $r && exit 0; sleep 0.2; done;"
                        + " exit 9").out()).isEqualTo("web-ok\n");
        // the init container ran first, on the claim; each replica wrote there with its ConfigMap and Secret values
        assertThat(ok("exec", "app-web-2", "cat", "/data/ready").out()).isEqualTo("prepared\n");
        String host1 = ok("exec", "app-web-1", "hostname").out().strip();
        assertThat(ok("exec", "app-web-2", "cat", "/data/" + host1).out())
                .isEqualTo("hello from the configmap secret-value\n");
        assertThat(ok("exec", "app-web-1", "cat", "/etc/app/app.conf").out()).isEqualTo("mode=test\n");
        assertThat(ok("exec", "app-web-1", "cat", "/run/secret/token").out()).isEqualTo("plain-token");
        assertThat(ok("volume", "ls", "-q").out()).contains("app_app-data");

        // --down takes the boxes and network, and keeps the claim's data; kube down --force takes that too
        ok("kube", "play", "--down", app.toString());
        assertThat(ok("ps", "-a", "-q").out()).isBlank();
        assertThat(ok("network", "ls", "-q").out()).doesNotContain("app_default");
        assertThat(ok("volume", "ls", "-q").out()).contains("app_app-data");
        ok("kube", "down", "--force", app.toString());
        assertThat(ok("volume", "ls", "-q").out()).doesNotContain("app_app-data");
    }

    @Test
    void malformedYamlAndUnknownKindsAreRefusedAndNothingRuns() throws Exception {
        Path broken = Files.copy(YAML.resolve("broken.yaml"), work.resolve("broken.yaml"));
        Cli.Result r = cli.run("kube", "play", broken.toString());
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).contains(broken + ": document 2 (Deployment): unknown field"
                + " spec.template.spec.containers[0].volumeMount: not in the Kubernetes API (a typo?)");
        Files.writeString(work.resolve("ingress.yaml"), "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\n");
        Cli.Result kind = cli.run("kube", "play", work.resolve("ingress.yaml").toString());
        assertThat(kind.exit()).isEqualTo(125);
        assertThat(kind.err()).contains("document 1: kind Ingress is not supported");
        Files.writeString(work.resolve("bad.yaml"), "kind: Pod\n  metadata: [\n");
        assertThat(cli.run("kube", "play", work.resolve("bad.yaml").toString()).err()).contains("is not valid YAML");
        assertThat(ok("ps", "-a", "-q").out()).isBlank();
        assertThat(ok("network", "ls", "-q").out()).isBlank();
    }

    @Test
    void aDslTopologyBecomesKubernetesYamlWithItsKindRuntimeClassNamespaceAndScale() throws Exception {
        Path script = work.resolve("shop.groovy");
        Files.writeString(script, "topology('shop') {\n  box('db') { image 'demo'; expose 5432; ulimits nofile: 1024 }\n"
                + "  box('web') { image 'demo'; ports '8080:80'; dependsOn 'db', healthy: true }\n}\n");
        Cli.Result r = ok("kube", "generate", "-f", script.toString(), "--type", "statefulset", "--runtime-class",
                "kata-qemu", "--namespace", "shop", "--scale", "web=3");
        assertThat(r.out()).contains("kind: StatefulSet", "runtimeClassName: kata-qemu", "namespace: shop", "replicas: 3",
                "name: wait-for-db", "nc -z -w 2 db 5432", "name: web-published");
        assertThat(r.err()).contains("not expressed in Kubernetes: service db: ulimits: [nofile]");
        Cli.Result bad = cli.run("kube", "generate", "-f", script.toString(), "--type", "cronjob");
        assertThat(bad.exit()).isEqualTo(125);
        assertThat(bad.err()).contains("--type cronjob is not one of deployment, statefulset, pod, daemonset, job");
        assertThat(bad.out()).isEmpty();
    }

    @Test
    void aComposeProjectGoesToKubernetesYamlAndBackWithItsNamesPortsAndData() throws Exception {
        Path images = HostParts.serviceImages();
        Path compose = work.resolve("compose.yaml");
        Files.copy(ComposeIT.PROJECTS.resolve("stack/compose.yaml"), compose, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(work.resolve(".env"), "SERVICE_IMAGES=" + images + "\nDB_PASSWORD=s3cret\n");
        String f = compose.toString();
        ok("compose", "-f", f, "up", "-d", "--wait");
        ok("exec", "stack-web-1", "psql", "-h", "db", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-qc",
                "create table orders (id int primary key, item text); insert into orders values (1, 'tea')");
        ok("compose", "-f", f, "down");

        Path kube = work.resolve("stack.yaml");
        Cli.Result gen = ok("kube", "generate", "-f", f, "-o", kube.toString());
        assertThat(gen.err()).contains("not expressed in Kubernetes: networks: the pods of a namespace share one network");
        String yaml = Files.readString(kube);
        assertThat(yaml).contains("kind: Deployment", "kind: Service", "kind: PersistentVolumeClaim", "name: database",
                "name: web-published", "type: LoadBalancer");

        ok("kube", "play", "--publish", "--wait", kube.toString());
        // the same names: kv, db and the alias database from web; the same data: the orders table of the compose run
        assertThat(ok("exec", "stack-web-1", "redis-cli", "-h", "kv", "set", "greeting", "hello").out()).isEqualTo("OK\n");
        assertThat(ok("exec", "stack-web-1", "psql", "-h", "database", "-U", "postgres", "-Atc",
                "select item from orders").out()).isEqualTo("tea\n");
        // the same published port
        HostCommand.Result page = HostCommand.tryRun("ip", "netns", "exec", HostParts.testNetns(), "busybox", "wget",
                "-qO-", "http://127.0.0.1:18091/");
        assertThat(page.output()).isEqualTo("served by nginx\n");
        ok("kube", "down", "--force", kube.toString());
        assertThat(ok("ps", "-a", "-q").out()).isBlank();
        assertThat(ok("volume", "ls", "-q").out()).doesNotContain("stack_pgdata");
    }
}
