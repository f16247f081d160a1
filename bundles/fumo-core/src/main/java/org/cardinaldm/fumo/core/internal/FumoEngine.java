package org.cardinaldm.fumo.core.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.AsyncResult;
import org.cardinaldm.api.spi.mo.AsyncResults;
import org.cardinaldm.fumo.api.FumoAlerts;
import org.cardinaldm.fumo.api.FumoHistoryEntry;
import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.FumoService;
import org.cardinaldm.fumo.api.FumoState;
import org.cardinaldm.fumo.api.FumoStatus;
import org.cardinaldm.fumo.api.spi.FumoAuthorizer;
import org.cardinaldm.fumo.api.spi.FumoRefusedException;
import org.cardinaldm.fumo.api.spi.UpdateAgent;
import org.cardinaldm.fumo.api.spi.UpdateException;
import org.cardinaldm.fumo.api.spi.UpdateGrant;
import org.cardinaldm.fumo.core.internal.InstanceRecord.Operation;
import org.cardinaldm.fumo.core.internal.InstanceRecord.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FUMO's core, plain Java: the instances (one per {@link UpdateAgent}), what a server may do to them (Replace of
 * the URLs and the inline package, Exec of the three operations), the asynchronous run of an operation on the
 * worker, its end (final state, history, Generic Alert 1226) and the recovery after a restart: a download resumes,
 * an interrupted update is rolled back (410, the authority's counter untouched) or, when the authority had
 * already committed, finished. Also the {@link FumoService} shells and consoles read.
 *
 * <p>An Exec is answered 202 only when it starts an operation: a server's Exec on an idle, failed, finished or
 * ready instance (Update only when a package is ready). Busy: 417. Update without a package, or an Exec of the
 * local administrator or of the system: 405. Download without a PkgURL: 412.
 */
final class FumoEngine implements FumoService {
    private static final Logger LOG = LoggerFactory.getLogger(FumoEngine.class);
    /** What an instance may be called: its agent's {@code fumo.component}. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Path data;
    private final Supplier<Settings> settings;
    private final Environment env;
    private final Executor worker;
    private final Clock clock;
    private final History history;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();

    /**
     * @param data the folder of FUMO's records and packages
     * @param settings the current settings
     * @param env the services
     * @param worker runs the operations (one thread in production)
     * @param clock the clock
     */
    FumoEngine(Path data, Supplier<Settings> settings, Environment env, Executor worker, Clock clock) {
        this.data = Objects.requireNonNull(data, "data");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.env = Objects.requireNonNull(env, "env");
        this.worker = Objects.requireNonNull(worker, "worker");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.history = new History(data.resolve("history.log"));
    }

    /** @return the root URI, e.g. {@code ./FUMO} */
    String root() {
        return settings.get().root();
    }

    // ------------------------------------------------------------------------------------------ instances

    /**
     * An update agent came: its instance appears, with the state it had before a restart; an interrupted
     * operation resumes or is rolled back.
     *
     * @param name the agent's {@code fumo.component}
     * @param agent the agent
     * @return whether the instance was added (false: bad or duplicate name)
     */
    boolean addAgent(String name, UpdateAgent agent) {
        if (name == null || !NAME.matcher(name).matches()) {
            LOG.warn("FUMO: an update agent without a usable {} ({}) is ignored", UpdateAgent.COMPONENT, name);
            return false;
        }
        InstanceRecord rec;
        try {
            rec = InstanceRecord.load(data.resolve("instances").resolve(name));
        } catch (RuntimeException e) {
            LOG.error("FUMO {}: the saved state cannot be read ({}); the instance starts idle", name, e.getMessage());
            rec = new InstanceRecord(data.resolve("instances").resolve(name));
        }
        Instance i = new Instance(name, agent, rec, clock);
        if (instances.putIfAbsent(name, i) != null) {
            LOG.warn("FUMO: a second update agent for {} is ignored", name);
            return false;
        }
        i.bytesDone.set(size(rec.payloadFile()));
        recover(i);
        return true;
    }

    /**
     * @param name the agent's instance name
     * @param agent the agent that went away (its instance disappears; its record stays on disk)
     */
    void removeAgent(String name, UpdateAgent agent) {
        if (name != null) {
            instances.computeIfPresent(name, (k, v) -> v.agent == agent ? null : v);
        }
    }

    /** The authority came back: operations that waited for it resume. */
    void authorizerAvailable() {
        for (Instance i : instances.values()) {
            boolean resume;
            synchronized (i) {
                resume = i.resumeWaiting;
                i.resumeWaiting = false;
            }
            if (resume) {
                submit(i);
            }
        }
    }

    /** @return the instance names, sorted */
    List<String> names() {
        List<String> n = new ArrayList<>(instances.keySet());
        n.sort(null);
        return n;
    }

    /** @return the instance, if there is one */
    Optional<Instance> instance(String name) {
        return Optional.ofNullable(instances.get(name));
    }

    private Instance require(String name) throws DmException {
        Instance i = instances.get(name);
        if (i == null) {
            throw new DmException(StatusCode.NOT_FOUND, "No FUMO instance " + name);
        }
        return i;
    }

    // ------------------------------------------------------------------------------------------ writes

    /**
     * Replace of {@code Download/PkgURL} or {@code DownloadAndUpdate/PkgURL}.
     *
     * @throws DmException 417 busy, 413 too long, 400 not text
     */
    void replaceUrl(String name, Operation which, String url) throws DmException {
        Instance i = require(name);
        if (url.length() > Settings.MAX_URL) {
            throw new DmException(StatusCode.REQUEST_ENTITY_TOO_LARGE, "PkgURL is longer than " + Settings.MAX_URL
                    + " characters");
        }
        if (url.chars().anyMatch(Character::isISOControl)) {
            throw new DmException(StatusCode.BAD_REQUEST, "PkgURL contains control characters");
        }
        synchronized (i) {
            requireIdle(i);
            if (which == Operation.DOWNLOAD_AND_UPDATE) {
                i.rec.dluUrl = url;
            } else {
                i.rec.downloadUrl = url;
            }
            i.rec.save();
        }
    }

    /**
     * Replace of {@code PkgName} or {@code PkgVersion} (FUMO 1.0 lets a server set both): what the server
     * announces, shown until the package's signed manifest is verified, whose name and version then replace
     * it. It decides nothing: only the manifest is trusted.
     *
     * @throws DmException 413 longer than a manifest allows, 400 control characters, 417 busy
     */
    void replacePkgInfo(String name, boolean isName, String text) throws DmException {
        Instance i = require(name);
        if (text.length() > org.cardinaldm.pkg.trust.api.PackageManifest.MAX_NAME) {
            throw new DmException(StatusCode.REQUEST_ENTITY_TOO_LARGE, (isName ? "PkgName" : "PkgVersion")
                    + " is longer than " + org.cardinaldm.pkg.trust.api.PackageManifest.MAX_NAME + " characters");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new DmException(StatusCode.BAD_REQUEST, "The value contains control characters");
        }
        synchronized (i) {
            requireIdle(i);
            if (isName) {
                i.rec.pkgName = text;
            } else {
                i.rec.pkgVersion = text;
            }
            i.rec.save();
        }
    }

    /**
     * Replace of {@code Ext/UserConsent}: whether the user is asked before this instance's next updates.
     *
     * @throws DmException 417 busy
     */
    void replaceConsent(String name, boolean ask) throws DmException {
        Instance i = require(name);
        synchronized (i) {
            requireIdle(i);
            i.rec.consentAsked = ask;
            i.rec.save();
        }
    }

    /**
     * Replace of {@code Update/PkgData}: an inline package ({@link PkgDataFrame}) stored for a later Exec on
     * {@code Update}; the state becomes 50.
     *
     * @throws DmException 417 busy, 413 larger than allowed, 400 not a package frame, 420 cannot be stored
     */
    void replacePkgData(String name, byte[] value) throws DmException {
        Instance i = require(name);
        if (value.length > settings.get().maxPackageBytes()) {
            throw new DmException(StatusCode.REQUEST_ENTITY_TOO_LARGE, "PkgData is larger than the "
                    + settings.get().maxPackageBytes() + " bytes allowed");
        }
        PkgDataFrame frame;
        try {
            frame = PkgDataFrame.parse(value);
        } catch (IllegalArgumentException e) {
            throw new DmException(StatusCode.BAD_REQUEST, e.getMessage());
        }
        synchronized (i) {
            requireIdle(i);
            cleanUp(i, true);
            try {
                Files.createDirectories(i.rec.dir());
                Files.write(i.rec.manifestFile(), frame.manifest());
                try (var out = Files.newOutputStream(i.rec.payloadFile())) {
                    out.write(frame.frame(), frame.payloadOffset(), frame.payloadLength());
                }
            } catch (java.io.IOException e) {
                i.rec.deletePackage();
                throw new DmException(StatusCode.DEVICE_FULL, "PkgData cannot be stored");
            }
            i.rec.pkgName = "";
            i.rec.pkgVersion = "";
            i.rec.bytesTotal = frame.payloadLength();
            i.bytesDone.set(frame.payloadLength());
            i.moveTo(FumoState.READY_TO_UPDATE);
            i.rec.save();
        }
    }

    private static void requireIdle(Instance i) throws DmException {
        if (i.rec.busy()) {
            throw new DmException(StatusCode.RETRY_LATER, "A firmware operation on " + i.name + " is under way");
        }
    }

    /** Back to 10 from a finished state; the package is dropped when asked (or when it cannot be resumed). */
    private void cleanUp(Instance i, boolean dropPackage) {
        if (i.rec.state != FumoState.IDLE) {
            i.moveTo(FumoState.IDLE);
        }
        if (dropPackage) {
            i.rec.deletePackage();
            i.bytesDone.set(0);
        }
    }

    // ------------------------------------------------------------------------------------------ Exec

    /**
     * Exec on {@code Download}, {@code Update} or {@code DownloadAndUpdate}.
     *
     * @param name the instance
     * @param op the operation
     * @param correlator the Exec's correlator, or empty
     * @param who who executes
     * @return 202 when the operation started
     * @throws DmException 404 no instance, 405 not a server or no package to update, 412 no PkgURL, 417 busy
     */
    StatusCode exec(String name, Operation op, String correlator, Principal who) throws DmException {
        Instance i = require(name);
        if (who == null || who.kind() != Principal.Kind.SERVER) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Firmware updates are started by a DM server in "
                    + "an authenticated session; locally, ask the server with fumo:request");
        }
        deliverPending(i);
        UpdateGrant grant = null;
        FumoResult refusal = null;
        String detail = "";
        synchronized (i) {
            requireIdle(i);
            FumoState s = i.rec.state;
            if (op == Operation.UPDATE) {
                if (s != FumoState.READY_TO_UPDATE) {
                    throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "No package is ready to update on " + name
                            + " (State " + s.code() + "): Exec Download or Replace Update/PkgData first");
                }
            } else {
                String url = op == Operation.DOWNLOAD ? i.rec.downloadUrl : i.rec.dluUrl;
                if (url.isBlank()) {
                    throw new DmException(StatusCode.INCOMPLETE_COMMAND, "No PkgURL below " + op.node());
                }
                if (!FumoTransitions.RESTARTABLE.contains(s)) {
                    throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "State " + s.code() + " of " + name
                            + " does not allow a download");
                }
            }
            // the operation is reserved before the authority is asked: a second Exec now gets 417
            i.rec.operation = op;
            i.rec.serverId = who.id();
            i.rec.correlator = correlator == null ? "" : correlator;
            i.rec.started = clock.instant();
            i.rec.step = Step.NONE;
            i.rec.grant = null;
        }
        FumoAuthorizer a = env.authorizer();
        if (a == null) {
            refusal = FumoResult.UNDEFINED_ERROR;
            detail = "no FUMO authorizer is installed: firmware updates are refused";
        } else {
            try {
                grant = a.admit(who.id(), name);
                if (grant == null) {
                    refusal = FumoResult.UNDEFINED_ERROR;
                    detail = "the authority gave no grant";
                }
            } catch (FumoRefusedException e) {
                refusal = e.result();
                detail = "the authority refused: " + e.getMessage();
            } catch (RuntimeException e) {
                refusal = FumoResult.UNDEFINED_ERROR;
                detail = "the authority failed (" + e.getClass().getSimpleName() + ")";
            }
        }
        synchronized (i) {
            i.rec.grant = grant;
            i.rec.fromVersion = i.installedVersion();
            if (op != Operation.UPDATE) {
                String url = op == Operation.DOWNLOAD ? i.rec.downloadUrl : i.rec.dluUrl;
                // a download cut by the network (20, package kept) resumes when the same URL is executed again
                boolean resumable = i.rec.state == FumoState.DOWNLOAD_FAILED && !i.rec.partialUrl.isEmpty()
                        && url.equals(i.rec.partialUrl) && Files.exists(i.rec.payloadFile());
                cleanUp(i, !resumable);
                i.moveTo(FumoState.DOWNLOAD_PROGRESSING);
                i.rec.pkgName = resumable ? i.rec.pkgName : "";
                i.rec.pkgVersion = resumable ? i.rec.pkgVersion : "";
            }
            i.rec.save();
        }
        LOG.debug("FUMO {}: {} executes {} (correlator {})", name, who, op.node(),
                correlator == null || correlator.isEmpty() ? "none" : "set");
        if (refusal != null) {
            finish(i, Outcome.fail(refusal, detail));
            return StatusCode.ACCEPTED;
        }
        submit(i);
        return StatusCode.ACCEPTED;
    }

    private void submit(Instance i) {
        try {
            worker.execute(() -> run(i));
        } catch (RejectedExecutionException e) {
            LOG.debug("FUMO {}: the worker is stopping; the operation resumes at the next start", i.name);
        }
    }

    private void run(Instance i) {
        Outcome o;
        try {
            UpdateRun run = new UpdateRun(i, env, settings, random);
            Operation op;
            FumoState s;
            synchronized (i) {
                op = i.rec.operation;
                s = i.rec.state;
            }
            if (op == null) {
                return;
            }
            o = switch (op) {
                case DOWNLOAD -> run.download(false);
                case DOWNLOAD_AND_UPDATE -> s == FumoState.READY_TO_UPDATE ? run.update() : run.download(true);
                case UPDATE -> run.update();
            };
        } catch (RuntimeException e) {
            LOG.warn("FUMO {}: the operation failed unexpectedly", i.name, e);
            o = Outcome.fail(FumoResult.UNDEFINED_ERROR, "unexpected " + e.getClass().getSimpleName());
        }
        finish(i, o);
    }

    // ------------------------------------------------------------------------------------------ the end

    /**
     * Ends the operation: final state (failures delete the package, except a download cut by the network or a
     * time-out, which a new Exec with the same PkgURL resumes), grant released on failure, history, alert.
     */
    void finish(Instance i, Outcome o) {
        finish(i, o, null);
    }

    private void finish(Instance i, Outcome o, String historyOperation) {
        FumoAuthorizer a = env.authorizer();
        UpdateGrant release = null;
        FumoHistoryEntry entry;
        Operation op;
        synchronized (i) {
            op = i.rec.operation;
            if (op == null) {
                return;
            }
            boolean ok = o.result().successful();
            FumoState s = i.rec.state;
            if (ok) {
                if (s == FumoState.UPDATE_PROGRESSING) {
                    i.moveTo(FumoState.UPDATE_SUCCESSFUL_HAVE_DATA);
                    i.rec.deletePackage();
                    i.moveTo(FumoState.UPDATE_SUCCESSFUL_NO_DATA);
                }
            } else {
                boolean keepPartial = o.result() == FumoResult.DOWNLOAD_NETWORK_FAILURE
                        || o.result() == FumoResult.DOWNLOAD_TIMEOUT;
                switch (s) {
                    case DOWNLOAD_PROGRESSING, DOWNLOAD_COMPLETE -> {
                        i.moveTo(FumoState.DOWNLOAD_FAILED);
                        if (!keepPartial || s == FumoState.DOWNLOAD_COMPLETE) {
                            i.rec.deletePackage();
                        }
                    }
                    case READY_TO_UPDATE -> {
                        i.moveTo(FumoState.UPDATE_FAILED_NO_DATA);
                        i.rec.deletePackage();
                    }
                    case UPDATE_PROGRESSING -> {
                        i.moveTo(FumoState.UPDATE_FAILED_HAVE_DATA);
                        i.rec.deletePackage();
                        i.moveTo(FumoState.UPDATE_FAILED_NO_DATA);
                    }
                    default -> i.rec.deletePackage();
                }
                release = i.rec.grant;
            }
            i.bytesDone.set(size(i.rec.payloadFile()));
            entry = new FumoHistoryEntry(i.name, historyOperation == null ? op.node() : historyOperation,
                    i.rec.serverId, i.rec.pkgName, i.rec.fromVersion,
                    i.rec.pkgVersion, o.result().code(), o.detail(), i.rec.started, clock.instant());
            queueAlert(i, op, o.result());
            i.rec.lastResult = o.result().code();
            i.rec.operation = null;
            i.rec.step = Step.NONE;
            i.rec.grant = null;
            i.rec.save();
        }
        if (release != null && a != null) {
            try {
                a.release(release);
            } catch (RuntimeException e) {
                LOG.debug("FUMO {}: releasing the grant failed ({})", i.name, e.toString());
            }
        }
        history.record(entry);
        LOG.info("FUMO {}: {} ended with {} ({})", i.name, op.node(), o.result().code(), o.detail());
        deliverPending(i);
    }

    private static void queueAlert(Instance i, Operation op, FumoResult r) {
        i.rec.pendingResult = r.code();
        i.rec.pendingOperation = op;
        i.rec.pendingServer = i.rec.serverId;
        i.rec.pendingCorrelator = i.rec.correlator;
    }

    /** Hands a finished operation's result to the DM client; kept on disk until it is taken. */
    void deliverPending(Instance i) {
        AsyncResult alert;
        synchronized (i) {
            if (i.rec.pendingResult == null || i.rec.pendingServer.isEmpty()) {
                return;
            }
            boolean ok = i.rec.pendingResult >= 200 && i.rec.pendingResult < 300;
            alert = AsyncResult.builder(i.rec.pendingServer, alertType(i.rec.pendingOperation)).format("int")
                    .mark(ok ? "informational" : "critical").source(root() + "/" + i.name)
                    .correlator(i.rec.pendingCorrelator).data(String.valueOf(i.rec.pendingResult)).build();
        }
        AsyncResults results = env.results();
        if (results == null) {
            LOG.debug("FUMO {}: no DM client yet; the result {} waits", i.name, alert.data());
            return;
        }
        try {
            results.report(alert);
        } catch (RuntimeException e) {
            LOG.warn("FUMO {}: the result could not be queued ({}); it is kept and offered again", i.name,
                    e.getMessage());
            return;
        }
        synchronized (i) {
            i.rec.pendingResult = null;
            i.rec.pendingOperation = null;
            i.rec.pendingServer = "";
            i.rec.pendingCorrelator = "";
            i.rec.save();
        }
    }

    /** Offers every kept result again (the DM client came, or a session starts). */
    void deliverAll() {
        instances.values().forEach(this::deliverPending);
    }

    static String alertType(Operation op) {
        return switch (op) {
            case DOWNLOAD -> FumoAlerts.DOWNLOAD;
            case UPDATE -> FumoAlerts.UPDATE;
            case DOWNLOAD_AND_UPDATE -> FumoAlerts.DOWNLOAD_AND_UPDATE;
        };
    }

    // ------------------------------------------------------------------------------------------ restart

    private void recover(Instance i) {
        deliverPending(i);
        Outcome done = null;
        boolean resume = false;
        synchronized (i) {
            if (i.rec.operation == null) {
                return;
            }
            FumoState s = i.rec.state;
            if (s == FumoState.UPDATE_PROGRESSING) {
                done = recoverUpdate(i);
            } else if (env.authorizer() == null) {
                i.resumeWaiting = true;
                LOG.info("FUMO {}: an interrupted {} waits for the FUMO authorizer", i.name, i.rec.operation.node());
            } else {
                resume = true;
            }
        }
        if (done != null) {
            finish(i, done, "Recovery");
        } else if (resume) {
            LOG.info("FUMO {}: resuming the interrupted {}", i.name, i.rec.operation.node());
            submit(i);
        }
    }

    /** The device stopped during an update: finish it when the authority had committed, else roll back. */
    private Outcome recoverUpdate(Instance i) {
        if (i.rec.step == Step.AUTHORITY_COMMITTED) {
            LOG.info("FUMO {}: the authority had committed before the restart; keeping the new firmware", i.name);
            return UpdateRun.commitAgent(i);
        }
        Optional<String> pending;
        try {
            pending = i.agent.pendingVersion();
        } catch (RuntimeException e) {
            pending = Optional.empty();
        }
        if (pending.isPresent()) {
            try {
                i.agent.rollback();
            } catch (UpdateException | RuntimeException e) {
                LOG.error("FUMO {}: the update agent could not roll back after a restart ({}); an operator must "
                        + "check the device", i.name, e.getMessage());
            }
        }
        LOG.info("FUMO {}: an update was interrupted by a restart; rolled back", i.name);
        return Outcome.fail(FumoResult.UPDATE_FAILED, "interrupted by a restart"
                + (pending.isPresent() ? " during the update to " + pending.get() + "; rolled back" : ""));
    }

    // ------------------------------------------------------------------------------------------ FumoService

    @Override
    public List<FumoStatus> instances() {
        List<FumoStatus> out = new ArrayList<>();
        for (String n : names()) {
            Instance i = instances.get(n);
            if (i == null) {
                continue;
            }
            String installed = i.installedVersion();
            synchronized (i) {
                out.add(new FumoStatus(n, root() + "/" + n, i.rec.state, i.rec.pkgName, i.rec.pkgVersion, installed,
                        i.bytesDone.get(), i.rec.bytesTotal, i.rec.lastResult(), i.rec.since));
            }
        }
        return out;
    }

    @Override
    public List<FumoHistoryEntry> history(int max) {
        if (max < 1 || max > 1000) {
            throw new IllegalArgumentException("max must be 1..1000");
        }
        return history.newest(max);
    }

    @Override
    public void requestUpdate(String instance, String serverId, boolean byUser) {
        Instance i = instances.get(instance);
        if (i == null) {
            throw new IllegalArgumentException("No FUMO instance " + instance);
        }
        if (serverId == null || serverId.isBlank() || serverId.length() > AsyncResult.MAX_FIELD_LENGTH
                || serverId.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("Not a ServerID");
        }
        synchronized (i) {
            if (i.rec.busy()) {
                throw new IllegalStateException("A firmware operation on " + instance + " is under way");
            }
        }
        AsyncResults results = env.results();
        if (results == null) {
            throw new IllegalStateException("No DM client is running to deliver the request");
        }
        results.report(AsyncResult.builder(serverId, byUser ? FumoAlerts.USER_REQUEST : FumoAlerts.DEVICE_REQUEST)
                .format("chr").source(root() + "/" + instance).data("").build());
        LOG.info("FUMO {}: update requested from {} ({})", instance, serverId, byUser ? "user" : "device");
    }

    /** @return when the state last changed, for tests */
    Instant since(String name) {
        return instances.get(name).rec.since;
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
