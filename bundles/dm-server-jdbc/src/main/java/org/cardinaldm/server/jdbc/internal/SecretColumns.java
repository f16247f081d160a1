package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.cardinaldm.server.jdbc.internal.secrets.SecretCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret columns of {@code cdm_device}: {@code client_digest}, {@code server_digest} and
 * {@code server_password} hold {@link SecretCipher} text, and {@code secrets_key} the identifier of the
 * key that encrypted them. A row without a key identifier (written before schema version 2) is
 * encrypted by {@link #reencrypt} when the store opens, as is every row of a previous key during a
 * rotation; afterwards such a row is an error, never read as plain text.
 */
final class SecretColumns {
    static final String CLIENT_DIGEST = "client_digest";
    static final String SERVER_DIGEST = "server_digest";
    static final String SERVER_PASSWORD = "server_password";
    private static final Logger LOG = LoggerFactory.getLogger(SecretColumns.class);
    private static final int BATCH = 500;

    private SecretColumns() {
    }

    /**
     * @param column a secret column
     * @param deviceId the row's DevId
     * @return the associated data binding a value to its place
     */
    static String place(String column, String deviceId) {
        return "cdm_device/" + column + "/" + deviceId;
    }

    /**
     * @param cipher the keys
     * @param sealed a stored value
     * @param keyId the row's key identifier (null: never encrypted)
     * @param column its column
     * @param deviceId its row
     * @return the secret
     */
    static String open(SecretCipher cipher, String sealed, String keyId, String column, String deviceId) {
        if (keyId == null) {
            if (sealed == null) {
                return null;
            }
            throw cipher.unknownKey("(none: not encrypted yet, restart the server to encrypt it)",
                    place(column, deviceId));
        }
        return cipher.open(sealed, keyId, place(column, deviceId));
    }

    /**
     * Encrypts with the current key every row that is in plain text or encrypted with the previous key, in
     * one transaction, rows locked.
     *
     * @param c a connection (its auto-commit is restored)
     * @param cipher the keys
     * @return the number of rows re-encrypted
     * @throws SQLException when the database fails (nothing is changed then)
     * @throws org.cardinaldm.server.api.spi.StoreException when a row's key is not configured or a value fails
     *         its check (nothing is changed then)
     */
    static int reencrypt(Connection c, SecretCipher cipher) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            int count = reencryptRows(c, cipher);
            c.commit();
            return count;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static int reencryptRows(Connection c, SecretCipher cipher) throws SQLException {
        int count = 0;
        try (PreparedStatement select = c.prepareStatement("SELECT device_id, secrets_key, client_digest, "
                + "server_digest, server_password FROM cdm_device WHERE secrets_key IS NULL OR secrets_key <> ? "
                + "FOR UPDATE");
                PreparedStatement update = c.prepareStatement("UPDATE cdm_device SET client_digest = ?, "
                        + "server_digest = ?, server_password = ?, secrets_key = ? WHERE device_id = ?")) {
            select.setString(1, cipher.currentKeyId());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    String keyId = rs.getString(2);
                    String[] plain = new String[3];
                    String[] columns = {CLIENT_DIGEST, SERVER_DIGEST, SERVER_PASSWORD};
                    for (int i = 0; i < 3; i++) {
                        String stored = rs.getString(3 + i);
                        plain[i] = keyId == null ? stored : cipher.open(stored, keyId, place(columns[i], id));
                    }
                    for (int i = 0; i < 3; i++) {
                        update.setString(1 + i, cipher.seal(plain[i], place(columns[i], id)));
                    }
                    update.setString(4, cipher.currentKeyId());
                    update.setString(5, id);
                    update.addBatch();
                    if (++count % BATCH == 0) {
                        update.executeBatch();
                    }
                }
            }
            if (count % BATCH != 0) {
                update.executeBatch();
            }
        }
        if (count > 0) {
            LOG.info("Registry secrets of {} devices encrypted with the registry key {}", count,
                    cipher.currentKeyId());
        }
        return count;
    }
}
