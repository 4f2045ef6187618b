package io.krunbox.runtime.base;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * One call of krunbox: its environment, working directory, standard streams and terminal.
 * A command reads these here and never from {@code System}: in the warm server many calls run
 * in one JVM at once, each with the client's own. Outside the server there is one, the process's.
 * The current one follows a call into the threads it starts ({@link #carry}).
 */
public final class Invocation {
    /** What a call's remote terminal can do: the client holds the real one. */
    public interface RemoteTerminal {
        /** Raw mode on (true) or back as it was (false), done by the client on its own terminal. */
        void raw(boolean on);

        /** {rows, columns}, as the client last reported them. */
        int[] size();

        /** Called when the client's window changes size; null clears. */
        void onResize(Runnable listener);
    }

    /** How a call ends early: the process halts; a server call completes with the code. */
    public interface Ender {
        void end(int code);
    }

    private static final Invocation PROCESS = new Invocation(System.getenv(), Path.of("").toAbsolutePath(),
            processUmask(), FileDescriptor.in, FileDescriptor.out, FileDescriptor.err, System.console() != null, null,
            code -> Runtime.getRuntime().halt(code), true);
    private static final InheritableThreadLocal<Invocation> CURRENT = new InheritableThreadLocal<>();

    private final Map<String, String> env;
    private final Path cwd;
    private final int umask;
    private final FileDescriptor in;
    private final FileDescriptor out;
    private final FileDescriptor err;
    private final boolean terminal;
    private final RemoteTerminal remote;
    private final Ender ender;
    private final boolean process;
    private final PrintStream outStream;
    private final PrintStream errStream;
    private final List<Thread> onSignal = new ArrayList<>();

    /** {@code umask}: the caller's, as 0022 (what files made for the caller lack). */
    public Invocation(Map<String, String> env, Path cwd, int umask, FileDescriptor in, FileDescriptor out, FileDescriptor err,
                      boolean terminal, RemoteTerminal remote, Ender ender) {
        this(env, cwd, umask, in, out, err, terminal, remote, ender, false);
    }

    private Invocation(Map<String, String> env, Path cwd, int umask, FileDescriptor in, FileDescriptor out,
                       FileDescriptor err, boolean terminal, RemoteTerminal remote, Ender ender, boolean process) {
        this.env = Map.copyOf(env);
        this.cwd = cwd.toAbsolutePath().normalize();
        this.umask = umask & 0777;
        this.in = in;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.remote = remote;
        this.ender = ender;
        this.process = process;
        // the process's own streams are System's as they are at each call (a test may set them)
        this.outStream = process ? null : new PrintStream(new FileOutputStream(out), true);
        this.errStream = process ? null : new PrintStream(new FileOutputStream(err), true);
    }

    /** The call this thread works for: the process's own outside the server. */
    public static Invocation current() {
        Invocation i = CURRENT.get();
        return i != null ? i : PROCESS;
    }

    /** The process's own invocation (its environment, directory and stdio). */
    public static Invocation process() {
        return PROCESS;
    }

    /** Runs {@code work} as {@code call}: {@link #current()} answers it in this thread and the threads it starts. */
    public static <T> T callIn(Invocation call, Callable<T> work) throws Exception {
        Invocation before = CURRENT.get();
        CURRENT.set(call);
        try {
            return work.call();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    /** {@code work} run as the current call, from whichever thread (a pool's) runs it. */
    public static Runnable carry(Runnable work) {
        Invocation call = current();
        return () -> {
            try {
                callIn(call, () -> {
                    work.run();
                    return null;
                });
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    public boolean isProcess() {
        return process;
    }

    public Map<String, String> env() {
        return env;
    }

    public String env(String name) {
        return env.get(name);
    }

    public String env(String name, String otherwise) {
        return env.getOrDefault(name, otherwise);
    }

    /** The caller's umask: what the mode of a file made for the caller lacks. */
    public int umask() {
        return umask;
    }

    /**
     * Gives {@code file}, which this call made for the caller (an {@code -o} output, an
     * {@code --iidfile}), the mode a file the caller's own process made would have: 0666 less the
     * caller's umask (the server's own umask is not the caller's).
     */
    public void madeForCaller(Path file) throws java.io.IOException {
        // never through a link: whoever can write the directory may have swapped the file for one
        java.nio.file.attribute.PosixFileAttributeView view = java.nio.file.Files.getFileAttributeView(file,
                java.nio.file.attribute.PosixFileAttributeView.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (!view.readAttributes().isRegularFile()) {
            throw new java.io.IOException(file + " is no longer the file written: not changing its mode");
        }
        view.setPermissions(FileModes.permissions(0666 & ~umask));
    }

    /** This process's umask, from /proc (022 where it cannot be read). */
    private static int processUmask() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) {
                    return Integer.parseInt(line.substring(6).trim(), 8);
                }
            }
        } catch (java.io.IOException | NumberFormatException unreadable) {
            // the usual default below
        }
        return 022;
    }

    /** The caller's working directory. */
    public Path cwd() {
        return cwd;
    }

    /** A path as the caller wrote it, resolved against the caller's directory (never the JVM's). */
    public Path resolve(String path) {
        return resolve(Path.of(path));
    }

    public Path resolve(Path path) {
        return cwd.resolve(path).normalize();
    }

    /** The caller's standard output for text (flushed at each line). */
    public PrintStream out() {
        return process ? System.out : outStream;
    }

    public PrintStream err() {
        return process ? System.err : errStream;
    }

    /** The caller's standard input, unbuffered (closing it closes the call's stdin only). */
    public InputStream stdin() {
        return new FileInputStream(in);
    }

    /** The caller's standard output for bytes, unbuffered. */
    public OutputStream stdout() {
        flush();
        return new FileOutputStream(out);
    }

    public OutputStream stderr() {
        flush();
        return new FileOutputStream(err);
    }

    public FileDescriptor stdinDescriptor() {
        return in;
    }

    public FileDescriptor stdoutDescriptor() {
        return out;
    }

    public FileDescriptor stderrDescriptor() {
        return err;
    }

    /** Whether stdin and stdout are a terminal (what {@code System.console() != null} says of a process). */
    public boolean terminal() {
        return terminal;
    }

    /** The client's terminal when a server runs the call on one; null in a process of its own. */
    public RemoteTerminal remoteTerminal() {
        return remote;
    }

    /**
     * Runs {@code hook} when the caller is interrupted or terminated (SIGINT, SIGTERM, SIGHUP):
     * a shutdown hook of the process, or of the server call.
     */
    public void onSignal(Thread hook) {
        if (process) {
            Runtime.getRuntime().addShutdownHook(hook);
        } else {
            synchronized (onSignal) {
                onSignal.add(hook);
            }
        }
    }

    /** The hooks {@link #onSignal} took for a server call. */
    public List<Thread> signalHooks() {
        synchronized (onSignal) {
            return List.copyOf(onSignal);
        }
    }

    /** Ends the call at once with {@code code}, as a process that halts. */
    public void end(int code) {
        flush();
        ender.end(code);
    }

    public void flush() {
        out().flush();
        err().flush();
    }
}
