package io.krunbox.build.dockerfile;

/**
 * A here-document of a RUN, COPY or ADD ({@code <<EOF} ... {@code EOF}): its name, its body and
 * whether the body is expanded ({@code <<"EOF"} and {@code <<'EOF'} are not) and leading tabs
 * were stripped ({@code <<-EOF}).
 */
public record Heredoc(String name, String body, boolean expand, boolean stripTabs) {}
