package org.cardinaldm.fumo.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;

import org.cardinaldm.fumo.api.FumoState;
import org.cardinaldm.fumo.api.spi.UpdateGrant;

/**
 * What one FUMO instance remembers across a restart: its {@code State}, the node values a server wrote, the
 * operation under way (who asked, its correlator, its step), the authority's grant, and a result not yet handed
 * to the DM client. Kept in {@code <data>/<instance>/state.properties}, written to a temporary file and moved
 * into place, so a crash leaves either the old or the new record, never half of one. The package's files sit
 * beside it ({@link #manifestFile()}, {@link #payloadFile()}). Not thread-safe: {@link FumoEngine} guards it.
 */
final class InstanceRecord {
    /** The operations FUMO runs. */
    enum Operation {
        /** Exec on {@code Download}. */
        DOWNLOAD("Download"),
        /** Exec on {@code Update}. */
        UPDATE("Update"),
        /** Exec on {@code DownloadAndUpdate}. */
        DOWNLOAD_AND_UPDATE("DownloadAndUpdate");

        private final String node;

        Operation(String node) {
            this.node = node;
        }

        /** @return the executed node's name, also the history's operation name */
        String node() {
            return node;
        }
    }

    /** Where an update stands, so that a restart knows what to undo or finish. */
    enum Step {
        /** Nothing applied yet. */
        NONE,
        /** {@code UpdateAgent.apply} may have changed something. */
        APPLYING,
        /** The authority raised its counter; the agent's commit has not been confirmed. */
        AUTHORITY_COMMITTED
    }

    private final Path dir;
    FumoState state = FumoState.IDLE;
    Instant since = Instant.EPOCH;
    String downloadUrl = "";
    String dluUrl = "";
    String pkgName = "";
    String pkgVersion = "";
    boolean consentAsked;
    /** The operation under way, or null. */
    Operation operation;
    Step step = Step.NONE;
    String serverId = "";
    String correlator = "";
    Instant started = Instant.EPOCH;
    String fromVersion = "";
    UpdateGrant grant;
    String etag = "";
    /** The URL the payload file was fetched from (a cut download resumes only for the same URL). */
    String partialUrl = "";
    long bytesTotal = -1;
    Integer lastResult;
    /** A finished operation's result not yet queued for the server (code), or null. */
    Integer pendingResult;
    Operation pendingOperation;
    String pendingServer = "";
    String pendingCorrelator = "";

    InstanceRecord(Path dir) {
        this.dir = dir;
    }

    /** @return the folder of the instance */
    Path dir() {
        return dir;
    }

    /** @return the manifest's file ({@code <PkgURL>.manifest.p7}, or the manifest of an inline package) */
    Path manifestFile() {
        return dir.resolve("manifest.p7");
    }

    /** @return the payload's file, possibly partial while downloading */
    Path payloadFile() {
        return dir.resolve("payload.bin");
    }

    /** @return the last finished operation's result */
    OptionalInt lastResult() {
        return lastResult == null ? OptionalInt.empty() : OptionalInt.of(lastResult);
    }

    /** @return whether an operation is under way */
    boolean busy() {
        return operation != null;
    }

    /** Deletes the package's files (manifest and payload). */
    void deletePackage() {
        try {
            Files.deleteIfExists(payloadFile());
            Files.deleteIfExists(manifestFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the FUMO package of " + dir.getFileName(), e);
        }
        etag = "";
        partialUrl = "";
        bytesTotal = -1;
    }

    /**
     * Loads the record of an instance, or a fresh one (state 10).
     *
     * @param dir the instance's folder
     * @return the record
     * @throws UncheckedIOException when the file exists but cannot be read
     */
    static InstanceRecord load(Path dir) {
        InstanceRecord r = new InstanceRecord(dir);
        Path file = dir.resolve("state.properties");
        if (!Files.exists(file)) {
            return r;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        try {
            r.state = FumoState.ofCode(Integer.parseInt(p.getProperty("state", "10")));
            r.since = Instant.parse(p.getProperty("since", Instant.EPOCH.toString()));
            r.downloadUrl = p.getProperty("download.url", "");
            r.dluUrl = p.getProperty("dlu.url", "");
            r.pkgName = p.getProperty("pkg.name", "");
            r.pkgVersion = p.getProperty("pkg.version", "");
            r.consentAsked = Boolean.parseBoolean(p.getProperty("consent", "false"));
            r.operation = op(p.getProperty("operation", ""));
            r.step = Step.valueOf(p.getProperty("step", Step.NONE.name()));
            r.serverId = p.getProperty("server", "");
            r.correlator = p.getProperty("correlator", "");
            r.started = Instant.parse(p.getProperty("started", Instant.EPOCH.toString()));
            r.fromVersion = p.getProperty("from.version", "");
            String handle = p.getProperty("grant.handle");
            if (handle != null) {
                r.grant = new UpdateGrant(p.getProperty("grant.server", ""), p.getProperty("grant.instance", ""),
                        handle, Instant.parse(p.getProperty("grant.time")));
            }
            r.etag = p.getProperty("etag", "");
            r.partialUrl = p.getProperty("partial.url", "");
            r.bytesTotal = Long.parseLong(p.getProperty("bytes.total", "-1"));
            r.lastResult = integer(p.getProperty("last.result"));
            r.pendingResult = integer(p.getProperty("pending.result"));
            r.pendingOperation = op(p.getProperty("pending.operation", ""));
            r.pendingServer = p.getProperty("pending.server", "");
            r.pendingCorrelator = p.getProperty("pending.correlator", "");
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("Damaged FUMO record " + file + " (" + e + ")"));
        }
        return r;
    }

    private static Operation op(String s) {
        return s.isEmpty() ? null : Operation.valueOf(s);
    }

    private static Integer integer(String s) {
        return s == null || s.isEmpty() ? null : Integer.valueOf(s);
    }

    /**
     * Writes the record atomically.
     *
     * @throws UncheckedIOException when it cannot be written
     */
    void save() {
        Properties p = new Properties();
        p.setProperty("state", String.valueOf(state.code()));
        p.setProperty("since", since.toString());
        p.setProperty("download.url", downloadUrl);
        p.setProperty("dlu.url", dluUrl);
        p.setProperty("pkg.name", pkgName);
        p.setProperty("pkg.version", pkgVersion);
        p.setProperty("consent", String.valueOf(consentAsked));
        p.setProperty("operation", operation == null ? "" : operation.name());
        p.setProperty("step", step.name());
        p.setProperty("server", serverId);
        p.setProperty("correlator", correlator);
        p.setProperty("started", started.toString());
        p.setProperty("from.version", fromVersion);
        if (grant != null) {
            p.setProperty("grant.server", grant.serverId());
            p.setProperty("grant.instance", grant.instance());
            p.setProperty("grant.handle", grant.handle());
            p.setProperty("grant.time", grant.granted().toString());
        }
        p.setProperty("etag", etag);
        p.setProperty("partial.url", partialUrl);
        p.setProperty("bytes.total", String.valueOf(bytesTotal));
        p.setProperty("last.result", lastResult == null ? "" : lastResult.toString());
        p.setProperty("pending.result", pendingResult == null ? "" : pendingResult.toString());
        p.setProperty("pending.operation", pendingOperation == null ? "" : pendingOperation.name());
        p.setProperty("pending.server", pendingServer);
        p.setProperty("pending.correlator", pendingCorrelator);
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("state.properties.tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "Cardinal FUMO instance");
            }
            try {
                Files.move(tmp, dir.resolve("state.properties"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve("state.properties"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the FUMO record of " + dir.getFileName(), e);
        }
    }

    /** @return the grant, if the operation holds one */
    Optional<UpdateGrant> grant() {
        return Optional.ofNullable(grant);
    }
}
