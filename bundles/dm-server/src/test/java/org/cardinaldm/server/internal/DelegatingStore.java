package org.cardinaldm.server.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.cardinaldm.server.api.DeviceAlert;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.api.spi.ServerStore;

/** Forwards every call, so that tests can override one. */
class DelegatingStore implements ServerStore {
    final ServerStore d;

    DelegatingStore(ServerStore d) {
        this.d = d;
    }

    @Override
    public Optional<DeviceRecord> device(String deviceId) {
        return d.device(deviceId);
    }

    @Override
    public List<DeviceRecord> devices() {
        return d.devices();
    }

    @Override
    public boolean insertDevice(DeviceRecord record) {
        return d.insertDevice(record);
    }

    @Override
    public Optional<DeviceRecord> updateDevice(String deviceId, UnaryOperator<DeviceRecord> change) {
        return d.updateDevice(deviceId, change);
    }

    @Override
    public boolean deleteDevice(String deviceId) {
        return d.deleteDevice(deviceId);
    }

    @Override
    public Job createJob(String deviceId, String description, List<Operation> operations, Instant now) {
        return d.createJob(deviceId, description, operations, now);
    }

    @Override
    public Optional<Job> job(long jobId) {
        return d.job(jobId);
    }

    @Override
    public List<Job> jobs(String deviceId, int limit) {
        return d.jobs(deviceId, limit);
    }

    @Override
    public List<Job> claimJobs(String deviceId, String owner, int max, Instant now) {
        return d.claimJobs(deviceId, owner, max, now);
    }

    @Override
    public boolean releaseJob(long jobId, String owner, Instant now) {
        return d.releaseJob(jobId, owner, now);
    }

    @Override
    public void recordResult(OperationResult result) {
        d.recordResult(result);
    }

    @Override
    public void recordResults(List<OperationResult> results) {
        d.recordResults(results);
    }

    @Override
    public boolean transitionJob(long jobId, JobState expected, JobState state, Instant now) {
        return d.transitionJob(jobId, expected, state, now);
    }

    @Override
    public int interruptStaleClaims(Instant claimedBefore, Instant now) {
        return d.interruptStaleClaims(claimedBefore, now);
    }

    @Override
    public void recordAlert(DeviceAlert alert) {
        d.recordAlert(alert);
    }

    @Override
    public List<DeviceAlert> alerts(String deviceId, int limit) {
        return d.alerts(deviceId, limit);
    }
}
