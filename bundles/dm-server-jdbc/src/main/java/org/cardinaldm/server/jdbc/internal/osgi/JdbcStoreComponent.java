package org.cardinaldm.server.jdbc.internal.osgi;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;

import javax.sql.DataSource;

import org.cardinaldm.server.api.AsyncExec;
import org.cardinaldm.server.api.DeviceAlert;
import org.cardinaldm.server.api.DeviceState;
import org.cardinaldm.server.api.FleetStats;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.NotificationRecord;
import org.cardinaldm.server.api.NotificationState;
import org.cardinaldm.server.api.ServerNode;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.audit.AuditQuery;
import org.cardinaldm.server.api.audit.AuditQueryStore;
import org.cardinaldm.server.api.spi.ClaimedJob;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.api.spi.StoredNotification;
import org.cardinaldm.server.api.spi.StoreException;
import org.cardinaldm.server.jdbc.internal.AuditSql;
import org.cardinaldm.server.jdbc.internal.ConnectionPool;
import org.cardinaldm.server.jdbc.internal.H2Settings;
import org.cardinaldm.server.jdbc.internal.JdbcServerStore;
import org.cardinaldm.server.jdbc.internal.PostgresSettings;
import org.cardinaldm.server.jdbc.internal.secrets.SecretCipher;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The DM server registry on JDBC. The driver comes from the {@link DataSourceFactory} the H2 or
 * PostgreSQL bundle registers; {@code dataSourceFactory.target} picks it (H2 by default), {@code url}
 * names the database (an H2 file under {@code ${karaf.data}/cardinal} by default). The devices' secrets are
 * encrypted with the key of {@code secrets.key.file} ({@code ${karaf.etc}/cardinal-registry.key} by
 * default, created at first use); a previous key ({@code secrets.key.previous.file}, or that file's name
 * plus {@code .previous}) still decrypts, and every row it encrypted is re-encrypted at activation. An
 * embedded H2 file database, its folders and the key files are owner-only. It answers the audit log's filtered
 * listings in SQL ({@link AuditQueryStore}).
 */
@Component(service = ServerStore.class, configurationPid = "org.cardinaldm.server.jdbc",
        property = "dataSourceFactory.target=(osgi.jdbc.driver.class=org.h2.Driver)")
@Designate(ocd = JdbcStoreComponent.Config.class)
public final class JdbcStoreComponent implements ServerStore, AuditQueryStore {

    /** Configuration of the JDBC registry. */
    @ObjectClassDefinition(name = "Cardinal DM server registry (JDBC)")
    public @interface Config {
        /** @return the JDBC URL */
        @AttributeDefinition(description = "JDBC URL; empty for the embedded H2 file under ${karaf.data}/cardinal")
        String url() default "";

        /** @return the user */
        @AttributeDefinition(description = "Database user")
        String user() default "";

        /** @return the password */
        @AttributeDefinition(type = AttributeType.PASSWORD, description = "Database password")
        String _password() default "";

        /** @return the pool size */
        @AttributeDefinition(description = "Most connections open at once")
        int pool_max_connections() default 10;

        /** @return the pool wait */
        @AttributeDefinition(description = "Milliseconds a request waits for a free connection")
        long pool_wait_millis() default 10_000;

        /** @return the group commit wait of embedded H2 */
        @AttributeDefinition(description = "Embedded H2: microseconds a checkpoint that makes acknowledged changes "
                + "durable waits, when other sessions' changes are pending too, so that one checkpoint covers more of "
                + "them (0: none)")
        long h2_group_commit_micros() default JdbcServerStore.GROUP_COMMIT_MICROS;

        /** @return the driver filter */
        @AttributeDefinition(description = "Filter of the DataSourceFactory, e.g. "
                + "(osgi.jdbc.driver.class=org.postgresql.Driver)")
        String dataSourceFactory_target() default "(osgi.jdbc.driver.class=org.h2.Driver)";

        /** @return the key file */
        @AttributeDefinition(description = "File of the AES-256 key that encrypts the devices' secrets in the "
                + "registry, created owner-only at first use; ${name} expands system properties. Empty: "
                + "${karaf.etc}/cardinal-registry.key. Every node of one database needs the same key")
        String secrets_key_file() default "";

        /** @return the previous key file */
        @AttributeDefinition(description = "File of the previous key while rotating: rows it encrypted are "
                + "re-encrypted with the current key at start. Empty: the key file's name plus .previous, if it exists")
        String secrets_key_previous_file() default "";
    }

    private final ConnectionPool pool;
    private final JdbcServerStore store;

    /**
     * @param factory the driver's factory
     * @param config the configuration
     * @throws SQLException when the driver refuses the settings
     */
    @Activate
    public JdbcStoreComponent(@Reference(name = "dataSourceFactory") DataSourceFactory factory, Config config)
            throws SQLException {
        Properties p = jdbcProperties(config);
        String url = p.getProperty(DataSourceFactory.JDBC_URL);
        SecretCipher secrets = SecretFiles.cipher(config.secrets_key_file(), config.secrets_key_previous_file());
        Optional<Path> h2 = SecretFiles.h2Base(url);
        h2.ifPresent(SecretFiles::prepareH2);
        DataSource source = factory.createDataSource(p);
        this.pool = ConnectionPool.of(source, config.pool_max_connections(), config.pool_wait_millis(),
                "dm-server-jdbc-registry");
        try {
            this.store = JdbcServerStore.open(pool, secrets, config.h2_group_commit_micros());
        } catch (StoreException e) {
            pool.close();
            throw e;
        }
        h2.ifPresent(SecretFiles::restrictH2);
    }

    /**
     * @param config the configuration
     * @return the driver's properties: URL (the default H2 file when empty; an H2 URL with the registry's query
     *         cache, {@link H2Settings}; a PostgreSQL URL with multi-row batched inserts, {@link PostgresSettings}),
     *         user and password when set
     */
    static Properties jdbcProperties(Config config) {
        Properties p = new Properties();
        String url = config.url().isBlank() ? defaultUrl() : config.url();
        p.setProperty(DataSourceFactory.JDBC_URL, PostgresSettings.tuned(H2Settings.tuned(url)));
        if (!config.user().isEmpty()) {
            p.setProperty(DataSourceFactory.JDBC_USER, config.user());
        }
        if (!config._password().isEmpty()) {
            p.setProperty(DataSourceFactory.JDBC_PASSWORD, config._password());
        }
        return p;
    }

    /**
     * @return the embedded H2 database file under {@code ${karaf.data}/cardinal}; it closes with the last
     *         pooled connection, so a deactivated component (or a refreshed H2 bundle) leaves no lock behind
     */
    static String defaultUrl() {
        String data = System.getProperty("karaf.data", "data");
        return "jdbc:h2:file:" + Path.of(data, "cardinal", "server-registry").toAbsolutePath();
    }

    /** Closes the connections. */
    @Deactivate
    void deactivate() {
        store.close();
        pool.close();
    }

    @Override
    public Optional<DeviceRecord> device(String deviceId) {
        return store.device(deviceId);
    }

    @Override
    public List<DeviceRecord> devices() {
        return store.devices();
    }

    @Override
    public boolean insertDevice(DeviceRecord record) {
        return store.insertDevice(record);
    }

    @Override
    public Optional<DeviceRecord> updateDevice(String deviceId, UnaryOperator<DeviceRecord> change) {
        return store.updateDevice(deviceId, change);
    }

    @Override
    public boolean deleteDevice(String deviceId) {
        return store.deleteDevice(deviceId);
    }

    @Override
    public Job createJob(String deviceId, String description, List<Operation> operations, Instant now) {
        return store.createJob(deviceId, description, operations, now);
    }

    @Override
    public Optional<Job> job(long jobId) {
        return store.job(jobId);
    }

    @Override
    public List<Job> jobs(String deviceId, int limit) {
        return store.jobs(deviceId, limit);
    }

    @Override
    public List<Job> claimJobs(String deviceId, String owner, int max, Instant now) {
        return store.claimJobs(deviceId, owner, max, now);
    }

    @Override
    public boolean releaseJob(long jobId, String owner, Instant now) {
        return store.releaseJob(jobId, owner, now);
    }

    @Override
    public void recordResult(OperationResult result) {
        store.recordResult(result);
    }

    @Override
    public void recordResults(List<OperationResult> results) {
        store.recordResults(results);
    }

    @Override
    public void sync() {
        store.sync();
    }

    @Override
    public boolean transitionJob(long jobId, JobState expected, JobState state, Instant now) {
        return store.transitionJob(jobId, expected, state, now);
    }

    @Override
    public int interruptStaleClaims(Instant claimedBefore, Instant now) {
        return store.interruptStaleClaims(claimedBefore, now);
    }

    @Override
    public void recordAlert(DeviceAlert alert) {
        store.recordAlert(alert);
    }

    @Override
    public List<DeviceAlert> alerts(String deviceId, int limit) {
        return store.alerts(deviceId, limit);
    }

    @Override
    public boolean insertAsyncExec(AsyncExec exec) {
        return store.insertAsyncExec(exec);
    }

    @Override
    public Optional<AsyncExec> asyncExec(String deviceId, String correlator) {
        return store.asyncExec(deviceId, correlator);
    }

    @Override
    public List<AsyncExec> asyncExecs(long jobId) {
        return store.asyncExecs(jobId);
    }

    @Override
    public List<AsyncExec> overdueAsyncExecs(Instant now, int max) {
        return store.overdueAsyncExecs(now, max);
    }

    @Override
    public boolean updateAsyncExec(String deviceId, String correlator, AsyncExec.State expected,
            AsyncExec changed) {
        return store.updateAsyncExec(deviceId, correlator, expected, changed);
    }

    @Override
    public List<DeviceRecord> searchDevices(String query, DeviceState state, String afterDeviceId, int limit,
            Instant now) {
        return store.searchDevices(query, state, afterDeviceId, limit, now);
    }

    @Override
    public long countDevices() {
        return store.countDevices();
    }

    @Override
    public FleetStats fleetStats(Instant now, int hours) {
        return store.fleetStats(now, hours);
    }

    @Override
    public long insertAudit(AuditEntry entry) {
        return store.insertAudit(entry);
    }

    @Override
    public List<AuditEntry> auditEntries(long before, int limit) {
        return store.auditEntries(before, limit);
    }

    @Override
    public int pruneAudit(Instant olderThan, long keepRows) {
        return store.pruneAudit(olderThan, keepRows);
    }

    @Override
    public int pruneJobs(Instant endedBefore, int max) {
        return store.pruneJobs(endedBefore, max);
    }

    // several nodes (schema version 6)

    @Override
    public boolean insertNode(ServerNode node) {
        return store.insertNode(node);
    }

    @Override
    public boolean beatNode(String nodeId, String incarnation, Instant now) {
        return store.beatNode(nodeId, incarnation, now);
    }

    @Override
    public List<ServerNode> nodes() {
        return store.nodes();
    }

    @Override
    public boolean endNode(String nodeId, String incarnation, long beats, ServerNode.State state, Instant now) {
        return store.endNode(nodeId, incarnation, beats, state, now);
    }

    @Override
    public int pruneNodes(Instant endedBefore) {
        return store.pruneNodes(endedBefore);
    }

    @Override
    public boolean markDispatched(java.util.Collection<Long> jobIds, String owner, Instant now) {
        return store.markDispatched(jobIds, owner, now);
    }

    @Override
    public List<ClaimedJob> claimedJobs() {
        return store.claimedJobs();
    }

    @Override
    public boolean releaseClaim(ClaimedJob claim, JobState state, Instant now) {
        return store.releaseClaim(claim, state, now);
    }

    @Override
    public long insertNotification(NotificationRecord record) {
        return store.insertNotification(record);
    }

    @Override
    public boolean updateNotification(long id, NotificationState expectedState, int expectedAttempts,
            NotificationRecord next) {
        return store.updateNotification(id, expectedState, expectedAttempts, next);
    }

    @Override
    public List<StoredNotification> dueNotifications(Instant sentBefore, int max) {
        return store.dueNotifications(sentBefore, max);
    }

    @Override
    public List<NotificationRecord> notifications(String deviceId, int limit) {
        return store.notifications(deviceId, limit);
    }

    @Override
    public int answerNotifications(String deviceId, String sessionId) {
        return store.answerNotifications(deviceId, sessionId);
    }

    @Override
    public int pruneNotifications(Instant before) {
        return store.pruneNotifications(before);
    }

    @Override
    public List<AuditEntry> queryAudit(AuditQuery query) {
        return AuditSql.query(pool, query);
    }
}
