package org.cardinaldm.server.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import org.cardinaldm.server.api.spi.StoreException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cache of recently used devices of a registry only this process writes (embedded H2, {@link DeviceLocks}):
 * it holds what the database holds, and nothing the database does not.
 */
class DeviceCacheTest {
    private final ConnectionPool pool;
    private final JdbcServerStore store;

    DeviceCacheTest() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:cache-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        pool = ConnectionPool.of(ds, 4, 10_000, "cache-test");
        store = JdbcServerStore.open(pool);
    }

    @AfterEach
    void close() {
        pool.close();
    }

    private String column(String deviceId, String column) throws SQLException {
        try (Connection c = pool.borrow();
                PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM cdm_device WHERE device_id = ?")) {
            ps.setString(1, deviceId);
            var rs = ps.executeQuery();
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void an_update_from_the_cached_record_reaches_the_database() throws Exception {
        store.insertDevice(StoreContract.device("IMEI:1"));
        store.device("IMEI:1"); // cached
        store.updateDevice("IMEI:1", r -> r.toBuilder().serverNonce("b25l").build());
        store.updateDevice("IMEI:1", r -> r.toBuilder().clientNonce("dHdv").build());
        assertThat(column("IMEI:1", "server_nonce")).isEqualTo("b25l");
        assertThat(column("IMEI:1", "client_nonce")).isEqualTo("dHdv");
        assertThat(store.device("IMEI:1").orElseThrow().serverNonce()).isEqualTo("b25l");
        assertThat(store.devices()).containsExactly(store.device("IMEI:1").orElseThrow());
    }

    @Test
    void a_failed_update_leaves_neither_the_database_nor_the_cache_changed() {
        store.insertDevice(StoreContract.device("IMEI:1"));
        var before = store.device("IMEI:1").orElseThrow();
        assertThatThrownBy(() -> store.updateDevice("IMEI:1", r -> {
            throw new IllegalStateException("the change fails");
        })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.updateDevice("IMEI:1", r -> StoreContract.device("IMEI:2")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.device("IMEI:1")).contains(before);
    }

    @Test
    void a_removed_device_is_gone_from_the_cache_too() {
        store.insertDevice(StoreContract.device("IMEI:1"));
        store.device("IMEI:1");
        assertThat(store.deleteDevice("IMEI:1")).isTrue();
        assertThat(store.device("IMEI:1")).isEmpty();
        assertThat(store.updateDevice("IMEI:1", r -> r)).isEmpty();
        assertThat(store.insertDevice(StoreContract.device("IMEI:1"))).isTrue();
        assertThat(store.device("IMEI:1")).contains(StoreContract.device("IMEI:1"));
    }

    @Test
    void a_row_altered_behind_the_server_is_read_once_the_record_left_the_cache() throws Exception {
        store.insertDevice(StoreContract.device("IMEI:1"));
        var cached = store.device("IMEI:1").orElseThrow();
        try (Connection c = pool.borrow();
                PreparedStatement ps = c.prepareStatement("UPDATE cdm_device SET server_digest = 'forged' WHERE device_id = ?")) {
            ps.setString(1, "IMEI:1");
            ps.executeUpdate();
            c.commit();
        }
        assertThat(store.device("IMEI:1")).as("the cache still has what the server wrote").contains(cached);
        // a new store (a restart) reads the row, and its altered secret fails the integrity check
        JdbcServerStore restarted = JdbcServerStore.open(pool);
        assertThatThrownBy(() -> restarted.device("IMEI:1")).isInstanceOf(StoreException.class)
                .hasMessageContaining("integrity check");
    }
}
