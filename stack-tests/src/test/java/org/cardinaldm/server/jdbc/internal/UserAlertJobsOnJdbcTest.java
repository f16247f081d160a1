package org.cardinaldm.server.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.InstallRequest;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationKind;
import org.cardinaldm.server.api.UserAlert;
import org.cardinaldm.server.internal.Registry;
import org.cardinaldm.server.internal.ServerConfig;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** User-interaction alerts and Sequences survive the H2 registry unchanged (no schema change: V001 columns). */
class UserAlertJobsOnJdbcTest {
    private ConnectionPool pool;
    private Registry registry;

    @BeforeEach
    void start() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:alerts-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        pool = new ConnectionPool(ds, 2, 10_000);
        registry = new Registry(JdbcServerStore.open(pool), ServerConfig.DEFAULT, Clock.systemUTC(),
                new SecureRandom());
        registry.register(DeviceRegistration.builder("IMEI:1").client(AuthScheme.MD5, "IMEI:1", "pw")
                .server(AuthScheme.MD5, null, "spw").build());
    }

    @AfterEach
    void stop() {
        pool.close();
    }

    @Test
    void every_alert_kind_and_a_sequence_read_back_equal_from_the_database() {
        List<Operation> ops = List.of(
                Operation.display("Maintenance\nat noon & later", 5, 30),
                Operation.textInput("Name?", 20, UserAlert.InputType.NUMERIC, UserAlert.Echo.PASSWORD, 60, "4 2"),
                Operation.choice("Colour", true, 0, List.of("Red", "Grün", "a&b=c")),
                new InstallRequest("hello", "https://apps.example.org/hello.jar?x=1&y=2", "1.0", false, null, 0)
                        .operation());
        Job job = registry.submit("IMEI:1", "ask", ops);
        Job read = registry.job(job.id()).orElseThrow();
        assertThat(read.operations()).isEqualTo(ops);
        assertThat(read.operations().get(3).kind()).isEqualTo(OperationKind.SEQUENCE);
        assertThat(read.flatOperations()).hasSize(10);
        assertThat(read.operations().get(2).userAlert().orElseThrow().choices()).containsExactly("Red", "Grün", "a&b=c");
    }
}
