package org.cardinaldm.server.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.api.spi.StoreException;
import org.cardinaldm.server.jdbc.internal.secrets.RegistryKey;
import org.cardinaldm.server.jdbc.internal.secrets.SecretCipher;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Encrypted secret columns on H2: migration of plain rows, rotation, a wrong key, tampering. */
class RegistrySecretsTest {
    private static final String CLIENT_DIGEST = "ZGlnZXN0Y2xpZW50PT0=";
    private static final String SERVER_DIGEST = "ZGlnZXN0c2VydmVyPT0=";
    private static final String SERVER_PASSWORD = "plain";

    private final ConnectionPool pool;
    private final RegistryKey keyA = RegistryKey.random();
    private final RegistryKey keyB = RegistryKey.random();

    RegistrySecretsTest() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:secrets-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        pool = new ConnectionPool(ds, 4, 10_000);
    }

    @AfterEach
    void close() {
        pool.close();
    }

    private String[] rawSecrets(String deviceId) throws SQLException {
        try (Connection c = pool.borrow(); PreparedStatement ps = c.prepareStatement("SELECT client_digest, "
                + "server_digest, server_password, secrets_key FROM cdm_device WHERE device_id = ?")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)};
            }
        }
    }

    private void update(String sql, String... args) throws SQLException {
        try (Connection c = pool.borrow(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            ps.executeUpdate();
            c.commit(); // the pool lends connections with auto-commit off
        }
    }

    @Test
    void the_rows_hold_the_secrets_encrypted_with_the_current_key() throws Exception {
        JdbcServerStore store = JdbcServerStore.open(pool, new SecretCipher(keyA));
        store.insertDevice(StoreContract.device("IMEI:1"));
        String[] raw = rawSecrets("IMEI:1");
        assertThat(raw[0]).isNotEqualTo(CLIENT_DIGEST).doesNotContain(CLIENT_DIGEST);
        assertThat(raw[1]).doesNotContain(SERVER_DIGEST);
        assertThat(raw[2]).doesNotContain(SERVER_PASSWORD);
        assertThat(raw[3]).isEqualTo(keyA.id());
        assertThat(store.device("IMEI:1")).contains(StoreContract.device("IMEI:1"));
        store.updateDevice("IMEI:1", r -> r.toBuilder().serverNonce("bmV3").build());
        assertThat(rawSecrets("IMEI:1")).as("a new nonce leaves the secrets as they were").containsExactly(raw);
        store.updateDevice("IMEI:1", r -> r.toBuilder().client(r.clientAuth(), r.clientUser(), "bmV3ZGlnZXN0").build());
        String[] changed = rawSecrets("IMEI:1");
        assertThat(changed[0]).as("a new digest, sealed with a new IV").isNotEqualTo(raw[0]).doesNotContain("bmV3ZGlnZXN0");
        assertThat(changed[1]).as("its row's other secrets sealed again with it").isNotEqualTo(raw[1]);
        assertThat(changed[3]).isEqualTo(keyA.id());
        assertThat(store.device("IMEI:1").orElseThrow().clientDigest()).isEqualTo("bmV3ZGlnZXN0");
        assertThat(store.devices()).containsExactly(store.device("IMEI:1").orElseThrow());
    }

    @Test
    void plain_rows_of_an_older_registry_are_encrypted_when_the_store_opens() throws Exception {
        try (Connection c = pool.borrow(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE cdm_schema_version (version INT NOT NULL PRIMARY KEY, applied BIGINT NOT NULL, "
                    + "script VARCHAR(256) NOT NULL)");
            for (String sql : Migrations.statements(Migrations.load("V001__registry.sql"), Dialect.H2)) {
                st.execute(sql);
            }
            st.execute("INSERT INTO cdm_schema_version VALUES (1, 0, 'V001__registry.sql')");
            st.execute("INSERT INTO cdm_device (device_id, client_auth, client_user, client_digest, server_auth, "
                    + "server_user, server_digest, server_password, enabled, auth_failures, total_auth_failures) "
                    + "VALUES ('old', 'MD5', 'u', '" + CLIENT_DIGEST + "', 'BASIC', 's', '" + SERVER_DIGEST + "', '"
                    + SERVER_PASSWORD + "', TRUE, 0, 0)");
            c.commit();
        }
        JdbcServerStore store = JdbcServerStore.open(pool, new SecretCipher(keyA));
        String[] raw = rawSecrets("old");
        assertThat(String.join("|", raw)).doesNotContain(CLIENT_DIGEST, SERVER_DIGEST, "|" + SERVER_PASSWORD + "|");
        assertThat(raw[3]).isEqualTo(keyA.id());
        DeviceRecord old = store.device("old").orElseThrow();
        assertThat(old.clientDigest()).isEqualTo(CLIENT_DIGEST);
        assertThat(old.serverDigest()).isEqualTo(SERVER_DIGEST);
        assertThat(old.serverPassword()).isEqualTo(SERVER_PASSWORD);
    }

    @Test
    void a_plain_row_written_behind_the_servers_back_is_refused_not_read() throws Exception {
        JdbcServerStore store = JdbcServerStore.open(pool, new SecretCipher(keyA));
        store.insertDevice(StoreContract.device("IMEI:1"));
        update("UPDATE cdm_device SET client_digest = ?, secrets_key = NULL WHERE device_id = 'IMEI:1'", CLIENT_DIGEST);
        assertThatThrownBy(() -> store.device("IMEI:1")).isInstanceOf(StoreException.class)
                .hasMessageContaining("not encrypted").hasMessageNotContaining(CLIENT_DIGEST);
    }

    @Test
    void rotation_re_encrypts_every_row_with_the_new_key_at_open() throws Exception {
        JdbcServerStore.open(pool, new SecretCipher(keyA)).insertDevice(StoreContract.device("IMEI:1"));
        JdbcServerStore.open(pool, new SecretCipher(keyA)).insertDevice(StoreContract.device("IMEI:2"));
        String before = rawSecrets("IMEI:1")[0];

        JdbcServerStore rotated = JdbcServerStore.open(pool, new SecretCipher(keyB, keyA));
        for (String id : new String[] {"IMEI:1", "IMEI:2"}) {
            assertThat(rawSecrets(id)[3]).isEqualTo(keyB.id());
            assertThat(rotated.device(id)).contains(StoreContract.device(id));
        }
        assertThat(rawSecrets("IMEI:1")[0]).isNotEqualTo(before);
        // the previous key is no longer needed, and no longer enough
        assertThat(JdbcServerStore.open(pool, new SecretCipher(keyB)).device("IMEI:2"))
                .contains(StoreContract.device("IMEI:2"));
        assertThatThrownBy(() -> JdbcServerStore.open(pool, new SecretCipher(keyA)))
                .isInstanceOf(StoreException.class).hasMessageContaining(keyB.id());
    }

    @Test
    void a_wrong_key_fails_the_open_clearly_without_secrets_and_changes_nothing() throws Exception {
        JdbcServerStore.open(pool, new SecretCipher(keyA)).insertDevice(StoreContract.device("IMEI:1"));
        String[] before = rawSecrets("IMEI:1");
        assertThatThrownBy(() -> JdbcServerStore.open(pool, new SecretCipher(keyB)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("encrypted with registry key " + keyA.id())
                .hasMessageContaining("the configured key is " + keyB.id())
                .hasMessageNotContaining(CLIENT_DIGEST).hasMessageNotContaining(SERVER_PASSWORD);
        assertThat(rawSecrets("IMEI:1")).containsExactly(before);
    }

    @Test
    void a_changed_or_swapped_secret_is_detected() throws Exception {
        JdbcServerStore store = JdbcServerStore.open(pool, new SecretCipher(keyA));
        store.insertDevice(StoreContract.device("IMEI:1"));
        store.insertDevice(StoreContract.device("IMEI:2"));
        String[] one = rawSecrets("IMEI:1");
        // the server digest of IMEI:1 copied onto IMEI:2: a valid ciphertext, in the wrong row
        update("UPDATE cdm_device SET server_digest = ? WHERE device_id = 'IMEI:2'", one[1]);
        assertThatThrownBy(() -> store.device("IMEI:2")).isInstanceOf(StoreException.class)
                .hasMessageContaining("cdm_device/server_digest/IMEI:2 fails its integrity check");
        // one character of IMEI:1's client digest changed
        char c = one[0].charAt(10);
        update("UPDATE cdm_device SET client_digest = ? WHERE device_id = 'IMEI:1'",
                one[0].substring(0, 10) + (c == 'A' ? 'B' : 'A') + one[0].substring(11));
        assertThatThrownBy(() -> store.device("IMEI:1")).hasMessageContaining("integrity check");
    }
}
