package io.krunbox.dsl;

import groovy.lang.Closure;
import java.util.function.Consumer;

/** Runs a Groovy block against a builder with DELEGATE_ONLY, so a typo is an error, never a silent property. */
final class Blocks {
    private Blocks() {}

    /** A word the block's builder does not know, with the builder (whose words are the valid ones). */
    static final class UnknownWord extends RuntimeException {
        final String word;
        final Class<?> builder;

        UnknownWord(String word, Class<?> builder, Throwable cause) {
            super(word, cause);
            this.word = word;
            this.builder = builder;
        }
    }

    static <T> T apply(T builder, Closure<?> block) {
        if (block != null) {
            Closure<?> c = (Closure<?>) block.clone();
            c.setResolveStrategy(Closure.DELEGATE_ONLY);
            c.setDelegate(builder);
            try {
                c.call(builder);
            } catch (groovy.lang.MissingMethodException e) {
                throw new UnknownWord(e.getMethod(), builder.getClass(), e);
            } catch (groovy.lang.MissingPropertyException e) {
                throw new UnknownWord(e.getProperty(), builder.getClass(), e);
            }
        }
        return builder;
    }

    static <T> T apply(T builder, Consumer<T> block) {
        if (block != null) {
            block.accept(builder);
        }
        return builder;
    }
}
