package org.cardinaldm.store.mvstore.internal;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resolved settings of one store instance.
 *
 * @param file the store file
 * @param fileName the name MVStore opens: the file's path, or a {@code scheme:path} of an H2 file
 *     system (tests use a fault-injecting one)
 * @param syncOnCommit force the file to the device after each commit (power-loss durability)
 * @param cacheSizeMb MVStore page cache in MB
 * @param lockTimeoutMillis how long {@code begin()} waits for the running transaction to finish
 * @param compactEvery commits between checks whether to compact the file (0: never)
 */
record StoreSettings(Path file, String fileName, boolean syncOnCommit, int cacheSizeMb, long lockTimeoutMillis,
        int compactEvery) {

    static final String DEFAULT_FILE = "${karaf.data}/cardinal/tree.mv";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)\\}");

    StoreSettings {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(fileName, "fileName");
        if (cacheSizeMb < 1) {
            throw new IllegalArgumentException("cache.size.mb must be at least 1, was " + cacheSizeMb);
        }
        if (lockTimeoutMillis < 0) {
            throw new IllegalArgumentException("lock.timeout.seconds must not be negative");
        }
    }

    /** @param file a plain file @return default settings for it */
    static StoreSettings of(Path file) {
        return new StoreSettings(file, file.toString(), true, 4, 30_000, 256);
    }

    StoreSettings withSync(boolean sync) {
        return new StoreSettings(file, fileName, sync, cacheSizeMb, lockTimeoutMillis, compactEvery);
    }

    StoreSettings withLockTimeout(long millis) {
        return new StoreSettings(file, fileName, syncOnCommit, cacheSizeMb, millis, compactEvery);
    }

    StoreSettings withCompactEvery(int commits) {
        return new StoreSettings(file, fileName, syncOnCommit, cacheSizeMb, lockTimeoutMillis, commits);
    }

    StoreSettings withFileName(String name) {
        return new StoreSettings(file, name, syncOnCommit, cacheSizeMb, lockTimeoutMillis, compactEvery);
    }

    /**
     * Expands {@code ${name}} from system properties. {@code ${karaf.data}} falls back to
     * {@code ./data} outside Karaf.
     *
     * @param configured a configured path, possibly empty (the default)
     * @return the path
     * @throws IllegalArgumentException naming a variable that is not set
     */
    static Path resolvePath(String configured) {
        String text = configured == null || configured.isBlank() ? DEFAULT_FILE : configured.strip();
        Matcher m = VARIABLE.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = System.getProperty(name);
            if (value == null && name.equals("karaf.data")) {
                value = "./data";
            }
            if (value == null) {
                throw new IllegalArgumentException("Store file path '" + text + "' uses ${" + name
                        + "}, which is not a system property");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return Path.of(sb.toString()).toAbsolutePath().normalize();
    }
}
