package org.cardinaldm.fumo.agent.karaf.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.karaf.features.FeaturesService;
import org.cardinaldm.client.api.spi.StateFile;
import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.spi.FirmwarePackage;
import org.cardinaldm.fumo.api.spi.UpdateAgent;
import org.cardinaldm.fumo.api.spi.UpdateException;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own software as firmware: an A/B {@link UpdateAgent} whose "image" is one Karaf feature (PID
 * {@value #PID}: which feature, which FUMO component). A package's payload is a KAR carrying that feature at the
 * signed version and every bundle it names.
 *
 * <p>{@link #apply}: records the update ({@link PendingRecord}) before anything else; unpacks the KAR
 * ({@link KarArchive}) and checks it ({@link KarInspector}) in a staging folder; moves it to
 * {@code kar.storage/cardinal-fumo-<feature>-<version>} (the KAR's {@code repository/} content, in Karaf's
 * {@code data/kar}, whose folders pax-url reads as Maven repositories, so the bundles resolve from the KAR); registers its features repository; switches the
 * feature to the new version in one deployment without refreshing anything ({@link KarafFeatureRuntime}). The
 * previous version's repository stays registered. {@link #healthy}: every bundle of the new feature ACTIVE and
 * its DS components satisfied ({@link BundleHealth}), waited for at most {@code health.timeout.seconds}.
 * {@link #rollback}: switches back to the previous version (or uninstalls the new feature when none ran before)
 * and removes the new repository and folder. {@link #commit}: forgets the previous version (its repository and
 * folder are removed when this agent installed them and nothing of them is installed).
 */
@Component(service = UpdateAgent.class, configurationPid = KarafUpdateAgent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = KarafAgentConfig.class)
public final class KarafUpdateAgent implements UpdateAgent {
    /** The configuration PID. */
    public static final String PID = "org.cardinaldm.fumo.agent.karaf";
    /** Prefix of the folders this agent unpacks KARs into. */
    static final String DIR_PREFIX = "cardinal-fumo-";
    private static final String STATE_FILE = "pending-update.state";
    private static final String STAGING = ".cardinal-fumo-staging-";
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
    private static final Duration STEP = Duration.ofMillis(250);
    private static final Logger LOG = LoggerFactory.getLogger(KarafUpdateAgent.class);

    /** Waits between two looks of the health check; tests replace it so that nothing sleeps. */
    @FunctionalInterface
    interface Pause {
        /**
         * @param delay how long
         * @return false when the wait was interrupted (the check then ends)
         */
        boolean rest(Duration delay);
    }

    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private final KarafAgentConfig.Settings settings;
    private final FeatureRuntime runtime;
    private final HealthProbe probe;
    private final StateFile stateFile;
    private final Pause pause;

    /**
     * @param config the configuration
     * @param context this bundle's context (its data area holds the pending-update record)
     * @param features Karaf's features service
     * @param scr the DS runtime, for the health check
     */
    @Activate
    public KarafUpdateAgent(KarafAgentConfig config, BundleContext context, @Reference FeaturesService features,
            @Reference ServiceComponentRuntime scr) {
        this(KarafAgentConfig.Settings.of(config, context.getBundle().getSymbolicName(),
                System.getProperty("karaf.data")), new KarafFeatureRuntime(features), new BundleHealth(context, scr),
                context.getDataFile(STATE_FILE).toPath(), KarafUpdateAgent::sleep);
    }

    KarafUpdateAgent(KarafAgentConfig.Settings settings, FeatureRuntime runtime, HealthProbe probe, Path stateFile,
            Pause pause) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.stateFile = StateFile.of(stateFile);
        this.pause = Objects.requireNonNull(pause, "pause");
        removeStaleStaging();
        LOG.info("FUMO Karaf agent for {} ready: feature {} (running {}), KARs in {}", settings.component(),
                settings.feature(), installedVersion(), settings.storage());
    }

    /** Staging folders of an apply that a crash interrupted are never used again. */
    private void removeStaleStaging() {
        if (!Files.isDirectory(settings.storage())) {
            return;
        }
        try (Stream<Path> dirs = Files.list(settings.storage())) {
            dirs.filter(d -> d.getFileName().toString().startsWith(STAGING)).forEach(KarafUpdateAgent::deleteQuietly);
        } catch (IOException e) {
            LOG.warn("Cannot list {}: {}", settings.storage(), e.toString());
        }
    }

    @Override
    public synchronized String installedVersion() {
        try {
            return runtime.installedVersion(settings.feature()).orElse("");
        } catch (Exception e) {
            LOG.warn("Cannot ask Karaf which version of {} runs: {}", settings.feature(), e.toString());
            return "";
        }
    }

    @Override
    public boolean isFirmware() {
        return settings.firmware();
    }

    @Override
    public synchronized void apply(FirmwarePackage pkg) throws UpdateException {
        Objects.requireNonNull(pkg, "pkg");
        PackageManifest m = pkg.manifest().manifest();
        if (m.kind() != PackageKind.FIRMWARE) {
            throw new UpdateException(FumoResult.PACKAGE_MISMATCH, "Not a firmware package: " + m.kind());
        }
        if (!settings.packageName().equals(m.name())) {
            throw new UpdateException(FumoResult.PACKAGE_MISMATCH,
                    "Package " + m.name() + " is not for " + settings.packageName());
        }
        if (pending().isPresent()) {
            throw new UpdateException(FumoResult.UPDATE_FAILED,
                    "An update of " + settings.feature() + " is pending; commit or roll it back first");
        }
        checkPayload(pkg.payload(), m);
        String signed = m.version().text();
        KarInspector.osgiVersion(signed, "The signed version");
        String previous = installedVersion();
        if (Versions.same(previous, signed)) {
            throw new UpdateException(FumoResult.PACKAGE_MISMATCH, "Version " + signed + " already runs");
        }
        Optional<URI> previousRepo = previous.isEmpty() ? Optional.empty() : repositoryOf(previous);
        Path target = settings.storage().resolve(DIR_PREFIX + safe(settings.feature()) + "-" + safe(signed));
        PendingRecord record = new PendingRecord(PendingRecord.Phase.PREPARING, settings.feature(), signed, previous,
                previousRepo, target, List.of());
        save(record);
        KarInspector.Firmware firmware;
        try {
            firmware = unpackAndCheck(pkg.payload(), target, signed);
        } catch (UpdateException | RuntimeException e) {
            forget();
            throw e;
        }
        List<URI> repos = firmware.repositories().stream().map(Path::toUri).toList();
        record = new PendingRecord(PendingRecord.Phase.REPOSITORY_ADDED, settings.feature(), firmware.version(),
                previous, previousRepo, target, repos);
        save(record);
        try {
            for (URI r : repos) {
                runtime.addRepository(r);
            }
            if (!runtime.isAvailable(settings.feature(), firmware.version())) {
                throw new UpdateException(FumoResult.PACKAGE_MISMATCH,
                        "Karaf does not see feature " + settings.feature() + " " + firmware.version() + " in the KAR");
            }
            save(record.at(PendingRecord.Phase.SWITCHING));
            runtime.switchTo(settings.feature(), firmware.version());
            save(record.at(PendingRecord.Phase.SWITCHED));
        } catch (Exception e) {
            LOG.warn("Update of {} to {} failed; returning to {}: {}", settings.feature(), signed,
                    previous.isEmpty() ? "nothing" : previous, e.toString());
            try {
                rollback();
            } catch (UpdateException re) {
                e.addSuppressed(re);
                LOG.error("Rollback of {} after a failed update failed too: {}", settings.feature(), re.getMessage());
            }
            throw e instanceof UpdateException u ? u
                    : new UpdateException(FumoResult.UPDATE_FAILED, "Karaf could not install " + settings.feature()
                            + " " + signed + ": " + KarArchive.printable(String.valueOf(e.getMessage())), e);
        }
        LOG.info("{}: feature {} switched from {} to {} (pending health check)", settings.component(),
                settings.feature(), previous.isEmpty() ? "nothing" : previous, firmware.version());
    }

    private void checkPayload(Path payload, PackageManifest m) throws UpdateException {
        BasicFileAttributes attrs = attributesOf(payload);
        if (!attrs.isRegularFile() || attrs.size() != m.payloadLength()) {
            throw new UpdateException(FumoResult.CORRUPTED_PACKAGE, "Payload length differs from the manifest");
        }
        if (attrs.size() > settings.maxPayloadBytes()) {
            throw new UpdateException(FumoResult.UPDATE_OUT_OF_MEMORY,
                    "KAR of " + attrs.size() + " bytes is larger than max.payload.bytes " + settings.maxPayloadBytes());
        }
    }

    private static BasicFileAttributes attributesOf(Path file) throws UpdateException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new UpdateException(FumoResult.UPDATE_FAILED, "The payload is unreadable", e);
        }
    }

    private KarInspector.Firmware unpackAndCheck(Path kar, Path target, String signed) throws UpdateException {
        Path staging = settings.storage().resolve(STAGING + UUID.randomUUID());
        try {
            Files.createDirectories(staging);
            List<String> files = KarArchive.unpack(kar, staging, settings.limits());
            KarInspector.Firmware f = KarInspector.inspect(staging, files, settings.feature(), signed,
                    settings.protectedNames(), this::installedSafely);
            deleteTree(target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            List<Path> moved = new ArrayList<>();
            for (Path r : f.repositories()) {
                moved.add(target.resolve(staging.relativize(r)));
            }
            return new KarInspector.Firmware(f.feature(), f.version(), moved, f.bundles());
        } catch (IOException e) {
            throw new UpdateException(FumoResult.UPDATE_FAILED, "Cannot unpack the KAR into " + settings.storage(), e);
        } finally {
            deleteQuietly(staging);
        }
    }

    private boolean installedSafely(String name, String version) {
        try {
            return runtime.isInstalled(name, version);
        } catch (Exception e) {
            LOG.debug("Cannot tell whether {} is installed: {}", name, e.toString());
            return false;
        }
    }

    private Optional<URI> repositoryOf(String version) {
        try {
            return runtime.repositoryOf(settings.feature(), version);
        } catch (Exception e) {
            LOG.debug("Cannot find the repository of {} {}: {}", settings.feature(), version, e.toString());
            return Optional.empty();
        }
    }

    @Override
    public synchronized boolean healthy() {
        String version = pending().map(PendingRecord::version).orElseGet(this::installedVersion);
        if (version.isEmpty()) {
            LOG.info("{}: feature {} is not installed: not healthy", settings.component(), settings.feature());
            return false;
        }
        long looks = Math.max(1, settings.healthTimeout().toMillis() / STEP.toMillis() + 1);
        List<String> problems;
        for (long look = 1;; look++) {
            problems = lookAt(version);
            if (problems.isEmpty()) {
                LOG.info("{}: feature {} {} is healthy", settings.component(), settings.feature(), version);
                return true;
            }
            if (look >= looks || !pause.rest(STEP)) {
                break;
            }
        }
        LOG.warn("{}: feature {} {} is NOT healthy after {}: {}", settings.component(), settings.feature(), version,
                settings.healthTimeout(), String.join("; ", problems));
        return false;
    }

    private List<String> lookAt(String version) {
        try {
            List<String> bundles = runtime.bundleLocations(settings.feature(), version);
            return bundles.isEmpty() ? List.of("Karaf knows no bundles of " + settings.feature() + " " + version)
                    : probe.problems(bundles);
        } catch (Exception e) {
            return List.of("Karaf cannot list the feature: " + e);
        }
    }

    @Override
    public synchronized void rollback() throws UpdateException {
        Optional<PendingRecord> found = pending();
        if (found.isEmpty()) {
            LOG.debug("{}: nothing to roll back", settings.component());
            return;
        }
        PendingRecord r = found.get();
        try {
            if (r.previous().isEmpty()) {
                if (runtime.isInstalled(r.feature(), r.version())) {
                    runtime.uninstall(r.feature(), r.version());
                }
            } else {
                restorePrevious(r);
            }
            for (URI repo : r.repositories()) {
                runtime.removeRepositoryIfUnused(repo);
            }
        } catch (UpdateException e) {
            throw e;
        } catch (Exception e) {
            throw new UpdateException(FumoResult.UPDATE_FAILED, "Karaf could not return " + r.feature() + " to "
                    + (r.previous().isEmpty() ? "nothing" : r.previous()) + ": "
                    + KarArchive.printable(String.valueOf(e.getMessage())), e);
        }
        if (isOurs(r.directory())) {
            deleteQuietly(r.directory());
        }
        forget();
        LOG.info("{}: rolled back {} to {}", settings.component(), r.feature(),
                r.previous().isEmpty() ? "nothing" : r.previous());
    }

    private void restorePrevious(PendingRecord r) throws Exception {
        if (!runtime.isAvailable(r.feature(), r.previous())) {
            Optional<URI> repo = r.previousRepository();
            if (repo.isPresent() && "file".equals(repo.get().getScheme()) && Files.isRegularFile(Path.of(repo.get()))) {
                runtime.addRepository(repo.get());
            }
            if (!runtime.isAvailable(r.feature(), r.previous())) {
                throw new UpdateException(FumoResult.UPDATE_FAILED, "The previous set (" + r.feature() + " "
                        + r.previous() + ") is missing; cannot roll back");
            }
        }
        runtime.switchTo(r.feature(), r.previous());
    }

    @Override
    public synchronized void commit() throws UpdateException {
        Optional<PendingRecord> found = pending();
        if (found.isEmpty()) {
            LOG.debug("{}: nothing to commit", settings.component());
            return;
        }
        PendingRecord r = found.get();
        if (r.phase() != PendingRecord.Phase.SWITCHED) {
            throw new UpdateException(FumoResult.UPDATE_FAILED,
                    "The update of " + r.feature() + " to " + r.version() + " never completed; roll it back");
        }
        Optional<URI> old = r.previousRepository().filter(u -> "file".equals(u.getScheme()));
        if (old.isPresent() && !r.repositories().contains(old.get())) {
            Path oldFile = Path.of(old.get());
            Optional<Path> oldDir = ownFolderOf(oldFile);
            try {
                if (oldDir.isPresent() && runtime.removeRepositoryIfUnused(old.get())) {
                    deleteQuietly(oldDir.get());
                }
            } catch (Exception e) {
                LOG.warn("{}: the old repository {} stays registered: {}", settings.component(), old.get(),
                        e.toString());
            }
        }
        forget();
        LOG.info("{}: {} {} committed", settings.component(), r.feature(), r.version());
    }

    @Override
    public synchronized Optional<String> pendingVersion() {
        try {
            return PendingRecord.read(stateFile).map(PendingRecord::version);
        } catch (IOException e) {
            LOG.error("{}: {}", settings.component(), e.getMessage());
            return Optional.of("unknown");
        }
    }

    // ---- state and files ----

    private Optional<PendingRecord> pending() {
        try {
            return PendingRecord.read(stateFile);
        } catch (IOException e) {
            LOG.error("{}: {}", settings.component(), e.getMessage());
            return Optional.empty();
        }
    }

    private void save(PendingRecord r) throws UpdateException {
        try {
            r.write(stateFile);
        } catch (IOException e) {
            throw new UpdateException(FumoResult.UPDATE_FAILED, "Cannot record the update: " + e.getMessage(), e);
        }
    }

    private void forget() throws UpdateException {
        try {
            Files.deleteIfExists(stateFile.path());
        } catch (IOException e) {
            throw new UpdateException(FumoResult.UPDATE_FAILED, "Cannot clear the update record: " + e.getMessage(),
                    e);
        }
    }

    /** @return the folder below kar.storage that this agent made and that holds the file */
    private Optional<Path> ownFolderOf(Path file) {
        Path storage = settings.storage();
        Path f = file.toAbsolutePath().normalize();
        if (!f.startsWith(storage) || f.getNameCount() <= storage.getNameCount()) {
            return Optional.empty();
        }
        Path dir = storage.resolve(f.getName(storage.getNameCount()));
        return isOurs(dir) ? Optional.of(dir) : Optional.empty();
    }

    private boolean isOurs(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        return settings.storage().equals(d.getParent()) && d.getFileName().toString().startsWith(DIR_PREFIX);
    }

    static String safe(String s) {
        return UNSAFE.matcher(s).replaceAll("_");
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", dir, e.toString());
        }
    }

    /** Deletes a folder and its content, deepest first; links are deleted, never followed. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }

    @Override
    public String toString() {
        return "KarafUpdateAgent[" + settings.component() + ": " + settings.feature() + "]";
    }

    /** @return the protected symbolic names (for tests) */
    Set<String> protectedNames() {
        return settings.protectedNames();
    }
}
