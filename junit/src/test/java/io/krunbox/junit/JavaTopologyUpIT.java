package io.krunbox.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.model.Topology;
import org.junit.jupiter.api.Test;

/** A topology written in Java, brought up and down from Java. */
class JavaTopologyUpIT {
    @Test
    void aJavaBuiltTopologyComesUpTalksByNameAndGoesDown() throws Exception {
        Topology t = Topology.builder("javaup")
                .network("back")
                .box("kv", b -> b.image("demo").command("sh", "-c", "while true; do nc -l -p 6379 -e echo kv-ok; done")
                        .network("back", "store"))
                .box("app", b -> b.image("demo").command("sleep", "600").network("back").dependsOn("kv"))
                .build();
        t.up(true);
        Session s = Session.get();
        try {
            var app = new RunningBox(s, s.boxes.get("javaup-app-1").id(), "javaup-app-1");
            ExecResult r = app.exec("sh", "-c",
                    "for i in $(seq 25); do r=$(nc store 6379 </dev/null) && [ -n \"$r\" ] && echo $r && exit 0; sleep 0.2; done; exit 9");
            assertThat(r.stdout()).isEqualTo("kv-ok\n");
        } finally {
            t.down();
        }
        assertThat(s.boxes.list(true)).noneMatch(b -> b.name().startsWith("javaup-"));
        assertThat(s.runner.wiring().networks().store().find("javaup_back")).isEmpty();
    }
}
