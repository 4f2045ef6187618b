package io.krunbox.runtime.isolation.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One libkrun call as data. The plan prints these and the shim executes exactly the same
 * list, so {@code --dry-run} shows what really happens. Arguments are Strings, Longs,
 * Booleans, {@link Mac}s and lists of Strings; {@code ctx} is implicit.
 */
public record KrunCall(String function, List<Object> args) {
    public KrunCall {
        // not List.copyOf: NULL is a real argument (krun_set_kernel's initramfs and cmdline)
        args = java.util.Collections.unmodifiableList(new ArrayList<>(args));
    }

    public static KrunCall of(String function, Object... args) {
        List<Object> list = new ArrayList<>();
        for (Object a : args) {
            list.add(a instanceof Integer i ? Long.valueOf(i) : a);
        }
        return new KrunCall(function, list);
    }

    public String string(int i) {
        return (String) args.get(i);
    }

    public long number(int i) {
        return ((Number) args.get(i)).longValue();
    }

    public boolean flag(int i) {
        return (Boolean) args.get(i);
    }

    @SuppressWarnings("unchecked")
    public String[] strings(int i) {
        return ((List<String>) args.get(i)).toArray(String[]::new);
    }

    public Mac mac(int i) {
        Object a = args.get(i);
        return a instanceof Mac m ? m : Mac.parse((String) a);
    }

    /** {@code krun_set_vm_config(ctx, 2, 512)}; create_ctx reads {@code krun_create_ctx() -> ctx}. */
    public String render() {
        if (function.equals("krun_create_ctx")) {
            return "krun_create_ctx() -> ctx";
        }
        List<String> parts = new ArrayList<>();
        parts.add("ctx");
        for (Object a : args) {
            parts.add(render(a));
        }
        return function + "(" + String.join(", ", parts) + ")";
    }

    private static String render(Object a) {
        if (a == null) {
            return "NULL";
        }
        if (a instanceof String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        if (a instanceof List<?> l) {
            return l.stream().map(KrunCall::render).collect(Collectors.joining(", ", "[", "]"));
        }
        return a.toString();
    }

    /** A MAC address, printed as 52:54:00:1a:2b:3c. */
    public record Mac(byte[] bytes) {
        public static Mac parse(String text) {
            String[] parts = text.split(":");
            if (parts.length != 6) {
                throw new IllegalArgumentException("not a MAC address: " + text);
            }
            byte[] b = new byte[6];
            for (int i = 0; i < 6; i++) {
                b[i] = (byte) Integer.parseInt(parts[i], 16);
            }
            return new Mac(b);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            for (byte x : bytes) {
                s.append(s.length() == 0 ? "" : ":").append(String.format("%02x", x & 0xff));
            }
            return s.toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Mac m && java.util.Arrays.equals(bytes, m.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }
    }
}
