package io.krunbox.junit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@link KrunboxTest}'s work: static {@link Box} fields started before the class's first test and
 * removed after its last, instance ones around each test; all of one kind started side by side,
 * and when one fails the others are removed and the test fails with its error.
 */
final class KrunboxExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KrunboxExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        List<Startable> boxes = fields(context.getRequiredTestClass(), null);
        context.getStore(NS).put("class", boxes);
        startAll(boxes);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopAll(context.getStore(NS).get("class", List.class));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        List<Startable> boxes = new ArrayList<>();
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            boxes.addAll(fields(instance.getClass(), instance));
        }
        context.getStore(NS).put("test", boxes);
        startAll(boxes);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopAll(context.getStore(NS).get("test", List.class));
    }

    /** The {@link Box} fields of a class and its superclasses, superclass first, in declaration order: static ones when {@code instance} is null. */
    private static List<Startable> fields(Class<?> type, Object instance) {
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            chain.add(0, c);
        }
        List<Startable> out = new ArrayList<>();
        for (Class<?> c : chain) {
            for (Field f : c.getDeclaredFields()) {
                if (!f.isAnnotationPresent(Box.class) || Modifier.isStatic(f.getModifiers()) != (instance == null)) {
                    continue;
                }
                f.setAccessible(true);
                Object value;
                try {
                    value = f.get(instance);
                } catch (IllegalAccessException e) {
                    throw new ExtensionConfigurationException("cannot read @Box field " + f.getName(), e);
                }
                if (!(value instanceof Startable s)) {
                    throw new ExtensionConfigurationException("@Box field " + c.getSimpleName() + "." + f.getName()
                            + " must hold a BoxContainer or a ComposeStack, not " + (value == null ? "null"
                            : value.getClass().getSimpleName()));
                }
                out.add(s);
            }
        }
        return out;
    }

    private static void startAll(List<Startable> boxes) {
        if (boxes.isEmpty()) {
            return;
        }
        Session session = Session.get();
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (Startable s : boxes) {
            starts.add(CompletableFuture.runAsync(() -> s.start(session)));
        }
        try {
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            stopAll(boxes);
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static void stopAll(List<?> boxes) {
        if (boxes == null) {
            return;
        }
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (Object s : boxes) {
            stops.add(CompletableFuture.runAsync(((Startable) s)::stop));
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
    }
}
