package io.krunbox.dsl;

import groovy.lang.GroovyObjectSupport;
import groovy.lang.MissingMethodException;
import java.lang.reflect.Method;
import org.codehaus.groovy.runtime.InvokerHelper;

/**
 * What every DSL builder is: a word it does not know is looked up among the functions the
 * script itself defines (so {@code def web(...)} can be called inside a block), and is an
 * error otherwise. Nothing falls through to an outer block by accident.
 */
public abstract class DslBlock extends GroovyObjectSupport {
    static final ThreadLocal<Object> SCRIPT = new ThreadLocal<>();

    @Override
    public Object invokeMethod(String name, Object args) {
        try {
            return getMetaClass().invokeMethod(this, name, args);
        } catch (MissingMethodException e) {
            Object script = SCRIPT.get();
            if (!name.equals(e.getMethod()) || script == null) {
                throw e;
            }
            for (Method m : script.getClass().getDeclaredMethods()) {
                if (m.getName().equals(name)) {
                    return InvokerHelper.invokeMethod(script, name, args);
                }
            }
            throw e;
        }
    }
}
