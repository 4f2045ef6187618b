package io.krunbox.runtime.network;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.base.HostCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the host side of networking ({@code ip}, {@code nft}) in the right network namespace:
 * the host's, or the one {@code KRUNBOX_NETNS} (or {@code -Dkrunbox.netns}) names, so tests
 * and cautious users keep every bridge, link and rule inside it.
 */
public final class HostNet {
    private final String netns;

    public HostNet(String netns) {
        this.netns = netns == null || netns.isBlank() ? null : netns;
        if (this.netns != null && !Files.exists(path(this.netns))) {
            throw new BoxException("KRUNBOX_NETNS names network namespace \"" + netns + "\", which does not exist:"
                    + " create it with `ip netns add " + netns + "` or unset KRUNBOX_NETNS");
        }
    }

    public static HostNet fromEnvironment() {
        String ns = System.getProperty("krunbox.netns", Invocation.current().env("KRUNBOX_NETNS"));
        return new HostNet(ns);
    }

    public static Path path(String netns) {
        return Path.of("/run/netns", netns);
    }

    /** The namespace krunbox's host side lives in, or null for the host's own. */
    public String netns() {
        return netns;
    }

    /** The command prefix that enters that namespace ({@code nsenter --net=...}), empty for the host's. */
    public List<String> enter() {
        return netns == null ? List.of() : List.of("nsenter", "--net=" + path(netns));
    }

    /** {@code ip ARGS} in krunbox's namespace; fails with ip's own message. */
    public String ip(String... args) {
        return run(ipCommand(args));
    }

    /** As {@link #ip}, true when it worked, false (quietly) when not. */
    public boolean tryIp(String... args) {
        return HostCommand.tryRun(ipCommand(args).toArray(String[]::new)).exitCode() == 0;
    }

    public String nft(String... args) {
        return run(nftCommand(args));
    }

    public boolean tryNft(String... args) {
        return HostCommand.tryRun(nftCommand(args).toArray(String[]::new)).exitCode() == 0;
    }

    /** The output of {@code nft ARGS}, or empty when it fails (e.g. the table does not exist yet). */
    public java.util.Optional<String> tryNftOutput(String... args) {
        HostCommand.Result r = HostCommand.tryRun(nftCommand(args).toArray(String[]::new));
        return r.exitCode() == 0 ? java.util.Optional.of(r.output()) : java.util.Optional.empty();
    }

    private List<String> nftCommand(String... args) {
        List<String> cmd = new ArrayList<>(enter());
        cmd.add("nft");
        cmd.addAll(List.of(args));
        return cmd;
    }

    private List<String> ipCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        if (netns != null) {
            cmd.addAll(List.of("-n", netns));
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static String run(List<String> cmd) {
        HostCommand.Result r = HostCommand.tryRun(cmd.toArray(String[]::new));
        if (r.exitCode() != 0) {
            throw new BoxException(String.join(" ", cmd) + " failed: " + r.output().strip());
        }
        return r.output();
    }

    /** Whether a link of that name exists in krunbox's namespace. */
    public boolean linkExists(String name) {
        return tryIp("link", "show", "dev", name);
    }

    /** Writes a sysctl of krunbox's namespace (e.g. net/ipv4/ip_forward). */
    public void sysctl(String key, String value) {
        List<String> cmd = new ArrayList<>(enter());
        cmd.addAll(List.of("sh", "-c", "echo " + value + " > /proc/sys/" + key));
        run(cmd);
    }
}
