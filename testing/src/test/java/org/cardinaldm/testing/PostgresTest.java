package org.cardinaldm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGConnectionPoolDataSource;

/** A real server: the embedded one from the Maven artifacts (or {@code CARDINAL_TEST_PG_URL}'s). */
@RequiresPostgres
class PostgresTest {
    private final PostgresDatabase db;

    PostgresTest(PostgresDatabase db) {
        this.db = db;
    }

    @Test
    void the_class_gets_an_empty_database_of_its_own_reachable_through_a_pooled_data_source() throws Exception {
        PGConnectionPoolDataSource ds = new PGConnectionPoolDataSource();
        ds.setURL(db.url());
        try (Connection c = ds.getPooledConnection().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname NOT IN "
                        + "('pg_catalog', 'information_schema')")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
        assertThat(db.name()).startsWith("cardinal_postgrestest_");
        assertThat(db.port()).isPositive();
        assertThat(db.toString()).doesNotContainPattern("password=(?!\\*\\*\\*)");
    }

    @Test
    void another_database_does_not_see_this_ones_tables() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS mine (id int)");
        }
        PostgresDatabase other = Postgres.createDatabase("other");
        try (Connection c = other.connect(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM mine")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("mine");
        } finally {
            other.drop();
        }
    }

    @Test
    void jdbc_urls_get_another_database_or_parameter() {
        assertThat(Postgres.withDatabase("jdbc:postgresql://h:1/a?user=u", "b")).isEqualTo("jdbc:postgresql://h:1/b?user=u");
        assertThat(Postgres.withDatabase("jdbc:postgresql://h:1/a", "b")).isEqualTo("jdbc:postgresql://h:1/b");
        assertThat(Postgres.withDatabase("jdbc:postgresql://h:1", "b")).isEqualTo("jdbc:postgresql://h:1/b");
        assertThat(Postgres.withParameter("jdbc:postgresql://h/a", "currentSchema", "s"))
                .isEqualTo("jdbc:postgresql://h/a?currentSchema=s");
        assertThat(Postgres.uniqueName("Two Nodes-Test")).matches("cardinal_two_nodes_test_\\d+_[0-9a-f]{6}");
    }
}
