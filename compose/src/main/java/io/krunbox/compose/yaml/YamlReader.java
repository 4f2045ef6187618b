package io.krunbox.compose.yaml;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.DumperOptions;

/**
 * Reads one YAML document into {@link YNode}s through SnakeYAML's composer (no object
 * construction: nothing in the file can instantiate anything). Anchors and aliases are
 * resolved, merge keys ({@code <<: *base} or a list of them) applied with local keys
 * winning, duplicate keys refused, and the alias count limited.
 */
public final class YamlReader {
    static final int MAX_ALIASES = 200;

    private YamlReader() {}

    public static YNode read(String file, String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setCodePointLimit(8 * 1024 * 1024);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String why = (e.getContext() == null ? "" : e.getContext() + " ") + (e.getProblem() == null ? "" : e.getProblem());
            throw new ComposeException(List.of(new Loc(file, m == null ? 1 : m.getLine() + 1,
                    m == null ? 1 : m.getColumn() + 1) + ": invalid YAML: " + why.strip()));
        } catch (YAMLException e) {
            throw new ComposeException(List.of(file + ":1:1: invalid YAML: " + e.getMessage()));
        }
        if (root == null) {
            return YNode.Mapping.empty(new Loc(file, 1, 1));
        }
        return new YamlReader.Converter(file).convert(root, 0);
    }

    private static final class Converter {
        private final String file;
        private final Map<Node, YNode> done = new IdentityHashMap<>();

        Converter(String file) {
            this.file = file;
        }

        Loc loc(Node n) {
            Mark m = n.getStartMark();
            return new Loc(file, m.getLine() + 1, m.getColumn() + 1);
        }

        static String tag(Node n) {
            Tag t = n.getTag();
            String v = t.getValue();
            return v.equals("!reset") || v.equals("!override") ? v : null;
        }

        YNode convert(Node n, int depth) {
            if (depth > 100) {
                throw new ComposeException(loc(n), null, "nesting deeper than 100 levels");
            }
            YNode seen = done.get(n);
            if (seen != null) {
                return seen;
            }
            YNode out;
            if (n instanceof ScalarNode s) {
                out = new YNode.Scalar(s.getValue(), loc(n), tag(n),
                        s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN);
            } else if (n instanceof SequenceNode s) {
                List<YNode> items = new ArrayList<>();
                for (Node i : s.getValue()) {
                    items.add(convert(i, depth + 1));
                }
                out = new YNode.Sequence(items, loc(n), tag(n));
            } else {
                out = mapping((MappingNode) n, depth);
            }
            done.put(n, out);
            return out;
        }

        YNode.Mapping mapping(MappingNode n, int depth) {
            LinkedHashMap<String, YNode> entries = new LinkedHashMap<>();
            Map<String, Loc> keys = new LinkedHashMap<>();
            List<YNode.Mapping> merged = new ArrayList<>();
            for (NodeTuple t : n.getValue()) {
                Node k = t.getKeyNode();
                if (!(k instanceof ScalarNode ks)) {
                    throw new ComposeException(loc(k), null, "a mapping key must be a plain value");
                }
                if (ks.getValue().equals("<<") && ks.getTag().equals(Tag.MERGE) || ks.getValue().equals("<<")
                        && ks.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN) {
                    YNode v = convert(t.getValueNode(), depth + 1);
                    if (v instanceof YNode.Mapping m) {
                        merged.add(m);
                    } else if (v instanceof YNode.Sequence s && s.items().stream().allMatch(i -> i instanceof YNode.Mapping)) {
                        s.items().forEach(i -> merged.add((YNode.Mapping) i));
                    } else {
                        throw new ComposeException(v.loc(), null, "a merge key (<<) takes a mapping or a list of mappings");
                    }
                    continue;
                }
                if (entries.containsKey(ks.getValue())) {
                    throw new ComposeException(loc(k), null, "duplicate key \"" + ks.getValue() + "\" (first at line "
                            + keys.get(ks.getValue()).line() + ")");
                }
                entries.put(ks.getValue(), convert(t.getValueNode(), depth + 1));
                keys.put(ks.getValue(), loc(k));
            }
            // merged mappings first, in order (the first wins), then the local keys over them
            LinkedHashMap<String, YNode> all = new LinkedHashMap<>();
            Map<String, Loc> allKeys = new LinkedHashMap<>();
            for (YNode.Mapping m : merged) {
                m.entries().forEach((k, v) -> {
                    if (!all.containsKey(k)) {
                        all.put(k, v);
                        allKeys.put(k, m.keyLoc(k));
                    }
                });
            }
            entries.forEach((k, v) -> {
                all.remove(k);
                all.put(k, v);
            });
            allKeys.putAll(keys);
            return new YNode.Mapping(all, allKeys, loc(n), tag(n));
        }
    }
}
