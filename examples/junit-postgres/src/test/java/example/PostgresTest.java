package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.krunbox.junit.Box;
import io.krunbox.junit.BoxContainer;
import io.krunbox.junit.KrunboxTest;
import io.krunbox.junit.Wait;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** PostgreSQL in a box for the class, reached over JDBC on its mapped port. */
@KrunboxTest
class PostgresTest {
    @Box
    static BoxContainer db = BoxContainer.of("oci:" + System.getProperty("service.images") + "/db")
            .withEnv("POSTGRES_PASSWORD", "secret")
            .withExposedPorts(5432)
            .withHealthCheck("pg_isready", "-h", "127.0.0.1", "-U", "postgres")
            .waitingFor(Wait.forHealthcheck())
            .withStartupTimeout(Duration.ofMinutes(2));

    private Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://" + db.host() + ":" + db.mappedPort(5432) + "/postgres",
                "postgres", "secret");
    }

    @Test
    void aTableIsCreatedFilledAndQueried() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE fruit (name text PRIMARY KEY, kilos int)");
            s.execute("INSERT INTO fruit VALUES ('apple', 3), ('pear', 5)");
            try (ResultSet r = s.executeQuery("SELECT sum(kilos), count(*) FROM fruit")) {
                assertTrue(r.next());
                assertEquals(8, r.getInt(1));
                assertEquals(2, r.getInt(2));
            }
        }
    }

    @Test
    void theServerIsTheRealPostgres() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW server_version")) {
            assertTrue(r.next());
            assertTrue(r.getString(1).startsWith("15."), r.getString(1));
        }
    }
}
