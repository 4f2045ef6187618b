package io.krunbox.runtime.base;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Box ids (64 hex digits, shown as 12) and friendly generated names like {@code gentle-otter}. */
public final class BoxNames {
    private static final List<String> ADJECTIVES = List.of("agile", "bold", "brave", "bright", "calm", "clever",
            "cosy", "crisp", "daring", "eager", "fair", "fond", "gentle", "glad", "happy", "humble", "jolly", "keen",
            "kind", "lively", "lucid", "merry", "mild", "neat", "nimble", "noble", "plucky", "proud", "quick", "quiet",
            "rapid", "shy", "sleek", "snug", "steady", "swift", "tidy", "vivid", "warm", "witty", "zesty");
    private static final List<String> ANIMALS = List.of("badger", "beaver", "bison", "crane", "dingo", "eagle",
            "ferret", "finch", "gecko", "heron", "ibex", "jackal", "koala", "lemur", "lynx", "marten", "moose",
            "newt", "ocelot", "otter", "panda", "puffin", "quokka", "raven", "robin", "salmon", "seal", "stoat",
            "swan", "tapir", "toucan", "urchin", "vole", "walrus", "wombat", "yak", "zebra");
    private static final SecureRandom RANDOM = new SecureRandom();

    private BoxNames() {}

    public static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The random source generated names are drawn from. */
    public static Random random() {
        return RANDOM;
    }

    public static String name(Random r) {
        return ADJECTIVES.get(r.nextInt(ADJECTIVES.size())) + "-" + ANIMALS.get(r.nextInt(ANIMALS.size()));
    }

    /** Every adjective-animal pair a generated name can be. */
    public static List<String> allWordPairs() {
        return ADJECTIVES.stream().flatMap(a -> ANIMALS.stream().map(n -> a + "-" + n)).toList();
    }

    /** Docker's rule for names: a letter or digit, then letters, digits, '_', '.', '-'. */
    public static void checkName(String name) {
        if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}")) {
            throw new BoxException("box name \"" + name + "\" is invalid: use a letter or digit first, then letters,"
                    + " digits, '_', '.' or '-' (at most 63 characters)");
        }
    }
}
