package org.cardinaldm.fumo.agent.karaf.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import org.cardinaldm.client.api.spi.StateFile;

/**
 * The update in progress, kept in a small file in the bundle's data area and replaced atomically
 * ({@link StateFile}) at every step, so that after a crash the agent knows what to undo.
 *
 * @param phase how far {@code apply} got
 * @param feature the firmware feature
 * @param version the new version (as the features repository writes it)
 * @param previous the version that ran before, empty when the feature was not installed
 * @param previousRepository the repository that defined the previous version, if known
 * @param directory the folder the KAR was unpacked into
 * @param repositories the KAR's features repositories
 */
record PendingRecord(Phase phase, String feature, String version, String previous, Optional<URI> previousRepository,
        Path directory, List<URI> repositories) {

    /** How far {@code apply} got; each phase is written before the step it names is taken. */
    enum Phase {
        /** Recorded before anything is touched; the KAR is being unpacked and checked. */
        PREPARING,
        /** The KAR's repositories are being registered with Karaf. */
        REPOSITORY_ADDED,
        /** Karaf is switching the feature to the new version. */
        SWITCHING,
        /** The new version runs; waiting for the health check and commit or rollback. */
        SWITCHED
    }

    private static final String HEADER = "cardinal-fumo-karaf-agent-state 1";
    private static final int MAX_BYTES = 64 * 1024;
    private static final int MAX_REPOSITORIES = 64;

    PendingRecord {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(previousRepository, "previousRepository");
        Objects.requireNonNull(directory, "directory");
        repositories = List.copyOf(repositories);
    }

    PendingRecord at(Phase next) {
        return new PendingRecord(next, feature, version, previous, previousRepository, directory, repositories);
    }

    PendingRecord with(List<URI> repos) {
        return new PendingRecord(phase, feature, version, previous, previousRepository, directory, repos);
    }

    /**
     * @param file the state file
     * @throws IOException when it cannot be written (the old content is then still in place)
     */
    void write(StateFile file) throws IOException {
        Properties p = new Properties();
        p.setProperty("phase", phase.name());
        p.setProperty("feature", feature);
        p.setProperty("version", version);
        p.setProperty("previous", previous);
        previousRepository.ifPresent(u -> p.setProperty("previous.repository", u.toString()));
        p.setProperty("directory", directory.toString());
        for (int i = 0; i < repositories.size(); i++) {
            p.setProperty("repository." + i, repositories.get(i).toString());
        }
        StringWriter w = new StringWriter();
        p.store(w, null);
        file.write(HEADER + "\n" + w);
    }

    /**
     * @param file the state file
     * @return the record, or empty when there is none
     * @throws IOException when a record exists but cannot be read; it is then moved aside
     */
    static Optional<PendingRecord> read(StateFile file) throws IOException {
        if (!Files.exists(file.path())) {
            return Optional.empty();
        }
        AtomicReference<PendingRecord> out = new AtomicReference<>();
        Optional<Exception> failure = file.load(MAX_BYTES, HEADER, lines -> {
            Properties p = new Properties();
            p.load(new StringReader(String.join("\n", lines)));
            List<URI> repos = new ArrayList<>();
            for (int i = 0; i < MAX_REPOSITORIES && p.getProperty("repository." + i) != null; i++) {
                repos.add(URI.create(p.getProperty("repository." + i)));
            }
            String prevRepo = p.getProperty("previous.repository");
            out.set(new PendingRecord(Phase.valueOf(p.getProperty("phase")), required(p, "feature"),
                    required(p, "version"), p.getProperty("previous", ""),
                    Optional.ofNullable(prevRepo).map(URI::create), Path.of(required(p, "directory")), repos));
        });
        if (failure.isPresent()) {
            throw new IOException("unreadable pending-update record, set aside as " + file.aside() + ": "
                    + failure.get().getMessage());
        }
        return Optional.ofNullable(out.get());
    }

    private static String required(Properties p, String key) throws IOException {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IOException("no " + key);
        }
        return v;
    }
}
