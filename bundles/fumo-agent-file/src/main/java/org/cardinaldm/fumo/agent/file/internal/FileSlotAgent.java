package org.cardinaldm.fumo.agent.file.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.cardinaldm.client.api.spi.StateFile;
import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.spi.FirmwarePackage;
import org.cardinaldm.fumo.api.spi.UpdateAgent;
import org.cardinaldm.fumo.api.spi.UpdateException;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file-based A/B {@link UpdateAgent}: the example an OEM reads before plugging an OS-image updater, and an agent
 * FUMO's tests can use. Layout under {@code base.dir}:
 * <pre>
 * A/              slot A: &lt;payload.file.name&gt; and VERSION
 * B/              slot B
 * active          "A" or "B": the slot that runs (replaced atomically)
 * pending.state   the update applied but neither committed nor rolled back (replaced atomically)
 * </pre>
 * {@link #apply} records the update in {@code pending.state} before it touches a slot, writes the payload into
 * the inactive slot (bounded, SHA-256 checked against the signed manifest, synced), then switches
 * {@code active}. {@link #rollback} switches back and empties the failed slot; {@link #commit} forgets the
 * pending record (the old slot stays as it is until the next update overwrites it). Every file is replaced by
 * writing a synced temporary file and renaming it, so a crash at any point leaves either the old or the new
 * content, and {@link #pendingVersion} tells FUMO after a restart that an update was interrupted.
 */
@Component(service = UpdateAgent.class, configurationPid = FileSlotAgent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = FileSlotAgent.Config.class)
public final class FileSlotAgent implements UpdateAgent {
    /** The configuration PID. */
    public static final String PID = "org.cardinaldm.fumo.agent.file";

    /** Configuration of the file agent. */
    @ObjectClassDefinition(name = "Cardinal FUMO file A/B agent",
            description = "Two slot directories and an active pointer; applies firmware packages to the inactive slot")
    public @interface Config {
        /** @return the FUMO instance served, also the service property fumo.component */
        @AttributeDefinition(name = "FUMO component", description = "The FUMO instance this agent updates, e.g. Firmware")
        String fumo_component() default "Firmware";

        /** @return the folder holding slots A and B */
        @AttributeDefinition(name = "Base folder", description = "Folder with the slots A and B and the active pointer")
        String base_dir();

        /** @return the signed package name accepted; empty = the component name */
        @AttributeDefinition(name = "Package name", required = false,
                description = "The name a firmware manifest must carry; empty: the FUMO component name")
        String package_name() default "";

        /** @return the payload's file name inside a slot */
        @AttributeDefinition(name = "Payload file name", description = "File name of the image inside a slot")
        String payload_file_name() default "image.bin";

        /** @return the largest payload accepted */
        @AttributeDefinition(name = "Largest payload (bytes)", min = "1")
        long max_payload_bytes() default 256L * 1024 * 1024;

        /** @return the version reported by a slot without VERSION file (the factory image) */
        @AttributeDefinition(name = "Factory version", description = "Version of the factory image in slot A")
        String initial_version() default "0";

        /** @return whether the version is firmware (DevDetail/FwV) or software (SwV) */
        @AttributeDefinition(name = "Is firmware", description = "true: DevDetail/FwV shows the version; false: SwV")
        boolean is_firmware() default true;

        /** @return none, marker or command */
        @AttributeDefinition(name = "Health check", description = "none, marker or command")
        String health_check() default "none";

        /** @return the marker's relative name in the active slot */
        @AttributeDefinition(name = "Health marker", description = "For 'marker': a file name inside the active slot")
        String health_marker() default "healthy";

        /** @return the program and arguments, {slot} and {version} replaced */
        @AttributeDefinition(name = "Health command", required = false,
                description = "For 'command': program and arguments, run without a shell; an argument {slot} or {version} is replaced")
        String[] health_command() default {};

        /** @return how long the health check may take */
        @AttributeDefinition(name = "Health time-out (seconds)", min = "0", max = "3600")
        int health_timeout_seconds() default 60;
    }

    /** The two slots. */
    enum Slot {
        A, B;

        Slot other() {
            return this == A ? B : A;
        }
    }

    static final String ACTIVE_FILE = "active";
    static final String PENDING_FILE = "pending.state";
    static final String VERSION_FILE = "VERSION";
    private static final String HEADER = "cardinal-fumo-file-agent-state 1";
    private static final int MAX_SMALL_FILE = 4096;
    /** What a version may look like: it names files and is passed to the health command. */
    private static final Pattern VERSION_TEXT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]{0,63}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Logger LOG = LoggerFactory.getLogger(FileSlotAgent.class);

    private final Path base;
    private final String component;
    private final String packageName;
    private final String payloadName;
    private final long maxBytes;
    private final String initialVersion;
    private final boolean firmware;
    private final HealthCheck health;
    private final StateFile pendingFile;

    /**
     * @param config the configuration
     * @throws IOException when the base folder cannot be prepared
     */
    @Activate
    public FileSlotAgent(Config config) throws IOException {
        this(config, d -> Thread.sleep(d.toMillis()));
    }

    FileSlotAgent(Config config, HealthCheck.Pause pause) throws IOException {
        this.component = requireText(config.fumo_component(), "fumo.component");
        this.base = Path.of(requireText(config.base_dir(), "base.dir")).toAbsolutePath().normalize();
        this.packageName = config.package_name() == null || config.package_name().isBlank() ? component
                : config.package_name().strip();
        this.payloadName = config.payload_file_name();
        if (payloadName == null || !FILE_NAME.matcher(payloadName).matches() || VERSION_FILE.equals(payloadName)) {
            throw new IllegalArgumentException("payload.file.name must be a plain file name, not '" + payloadName + "'");
        }
        if (config.max_payload_bytes() < 1) {
            throw new IllegalArgumentException("max.payload.bytes must be positive");
        }
        this.maxBytes = config.max_payload_bytes();
        this.initialVersion = requireText(config.initial_version(), "initial.version");
        this.firmware = config.is_firmware();
        this.health = HealthCheck.of(config.health_check(), config.health_marker(), argv(config.health_command()),
                Duration.ofSeconds(Math.max(0, Math.min(3600, config.health_timeout_seconds()))), pause);
        this.pendingFile = StateFile.of(base.resolve(PENDING_FILE));
        prepare();
        LOG.info("FUMO file agent for {} ready in {} (version {}, health check {})", component, base,
                installedVersion(), health);
    }

    /**
     * @param configured the configured command: a list, or (from a Karaf {@code .cfg} file, which has no lists) one
     *        comma-separated line
     * @return the program and its arguments
     */
    static List<String> argv(String[] configured) {
        if (configured == null) {
            return List.of();
        }
        if (configured.length == 1 && configured[0] != null && configured[0].indexOf(',') >= 0) {
            return Arrays.stream(configured[0].split(",", -1)).map(String::strip).toList();
        }
        return Arrays.asList(configured);
    }

    private static String requireText(String s, String key) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(key + " must be set");
        }
        return s.strip();
    }

    /** Creates the slots and points at A the first time; leaves everything else as it is. */
    private void prepare() throws IOException {
        Files.createDirectories(base.resolve(Slot.A.name()));
        Files.createDirectories(base.resolve(Slot.B.name()));
        if (!Files.exists(base.resolve(ACTIVE_FILE), LinkOption.NOFOLLOW_LINKS)) {
            StateFile.of(base.resolve(ACTIVE_FILE)).write(Slot.A.name() + "\n");
        }
    }

    /** @return the component name this agent serves */
    String component() {
        return component;
    }

    @Override
    public synchronized String installedVersion() {
        try {
            return slotVersion(active()).orElse(initialVersion);
        } catch (IOException e) {
            LOG.warn("Cannot read the active slot of {}: {}", component, e.getMessage());
            return "unknown";
        }
    }

    @Override
    public boolean isFirmware() {
        return firmware;
    }

    @Override
    public synchronized void apply(FirmwarePackage pkg) throws UpdateException {
        Objects.requireNonNull(pkg, "pkg");
        PackageManifest m = pkg.manifest().manifest();
        if (m.kind() != PackageKind.FIRMWARE || !packageName.equals(m.name())) {
            throw new UpdateException(FumoResult.PACKAGE_MISMATCH,
                    "Not a firmware package for " + packageName + ": " + m.kind() + " " + m.name());
        }
        String version = m.version().text();
        if (!VERSION_TEXT.matcher(version).matches()) {
            throw new UpdateException(FumoResult.PACKAGE_MISMATCH, "Unusable version text for a slot");
        }
        if (readPending().isPresent()) {
            throw new UpdateException(FumoResult.UPDATE_FAILED,
                    "An update of " + component + " is pending; commit or roll it back first");
        }
        long size = payloadSize(pkg.payload(), m);
        Slot from = activeOrFail();
        Slot to = from.other();
        try {
            if (Files.getFileStore(base).getUsableSpace() < size) {
                throw new UpdateException(FumoResult.UPDATE_OUT_OF_MEMORY, "No room for " + size + " bytes in " + base);
            }
        } catch (IOException e) {
            throw new UpdateException(FumoResult.UPDATE_FAILED, "Cannot read the free space of " + base, e);
        }
        String previous = installedVersion();
        writePending(new Pending(Phase.WRITING, from, to, version, previous));
        try {
            writeSlot(to, pkg.payload(), m, version);
            setActive(to);
            writePending(new Pending(Phase.SWITCHED, from, to, version, previous));
        } catch (IOException | UpdateException | RuntimeException e) {
            undo(from, to);
            if (e instanceof UpdateException u) {
                throw u;
            }
            throw new UpdateException(FumoResult.UPDATE_FAILED, "Cannot write slot " + to + ": " + e.getMessage(), e);
        }
        LOG.info("{}: version {} written to slot {} and switched to it (pending health check)", component, version, to);
    }

    private long payloadSize(Path payload, PackageManifest m) throws UpdateException {
        long size;
        try {
            size = Files.size(payload);
        } catch (IOException e) {
            throw new UpdateException(FumoResult.UPDATE_FAILED, "Cannot read the payload", e);
        }
        if (size > maxBytes) {
            throw new UpdateException(FumoResult.UPDATE_OUT_OF_MEMORY,
                    "Payload of " + size + " bytes is larger than max.payload.bytes " + maxBytes);
        }
        if (size != m.payloadLength()) {
            throw new UpdateException(FumoResult.CORRUPTED_PACKAGE, "Payload length differs from the manifest");
        }
        return size;
    }

    /** Writes payload and VERSION into a slot: emptied first, the image synced and checked before it is named. */
    private void writeSlot(Slot slot, Path payload, PackageManifest m, String version)
            throws IOException, UpdateException {
        Path dir = base.resolve(slot.name());
        empty(dir);
        Path part = dir.resolve(payloadName + ".part");
        MessageDigest sha = sha256();
        long copied = 0;
        try (InputStream in = Files.newInputStream(payload);
                FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                OutputStream out = new DigestOutputStream(java.nio.channels.Channels.newOutputStream(ch), sha)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0;) {
                copied += n;
                if (copied > m.payloadLength()) {
                    throw new UpdateException(FumoResult.CORRUPTED_PACKAGE, "Payload grew beyond its signed length");
                }
                out.write(buf, 0, n);
            }
            out.flush();
            ch.force(true);
        }
        if (copied != m.payloadLength() || !MessageDigest.isEqual(sha.digest(), m.payloadSha256())) {
            throw new UpdateException(FumoResult.CORRUPTED_PACKAGE, "Payload written to slot " + slot
                    + " does not match the signed SHA-256");
        }
        Files.move(part, dir.resolve(payloadName), StandardCopyOption.ATOMIC_MOVE);
        StateFile.of(dir.resolve(VERSION_FILE)).write(version + "\n");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Best effort after a failed apply: back to the old slot, the new one emptied, nothing pending. */
    private void undo(Slot from, Slot to) {
        try {
            setActive(from);
            empty(base.resolve(to.name()));
            Files.deleteIfExists(pendingFile.path());
        } catch (IOException e) {
            LOG.error("{}: cannot undo a failed update (slot {}); FUMO will roll back after a restart: {}", component,
                    to, e.getMessage());
        }
    }

    @Override
    public synchronized boolean healthy() {
        try {
            Slot active = active();
            String version = slotVersion(active).orElse(initialVersion);
            boolean ok = health.check(base.resolve(active.name()), version);
            LOG.info("{}: health check of slot {} ({}): {}", component, active, version, ok ? "healthy" : "NOT healthy");
            return ok;
        } catch (IOException e) {
            LOG.warn("{}: health check impossible: {}", component, e.getMessage());
            return false;
        }
    }

    @Override
    public synchronized void rollback() throws UpdateException {
        Optional<Pending> pending = readPending();
        if (pending.isEmpty()) {
            LOG.debug("{}: nothing to roll back", component);
            return;
        }
        Pending p = pending.get();
        Path previous = base.resolve(p.from.name());
        try {
            if (!Files.isDirectory(previous, LinkOption.NOFOLLOW_LINKS)
                    || !p.previous.equals(slotVersion(p.from).orElse(initialVersion))) {
                throw new UpdateException(FumoResult.UPDATE_FAILED,
                        "The previous set (slot " + p.from + ") of " + component + " is missing; cannot roll back");
            }
            setActive(p.from);
            empty(base.resolve(p.to.name()));
            Files.deleteIfExists(pendingFile.path());
        } catch (IOException e) {
            throw new UpdateException(FumoResult.UPDATE_FAILED, "Cannot roll back " + component + ": " + e.getMessage(),
                    e);
        }
        LOG.info("{}: rolled back to slot {} ({})", component, p.from, installedVersion());
    }

    @Override
    public synchronized void commit() throws UpdateException {
        Optional<Pending> pending = readPending();
        if (pending.isEmpty()) {
            LOG.debug("{}: nothing to commit", component);
            return;
        }
        Pending p = pending.get();
        if (p.phase != Phase.SWITCHED) {
            throw new UpdateException(FumoResult.UPDATE_FAILED,
                    "The update of " + component + " never switched to slot " + p.to + "; roll it back");
        }
        try {
            Files.deleteIfExists(pendingFile.path());
        } catch (IOException e) {
            throw new UpdateException(FumoResult.UPDATE_FAILED, "Cannot commit " + component + ": " + e.getMessage(), e);
        }
        LOG.info("{}: version {} in slot {} committed", component, p.version, p.to);
    }

    @Override
    public synchronized Optional<String> pendingVersion() {
        try {
            return readPending().map(p -> p.version);
        } catch (UpdateException e) {
            return Optional.of("unknown");
        }
    }

    // ---- files ----

    private enum Phase {
        WRITING, SWITCHED
    }

    private record Pending(Phase phase, Slot from, Slot to, String version, String previous) {
    }

    private void writePending(Pending p) throws UpdateException {
        try {
            pendingFile.write(HEADER + "\nphase=" + p.phase + "\nfrom=" + p.from + "\nto=" + p.to + "\nversion="
                    + p.version + "\nprevious=" + p.previous + "\n");
        } catch (IOException e) {
            throw new UpdateException(FumoResult.UPDATE_FAILED, "Cannot record the pending update: " + e.getMessage(),
                    e);
        }
    }

    /**
     * @return the pending update
     * @throws UpdateException when a pending record exists but cannot be read (it is set aside as
     *         {@code pending.state.corrupt})
     */
    private Optional<Pending> readPending() throws UpdateException {
        Map<String, String> values = new HashMap<>();
        Optional<Exception> failure = pendingFile.load(MAX_SMALL_FILE, HEADER, lines -> {
            for (int i = 1; i < lines.length; i++) {
                int eq = lines[i].indexOf('=');
                if (eq > 0) {
                    values.put(lines[i].substring(0, eq), lines[i].substring(eq + 1));
                }
            }
            Phase.valueOf(values.get("phase"));
            Slot.valueOf(values.get("from"));
            Slot.valueOf(values.get("to"));
            if (!VERSION_TEXT.matcher(String.valueOf(values.get("version"))).matches()) {
                throw new IOException("bad version");
            }
        });
        if (failure.isPresent()) {
            LOG.error("{}: the pending-update record was unreadable and is set aside as {}: {}", component,
                    pendingFile.aside(), failure.get().getMessage());
            throw new UpdateException(FumoResult.UPDATE_FAILED, "Unreadable pending-update record");
        }
        if (values.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Pending(Phase.valueOf(values.get("phase")), Slot.valueOf(values.get("from")),
                Slot.valueOf(values.get("to")), values.get("version"), String.valueOf(values.get("previous"))));
    }

    Slot active() throws IOException {
        Path f = base.resolve(ACTIVE_FILE);
        if (Files.size(f) > 16) {
            throw new IOException("active pointer is too long");
        }
        String s = new String(Files.readAllBytes(f), StandardCharsets.US_ASCII).strip();
        try {
            return Slot.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new IOException("active pointer names no slot");
        }
    }

    private Slot activeOrFail() throws UpdateException {
        try {
            return active();
        } catch (IOException e) {
            throw new UpdateException(FumoResult.UPDATE_FAILED, "Cannot read the active slot: " + e.getMessage(), e);
        }
    }

    private void setActive(Slot slot) throws IOException {
        StateFile.of(base.resolve(ACTIVE_FILE)).write(slot.name() + "\n");
    }

    private Optional<String> slotVersion(Slot slot) throws IOException {
        Path f = base.resolve(slot.name()).resolve(VERSION_FILE);
        try {
            if (Files.size(f) > MAX_SMALL_FILE) {
                throw new IOException("VERSION of slot " + slot + " is too long");
            }
            String v = new String(Files.readAllBytes(f), StandardCharsets.UTF_8).strip();
            return v.isEmpty() ? Optional.empty() : Optional.of(v);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Deletes a slot's content (links are deleted, never followed); the folder stays. */
    private static void empty(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                if (!d.equals(dir)) {
                    Files.delete(d);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public String toString() {
        return "FileSlotAgent[" + component + " in " + base + "]";
    }
}
