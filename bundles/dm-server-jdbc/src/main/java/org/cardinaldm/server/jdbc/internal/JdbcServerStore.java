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

    /** The default group commit wait of embedded H2, in microseconds ({@link Durability#h2}). */
    public static final long GROUP_COMMIT_MICROS = 1000;

    /** Tests' key, in memory for the life of this JVM: stores opened with {@link #open(ConnectionPool)} agree. */
    private static final RegistryKey JVM_KEY = RegistryKey.random();

    private final ConnectionPool pool;
    private final Dialect dialect;
    private final SecretCipher secrets;
    private final DeviceSql devices;
    private final DeviceLocks locks;
    private final Durability durability;

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
     * @return the store, with the default group commit wait on embedded H2 ({@link #GROUP_COMMIT_MICROS})
     * @throws StoreException when the database cannot be reached or migrated, or a row is encrypted with a
     *         key that is not configured (the message names key identifiers only)
     */
    public static JdbcServerStore open(ConnectionPool pool, SecretCipher secrets) {
        return open(pool, secrets, GROUP_COMMIT_MICROS);
    }

    /**
     * Opens the store as {@link #open(ConnectionPool, SecretCipher)} does.
     *
     * @param pool the connections
     * @param secrets the keys of the secret columns
     * @param groupCommitMicros embedded H2: how long a checkpoint that makes commits durable waits, when other
     *        sessions' commits are pending too, so that it covers more of them (0: never; {@link Durability#h2})
     * @return the store
     * @throws StoreException when the database cannot be reached or migrated, or a row is encrypted with a
     *         key that is not configured (the message names key identifiers only)
     */
    public static JdbcServerStore open(ConnectionPool pool, SecretCipher secrets, long groupCommitMicros) {
        Dialect dialect;
        boolean embeddedH2;
        boolean exclusive;
        try (Connection c = pool.borrow()) {
            dialect = Dialect.of(c);
            Migrations.migrate(c, dialect);
            SecretColumns.reencrypt(c, secrets);
            String url = c.getMetaData().getURL();
            embeddedH2 = dialect == Dialect.H2 && !url.startsWith("jdbc:h2:mem:");
            exclusive = dialect == Dialect.H2 && H2Settings.exclusive(url);
        } catch (SQLException e) {
            throw new StoreException("cannot prepare the registry schema: " + e.getMessage(), e);
        }
        Durability durability = embeddedH2 ? Durability.h2(pool, groupCommitMicros) : Durability.NONE;
        try {
            durability.committed(); // the migration; and a check that this user may run CHECKPOINT
            durability.await();
        } catch (SQLException e) {
            throw new StoreException("cannot make the H2 registry's commits durable (CHECKPOINT needs an "
                    + "administrator of the database): " + e.getMessage(), e);
        }
        return new JdbcServerStore(pool, dialect, secrets, durability,
                exclusive ? DeviceLocks.local() : DeviceLocks.NONE);
    }

    private JdbcServerStore(ConnectionPool pool, Dialect dialect, SecretCipher secrets, Durability durability,
            DeviceLocks locks) {
        super(pool, durability);
        this.pool = Objects.requireNonNull(pool, "pool");
        this.dialect = dialect;
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.devices = new DeviceSql(secrets);
        this.locks = locks;
        this.durability = durability;
        LOG.info("Registry on {} (schema version {}{})", dialect, Migrations.latest(),
                durability == Durability.NONE ? "" : ", commits checkpointed before they are acknowledged");
    }

    /** Stops the background sync of embedded H2 (the pool is closed by its owner). */
    public void close() {
        durability.close();
    }

    /**
     * @return how many times this store made its commits durable with a checkpoint of embedded H2 (0 on other
     *         databases): for benchmarks
     */
    public long checkpoints() {
        return durability instanceof Durability.H2Checkpoints h ? h.checkpoints() : 0;
    }

    /** @return the database kind */
    public Dialect dialect() {
        return dialect;
    }

    /** A transaction that changes something, durable once {@link #sync} returned. */
    private <T> T write(String what, Transactions.Work<T> work) {
        return Transactions.run(pool, durability, what, work, r -> true);
    }

    /** A transaction that may change something ({@code changed} tells from its result), durable after {@link #sync}. */
    private <T> T write(String what, Transactions.Work<T> work, java.util.function.Predicate<? super T> changed) {
        return Transactions.run(pool, durability, what, work, changed);
    }

    /** A transaction that changes something and is durable when it returns. */
    private <T> T tx(String what, Transactions.Work<T> work) {
        T result = write(what, work);
        sync();
        return result;
    }

    /** A read, in auto-commit mode (no transaction to commit: {@link Transactions#autoCommit}). */
    private <T> T read(String what, Transactions.Work<T> work) {
        return Transactions.autoCommit(pool, what, work);
    }

    /**
     * On embedded H2, writes every change committed so far, this thread's among them, with one checkpoint shared with
     * the callers that come meanwhile ({@link Durability}), unless one already covered this thread's changes;
     * elsewhere a commit is durable already and this returns at once.
     */
    @Override
    public void sync() {
        try {
            durability.await();
        } catch (SQLException e) {
            throw new StoreException("the registry cannot make its changes durable: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ devices

    /** On embedded H2 the record may come from the cache of recently used devices ({@link DeviceLocks}). */
    @Override
    public Optional<DeviceRecord> device(String deviceId) {
        if (!locks.inProcess()) {
            return read("read of a device", c -> devices.read(c, deviceId, false));
        }
        return locks.with(deviceId, () -> {
            DeviceRecord cached = locks.cached(deviceId);
            if (cached != null) {
                return Optional.of(cached);
            }
            Optional<DeviceRecord> read = read("read of a device", c -> devices.read(c, deviceId, false));
            read.ifPresent(r -> locks.cache(deviceId, r));
            return read;
        });
    }

    @Override
    public List<DeviceRecord> devices() {
        return read("list of devices", devices::all);
    }

    @Override
    public boolean insertDevice(DeviceRecord r) {
        return tx("insert of a device", c -> devices.insert(c, r));
    }

    /**
     * Reads the device locked (on embedded H2: under its lock in this process, from the cache of recently used devices
     * when it is there), applies the change and writes the columns and DevInfo values that changed.
     */
    @Override
    public Optional<DeviceRecord> updateDevice(String deviceId, UnaryOperator<DeviceRecord> change) {
        record Outcome(Optional<DeviceRecord> record, boolean wrote) {
        }
        return locks.with(deviceId, () -> {
            DeviceRecord cached = locks.cached(deviceId);
            Outcome out;
            try {
                out = write("update of a device", c -> {
                    Optional<DeviceRecord> current = cached != null ? Optional.of(cached)
                            : devices.read(c, deviceId, !locks.inProcess());
                    if (current.isEmpty()) {
                        return new Outcome(current, false);
                    }
                    DeviceRecord next = change.apply(current.get());
                    if (!next.deviceId().equals(deviceId)) {
                        throw new IllegalArgumentException("an update cannot change the DevId");
                    }
                    return new Outcome(Optional.of(next), devices.update(c, current.get(), next));
                }, Outcome::wrote);
            } catch (RuntimeException e) {
                locks.cache(deviceId, null);
                throw e;
            }
            locks.cache(deviceId, out.record().orElse(null));
            return out;
        }).record();
    }

    @Override
    public boolean deleteDevice(String deviceId) {
        return locks.with(deviceId, () -> {
            locks.cache(deviceId, null);
            return tx("removal of a device", c -> DeviceSql.delete(c, deviceId));
        });
    }

    // ------------------------------------------------------------------ fleet search and figures (FleetSql)

    @Override
    public List<DeviceRecord> searchDevices(String query, DeviceState state, String afterDeviceId, int limit,
            Instant now) {
        return read("search of devices", c -> FleetSql.search(c, DeviceSql.DEVICE_COLUMNS, query, state, afterDeviceId,
                limit, now, devices::device));
    }

    @Override
    public long countDevices() {
        return read("count of devices", FleetSql::count);
    }

    @Override
    public FleetStats fleetStats(Instant now, int hours) {
        return read("figures of the fleet", c -> FleetSql.stats(c, now, hours));
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
    public int pruneJobs(Instant endedBefore, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be 1 or more");
        }
        return write("retention of jobs", c -> JobRetentionSql.prune(c, endedBefore, max), n -> n > 0);
    }

    @Override
    public Job createJob(String deviceId, String description, List<Operation> operations, Instant now) {
        return write("creation of a job", c -> {
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
        return read("read of a job", c -> {
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
        return read("list of jobs", c -> {
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

    /** @return the jobs of the rows {@code ps} selects, in their order, with operations and results (a new list) */
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
        record Row(int idx, int status, Instant received) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT idx, status, received FROM cdm_result WHERE job_id = ? ORDER BY idx")) {
            ps.setLong(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getInt(1), rs.getInt(2), instant(rs, 3)));
                }
            }
        }
        if (rows.isEmpty()) {
            return List.of(); // a job just claimed: no need to look for items
        }
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
        List<OperationResult> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(new OperationResult(jobId, r.idx, r.status, items.getOrDefault(r.idx, List.of()), r.received));
        }
        return out;
    }

    @Override
    public List<Job> claimJobs(String deviceId, String owner, int max, Instant now) {
        if (max <= 0) {
            return List.of();
        }
        if (dialect == Dialect.POSTGRESQL) {
            return claimInOneStatement(deviceId, owner, max, now);
        }
        // embedded H2: the device's lock in this process serialises its claims (DeviceLocks); elsewhere the rows'
        String lock = locks.inProcess() ? "" : " " + dialect.claimLock();
        return locks.with(deviceId, () -> write("claim of jobs", c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT job_id FROM cdm_job WHERE device_id = ? AND state = ? "
                    + "ORDER BY job_id LIMIT ?" + lock)) {
                ps.setString(1, deviceId);
                ps.setString(2, JobState.PENDING.name());
                ps.setInt(3, max);
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
        }, claimed -> !claimed.isEmpty()));
    }

    /**
     * PostgreSQL: the claim is one {@code UPDATE ... RETURNING} over the device's oldest pending jobs that no other
     * transaction holds ({@code FOR UPDATE SKIP LOCKED}), then the claimed jobs' operations and results are read in
     * the same transaction (a failure leaves nothing claimed): four round trips for a claim of one job where the
     * general form ({@code SELECT ... FOR UPDATE}, then an {@code UPDATE} and a {@code SELECT} per job) takes six.
     */
    private List<Job> claimInOneStatement(String deviceId, String owner, int max, Instant now) {
        return write("claim of jobs", c -> {
            // the picked rows in a MATERIALIZED CTE: evaluated once; as "job_id IN (SELECT ... LIMIT n)" PostgreSQL
            // may run the sub-select more than once and claim more than n jobs
            try (PreparedStatement ps = c.prepareStatement("WITH picked AS MATERIALIZED (SELECT job_id FROM cdm_job "
                    + "WHERE device_id = ? AND state = ? ORDER BY job_id LIMIT ? " + dialect.claimLock() + ") "
                    + "UPDATE cdm_job j SET state = ?, claim_owner = ?, claimed = ?, updated = ? FROM picked "
                    + "WHERE j.job_id = picked.job_id "
                    + "RETURNING j.job_id, j.device_id, j.description, j.state, j.created, j.updated")) {
                ps.setString(1, deviceId);
                ps.setString(2, JobState.PENDING.name());
                ps.setInt(3, max);
                ps.setString(4, JobState.ACTIVE.name());
                ps.setString(5, owner);
                ps.setLong(6, now.toEpochMilli());
                ps.setLong(7, now.toEpochMilli());
                List<Job> jobs = readJobs(c, ps);
                jobs.sort(java.util.Comparator.comparingLong(Job::id)); // RETURNING keeps no order
                return jobs;
            }
        }, claimed -> !claimed.isEmpty());
    }

    @Override
    public boolean releaseJob(long jobId, String owner, Instant now) {
        return write("release of a job", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE cdm_job SET state = ?, claim_owner = NULL, "
                    + "claimed = NULL, updated = ? WHERE job_id = ? AND state = ? AND claim_owner = ?")) {
                ps.setString(1, JobState.PENDING.name());
                ps.setLong(2, now.toEpochMilli());
                ps.setLong(3, jobId);
                ps.setString(4, JobState.ACTIVE.name());
                ps.setString(5, owner);
                return ps.executeUpdate() == 1;
            }
        }, Boolean::booleanValue);
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
        write("record of results", c -> {
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
        return write("change of a job state", c -> {
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
        }, Boolean::booleanValue);
    }

    @Override
    public int interruptStaleClaims(Instant claimedBefore, Instant now) {
        return write("interruption of stale claims", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE cdm_job SET state = ?, updated = ?, claim_owner = NULL, "
                    + "claimed = NULL WHERE state = ? AND claimed < ?")) {
                ps.setString(1, JobState.INTERRUPTED.name());
                ps.setLong(2, now.toEpochMilli());
                ps.setString(3, JobState.ACTIVE.name());
                ps.setLong(4, claimedBefore.toEpochMilli());
                return ps.executeUpdate();
            }
        }, n -> n > 0);
    }

    // ------------------------------------------------------------------ alerts

    @Override
    public void recordAlert(DeviceAlert a) {
        write("record of an alert", c -> {
            AlertSql.record(c, a, PRUNE_EVERY, MAX_ALERTS_PER_DEVICE);
            return null;
        });
    }

    @Override
    public List<DeviceAlert> alerts(String deviceId, int limit) {
        return read("list of alerts", c -> AlertSql.list(c, deviceId, limit));
    }

    // ------------------------------------------------------------------ asynchronous Execs (AsyncExecSql)

    @Override
    public boolean insertAsyncExec(AsyncExec exec) {
        return write("record of an asynchronous Exec", c -> AsyncExecSql.insert(c, exec), Boolean::booleanValue);
    }

    @Override
    public Optional<AsyncExec> asyncExec(String deviceId, String correlator) {
        return read("read of an asynchronous Exec", c -> AsyncExecSql.find(c, deviceId, correlator));
    }

    @Override
    public List<AsyncExec> asyncExecs(long jobId) {
        return read("list of asynchronous Execs", c -> AsyncExecSql.ofJob(c, jobId));
    }

    @Override
    public List<AsyncExec> overdueAsyncExecs(Instant now, int max) {
        return read("list of overdue asynchronous Execs", c -> AsyncExecSql.overdue(c, now, max));
    }

    @Override
    public boolean updateAsyncExec(String deviceId, String correlator, AsyncExec.State expected,
            AsyncExec changed) {
        return write("change of an asynchronous Exec", c -> AsyncExecSql.update(c, deviceId, correlator, expected,
                changed), Boolean::booleanValue);
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
