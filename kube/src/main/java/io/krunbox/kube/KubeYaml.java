package io.krunbox.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes objects to and from YAML through fabric8's typed model. Reading is strict: a kind
 * krunbox does not know, a field the API does not have, or YAML that does not parse is an error
 * naming the document (1-based, in file order) and the path of the field.
 */
public final class KubeYaml {
    /** The kinds {@code kube play} runs and {@code kube generate} writes, with their apiVersion. */
    public static final Map<String, Kind> KINDS = Map.of(
            "Pod", new Kind("v1", Pod.class),
            "Service", new Kind("v1", Service.class),
            "PersistentVolumeClaim", new Kind("v1", PersistentVolumeClaim.class),
            "ConfigMap", new Kind("v1", ConfigMap.class),
            "Secret", new Kind("v1", Secret.class),
            "Deployment", new Kind("apps/v1", Deployment.class),
            "StatefulSet", new Kind("apps/v1", StatefulSet.class),
            "DaemonSet", new Kind("apps/v1", DaemonSet.class),
            "Job", new Kind("batch/v1", Job.class));

    /** Bounds on what is read: a whole file, and documents in it. */
    public static final int MAX_BYTES = 8 << 20;
    public static final int MAX_DOCUMENTS = 1000;

    private static final ObjectMapper YAML = mapper();

    private static ObjectMapper mapper() {
        YAMLFactory f = new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).disable(YAMLGenerator.Feature.SPLIT_LINES);
        // a key given twice is an error, not "the last one wins" (privileged: false ... privileged: true)
        f.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return new ObjectMapper(f).disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    public record Kind(String apiVersion, Class<? extends HasMetadata> type) {}

    /** One document of a file: its index (1-based) and the object. */
    public record Document(int index, HasMetadata object) {}

    private KubeYaml() {}

    /** The objects as one multi-document YAML text. */
    public static String write(List<? extends HasMetadata> objects) {
        StringBuilder out = new StringBuilder();
        for (HasMetadata o : objects) {
            out.append("---\n");
            try {
                out.append(YAML.writeValueAsString(o));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write " + o.getKind() + " " + o.getMetadata().getName(), e);
            }
        }
        return out.toString();
    }

    /** Reads every document of {@code text} (from {@code source}, for messages) into its typed object. */
    public static List<Document> read(String text, String source) {
        if (text.length() > MAX_BYTES) {
            throw new KubeException(source + " is larger than " + (MAX_BYTES >> 20) + " MiB");
        }
        List<Document> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        int index = 0;
        try (YAMLParser p = (YAMLParser) YAML.getFactory().createParser(text)) {
            var docs = YAML.readValues(p, JsonNode.class);
            while (true) {
                JsonNode node;
                try {
                    if (!docs.hasNextValue()) {
                        break;
                    }
                    index++;
                    node = docs.nextValue();
                } catch (Exception e) {
                    throw new KubeException(source + ": document " + index + " is not valid YAML: " + message(e));
                }
                if (index > MAX_DOCUMENTS) {
                    throw new KubeException(source + " has more than " + MAX_DOCUMENTS + " documents");
                }
                if (node == null || node.isNull() || node.isMissingNode()) {
                    continue;
                }
                HasMetadata o = typed(node, source, index);
                if (!seen.add(o.getKind() + "/" + o.getMetadata().getName())) {
                    throw new KubeException(source + ": document " + index + ": " + o.getKind() + " "
                            + o.getMetadata().getName() + " is defined twice: keep one");
                }
                out.add(new Document(index, o));
            }
        } catch (java.io.IOException e) {
            throw new KubeException(source + ": " + message(e));
        }
        return out;
    }

    private static HasMetadata typed(JsonNode node, String source, int index) {
        String at = source + ": document " + index;
        if (!node.isObject()) {
            throw new KubeException(at + " is not a mapping: give a Kubernetes object (apiVersion, kind, metadata, spec)");
        }
        String kind = node.path("kind").asText("");
        Kind k = KINDS.get(kind);
        if (kind.isEmpty()) {
            throw new KubeException(at + " has no kind");
        }
        if (k == null) {
            throw new KubeException(at + ": kind " + kind + " is not supported: kube play runs "
                    + String.join(", ", new java.util.TreeSet<>(KINDS.keySet())));
        }
        if (!k.apiVersion().equals(node.path("apiVersion").asText(""))) {
            throw new KubeException(at + " (" + kind + "): apiVersion \"" + node.path("apiVersion").asText("")
                    + "\" is not " + k.apiVersion());
        }
        HasMetadata o;
        try {
            o = YAML.treeToValue(node, k.type());
        } catch (Exception e) {
            throw new KubeException(at + " (" + kind + "): " + message(e));
        }
        List<String> unknown = new ArrayList<>();
        unknownFields(o, "", unknown, 0);
        if (!unknown.isEmpty()) {
            throw new KubeException(at + " (" + kind + "): unknown field" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + ": not in the Kubernetes API (a typo?)");
        }
        if (o.getMetadata() == null || o.getMetadata().getName() == null || o.getMetadata().getName().isBlank()) {
            throw new KubeException(at + " (" + kind + ") has no metadata.name");
        }
        String name = o.getMetadata().getName();
        if (name.length() > 253 || !name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            throw new KubeException(at + " (" + kind + "): metadata.name \"" + printable(name) + "\" is not a DNS-1123 name"
                    + " (lowercase letters, digits, '-' and '.')");
        }
        return o;
    }

    /** Every field the typed model put aside as unknown (its additionalProperties), by path. */
    static void unknownFields(Object o, String path, List<String> out, int depth) {
        if (o == null || depth > 64) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", out, depth + 1);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, out, depth + 1));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || Modifier.isStatic(g.getModifiers()) || !g.getName().startsWith("get")
                    || g.getDeclaringClass() == Object.class) {
                continue;
            }
            Object v;
            try {
                v = g.invoke(o);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (g.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(k -> out.add((path.isEmpty() ? "" : path.substring(1) + ".") + k));
                }
                continue;
            }
            String name = Character.toLowerCase(g.getName().charAt(3)) + g.getName().substring(4);
            unknownFields(v, path + "." + name, out, depth + 1);
        }
    }

    /** {@code text} with control characters shown as {@code ?}, for messages. */
    public static String printable(String text) {
        return text == null ? "" : text.replaceAll("\\p{Cntrl}", "?");
    }

    private static String message(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return printable(nl > 0 ? m.substring(0, nl) : m).replaceAll(" \\(class [^)]*\\)", "").replaceAll("io\\.fabric8\\.[\\w.]+\\.", "");
    }
}
