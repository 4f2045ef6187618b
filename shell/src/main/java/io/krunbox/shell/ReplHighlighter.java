package io.krunbox.shell;

import java.util.regex.Pattern;
import org.jline.reader.LineReader;
import org.jline.reader.impl.DefaultHighlighter;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/** Colours as you type: a krunbox command in bold blue, its flags in cyan; Groovy keywords and strings otherwise. */
final class ReplHighlighter extends DefaultHighlighter {
    private static final Pattern KEYWORD = Pattern.compile("\\b(def|if|else|for|while|return|new|true|false|null|in)\\b");

    @Override
    public AttributedString highlight(LineReader reader, String buffer) {
        AttributedStringBuilder out = new AttributedStringBuilder();
        String first = buffer.strip().split("\\s+", 2)[0];
        if (ReplCompleter.COMMANDS.contains(first)) {
            int at = buffer.indexOf(first);
            out.append(buffer.substring(0, at));
            out.styled(AttributedStyle.BOLD.foreground(AttributedStyle.BLUE), first);
            for (String part : buffer.substring(at + first.length()).split("(?<=\\s)|(?=\\s)")) {
                out.styled(part.startsWith("-") ? AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN)
                        : AttributedStyle.DEFAULT, part);
            }
            return out.toAttributedString();
        }
        int i = 0;
        while (i < buffer.length()) {
            char c = buffer.charAt(i);
            if (c == '\'' || c == '"') {
                int end = buffer.indexOf(c, i + 1);
                end = end < 0 ? buffer.length() : end + 1;
                out.styled(AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN), buffer.substring(i, end));
                i = end;
                continue;
            }
            var m = KEYWORD.matcher(buffer).region(i, buffer.length());
            if (m.lookingAt() && (i == 0 || !Character.isLetterOrDigit(buffer.charAt(i - 1)))) {
                out.styled(AttributedStyle.BOLD.foreground(AttributedStyle.MAGENTA), m.group());
                i = m.end();
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toAttributedString();
    }
}
