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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.AsyncExec;
import org.cardinaldm.server.api.DeviceAlert;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationKind;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ResultItem;
import org.cardinaldm.server.api.DeviceState;
import org.cardinaldm.server.api.FleetStats;
import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.api.spi.StoreException;
import org.cardinaldm.server.jdbc.internal.secrets.RegistryKey;
import org.cardinaldm.server.jdbc.internal.secrets.SecretCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ServerStore} on JDBC (H2 or PostgreSQL). Every method is one transaction; read-modify-write
 * methods lock the rows they change ({@code SELECT ... FOR UPDATE}), and job claims skip rows that
 * another node holds on PostgreSQL ({@code FOR UPDATE SKIP LOCKED}), so nodes sharing the database
 * never claim a job twice. Serialisation failures and deadlocks are retried. A device's secrets (its
 * digests and a basic server password) are stored encrypted ({@link SecretColumns}, {@link SecretCipher}).
 * What several nodes share beyond devices and jobs (node registry, dispatch marks, notifications) is in
 * {@link JdbcNodeRegistry}.
 */
public final class JdbcServerStore extends JdbcNodeRegistry implements ServerStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcServerStore.class);
    private static final int MAX_ALERTS_PER_DEVICE = 10_000;
    private static final int PRUNE_EVERY = 100;
    private static final String DEVICE_COLUMNS = "device_id, card_id, first_contact, last_contact, client_auth, "
            + "client_user, client_digest, client_nonce, server_auth, server_user, server_digest, server_password, "
            + "server_nonce, enabled, auth_failures, total_auth_failures, locked_until, push_address, secrets_key";

    /** The lower-case copies the fleet search reads (schema version 5). */
    private static final String SEARCH_COLUMNS = "search_man, search_mod, search_fwv";

    /** Tests' key, in memory for the life of this JVM: stores opened with {@link #open(ConnectionPool)} agree. */
    private static final RegistryKey JVM_KEY = RegistryKey.random();

    private final ConnectionPool pool;
    private final Dialect dialect;
    private final SecretCipher secrets;

    /**
     * Opens the store with a key that lives in memory only, for the life of this JVM: for tests, since what
     * it encrypts cannot be read after a restart.
     *
     * @param pool the connections
     * @return the store
     * @throws StoreException when the database cannot be reached or migrated
     */
    public static JdbcServerStore open(ConnectionPool pool) {
        return open(pool, new SecretCipher(JVM_KEY));
    }

    /**
     * Opens the store, migrates the schema, then encrypts with the current key every device row that is in
     * plain text (written before schema version 2) or encrypted with the previous key, in one transaction.
     *
     * @param pool the connections
     * @param secrets the keys of the secret columns
     * @return the store
     * @throws StoreException when the database cannot be reached or migrated, or a row is encrypted with a
     *         key that is not configured (the message names key identifiers only)
     */
    public static JdbcServerStore open(ConnectionPool pool, SecretCipher secrets) {
        try (Connection c = pool.borrow()) {
            Dialect dialect = Dialect.of(c);
            Migrations.migrate(c, dialect);
            SecretColumns.reencrypt(c, secrets);
            return new JdbcServerStore(pool, dialect, secrets);
        } catch (SQLException e) {
            throw new StoreException("cannot prepare the registry schema: " + e.getMessage(), e);
        }
    }

    private JdbcServerStore(ConnectionPool pool, Dialect dialect, SecretCipher secrets) {
        super(pool);
        this.pool = Objects.requireNonNull(pool, "pool");
        this.dialect = dialect;
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        LOG.info("Registry on {} (schema version {})", dialect, Migrations.latest());
    }

    /** @return the database kind */
    public Dialect dialect() {
        return dialect;
    }

    private <T> T tx(String what, Transactions.Work<T> work) {
        return Transactions.run(pool, what, work);
    }

    // ------------------------------------------------------------------ devices

    @Override
    public Optional<DeviceRecord> device(String deviceId) {
        return tx("read of a device", c -> readDevice(c, deviceId, false));
    }

    private Optional<DeviceRecord> readDevice(Connection c, String deviceId, boolean lock) throws SQLException {
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

    private DeviceRecord device(ResultSet rs, Map<String, String> devInfo) throws SQLException {
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

    @Override
    public List<DeviceRecord> devices() {
        return tx("list of devices", c -> {
            Map<String, Map<String, String>> infos = new HashMap<>();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT device_id, uri, info_value FROM cdm_device_info")) {
                while (rs.next()) {
                    String v = rs.getString(3);
                    infos.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2),
                            v == null ? "" : v);
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
        });
    }

    @Override
    public boolean insertDevice(DeviceRecord r) {
        return tx("insert of a device", c -> {
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
                bindDevice(ps, r, 2);
                bindSearch(ps, r, 20);
                try {
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                        return false; // inserted by another node meanwhile
                    }
                    throw e;
                }
            }
            writeDevInfo(c, r.deviceId(), Map.of(), r.devInfo());
            return true;
        });
    }

    /** Binds every column but device_id, from {@code first}, the secrets encrypted with the current key. */
    private void bindDevice(PreparedStatement ps, DeviceRecord r, int first) throws SQLException {
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

    /** Binds the search copies of the reported values ({@link FleetSql#searchCopies}) from {@code first}. */
    private static void bindSearch(PreparedStatement ps, DeviceRecord r, int first) throws SQLException {
        String[] copies = FleetSql.searchCopies(r.devInfo());
        for (int i = 0; i < copies.length; i++) {
            ps.setString(first + i, copies[i]);
        }
    }

    private void writeDevInfo(Connection c, String deviceId, Map<String, String> before, Map<String, String> after)
            throws SQLException {
        if (before.equals(after)) {
            return;
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
        }
    }

    @Override
    public Optional<DeviceRecord> updateDevice(String deviceId, UnaryOperator<DeviceRecord> change) {
        return tx("update of a device", c -> {
            Optional<DeviceRecord> current = readDevice(c, deviceId, true);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            DeviceRecord next = change.apply(current.get());
            if (!next.deviceId().equals(deviceId)) {
                throw new IllegalArgumentException("an update cannot change the DevId");
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE cdm_device SET card_id = ?, first_contact = ?, "
                    + "last_contact = ?, client_auth = ?, client_user = ?, client_digest = ?, client_nonce = ?, "
                    + "server_auth = ?, server_user = ?, server_digest = ?, server_password = ?, server_nonce = ?, "
                    + "enabled = ?, auth_failures = ?, total_auth_failures = ?, locked_until = ?, push_address = ?, "
                    + "secrets_key = ?, search_man = ?, search_mod = ?, search_fwv = ? WHERE device_id = ?")) {
                bindDevice(ps, next, 1);
                bindSearch(ps, next, 19);
                ps.setString(22, deviceId);
                ps.executeUpdate();
            }
            writeDevInfo(c, deviceId, current.get().devInfo(), next.devInfo());
            return Optional.of(next);
        });
    }

    @Override
    public boolean deleteDevice(String deviceId) {
        return tx("removal of a device", c -> {
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
        });
    }

    // ------------------------------------------------------------------ fleet search and figures (FleetSql)

    @Override
    public List<DeviceRecord> searchDevices(String query, DeviceState state, String afterDeviceId, int limit,
            Instant now) {
        return tx("search of devices", c -> FleetSql.search(c, DEVICE_COLUMNS, query, state, afterDeviceId, limit,
                now, (rs, info) -> device(rs, info)));
    }

    @Override
    public long countDevices() {
        return tx("count of devices", FleetSql::count);
    }

    @Override
    public FleetStats fleetStats(Instant now, int hours) {
        return tx("figures of the fleet", c -> FleetSql.stats(c, now, hours));
    }

    // ------------------------------------------------------------------ audit log (AuditSql)

    @Override
    public long insertAudit(AuditEntry entry) {
        return tx("record of an audit entry", c -> AuditSql.insert(c, entry));
    }

    @Override
    public List<AuditEntry> auditEntries(long before, int limit) {
        return tx("list of audit entries", c -> AuditSql.list(c, before, limit));
    }

    @Override
    public int pruneAudit(Instant olderThan, long keepRows) {
        return tx("retention of the audit log", c -> AuditSql.prune(c, olderThan, keepRows));
    }

    // ------------------------------------------------------------------ jobs

    @Override
    public Job createJob(String deviceId, String description, List<Operation> operations, Instant now) {
        return tx("creation of a job", c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO cdm_job (device_id, description, state, "
                    + "created, updated) VALUES (?, ?, ?, ?, ?)", new String[] {"job_id"})) {
                ps.setString(1, deviceId);
                ps.setString(2, description);
                ps.setString(3, JobState.PENDING.name());
                ps.setLong(4, now.toEpochMilli());
                ps.setLong(5, now.toEpochMilli());
                try {
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                        throw new IllegalArgumentException("no device " + deviceId);
                    }
                    throw e;
                }
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO cdm_operation (job_id, idx, parent_idx, kind, "
                    + "target, source, op_data, format, mime_type, correlator) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int[] next = {0};
                for (Operation o : operations) {
                    insertOperation(ps, id, o, null, next);
                }
                ps.executeBatch();
            }
            return new Job(id, deviceId, description, JobState.PENDING, millis(now), millis(now), operations,
                    List.of());
        });
    }

    private static void insertOperation(PreparedStatement ps, long jobId, Operation o, Integer parent, int[] next)
            throws SQLException {
        int idx = next[0]++;
        ps.setLong(1, jobId);
        ps.setInt(2, idx);
        if (parent == null) {
            ps.setNull(3, Types.INTEGER);
        } else {
            ps.setInt(3, parent);
        }
        ps.setString(4, o.kind().name());
        ps.setString(5, o.target());
        ps.setString(6, o.source());
        ps.setString(7, o.data());
        ps.setString(8, o.format());
        ps.setString(9, o.type());
        ps.setString(10, o.correlator());
        ps.addBatch();
        for (Operation child : o.children()) {
            insertOperation(ps, jobId, child, idx, next);
        }
    }

    @Override
    public Optional<Job> job(long jobId) {
        return tx("read of a job", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT job_id, device_id, description, state, created, updated FROM cdm_job WHERE job_id = ?")) {
                ps.setLong(1, jobId);
                List<Job> jobs = readJobs(c, ps);
                return jobs.isEmpty() ? Optional.empty() : Optional.of(jobs.get(0));
            }
        });
    }

    @Override
    public List<Job> jobs(String deviceId, int limit) {
        return tx("list of jobs", c -> {
            String sql = "SELECT job_id, device_id, description, state, created, updated FROM cdm_job"
                    + (deviceId == null ? "" : " WHERE device_id = ?") + " ORDER BY job_id DESC";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (deviceId != null) {
                    ps.setString(1, deviceId);
                }
                ps.setMaxRows(Math.max(0, limit));
                return limit <= 0 ? List.<Job>of() : readJobs(c, ps);
            }
        });
    }

    private static List<Job> readJobs(Connection c, PreparedStatement ps) throws SQLException {
        record Head(long id, String deviceId, String description, JobState state, Instant created, Instant updated) {
        }
        List<Head> heads = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                heads.add(new Head(rs.getLong(1), rs.getString(2), rs.getString(3), JobState.valueOf(rs.getString(4)),
                        instant(rs, 5), instant(rs, 6)));
            }
        }
        List<Job> out = new ArrayList<>(heads.size());
        for (Head h : heads) {
            out.add(new Job(h.id, h.deviceId, h.description, h.state, h.created, h.updated, operations(c, h.id),
                    results(c, h.id)));
        }
        return out;
    }

    private record OpRow(int idx, Integer parent, OperationKind kind, String target, String source, String data,
            String format, String type, String correlator) {
    }

    private static List<Operation> operations(Connection c, long jobId) throws SQLException {
        List<OpRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT idx, parent_idx, kind, target, source, op_data, format, "
                + "mime_type, correlator FROM cdm_operation WHERE job_id = ? ORDER BY idx")) {
            ps.setLong(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int parent = rs.getInt(2);
                    Integer p = rs.wasNull() ? null : parent;
                    rows.add(new OpRow(rs.getInt(1), p, OperationKind.valueOf(rs.getString(3)), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
                }
            }
        }
        Map<Integer, List<OpRow>> byParent = new LinkedHashMap<>();
        for (OpRow r : rows) {
            byParent.computeIfAbsent(r.parent == null ? -1 : r.parent, k -> new ArrayList<>()).add(r);
        }
        return build(byParent, -1);
    }

    private static List<Operation> build(Map<Integer, List<OpRow>> byParent, int parent) {
        List<Operation> out = new ArrayList<>();
        for (OpRow r : byParent.getOrDefault(parent, List.of())) {
            out.add(new Operation(r.kind, r.target, r.source, r.data, r.format, r.type, r.correlator,
                    build(byParent, r.idx)));
        }
        return out;
    }

    private static List<OperationResult> results(Connection c, long jobId) throws SQLException {
        Map<Integer, List<ResultItem>> items = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT idx, uri, format, mime_type, item_value, is_binary "
                + "FROM cdm_result_item WHERE job_id = ? ORDER BY idx, pos")) {
            ps.setLong(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(new ResultItem(rs.getString(2),
                            rs.getString(3), rs.getString(4), rs.getString(5), rs.getBoolean(6)));
                }
            }
        }
        List<OperationResult> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT idx, status, received FROM cdm_result WHERE job_id = ? ORDER BY idx")) {
            ps.setLong(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int idx = rs.getInt(1);
                    out.add(new OperationResult(jobId, idx, rs.getInt(2), items.getOrDefault(idx, List.of()),
                            instant(rs, 3)));
                }
            }
        }
        return out;
    }

    @Override
    public List<Job> claimJobs(String deviceId, String owner, int max, Instant now) {
        if (max <= 0) {
            return List.of();
        }
        return tx("claim of jobs", c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT job_id FROM cdm_job WHERE device_id = ? AND state = ? "
                    + "ORDER BY job_id LIMIT " + max + " " + dialect.claimLock())) {
                ps.setString(1, deviceId);
                ps.setString(2, JobState.PENDING.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            List<Job> out = new ArrayList<>();
            try (PreparedStatement up = c.prepareStatement("UPDATE cdm_job SET state = ?, claim_owner = ?, claimed = ?, "
                    + "updated = ? WHERE job_id = ? AND state = ?");
                    PreparedStatement read = c.prepareStatement("SELECT job_id, device_id, description, state, created, "
                            + "updated FROM cdm_job WHERE job_id = ?")) {
                for (long id : ids) {
                    up.setString(1, JobState.ACTIVE.name());
                    up.setString(2, owner);
                    up.setLong(3, now.toEpochMilli());
                    up.setLong(4, now.toEpochMilli());
                    up.setLong(5, id);
                    up.setString(6, JobState.PENDING.name());
                    if (up.executeUpdate() == 1) {
                        read.setLong(1, id);
                        out.addAll(readJobs(c, read));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public boolean releaseJob(long jobId, String owner, Instant now) {
        return tx("release of a job", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE cdm_job SET state = ?, claim_owner = NULL, "
                    + "claimed = NULL, updated = ? WHERE job_id = ? AND state = ? AND claim_owner = ?")) {
                ps.setString(1, JobState.PENDING.name());
                ps.setLong(2, now.toEpochMilli());
                ps.setLong(3, jobId);
                ps.setString(4, JobState.ACTIVE.name());
                ps.setString(5, owner);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void recordResult(OperationResult r) {
        recordResults(List.of(r));
    }

    /**
     * One transaction for the whole list: per job one {@code UPDATE} of its time, which also locks it and
     * tells whether it still exists, one {@code SELECT} of the indexes it has results for, {@code DELETE}s
     * only for those the list replaces, then the new rows in two batched {@code INSERT}s. A later answer
     * for the same job and index in the list replaces an earlier one before anything is written.
     */
    @Override
    public void recordResults(List<OperationResult> results) {
        if (results.isEmpty()) {
            return;
        }
        // jobs in id order: two transactions lock the jobs they share in the same order
        Map<Long, Map<Integer, OperationResult>> byJob = new TreeMap<>();
        Map<Long, Instant> lastTime = new HashMap<>();
        for (OperationResult r : results) {
            byJob.computeIfAbsent(r.jobId(), k -> new TreeMap<>()).put(r.index(), r);
            lastTime.put(r.jobId(), r.time());
        }
        tx("record of results", c -> {
            List<OperationResult> rows = new ArrayList<>();
            List<long[]> replaced = new ArrayList<>();
            try (PreparedStatement touch = c.prepareStatement("UPDATE cdm_job SET updated = ? WHERE job_id = ?");
                    PreparedStatement existing = c.prepareStatement("SELECT idx FROM cdm_result WHERE job_id = ?")) {
                for (Map.Entry<Long, Map<Integer, OperationResult>> e : byJob.entrySet()) {
                    long jobId = e.getKey();
                    touch.setLong(1, lastTime.get(jobId).toEpochMilli());
                    touch.setLong(2, jobId);
                    if (touch.executeUpdate() == 0) {
                        continue; // unknown job (its device was removed): ignored
                    }
                    Map<Integer, OperationResult> answers = e.getValue();
                    existing.setLong(1, jobId);
                    try (ResultSet rs = existing.executeQuery()) {
                        while (rs.next()) {
                            int idx = rs.getInt(1);
                            if (answers.containsKey(idx)) {
                                replaced.add(new long[] {jobId, idx});
                            }
                        }
                    }
                    rows.addAll(answers.values());
                }
            }
            if (!replaced.isEmpty()) {
                for (String sql : List.of("DELETE FROM cdm_result_item WHERE job_id = ? AND idx = ?",
                        "DELETE FROM cdm_result WHERE job_id = ? AND idx = ?")) {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        for (long[] k : replaced) {
                            ps.setLong(1, k[0]);
                            ps.setInt(2, (int) k[1]);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
            }
            if (rows.isEmpty()) {
                return null;
            }
            boolean anyItem = false;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO cdm_result (job_id, idx, status, received) VALUES (?, ?, ?, ?)")) {
                for (OperationResult r : rows) {
                    ps.setLong(1, r.jobId());
                    ps.setInt(2, r.index());
                    ps.setInt(3, r.status());
                    ps.setLong(4, r.time().toEpochMilli());
                    ps.addBatch();
                    anyItem |= !r.items().isEmpty();
                }
                ps.executeBatch();
            }
            if (anyItem) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO cdm_result_item (job_id, idx, pos, uri, "
                        + "format, mime_type, item_value, is_binary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (OperationResult r : rows) {
                        int pos = 0;
                        for (ResultItem i : r.items()) {
                            ps.setLong(1, r.jobId());
                            ps.setInt(2, r.index());
                            ps.setInt(3, pos++);
                            ps.setString(4, i.uri());
                            ps.setString(5, i.format());
                            ps.setString(6, i.type());
                            ps.setString(7, i.value());
                            ps.setBoolean(8, i.binary());
                            ps.addBatch();
                        }
                    }
                    ps.executeBatch();
                }
            }
            return null;
        });
    }

    @Override
    public boolean transitionJob(long jobId, JobState expected, JobState state, Instant now) {
        return tx("change of a job state", c -> {
            String sql = state == JobState.ACTIVE
                    ? "UPDATE cdm_job SET state = ?, updated = ? WHERE job_id = ? AND state = ?"
                    : "UPDATE cdm_job SET state = ?, updated = ?, claim_owner = NULL, claimed = NULL "
                            + "WHERE job_id = ? AND state = ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, state.name());
                ps.setLong(2, now.toEpochMilli());
                ps.setLong(3, jobId);
                ps.setString(4, expected.name());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int interruptStaleClaims(Instant claimedBefore, Instant now) {
        return tx("interruption of stale claims", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE cdm_job SET state = ?, updated = ?, claim_owner = NULL, "
                    + "claimed = NULL WHERE state = ? AND claimed < ?")) {
                ps.setString(1, JobState.INTERRUPTED.name());
                ps.setLong(2, now.toEpochMilli());
                ps.setString(3, JobState.ACTIVE.name());
                ps.setLong(4, claimedBefore.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    // ------------------------------------------------------------------ alerts

    @Override
    public void recordAlert(DeviceAlert a) {
        tx("record of an alert", c -> {
            AlertSql.record(c, a, PRUNE_EVERY, MAX_ALERTS_PER_DEVICE);
            return null;
        });
    }

    @Override
    public List<DeviceAlert> alerts(String deviceId, int limit) {
        return tx("list of alerts", c -> AlertSql.list(c, deviceId, limit));
    }

    // ------------------------------------------------------------------ asynchronous Execs (AsyncExecSql)

    @Override
    public boolean insertAsyncExec(AsyncExec exec) {
        return tx("record of an asynchronous Exec", c -> AsyncExecSql.insert(c, exec));
    }

    @Override
    public Optional<AsyncExec> asyncExec(String deviceId, String correlator) {
        return tx("read of an asynchronous Exec", c -> AsyncExecSql.find(c, deviceId, correlator));
    }

    @Override
    public List<AsyncExec> asyncExecs(long jobId) {
        return tx("list of asynchronous Execs", c -> AsyncExecSql.ofJob(c, jobId));
    }

    @Override
    public List<AsyncExec> overdueAsyncExecs(Instant now, int max) {
        return tx("list of overdue asynchronous Execs", c -> AsyncExecSql.overdue(c, now, max));
    }

    @Override
    public boolean updateAsyncExec(String deviceId, String correlator, AsyncExec.State expected,
            AsyncExec changed) {
        return tx("change of an asynchronous Exec", c -> AsyncExecSql.update(c, deviceId, correlator, expected,
                changed));
    }

    // ------------------------------------------------------------------ helpers

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

    private static Instant millis(Instant v) {
        return Instant.ofEpochMilli(v.toEpochMilli());
    }
}
