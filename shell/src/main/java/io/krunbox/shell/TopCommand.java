package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.exec.ExecRequest;
import io.krunbox.runtime.exec.ExecSession;
import io.krunbox.runtime.state.BoxStatus;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import io.krunbox.runtime.state.ProcessTruth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code krunbox top}: the processes of a running box. A sandbox's are host processes
 * (guest-init and its descendants, shown by the host's ps); a VM's live in the guest, where
 * ps runs through exec.
 */
@Command(name = "top", mixinStandardHelpOptions = true, description = "Show the processes of a running box.")
public final class TopCommand implements Callable<Integer> {
    @Parameters(paramLabel = "BOX")
    String box;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (BoxCommands c = new BoxCommands()) {
            return top(c, c.boxes.get(box), spec.commandLine().getOut());
        }
    }

    /** Lists the processes of box {@code b}, as {@code top} and {@code compose top} do. */
    static int top(BoxCommands c, BoxRecord b, java.io.PrintWriter out) throws Exception {
        if (!(b.status() == BoxStatus.RUNNING)) {
            throw new io.krunbox.runtime.base.BoxNotRunningException(b.name(), b.status().word());
        }
        if (b.isolation().equals("vm")) {
            ExecRequest ps = ExecRequest.asBox(c.boxes.config(b), List.of("ps", "-o", "pid,user,time,args"), List.of(),
                    "/", "", false);
            try (ExecSession s = c.boxes.exec(b, ps)) {
                s.closeStdin();
                return s.relay(Invocation.current().stdout(),
                        Invocation.current().stderr());
            }
        }
        ProcessHandle init = ProcessTruth.live(b.initPid(), b.initStart())
                .orElseThrow(() -> new BoxException("box " + b.name() + " has no live init process"));
        List<String> pids = new ArrayList<>();
        pids.add(Long.toString(init.pid()));
        init.descendants().forEach(p -> pids.add(Long.toString(p.pid())));
        out.print(HostCommand.run("ps", "-o", "user,pid,ppid,stime,time,args", "-p", String.join(",", pids)));
        out.flush();
        return 0;
    }
}
