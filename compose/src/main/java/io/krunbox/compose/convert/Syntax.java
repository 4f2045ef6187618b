package io.krunbox.compose.convert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compose's small languages: durations, sizes, port and volume short syntax, shell-style command splitting. */
final class Syntax {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|ns|h|m|s)");

    private Syntax() {}

    /** {@code 1m30s}, {@code 500ms}, {@code 10s}, or seconds as a number. */
    static Duration duration(String text) {
        if (text.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        Matcher m = DURATION.matcher(text);
        long nanos = 0;
        int at = 0;
        while (m.find() && m.start() == at) {
            double v = Double.parseDouble(m.group(1));
            nanos += (long) (v * switch (m.group(2)) {
                case "h" -> 3.6e12;
                case "m" -> 6e10;
                case "s" -> 1e9;
                case "ms" -> 1e6;
                case "us", "µs" -> 1e3;
                default -> 1;
            });
            at = m.end();
        }
        if (at != text.length() || text.isEmpty()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration (e.g. 10s, 1m30s, 500ms)");
        }
        return Duration.ofNanos(nanos);
    }

    /** Go's spelling of a duration, as {@code docker compose config} prints it: {@code 1m30s}, {@code 500ms}. */
    static String goDuration(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        StringBuilder s = new StringBuilder();
        long h = d.toHours();
        long m = d.toMinutesPart();
        double sec = d.toSecondsPart() + d.toMillisPart() / 1000.0;
        if (h > 0) {
            s.append(h).append('h');
        }
        if (h > 0 || m > 0) {
            s.append(m).append('m');
        }
        s.append(sec == Math.floor(sec) ? Long.toString((long) sec) : Double.toString(sec)).append('s');
        return s.toString();
    }

    /** {@code 512m}, {@code 1g}, {@code 1024k}, {@code 1.5gb} or bytes. */
    static long bytes(String text) {
        Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(b|ib)?", Pattern.CASE_INSENSITIVE).matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a size (e.g. 512m, 1g)");
        }
        double v = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        return (long) (v * (1L << shift));
    }

    /** One short-syntax port ({@code "127.0.0.1:8080:80/tcp"}, {@code 80}, ranges) as long-syntax maps. */
    static List<Map<String, Object>> ports(String text) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (io.krunbox.runtime.model.PortMapping p : io.krunbox.runtime.model.PortMapping.parse(text)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", "ingress");
            if (!p.hostIp().equals("0.0.0.0") || text.startsWith("0.0.0.0:")) {
                m.put("host_ip", p.hostIp());
            }
            m.put("target", p.boxPort());
            if (p.hostPort() != 0) {
                m.put("published", Integer.toString(p.hostPort()));
            }
            m.put("protocol", p.protocol());
            out.add(m);
        }
        return out;
    }

    /**
     * A bind's host path as Docker Compose gives it: an absolute one as written (a trailing slash
     * kept), a relative one resolved against the project directory and cleaned.
     */
    static String hostPath(java.nio.file.Path projectDir, String source) {
        return source.startsWith("/") ? source : projectDir.resolve(source).normalize().toString();
    }

    /** A decimal as Compose prints it: {@code 2} for "2", {@code 1.5} for "1.5". */
    static Number number(String text) {
        double d = Double.parseDouble(text);
        return d == Math.rint(d) && !Double.isInfinite(d) ? (Number) (long) d : (Number) d;
    }

    /** A path in the box, cleaned as Docker Compose cleans it ({@code /etc/app/} is {@code /etc/app}). */
    static String boxPath(String target) {
        String clean = java.nio.file.Path.of(target).normalize().toString();
        return clean.isEmpty() ? target : clean;
    }

    /** Short-syntax volume {@code SRC:DST[:ro]}, {@code NAME:DST}, {@code DST} as its long form. */
    static Map<String, Object> volume(String text, java.nio.file.Path projectDir) {
        String[] parts = text.split(":", -1);
        Map<String, Object> m = new LinkedHashMap<>();
        if (parts.length == 1) {
            m.put("type", "volume");
            m.put("target", boxPath(parts[0]));
            m.put("volume", Map.of());
        } else if (parts.length <= 3) {
            String src = parts[0];
            boolean bind = src.startsWith("/") || src.startsWith(".") || src.startsWith("~");
            m.put("type", bind ? "bind" : "volume");
            if (bind && src.startsWith("~")) {
                src = System.getProperty("user.home") + src.substring(1);
            }
            m.put("source", bind ? hostPath(projectDir, src) : src);
            m.put("target", boxPath(parts[1]));
            if (parts.length == 3) {
                for (String o : parts[2].split(",")) {
                    if (o.equals("ro")) {
                        m.put("read_only", true);
                    } else if (!o.equals("rw") && !o.equals("z") && !o.equals("Z") && !o.isEmpty()) {
                        throw new IllegalArgumentException("unknown volume option \"" + o + "\" (ro or rw)");
                    }
                }
            }
            if (bind) {
                m.put("bind", Map.of("create_host_path", true));
            } else {
                m.put("volume", Map.of());
            }
        } else {
            throw new IllegalArgumentException("\"" + text + "\" is not SOURCE:TARGET[:ro]");
        }
        if (!String.valueOf(m.get("target")).startsWith("/")) {
            throw new IllegalArgumentException("the target \"" + m.get("target") + "\" must be an absolute path");
        }
        return m;
    }

    /** Splits a command string as a POSIX shell would (quotes and backslashes), without running one. */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < text.length() && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
                    cur.append(text.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < text.length()) {
                cur.append(text.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed " + quote + " in \"" + text + "\"");
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }
}
