package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.krunbox.junit.Box;
import io.krunbox.junit.ComposeStack;
import io.krunbox.junit.KrunboxTest;
import io.krunbox.junit.StartedBox;
import io.krunbox.junit.Wait;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The db + kv + web stack of compose.yaml, with Redis and PostgreSQL reached from Java. */
@KrunboxTest
class StackTest {
    @Box
    static ComposeStack stack = ComposeStack.of(Path.of("src/test/resources/compose.yaml"))
            .withEnv("SERVICE_IMAGES", System.getProperty("service.images"))
            .waitingFor("db", Wait.forHealthcheck())
            .waitingFor("kv", Wait.forPort(6379))
            .waitingFor("web", Wait.forHttp("/"));

    @Test
    void redisAnswersOnItsMappedPort() throws Exception {
        StartedBox kv = stack.service("kv");
        try (Socket s = new Socket(kv.host(), kv.mappedPort(6379))) {
            OutputStream out = s.getOutputStream();
            out.write("SET greeting hello\r\nGET greeting\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("+OK", in.readLine());
            assertEquals("$5", in.readLine());
            assertEquals("hello", in.readLine());
        }
    }

    @Test
    void postgresAnswersOverJdbcAndTheWebBoxReachesItByName() throws Exception {
        StartedBox db = stack.service("db");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + db.host() + ":" + db.mappedPort(5432)
                + "/postgres", "postgres", "secret"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT 40 + 2")) {
            assertTrue(r.next());
            assertEquals(42, r.getInt(1));
        }
        var psql = stack.service("web").exec("psql", "-h", "db", "-U", "postgres", "-tAc", "SELECT 'from-web'");
        assertEquals(0, psql.exitCode(), psql.stderr());
        assertEquals("from-web\n", psql.stdout());
    }
}
