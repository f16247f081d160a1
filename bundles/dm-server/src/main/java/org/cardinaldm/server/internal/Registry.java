package org.cardinaldm.server.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.cardinaldm.server.api.AuthAttempt;
import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.DeviceAlert;
import org.cardinaldm.server.api.DeviceManager;
import org.cardinaldm.server.api.DevicePage;
import org.cardinaldm.server.api.DeviceSearch;
import org.cardinaldm.server.api.DeviceState;
import org.cardinaldm.server.api.FleetStats;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobManager;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.internal.session.AuthGuard;
import org.cardinaldm.syncml.api.auth.UserDigests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operators' view of the registry and the jobs, on a {@link ServerStore}. */
public final class Registry implements DeviceManager, JobManager {
    private static final Logger LOG = LoggerFactory.getLogger(Registry.class);
    private static final int MAX_OPERATIONS = 10_000;

    private final ServerStore store;
    private final ServerConfig config;
    private final Clock clock;
    private final SecureRandom random;
    private final AuthGuard guard;

    /**
     * A registry with an attempt log of its own (it sees no failed attempt).
     *
     * @param store the store
     * @param config the settings (the ServerID is the default server name)
     * @param clock the time source
     * @param random the nonce source
     */
    public Registry(ServerStore store, ServerConfig config, Clock clock, SecureRandom random) {
        this(store, config, clock, random, new AuthGuard(config));
    }

    /**
     * @param store the store
     * @param config the settings (the ServerID is the default server name)
     * @param clock the time source
     * @param random the nonce source
     * @param guard the failure throttle and attempt log of the node's {@link SessionEngine}
     */
    public Registry(ServerStore store, ServerConfig config, Clock clock, SecureRandom random, AuthGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public List<Device> devices() {
        return store.devices().stream().map(DeviceRecord::toDevice).toList();
    }

    @Override
    public DevicePage search(String query, DeviceState state, String afterDeviceId, int limit) {
        DeviceSearch.check(query, afterDeviceId, limit);
        String after = afterDeviceId == null || afterDeviceId.isEmpty() ? null : afterDeviceId;
        List<DeviceRecord> found = store.searchDevices(DeviceSearch.normalise(query), state, after, limit + 1,
                clock.instant());
        boolean more = found.size() > limit;
        List<Device> page = found.stream().limit(limit).map(DeviceRecord::toDevice).toList();
        return new DevicePage(page, more ? page.get(page.size() - 1).deviceId() : null, store.countDevices());
    }

    @Override
    public FleetStats fleetStats(int hours) {
        FleetStats.firstHour(clock.instant(), hours); // checks the bounds
        return store.fleetStats(clock.instant(), hours);
    }

    /** @return {@code value}, once what the store changed to compute it is durable ({@link ServerStore#sync}) */
    private <T> T synced(T value) {
        store.sync();
        return value;
    }

    @Override
    public Optional<Device> device(String deviceId) {
        return store.device(deviceId).map(DeviceRecord::toDevice);
    }

    @Override
    public Device register(DeviceRegistration reg) {
        String serverUser = serverUser(reg);
        DeviceRecord record = new DeviceRecord(reg.deviceId(), reg.cardId(), null, null, null, reg.clientAuth(),
                reg.clientUser(), UserDigests.of(reg.clientUser(), reg.clientPassword()),
                reg.clientNonce() == null ? Secrets.newNonce(random) : reg.clientNonce(),
                reg.serverAuth(), serverUser, UserDigests.of(serverUser, reg.serverPassword()),
                reg.serverAuth() == AuthScheme.BASIC ? reg.serverPassword() : null,
                reg.serverNonce() == null ? Secrets.RESYNC_NONCE : reg.serverNonce(), true, 0, 0, null,
                reg.pushAddress());
        if (!store.insertDevice(record)) {
            throw new IllegalArgumentException("device " + reg.deviceId() + " is already registered");
        }
        store.sync();
        LOG.info("Device {} registered ({} / {})", reg.deviceId(), reg.clientAuth(), reg.serverAuth());
        return record.toDevice();
    }

    private String serverUser(DeviceRegistration reg) {
        return reg.serverUser() == null || reg.serverUser().isEmpty() ? config.serverId() : reg.serverUser();
    }

    @Override
    public Device updateCredentials(DeviceRegistration reg) {
        String serverUser = serverUser(reg);
        String clientNonce = reg.clientNonce() == null ? Secrets.newNonce(random) : reg.clientNonce();
        return synced(store.updateDevice(reg.deviceId(), r -> {
            DeviceRecord.Builder b = r.toBuilder()
                    .client(reg.clientAuth(), reg.clientUser(), UserDigests.of(reg.clientUser(), reg.clientPassword()))
                    .clientNonce(clientNonce)
                    .server(reg.serverAuth(), serverUser, UserDigests.of(serverUser, reg.serverPassword()),
                            reg.serverAuth() == AuthScheme.BASIC ? reg.serverPassword() : null);
            if (reg.serverNonce() != null) {
                b.serverNonce(reg.serverNonce());
            }
            if (reg.cardId() != null) {
                b.cardId(reg.cardId());
            }
            if (reg.pushAddress() != null) {
                b.pushAddress(reg.pushAddress());
            }
            return b.build();
        })).map(DeviceRecord::toDevice)
                .orElseThrow(() -> new IllegalArgumentException("device " + reg.deviceId() + " is not registered"));
    }

    /** Ends a lock-out in the record and forgets every source's failures of the device on this node. */
    @Override
    public boolean unlock(String deviceId) {
        guard.unlock(deviceId);
        return synced(store.updateDevice(deviceId, r -> r.toBuilder().authFailures(0).lockedUntil(null).build()))
                .isPresent();
    }

    @Override
    public boolean setEnabled(String deviceId, boolean enabled) {
        return synced(store.updateDevice(deviceId, r -> r.toBuilder().enabled(enabled).build())).isPresent();
    }

    @Override
    public boolean remove(String deviceId) {
        return synced(store.deleteDevice(deviceId));
    }

    @Override
    public List<DeviceAlert> alerts(String deviceId, int limit) {
        return store.alerts(deviceId, limit);
    }

    @Override
    public List<AuthAttempt> failedAttempts(String deviceId) {
        return guard.attempts(deviceId);
    }

    @Override
    public Job submit(String deviceId, String description, List<Operation> operations) {
        if (operations == null || operations.isEmpty()) {
            throw new IllegalArgumentException("a job needs at least one operation");
        }
        int size = operations.stream().mapToInt(Operation::size).sum();
        if (size > MAX_OPERATIONS) {
            throw new IllegalArgumentException("a job has at most " + MAX_OPERATIONS + " operations");
        }
        org.cardinaldm.server.internal.async.AsyncExecs.checkCorrelators(store, deviceId, operations);
        Job job;
        try {
            job = synced(store.createJob(deviceId, description, operations, clock.instant()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no device " + deviceId + " is registered", e);
        }
        LOG.debug("Job {} for {} submitted with {} operations", job.id(), deviceId, size);
        return job;
    }

    @Override
    public Optional<Job> job(long jobId) {
        return store.job(jobId).map(j -> org.cardinaldm.server.internal.async.AsyncExecs.attach(store, j));
    }

    @Override
    public List<Job> jobs(String deviceId, int limit) {
        return store.jobs(deviceId, limit).stream()
                .map(j -> org.cardinaldm.server.internal.async.AsyncExecs.attach(store, j)).toList();
    }

    @Override
    public boolean cancel(long jobId) {
        return synced(store.transitionJob(jobId, JobState.PENDING, JobState.CANCELLED, clock.instant()));
    }
}
