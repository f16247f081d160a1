package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.cardinaldm.server.api.DeviceSearch;
import org.cardinaldm.server.api.DeviceState;
import org.cardinaldm.server.api.FleetStats;
import org.cardinaldm.server.api.spi.DeviceRecord;

/**
 * The SQL of the fleet search and figures (schema version 5), run by {@link JdbcServerStore} inside its
 * transactions: keyset paging on the primary key, the state from {@code enabled}, {@code locked_until} and
 * {@code last_contact} (indexed together), the text over the DevId, the card and the lower-case search copies
 * of the manufacturer, model and firmware version ({@link DeviceSearch}), the figures in two aggregate queries.
 */
final class FleetSql {
    /** The longest search copy of a reported value (the columns' size). */
    static final int SEARCH_COPY = 1024;
    private static final long HOUR_MS = 3_600_000L;
    /** How many DevIds one query for reported values names. */
    private static final int INFO_BATCH = 100;

    /** Builds a record from a row of the device columns and the device's reported values. */
    @FunctionalInterface
    interface RowReader {
        DeviceRecord read(ResultSet rs, Map<String, String> devInfo) throws SQLException;
    }

    private FleetSql() {
    }

    /** @return the search copies of a device's reported values: manufacturer, model, firmware version */
    static String[] searchCopies(Map<String, String> devInfo) {
        return new String[] {copy(devInfo.get(DeviceSearch.MANUFACTURER_URI)),
            copy(devInfo.get(DeviceSearch.MODEL_URI)), copy(DeviceSearch.firmwareVersion(devInfo))};
    }

    private static String copy(String value) {
        if (value == null) {
            return null;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        return lower.length() > SEARCH_COPY ? lower.substring(0, SEARCH_COPY) : lower;
    }

    /** @return a LIKE pattern (escape character {@code \}) that finds {@code needle} anywhere */
    static String containsPattern(String needle) {
        StringBuilder b = new StringBuilder(needle.length() + 2).append('%');
        for (char ch : needle.toCharArray()) {
            if (ch == '%' || ch == '_' || ch == '\\') {
                b.append('\\');
            }
            b.append(ch);
        }
        return b.append('%').toString();
    }

    static List<DeviceRecord> search(Connection c, String columns, String needle, DeviceState state, String after,
            int limit, Instant now, RowReader reader) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(columns).append(" FROM cdm_device WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (after != null) {
            sql.append(" AND device_id > ?");
            params.add(after);
        }
        if (state != null) {
            stateClause(sql, params, state, now.toEpochMilli());
        }
        if (needle != null && !needle.isEmpty()) {
            sql.append(" AND (LOWER(device_id) LIKE ? ESCAPE '\\' OR LOWER(card_id) LIKE ? ESCAPE '\\'"
                    + " OR search_man LIKE ? ESCAPE '\\' OR search_mod LIKE ? ESCAPE '\\'"
                    + " OR search_fwv LIKE ? ESCAPE '\\')");
            String pattern = containsPattern(needle);
            for (int i = 0; i < 5; i++) {
                params.add(pattern);
            }
        }
        sql.append(" ORDER BY device_id LIMIT ").append(Math.max(0, limit));
        Map<String, ResultRow> rows = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // read the row now (secrets are opened by the reader), reported values come after
                    String id = rs.getString(1);
                    Map<String, String> info = new HashMap<>();
                    rows.put(id, new ResultRow(reader.read(rs, info), info));
                }
            }
        }
        readInfo(c, new ArrayList<>(rows.keySet()), rows);
        List<DeviceRecord> out = new ArrayList<>(rows.size());
        for (ResultRow r : rows.values()) {
            out.add(r.record().toBuilder().devInfo(r.info()).build());
        }
        return out;
    }

    private record ResultRow(DeviceRecord record, Map<String, String> info) {
    }

    private static void readInfo(Connection c, List<String> ids, Map<String, ResultRow> rows) throws SQLException {
        for (int from = 0; from < ids.size(); from += INFO_BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + INFO_BATCH));
            String marks = String.join(", ", java.util.Collections.nCopies(batch.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT device_id, uri, info_value FROM cdm_device_info WHERE device_id IN (" + marks + ")")) {
                bind(ps, new ArrayList<>(batch));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String v = rs.getString(3);
                        rows.get(rs.getString(1)).info().put(rs.getString(2), v == null ? "" : v);
                    }
                }
            }
        }
    }

    private static void stateClause(StringBuilder sql, List<Object> params, DeviceState state, long now) {
        switch (state) {
            case DISABLED -> sql.append(" AND enabled = FALSE");
            case LOCKED -> {
                sql.append(" AND enabled = TRUE AND locked_until > ?");
                params.add(now);
            }
            case NEW, ACTIVE -> {
                sql.append(" AND enabled = TRUE AND (locked_until IS NULL OR locked_until <= ?) AND last_contact IS ")
                        .append(state == DeviceState.NEW ? "NULL" : "NOT NULL");
                params.add(now);
            }
            default -> throw new IllegalArgumentException("unknown state " + state);
        }
    }

    static long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM cdm_device");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static FleetStats stats(Connection c, Instant now, int hours) throws SQLException {
        Instant first = FleetStats.firstHour(now, hours);
        long nowMs = now.toEpochMilli();
        Map<DeviceState, Long> states = new EnumMap<>(DeviceState.class);
        long total;
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*),"
                + " SUM(CASE WHEN enabled = FALSE THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN enabled = TRUE AND locked_until > ? THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN enabled = TRUE AND (locked_until IS NULL OR locked_until <= ?)"
                + " AND last_contact IS NULL THEN 1 ELSE 0 END) FROM cdm_device")) {
            ps.setLong(1, nowMs);
            ps.setLong(2, nowMs);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
                states.put(DeviceState.DISABLED, rs.getLong(2));
                states.put(DeviceState.LOCKED, rs.getLong(3));
                states.put(DeviceState.NEW, rs.getLong(4));
            }
        }
        states.put(DeviceState.ACTIVE, total - states.values().stream().mapToLong(Long::longValue).sum());
        long[] seen = new long[hours];
        long firstHour = first.toEpochMilli() / HOUR_MS;
        try (PreparedStatement ps = c.prepareStatement("SELECT FLOOR(last_contact / " + HOUR_MS + "), COUNT(*)"
                + " FROM cdm_device WHERE last_contact >= ? AND last_contact <= ? GROUP BY FLOOR(last_contact / "
                + HOUR_MS + ")")) {
            ps.setLong(1, first.toEpochMilli());
            ps.setLong(2, nowMs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int i = (int) (rs.getLong(1) - firstHour);
                    if (i >= 0 && i < hours) {
                        seen[i] += rs.getLong(2);
                    }
                }
            }
        }
        List<Long> perHour = new ArrayList<>(hours);
        for (long n : seen) {
            perHour.add(n);
        }
        return new FleetStats(states, first, perHour, total);
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof Long l) {
                ps.setLong(i + 1, l);
            } else {
                ps.setString(i + 1, (String) p);
            }
        }
    }
}
