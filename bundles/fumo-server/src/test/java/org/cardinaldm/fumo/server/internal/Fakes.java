package org.cardinaldm.fumo.server.internal;

import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.server.api.AsyncExec;
import org.cardinaldm.server.api.AsyncReport;
import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.DeviceAlert;
import org.cardinaldm.server.api.DeviceManager;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.HelpDesk;
import org.cardinaldm.server.api.HelpDeskReport;
import org.cardinaldm.server.api.InstallRequest;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobManager;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationKind;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ResultItem;
import org.cardinaldm.server.packages.api.PackageCatalog;
import org.cardinaldm.server.packages.api.PublishedPackage;

/** Fakes of the DM server's services and the package catalogue, driven by the tests. */
final class Fakes {
    private Fakes() {
    }

    static Device device(String id, String model, String cardId, String pushAddress) {
        Map<String, String> info = new HashMap<>();
        info.put("./DevInfo/Man", "Cardinal");
        if (model != null) {
            info.put("./DevInfo/Mod", model);
        }
        return new Device(id, cardId, info, null, null, AuthScheme.BASIC, id, AuthScheme.BASIC, "server", true, 0, 0,
                null, pushAddress);
    }

    /** The registry: devices put by the test. */
    static final class Devices implements DeviceManager {
        final Map<String, Device> devices = new TreeMap<>();

        Devices add(Device d) {
            devices.put(d.deviceId(), d);
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
            throw new UnsupportedOperationException();
        }

        @Override
        public Device updateCredentials(DeviceRegistration registration) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean unlock(String deviceId) {
            return false;
        }

        @Override
        public boolean setEnabled(String deviceId, boolean enabled) {
            return false;
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

    /** Jobs: kept in a map; the test moves them as a device would. */
    static final class Jobs implements JobManager {
        final Map<Long, Job> jobs = new TreeMap<>();
        private final AtomicLong ids = new AtomicLong(100);
        private final Clock clock;
        int submitted;

        Jobs(Clock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized Job submit(String deviceId, String description, List<Operation> operations) {
            Job j = new Job(ids.incrementAndGet(), deviceId, description, JobState.PENDING, clock.instant(),
                    clock.instant(), operations, List.of());
            jobs.put(j.id(), j);
            submitted++;
            return j;
        }

        @Override
        public synchronized Optional<Job> job(long jobId) {
            return Optional.ofNullable(jobs.get(jobId));
        }

        @Override
        public synchronized List<Job> jobs(String deviceId, int limit) {
            List<Job> out = new ArrayList<>();
            for (Job j : jobs.values()) {
                if (deviceId == null || j.deviceId().equals(deviceId)) {
                    out.add(0, j);
                }
            }
            return out.subList(0, Math.min(limit, out.size()));
        }

        @Override
        public synchronized boolean cancel(long jobId) {
            Job j = jobs.get(jobId);
            if (j == null || j.state() != JobState.PENDING) {
                return false;
            }
            put(j, JobState.CANCELLED, j.results());
            return true;
        }

        synchronized Job of(String deviceId) {
            return jobs.values().stream().filter(j -> j.deviceId().equals(deviceId)).reduce((a, b) -> b)
                    .orElseThrow();
        }

        private void put(Job j, JobState s, List<OperationResult> results) {
            jobs.put(j.id(), new Job(j.id(), j.deviceId(), j.description(), s, j.created(), clock.instant(),
                    j.operations(), results));
        }

        private static int index(Job j, OperationKind kind) {
            List<Operation> flat = j.flatOperations();
            for (int i = 0; i < flat.size(); i++) {
                if (flat.get(i).kind() == kind) {
                    return i;
                }
            }
            throw new IllegalStateException("no " + kind);
        }

        /** The device took the job: every command 200, the Exec 202, State reported. */
        synchronized void accept(String deviceId, String state) {
            Job j = of(deviceId);
            List<OperationResult> r = new ArrayList<>();
            Instant now = clock.instant();
            List<Operation> flat = j.flatOperations();
            for (int i = 0; i < flat.size(); i++) {
                Operation o = flat.get(i);
                if (o.kind() == OperationKind.EXEC) {
                    r.add(new OperationResult(j.id(), i, 202, List.of(), now, new AsyncExec("c-" + j.id(), deviceId,
                            j.id(), i, o.target(), now, now.plusSeconds(86_400), AsyncExec.State.WAITING, null)));
                } else if (o.kind() == OperationKind.GET) {
                    r.add(new OperationResult(j.id(), i, state == null ? 404 : 200,
                            state == null ? List.of() : List.of(new ResultItem(o.target(), "int", null, state, false)),
                            now));
                } else {
                    r.add(new OperationResult(j.id(), i, 200, List.of(), now));
                }
            }
            put(j, JobState.ACCEPTED, r);
        }

        /** The Generic Alert 1226 came (as the DM server links it: from this device, with the Exec's Correlator). */
        synchronized void report(String deviceId, int code) {
            Job j = of(deviceId);
            boolean ok = code >= 200 && code < 300;
            List<OperationResult> r = new ArrayList<>();
            for (OperationResult x : j.results()) {
                if (x.async() != null) {
                    AsyncReport rep = new AsyncReport(code, ok ? "successful" : "code " + code, ok,
                            "org.openmobilealliance.dm.firmwareupdate.downloadandupdate", "./FUMO/Gateway", null,
                            null, clock.instant(), false);
                    x = x.withAsync(x.async().with(ok ? AsyncExec.State.SUCCEEDED : AsyncExec.State.FAILED, rep));
                }
                r.add(x);
            }
            put(j, ok ? JobState.SUCCEEDED : JobState.FAILED, r);
        }

        /** The device answered a status to the first command of a kind and the job ended. */
        synchronized void refuse(String deviceId, OperationKind kind, int status) {
            Job j = of(deviceId);
            put(j, JobState.FAILED, List.of(new OperationResult(j.id(), index(j, kind), status, List.of(),
                    clock.instant())));
        }

        synchronized void state(String deviceId, JobState state) {
            Job j = of(deviceId);
            put(j, state, j.results());
        }
    }

    /** The help desk: reports made of what the test says the device reported. */
    static final class HelpDesks implements HelpDesk {
        final Map<String, String> fwv = new HashMap<>();
        final Map<String, String> counter = new HashMap<>();
        private final Clock clock;

        HelpDesks(Clock clock) {
            this.clock = clock;
        }

        @Override
        public List<Job> submit(String deviceId, List<String> uris) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Job> submit(String deviceId, List<String> standardUris, List<String> optionalUris) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Job> request(long jobId) {
            return List.of();
        }

        @Override
        public List<Job> latest(String deviceId) {
            if (!fwv.containsKey(deviceId) && !counter.containsKey(deviceId)) {
                return List.of();
            }
            return List.of(new Job(1, deviceId, DESCRIPTION, JobState.SUCCEEDED, clock.instant(), clock.instant(),
                    List.of(Operation.get("./DevDetail")), List.of()));
        }

        @Override
        public HelpDeskReport report(List<Job> requestJobs) {
            String id = requestJobs.get(0).deviceId();
            List<HelpDeskReport.Section> sections = new ArrayList<>();
            for (HelpDeskReport.Kind k : HelpDeskReport.Kind.values()) {
                List<HelpDeskReport.Entry> entries = new ArrayList<>();
                if (k == HelpDeskReport.Kind.DEVICE && fwv.containsKey(id)) {
                    entries.add(new HelpDeskReport.Entry("Firmware version", fwv.get(id), "./DevDetail/FwV"));
                }
                if (k == HelpDeskReport.Kind.FIRMWARE && counter.containsKey(id)) {
                    entries.add(new HelpDeskReport.Entry("FUMO anti-rollback counter", counter.get(id),
                            "./SmartCard/Policy/FUMO/AntiRollbackCounter"));
                }
                sections.add(new HelpDeskReport.Section(k, null, List.of(new HelpDeskReport.Group(null, entries))));
            }
            return new HelpDeskReport(id, List.of(1L), true, sections, List.of(), 0);
        }

        @Override
        public Job install(String deviceId, InstallRequest request) {
            throw new UnsupportedOperationException();
        }
    }

    /** A catalogue of fixed packages. */
    static final class Catalog implements PackageCatalog {
        final Map<String, PublishedPackage> packages = new TreeMap<>();

        Catalog add(String file, PackageKind kind, String version, Long counter) {
            packages.put(file, new PublishedPackage(file, kind, "gateway-fw", version, List.of("Cardinal/GW-1"),
                    counter == null ? OptionalLong.empty() : OptionalLong.of(counter), 1024, "ab".repeat(32),
                    "cd".repeat(32), Instant.EPOCH));
            return this;
        }

        @Override
        public List<PublishedPackage> list() {
            return List.copyOf(packages.values());
        }

        @Override
        public Optional<PublishedPackage> find(String fileName) {
            return Optional.ofNullable(packages.get(fileName));
        }

        @Override
        public PublishedPackage publish(String fileName, InputStream payload, byte[] signedManifest, boolean replace) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean remove(String fileName) {
            return packages.remove(fileName) != null;
        }

        @Override
        public String path() {
            return "/packages";
        }
    }
}
