package io.krunbox.dsl;

import groovy.lang.Closure;
import groovy.lang.ExpandoMetaClass;
import groovy.lang.GroovyShell;
import groovy.lang.MissingMethodException;
import groovy.lang.MissingPropertyException;
import groovy.util.DelegatingScript;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.customizers.ImportCustomizer;

/**
 * Runs a krunbox script: a {@link DelegatingScript} over {@link ScriptApi}, with durations
 * ({@code 2.s}, {@code 500.ms}, {@code 1.m}) and sizes ({@code 512.mb}, {@code 1.gb}) on
 * numbers. A misspelt word is an error naming the script's line and the words valid there.
 */
public final class DslRunner {
    private static boolean units;

    private DslRunner() {}

    /** Runs the script; returns the topologies it defined. */
    public static List<TopologyDsl> run(Path script, List<String> args) {
        String text;
        try {
            text = Files.readString(script);
        } catch (IOException e) {
            throw new DslException("cannot read script " + script + ": " + e.getMessage(), e);
        }
        if (text.startsWith("#!")) {
            text = "//" + text; // the shebang line keeps its line number
        }
        return run(script, text, args);
    }

    public static List<TopologyDsl> run(Path script, String text, List<String> args) {
        installUnits();
        CompilerConfiguration config = new CompilerConfiguration();
        config.setScriptBaseClass(DelegatingScript.class.getName());
        ImportCustomizer imports = new ImportCustomizer();
        imports.addImports(Duration.class.getName());
        imports.addStarImports("io.krunbox.dsl");
        config.addCompilationCustomizers(imports);
        GroovyShell shell = new GroovyShell(DslRunner.class.getClassLoader(), config);
        ScriptApi api = new ScriptApi(script, args);
        String name = script.getFileName().toString();
        DelegatingScript s;
        try {
            s = (DelegatingScript) shell.parse(text, name.endsWith(".groovy") ? name : name + ".groovy");
        } catch (CompilationFailedException e) {
            throw new DslException(script + ": " + e.getMessage().replaceFirst("^startup failed:\\s*", "").strip(), e);
        }
        s.setDelegate(api);
        Object outer = DslBlock.SCRIPT.get(); // a script run by load() from another
        DslBlock.SCRIPT.set(s);
        try {
            s.run();
        } catch (Blocks.UnknownWord e) {
            throw new DslException(script + ":" + line(e, name) + ": unknown word \"" + e.word + "\"" + words(e.builder), e);
        } catch (MissingMethodException | MissingPropertyException e) {
            throw new DslException(script + ":" + line(e, name) + ": unknown word \"" + word(e) + "\"" + valid(e), e);
        } catch (RuntimeException e) {
            if (e instanceof DslException) {
                throw e;
            }
            throw new DslException(script + ":" + line(e, name) + ": " + e.getMessage(), e);
        } finally {
            DslBlock.SCRIPT.set(outer);
        }
        return api.topologies;
    }

    private static String word(RuntimeException e) {
        return e instanceof MissingMethodException m ? m.getMethod() : ((MissingPropertyException) e).getProperty();
    }

    /** The words of the block the typo was in (the builder the closure delegated to). */
    private static String valid(RuntimeException e) {
        return words(ScriptApi.class);
    }

    private static String words(Class<?> type) {
        if (type == null || !type.getName().startsWith("io.krunbox.dsl")) {
            return "";
        }
        TreeSet<String> words = new TreeSet<>();
        for (Method m : type.getMethods()) {
            if (m.getDeclaringClass() == type && Modifier.isPublic(m.getModifiers()) && !m.getName().startsWith("get")
                    && !List.of("compile", "normalized", "toCompose", "document").contains(m.getName())) {
                words.add(m.getName());
            }
        }
        return words.isEmpty() ? "" : "; valid here: " + String.join(", ", words);
    }

    private static int line(Throwable e, String file) {
        String f = file.endsWith(".groovy") ? file : file + ".groovy";
        // the innermost cause was thrown where the word is; the wrappers were made further out
        java.util.List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.add(0, t);
        }
        for (Throwable t : chain) {
            for (StackTraceElement el : t.getStackTrace()) {
                if (f.equals(el.getFileName()) && el.getLineNumber() > 0) {
                    return el.getLineNumber();
                }
            }
        }
        return 0;
    }

    /** {@code 2.s}, {@code 500.ms}, {@code 3.m}, {@code 1.h}; {@code 512.mb}, {@code 1.gb}, {@code 64.kb}. */
    private static synchronized void installUnits() {
        if (units) {
            return;
        }
        ExpandoMetaClass.enableGlobally();
        groovy.lang.MetaClass mc = groovy.lang.GroovySystem.getMetaClassRegistry().getMetaClass(Integer.class);
        ExpandoMetaClass emc = mc instanceof ExpandoMetaClass x ? x : new ExpandoMetaClass(Integer.class, true, true);
        emc.registerInstanceMethod("getMs", new Unit(n -> Duration.ofMillis(n)));
        emc.registerInstanceMethod("getS", new Unit(n -> Duration.ofSeconds(n)));
        emc.registerInstanceMethod("getM", new Unit(n -> Duration.ofMinutes(n)));
        emc.registerInstanceMethod("getH", new Unit(n -> Duration.ofHours(n)));
        emc.registerInstanceMethod("getKb", new Unit(n -> n + "k"));
        emc.registerInstanceMethod("getMb", new Unit(n -> n + "m"));
        emc.registerInstanceMethod("getGb", new Unit(n -> n + "g"));
        emc.initialize();
        groovy.lang.GroovySystem.getMetaClassRegistry().setMetaClass(Integer.class, emc);
        units = true;
    }

    /** A unit property on integers. */
    private static final class Unit extends Closure<Object> {
        private final java.util.function.IntFunction<Object> f;

        Unit(java.util.function.IntFunction<Object> f) {
            super(null);
            this.f = f;
        }

        @Override
        public Object call() {
            return f.apply((Integer) getDelegate());
        }

        @Override
        public Class<?>[] getParameterTypes() {
            return new Class<?>[0];
        }
    }
}
