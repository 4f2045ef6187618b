package io.krunbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.krunbox.kube.play.KubeTopology;
import io.krunbox.kube.play.PlayOptions;
import io.krunbox.runtime.model.MountSpec;
import io.krunbox.runtime.model.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kubernetes YAML as a Topology: what each kind becomes, and what is refused by document and path. */
class KubeTopologyTest {
    static Topology play(String yaml) {
        return new KubeTopology(new PlayOptions(null, null, false)).compile(KubeYaml.read(yaml, "t.yaml"), "t");
    }

    @Test
    void aDeploymentWithItsServiceClaimConfigMapSecretAndInitContainerIsATopology() throws Exception {
        Topology t = play(Files.readString(Path.of("src/test/resources/play/app.yaml")));
        assertThat(t.project()).isEqualTo("t");
        assertThat(t.services()).extracting(Topology.Service::name).containsExactly("client", "web", "web-init-prepare");
        Topology.Service web = t.service("web");
        assertThat(web.replicas()).isEqualTo(2);
        assertThat(web.template().networks().get(0).aliases()).containsExactly("web", "frontend");
        assertThat(web.template().env()).contains("GREETING=hello from the configmap", "PASSWORD=secret-value",
                "S_token=plain-token", "S_password=secret-value");
        assertThat(web.template().entrypoint()).containsExactly("sh", "-c");
        assertThat(web.template().mounts()).contains(new MountSpec(MountSpec.Type.VOLUME, "t_app-data", "/data", false, ""));
        assertThat(web.secrets()).extracting(Topology.SecretMount::target)
                .containsExactly("/run/secret/token", "/etc/app/app.conf", "/etc/app/greeting");
        assertThat(web.dependsOn()).containsOnlyKeys("web-init-prepare");
        assertThat(web.dependsOn().get("web-init-prepare").condition()).isEqualTo(Topology.Condition.COMPLETED_SUCCESSFULLY);
        assertThat(web.template().health().test()).containsExactly("sh", "-c",
                "nc -z 127.0.0.1 8080 2>/dev/null || nc 127.0.0.1 8080 </dev/null >/dev/null");
        assertThat(web.template().cpus()).isEqualTo(1);
        assertThat(web.template().memoryMib()).isEqualTo(128);
        assertThat(t.service("client").template().restart().toString()).isEqualTo("no");
        assertThat(t.volumes()).extracting(Topology.Volume::name).containsExactly("t_app-data");
    }

    @Test
    void aPublishedServiceMapsItsPortsOnlyWithPublish() {
        String yaml = """
                apiVersion: v1
                kind: Pod
                metadata: {name: api, labels: {app: api}}
                spec:
                  containers: [{name: api, image: demo, ports: [{containerPort: 80, name: web}]}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: api-published}
                spec: {type: LoadBalancer, selector: {app: api}, ports: [{port: 18080, targetPort: web}]}
                """;
        assertThat(play(yaml).service("api").template().ports()).isEmpty();
        Topology t = new KubeTopology(new PlayOptions("p", null, true)).compile(KubeYaml.read(yaml, "t.yaml"), "t");
        assertThat(t.service("api").template().ports()).extracting(p -> p.hostPort() + ":" + p.boxPort())
                .containsExactly("18080:80");
    }

    @Test
    void unknownKindsFieldsAndBrokenYamlAreRefusedByDocumentAndPath() {
        assertThatThrownBy(() -> play("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: a, image: demo}]}\n"
                + "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\n"))
                .hasMessageStartingWith("t.yaml: document 2: kind Ingress is not supported: kube play runs ConfigMap,");
        assertThatThrownBy(() -> play("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n"
                + "  - name: a\n    image: demo\n    imagePullPolicyy: Always\n"))
                .hasMessage("t.yaml: document 1 (Pod): unknown field spec.containers[0].imagePullPolicyy: not in the"
                        + " Kubernetes API (a typo?)");
        assertThatThrownBy(() -> play("apiVersion: v1\nkind: Pod\nmetadata: {name: a\n"))
                .hasMessageStartingWith("t.yaml: document 1 is not valid YAML");
        assertThatThrownBy(() -> play("apiVersion: apps/v2\nkind: Deployment\nmetadata: {name: a}\n"))
                .hasMessage("t.yaml: document 1 (Deployment): apiVersion \"apps/v2\" is not apps/v1");
        assertThatThrownBy(() -> play("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n"
                + "  - name: a\n    image: demo\n    env: [{name: X, valueFrom: {configMapKeyRef: {name: nope, key: k}}}]\n"))
                .hasMessage("document 1 (Pod a) container a: ConfigMap nope is not in the YAML: add it");
        assertThatThrownBy(() -> play("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"))
                .hasMessage("the YAML has no Pod, Deployment, StatefulSet, DaemonSet or Job: nothing to run");
    }

    @Test
    void aConfigMapItemCannotPointOutOfItsMount() {
        assertThatThrownBy(() -> play("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: v}\n---\n"
                + "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: a, image: demo,"
                + " volumeMounts: [{name: c, mountPath: /etc/c}]}]\n  volumes: [{name: c, configMap: {name: c,"
                + " items: [{key: k, path: ../../etc/passwd}]}}]\n"))
                .hasMessageContaining("item path ../../etc/passwd must stay under the mount path");
    }

    static String pod(String containerExtra, String specExtra) {
        return "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n" + specExtra + "  containers:\n  - name: a\n"
                + "    image: demo\n" + containerExtra;
    }

    @Test
    void whatOpensABoxToTheHostIsRefusedUnlessAllowed() {
        for (String ask : List.of("    securityContext: {privileged: true}\n",
                "    securityContext: {capabilities: {add: [SYS_ADMIN]}}\n",
                "    securityContext: {seccompProfile: {type: Unconfined}}\n")) {
            assertThatThrownBy(() -> play(pod(ask, ""))).as(ask).hasMessageContaining("give --allow-privileged");
            Topology t = new KubeTopology(new PlayOptions(null, null, false, true)).compile(
                    KubeYaml.read(pod(ask, ""), "t.yaml"), "t");
            assertThat(t.services()).hasSize(1);
        }
        String host = pod("    volumeMounts: [{name: h, mountPath: /h}]\n", "  volumes: [{name: h, hostPath: {path: /etc}}]\n");
        assertThatThrownBy(() -> play(host)).hasMessageContaining("hostPath /etc would open the box to the host");
        assertThatThrownBy(() -> play(pod("", "  hostNetwork: true\n"))).hasMessageContaining("hostNetwork");
    }

    @Test
    void aMountPathOrKeyCannotReachKrunboxsOwnFilesOrLeaveTheMount() {
        String cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {config.json: x}\n---\n";
        assertThatThrownBy(() -> play(cm + pod("    volumeMounts: [{name: c, mountPath: /run/../.krunbox}]\n",
                "  volumes: [{name: c, configMap: {name: c}}]\n")))
                .hasMessageContaining("mountPath \"/run/../.krunbox\" must be an absolute path without ..");
        assertThatThrownBy(() -> play("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {\"../x\": y}\n---\n"
                + pod("", ""))).hasMessageContaining("key \"../x\" may only hold letters, digits");
        assertThatThrownBy(() -> play("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: /etc}\n"))
                .hasMessageContaining("metadata.name \"/etc\" is not a DNS-1123 name");
    }

    @Test
    void duplicateKeysHugeQuantitiesNameClashesAndMissingFieldsAreClearErrors() {
        assertThatThrownBy(() -> play("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n"
                + "  - name: a\n    image: demo\n    image: other\n")).hasMessageContaining("Duplicate field 'image'");
        long start = System.nanoTime();
        assertThatThrownBy(() -> play(pod("    volumeMounts: [{name: e, mountPath: /e}]\n",
                "  volumes: [{name: e, emptyDir: {medium: Memory, sizeLimit: \"1e600000000\"}}]\n")))
                .hasMessageContaining("sizeLimit: 1e600000000 is out of range");
        assertThat(System.nanoTime() - start).as("refused at once").isLessThan(2_000_000_000L);
        assertThatThrownBy(() -> play(pod("", "") + "---\n" + pod("", "").replace("kind: Pod", "kind: Pod")))
                .hasMessageContaining("Pod a is defined twice");
        assertThatThrownBy(() -> play("apiVersion: v1\nkind: Pod\nmetadata: {name: a-b}\nspec:\n  containers: [{name: c,"
                + " image: demo}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:"
                + " [{name: b, image: demo}, {name: x, image: demo}]\n"))
                .hasMessageContaining("its box name a-b is another workload's or container's too");
        assertThatThrownBy(() -> play(pod("    env: [{value: x}]\n", ""))).hasMessageContaining("a required field is missing");
    }

    @Test
    void anEmptyDirIsSharedByTheInitAndMainContainersAndSecretFilesDoNotCollide() {
        String yaml = "apiVersion: v1\nkind: Secret\nmetadata: {name: app}\nstringData: {db-password: one}\n---\n"
                + "apiVersion: v1\nkind: Secret\nmetadata: {name: app-db}\nstringData: {password: two}\n---\n"
                + "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                + "  initContainers: [{name: i, image: demo, volumeMounts: [{name: w, mountPath: /w}]}]\n"
                + "  containers: [{name: m, image: demo, volumeMounts: [{name: w, mountPath: /w}, {name: s1, mountPath: /s1},"
                + " {name: s2, mountPath: /s2}]}]\n"
                + "  volumes: [{name: w, emptyDir: {}}, {name: s1, secret: {secretName: app}}, {name: s2, secret: {secretName: app-db}}]\n";
        Topology t = play(yaml);
        assertThat(t.service("p").template().mounts()).contains(new MountSpec(MountSpec.Type.VOLUME, "t_p-w-emptydir", "/w",
                false, ""));
        assertThat(t.service("p-init-i").template().mounts()).contains(new MountSpec(MountSpec.Type.VOLUME,
                "t_p-w-emptydir", "/w", false, ""));
        assertThat(t.secrets()).extracting(Topology.Secret::content).contains("one", "two");
        assertThat(t.secrets()).extracting(Topology.Secret::name).doesNotHaveDuplicates();
    }
}
