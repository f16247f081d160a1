package org.cardinaldm.server.shell.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.DeviceAlert;
import org.cardinaldm.server.api.DeviceManager;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobManager;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.NotificationManager;
import org.cardinaldm.server.api.NotificationRecord;
import org.cardinaldm.server.api.NotificationState;
import org.cardinaldm.server.api.NotificationUi;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.audit.AuditLog;
import org.cardinaldm.server.api.audit.AuditQuery;

/** Fakes of the DM server's services for the unit tests of the {@code dms:} commands, and an audit log in memory. */
final class ServerFakes {
    private ServerFakes() {
    }

    /** Devices in a map. */
    static class Registry implements DeviceManager {
        final Map<String, Device> devices = new TreeMap<>();
        final List<DeviceRegistration> registrations = new ArrayList<>();

        Registry with(String id) {
            devices.put(id, new Device(id, null, Map.of("./DevInfo/Mod", "GW-1"), null, null, AuthScheme.MD5, id,
                    AuthScheme.MD5, "cardinal", true, 0, 0, null, null));
            return this;
        }

        @Override
        public List<Device> devices() {
            return List.copyOf(devices.values());
        }

        @Override
        public Optional<Device> device(String deviceId) {
            return Optional.ofNullable(devices.get(deviceId));
        }

        @Override
        public Device register(DeviceRegistration registration) {
            if (devices.containsKey(registration.deviceId())) {
                throw new IllegalArgumentException("device " + registration.deviceId() + " is already registered");
            }
            registrations.add(registration);
            with(registration.deviceId());
            return devices.get(registration.deviceId());
        }

        @Override
        public Device updateCredentials(DeviceRegistration registration) {
            registrations.add(registration);
            return device(registration.deviceId()).orElseThrow(() -> new IllegalArgumentException("unknown device"));
        }

        @Override
        public boolean unlock(String deviceId) {
            return devices.containsKey(deviceId);
        }

        @Override
        public boolean setEnabled(String deviceId, boolean enabled) {
            return devices.containsKey(deviceId);
        }

        @Override
        public boolean remove(String deviceId) {
            return devices.remove(deviceId) != null;
        }

        @Override
        public List<DeviceAlert> alerts(String deviceId, int limit) {
            return List.of();
        }
    }

    /** Jobs in a list. */
    static final class Jobs implements JobManager {
        final List<Job> jobs = new ArrayList<>();

        @Override
        public Job submit(String deviceId, String description, List<Operation> operations) {
            Job j = new Job(jobs.size() + 1, deviceId, description, JobState.PENDING, FumoFakes.T, FumoFakes.T,
                    operations, List.of());
            jobs.add(j);
            return j;
        }

        @Override
        public Optional<Job> job(long jobId) {
            return jobs.stream().filter(j -> j.id() == jobId).findFirst();
        }

        @Override
        public List<Job> jobs(String deviceId, int limit) {
            return jobs.stream().filter(j -> deviceId == null || j.deviceId().equals(deviceId)).limit(limit).toList();
        }

        @Override
        public boolean cancel(long jobId) {
            return job(jobId).isPresent();
        }
    }

    /** Notifications that are "sent" at once. */
    static final class Notifications implements NotificationManager {
        final List<NotificationRecord> sent = new ArrayList<>();

        @Override
        public NotificationRecord notify(String deviceId, NotificationUi ui) {
            NotificationRecord r = new NotificationRecord(deviceId, "1", "udp:127.0.0.1:2948", ui, FumoFakes.T,
                    FumoFakes.T, 1, NotificationState.values()[0], null);
            sent.add(r);
            return r;
        }

        @Override
        public List<NotificationRecord> notifications(String deviceId, int limit) {
            return List.copyOf(sent);
        }
    }

    /** An audit log in memory, with the filters of {@link AuditQuery}. */
    static final class Audit implements AuditLog {
        final List<AuditEntry> entries = new ArrayList<>();
        final List<AuditQuery> queries = new ArrayList<>();
        RuntimeException failure;

        @Override
        public AuditEntry record(String user, AuditEntry.Channel channel, String action, String target,
                String outcome, String origin) {
            if (failure != null) {
                throw failure;
            }
            AuditEntry e = new AuditEntry(entries.size() + 1, FumoFakes.T.plusSeconds(60L * entries.size()), user,
                    channel, action, target, outcome, origin);
            entries.add(e);
            return e;
        }

        @Override
        public List<AuditEntry> list(long after, int limit) {
            return list(AuditQuery.newest().page(after, limit));
        }

        @Override
        public List<AuditEntry> list(AuditQuery query) {
            queries.add(query);
            List<AuditEntry> out = new ArrayList<>();
            for (int i = entries.size() - 1; i >= 0 && out.size() < query.limit(); i--) {
                AuditEntry e = entries.get(i);
                if ((query.after() == 0 || e.id() < query.after()) && query.matches(e)) {
                    out.add(e);
                }
            }
            return out;
        }
    }
}
