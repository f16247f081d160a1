package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.jdbc.internal.secrets.SecretCipher;

/**
 * The devices of the registry in SQL: {@code cdm_device} (its secret columns encrypted, {@link SecretColumns}) and
 * the reported DevInfo values in {@code cdm_device_info}. An update writes only the columns whose values changed
 * (a new nonce is one column, not the row with its secrets encrypted again), and the DevInfo rows that changed.
 */
final class DeviceSql {
    /** The columns of a device, in the order {@link #device(ResultSet, Map)} reads them. */
    static final String DEVICE_COLUMNS = "device_id, card_id, first_contact, last_contact, client_auth, "
            + "client_user, client_digest, client_nonce, server_auth, server_user, server_digest, server_password, "
            + "server_nonce, enabled, auth_failures, total_auth_failures, locked_until, push_address, secrets_key";
    /** The lower-case copies the fleet search reads (schema version 5). */
    private static final String SEARCH_COLUMNS = "search_man, search_mod, search_fwv";

    /** A plain column of {@code cdm_device}: its name, SQL type and how a record gives its value. */
    private record Column(String name, int type, Function<DeviceRecord, Object> value) {
    }

    /** The columns an update compares one by one (the secrets and the search copies go in groups). */
    private static final List<Column> PLAIN = List.of(new Column("card_id", Types.VARCHAR, DeviceRecord::cardId),
            new Column("first_contact", Types.BIGINT, DeviceRecord::firstContact),
            new Column("last_contact", Types.BIGINT, DeviceRecord::lastContact),
            new Column("client_auth", Types.VARCHAR, r -> r.clientAuth().name()),
            new Column("client_user", Types.VARCHAR, DeviceRecord::clientUser),
            new Column("client_nonce", Types.VARCHAR, DeviceRecord::clientNonce),
            new Column("server_auth", Types.VARCHAR, r -> r.serverAuth().name()),
            new Column("server_user", Types.VARCHAR, DeviceRecord::serverUser),
            new Column("server_nonce", Types.VARCHAR, DeviceRecord::serverNonce),
            new Column("enabled", Types.BOOLEAN, DeviceRecord::enabled),
            new Column("auth_failures", Types.INTEGER, DeviceRecord::authFailures),
            new Column("total_auth_failures", Types.INTEGER, DeviceRecord::totalAuthFailures),
            new Column("locked_until", Types.BIGINT, DeviceRecord::lockedUntil),
            new Column("push_address", Types.VARCHAR, DeviceRecord::pushAddress));

    private final SecretCipher secrets;

    DeviceSql(SecretCipher secrets) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    /**
     * @param c a connection in a transaction
     * @param deviceId a DevId
     * @param lock whether to lock the row until the transaction ends
     * @return the device, or empty
     */
    Optional<DeviceRecord> read(Connection c, String deviceId, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + DEVICE_COLUMNS
                + " FROM cdm_device WHERE device_id = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(device(rs, devInfo(c, deviceId)));
            }
        }
    }

    private static Map<String, String> devInfo(Connection c, String deviceId) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT uri, info_value FROM cdm_device_info WHERE device_id = ?")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String v = rs.getString(2);
                    out.put(rs.getString(1), v == null ? "" : v);
                }
            }
        }
        return out;
    }

    /**
     * @param rs a row of {@link #DEVICE_COLUMNS}
     * @param devInfo its DevInfo values
     * @return the device, its secrets decrypted
     */
    DeviceRecord device(ResultSet rs, Map<String, String> devInfo) throws SQLException {
        String id = rs.getString(1);
        String keyId = rs.getString(19);
        return new DeviceRecord(id, rs.getString(2), devInfo, instant(rs, 3), instant(rs, 4),
                AuthScheme.valueOf(rs.getString(5)), rs.getString(6),
                SecretColumns.open(secrets, rs.getString(7), keyId, SecretColumns.CLIENT_DIGEST, id), rs.getString(8),
                AuthScheme.valueOf(rs.getString(9)), rs.getString(10),
                SecretColumns.open(secrets, rs.getString(11), keyId, SecretColumns.SERVER_DIGEST, id),
                SecretColumns.open(secrets, rs.getString(12), keyId, SecretColumns.SERVER_PASSWORD, id),
                rs.getString(13), rs.getBoolean(14), rs.getInt(15), rs.getInt(16), instant(rs, 17), rs.getString(18));
    }

    /** @return every device, ordered by DevId */
    List<DeviceRecord> all(Connection c) throws SQLException {
        Map<String, Map<String, String>> infos = new HashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT device_id, uri, info_value FROM cdm_device_info")) {
            while (rs.next()) {
                String v = rs.getString(3);
                infos.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), v == null ? "" : v);
            }
        }
        List<DeviceRecord> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + DEVICE_COLUMNS + " FROM cdm_device ORDER BY device_id")) {
            while (rs.next()) {
                out.add(device(rs, infos.getOrDefault(rs.getString(1), Map.of())));
            }
        }
        return out;
    }

    /** @return false when the DevId exists already (here or, meanwhile, inserted by another node) */
    boolean insert(Connection c, DeviceRecord r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM cdm_device WHERE device_id = ?")) {
            ps.setString(1, r.deviceId());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cdm_device (" + DEVICE_COLUMNS
                + ", " + SEARCH_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.deviceId());
            bindAll(ps, r, 2);
            bindSearch(ps, FleetSql.searchCopies(r.devInfo()), 20);
            try {
                ps.executeUpdate();
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                    return false;
                }
                throw e;
            }
        }
        writeDevInfo(c, r.deviceId(), Map.of(), r.devInfo());
        return true;
    }

    /** Binds every column but device_id, from {@code first}, the secrets encrypted with the current key. */
    private void bindAll(PreparedStatement ps, DeviceRecord r, int first) throws SQLException {
        String id = r.deviceId();
        int i = first;
        ps.setString(i++, r.cardId());
        setInstant(ps, i++, r.firstContact());
        setInstant(ps, i++, r.lastContact());
        ps.setString(i++, r.clientAuth().name());
        ps.setString(i++, r.clientUser());
        ps.setString(i++, secrets.seal(r.clientDigest(), SecretColumns.place(SecretColumns.CLIENT_DIGEST, id)));
        ps.setString(i++, r.clientNonce());
        ps.setString(i++, r.serverAuth().name());
        ps.setString(i++, r.serverUser());
        ps.setString(i++, secrets.seal(r.serverDigest(), SecretColumns.place(SecretColumns.SERVER_DIGEST, id)));
        ps.setString(i++, secrets.seal(r.serverPassword(), SecretColumns.place(SecretColumns.SERVER_PASSWORD, id)));
        ps.setString(i++, r.serverNonce());
        ps.setBoolean(i++, r.enabled());
        ps.setInt(i++, r.authFailures());
        ps.setInt(i++, r.totalAuthFailures());
        setInstant(ps, i++, r.lockedUntil());
        ps.setString(i++, r.pushAddress());
        ps.setString(i, secrets.currentKeyId());
    }

    private static void bindSearch(PreparedStatement ps, String[] copies, int first) throws SQLException {
        for (int i = 0; i < copies.length; i++) {
            ps.setString(first + i, copies[i]);
        }
    }

    /**
     * Writes what differs between two states of a device: the plain columns that changed; the three secrets,
     * encrypted again with the current key, when one of them changed; the search copies when the DevInfo values
     * they come from changed; the DevInfo rows that changed.
     *
     * @return whether anything was written
     */
    boolean update(Connection c, DeviceRecord before, DeviceRecord after) throws SQLException {
        StringBuilder sql = new StringBuilder("UPDATE cdm_device SET ");
        List<Object> values = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        for (Column col : PLAIN) {
            Object v = col.value().apply(after);
            if (!Objects.equals(col.value().apply(before), v)) {
                sql.append(values.isEmpty() ? "" : ", ").append(col.name()).append(" = ?");
                values.add(v);
                types.add(col.type());
            }
        }
        String id = after.deviceId();
        if (!Objects.equals(before.clientDigest(), after.clientDigest())
                || !Objects.equals(before.serverDigest(), after.serverDigest())
                || !Objects.equals(before.serverPassword(), after.serverPassword())) {
            sql.append(values.isEmpty() ? "" : ", ")
                    .append("client_digest = ?, server_digest = ?, server_password = ?, secrets_key = ?");
            values.add(secrets.seal(after.clientDigest(), SecretColumns.place(SecretColumns.CLIENT_DIGEST, id)));
            values.add(secrets.seal(after.serverDigest(), SecretColumns.place(SecretColumns.SERVER_DIGEST, id)));
            values.add(secrets.seal(after.serverPassword(), SecretColumns.place(SecretColumns.SERVER_PASSWORD, id)));
            values.add(secrets.currentKeyId());
            types.addAll(List.of(Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR));
        }
        if (!before.devInfo().equals(after.devInfo())) {
            String[] copies = FleetSql.searchCopies(after.devInfo());
            if (!java.util.Arrays.equals(FleetSql.searchCopies(before.devInfo()), copies)) {
                sql.append(values.isEmpty() ? "" : ", ").append("search_man = ?, search_mod = ?, search_fwv = ?");
                values.addAll(java.util.Arrays.asList((Object[]) copies));
                types.addAll(List.of(Types.VARCHAR, Types.VARCHAR, Types.VARCHAR));
            }
        }
        boolean wrote = false;
        if (!values.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(sql.append(" WHERE device_id = ?").toString())) {
                for (int i = 0; i < values.size(); i++) {
                    bind(ps, i + 1, types.get(i), values.get(i));
                }
                ps.setString(values.size() + 1, id);
                ps.executeUpdate();
            }
            wrote = true;
        }
        return writeDevInfo(c, id, before.devInfo(), after.devInfo()) || wrote;
    }

    private static void bind(PreparedStatement ps, int i, int type, Object v) throws SQLException {
        if (v == null) {
            ps.setNull(i, type);
        } else if (v instanceof Instant t) {
            ps.setLong(i, t.toEpochMilli());
        } else if (v instanceof Integer n) {
            ps.setInt(i, n);
        } else if (v instanceof Boolean b) {
            ps.setBoolean(i, b);
        } else {
            ps.setString(i, (String) v);
        }
    }

    /** @return whether a row was written */
    private static boolean writeDevInfo(Connection c, String deviceId, Map<String, String> before,
            Map<String, String> after) throws SQLException {
        if (before.equals(after)) {
            return false;
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM cdm_device_info WHERE device_id = ? AND uri = ?");
                PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO cdm_device_info (device_id, uri, info_value) VALUES (?, ?, ?)")) {
            boolean dels = false;
            boolean inss = false;
            for (Map.Entry<String, String> e : before.entrySet()) {
                if (!e.getValue().equals(after.get(e.getKey()))) {
                    del.setString(1, deviceId);
                    del.setString(2, e.getKey());
                    del.addBatch();
                    dels = true;
                }
            }
            for (Map.Entry<String, String> e : after.entrySet()) {
                if (!e.getValue().equals(before.get(e.getKey()))) {
                    ins.setString(1, deviceId);
                    ins.setString(2, e.getKey());
                    ins.setString(3, e.getValue());
                    ins.addBatch();
                    inss = true;
                }
            }
            if (dels) {
                del.executeBatch();
            }
            if (inss) {
                ins.executeBatch();
            }
            return dels || inss;
        }
    }

    /** Deletes a device with its jobs, results and alerts; @return false when it did not exist */
    static boolean delete(Connection c, String deviceId) throws SQLException {
        // children first: not every database cascades through two levels of foreign keys alike
        for (String sql : List.of(
                "DELETE FROM cdm_result_item WHERE job_id IN (SELECT job_id FROM cdm_job WHERE device_id = ?)",
                "DELETE FROM cdm_result WHERE job_id IN (SELECT job_id FROM cdm_job WHERE device_id = ?)",
                "DELETE FROM cdm_operation WHERE job_id IN (SELECT job_id FROM cdm_job WHERE device_id = ?)",
                "DELETE FROM cdm_job WHERE device_id = ?", "DELETE FROM cdm_alert WHERE device_id = ?",
                "DELETE FROM cdm_device_info WHERE device_id = ?")) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, deviceId);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM cdm_device WHERE device_id = ?")) {
            ps.setString(1, deviceId);
            return ps.executeUpdate() > 0;
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static void setInstant(PreparedStatement ps, int i, Instant v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v.toEpochMilli());
        }
    }
}
