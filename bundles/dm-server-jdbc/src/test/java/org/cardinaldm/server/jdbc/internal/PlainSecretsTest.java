package org.cardinaldm.server.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** What the registry keeps of a device's secrets is not readable from its rows. */
class PlainSecretsTest {

    @Test
    void the_device_rows_hold_no_plain_secret() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:plain-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ConnectionPool pool = new ConnectionPool(ds, 2, 10_000);
        try {
            JdbcServerStore store = JdbcServerStore.open(pool);
            store.insertDevice(StoreContract.device("IMEI:1"));
            try (Connection c = pool.borrow(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT * FROM cdm_device")) {
                assertThat(rs.next()).isTrue();
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.append(rs.getString(i)).append('|');
                }
                assertThat(row.toString()).doesNotContain("ZGlnZXN0Y2xpZW50PT0=", "ZGlnZXN0c2VydmVyPT0=", "|plain|");
            }
            assertThat(store.device("IMEI:1")).contains(StoreContract.device("IMEI:1"));
        } finally {
            pool.close();
        }
    }
}
