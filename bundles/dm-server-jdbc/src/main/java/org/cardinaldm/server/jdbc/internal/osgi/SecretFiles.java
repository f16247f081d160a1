package org.cardinaldm.server.jdbc.internal.osgi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cardinaldm.server.api.spi.StoreException;
import org.cardinaldm.server.jdbc.internal.secrets.OwnerOnly;
import org.cardinaldm.server.jdbc.internal.secrets.RegistryKey;
import org.cardinaldm.server.jdbc.internal.secrets.SecretCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of the registry that hold secrets: the key files ({@code secrets.key.file},
 * {@code secrets.key.previous.file}) and an embedded H2 database's files, all owner-only.
 */
final class SecretFiles {
    /** The key file when none is configured. */
    static final String DEFAULT_KEY_FILE = "${karaf.etc}/cardinal-registry.key";
    /** Appended to the key file's name: the previous key while rotating, when none is configured. */
    static final String PREVIOUS_SUFFIX = ".previous";
    private static final Logger LOG = LoggerFactory.getLogger(SecretFiles.class);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)\\}");
    private static final String H2_FILE = "jdbc:h2:file:";
    private static final String H2_DATA_SUFFIX = ".mv.db";

    private SecretFiles() {
    }

    /**
     * Loads the keys: the current one (created at first use), and the previous one from
     * {@code previousFile}, or else from the current file's name plus {@value #PREVIOUS_SUFFIX} when that
     * exists.
     *
     * @param keyFile the configured key file, empty for {@value #DEFAULT_KEY_FILE}
     * @param previousFile the configured previous key file, possibly empty
     * @return the cipher
     * @throws StoreException when a key file cannot be read or created
     */
    static SecretCipher cipher(String keyFile, String previousFile) {
        Path current = resolve(keyFile.isBlank() ? DEFAULT_KEY_FILE : keyFile);
        Path previous = previousFile.isBlank() ? current.resolveSibling(current.getFileName() + PREVIOUS_SUFFIX)
                : resolve(previousFile);
        RegistryKey key = RegistryKey.loadOrCreate(current);
        RegistryKey old = null;
        if (Files.exists(previous)) {
            try {
                old = RegistryKey.read(previous);
            } catch (IOException e) {
                throw new StoreException("cannot read the previous registry key file " + previous + ": "
                        + e.getClass().getSimpleName());
            }
            LOG.info("Registry key {} from {}, previous key {} from {} (rotation)", key.id(), current, old.id(),
                    previous);
        } else if (!previousFile.isBlank()) {
            LOG.warn("The previous registry key file {} does not exist; only the key {} of {} is used", previous,
                    key.id(), current);
        }
        return new SecretCipher(key, old);
    }

    /**
     * @param url a JDBC URL
     * @return the database file's base path (without {@value #H2_DATA_SUFFIX}) of an embedded H2 file URL
     */
    static Optional<Path> h2Base(String url) {
        if (!url.startsWith(H2_FILE)) {
            return Optional.empty();
        }
        String path = url.substring(H2_FILE.length());
        int semicolon = path.indexOf(';');
        if (semicolon >= 0) {
            path = path.substring(0, semicolon);
        }
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return path.isEmpty() ? Optional.empty() : Optional.of(Path.of(path).toAbsolutePath());
    }

    /**
     * Before H2 opens its file: creates the missing folders owner-only, and the database file empty and
     * owner-only when it does not exist (H2 then writes into it).
     *
     * @param base the database's base path
     * @throws StoreException when they cannot be created
     */
    static void prepareH2(Path base) {
        try {
            OwnerOnly.folders(base.getParent());
            OwnerOnly.createFile(base.resolveSibling(base.getFileName() + H2_DATA_SUFFIX));
        } catch (IOException e) {
            throw new StoreException("cannot create the registry database " + base + " owner-only: " + e);
        }
    }

    /**
     * After H2 opened: makes every file of the database ({@code <base>.*}, e.g. a trace file) owner-only.
     *
     * @param base the database's base path
     */
    static void restrictH2(Path base) {
        try {
            OwnerOnly.restrictFiles(base.getParent(), base.getFileName() + ".");
        } catch (IOException e) {
            LOG.warn("Cannot make the files of the registry database {} owner-only: {}", base, e.toString());
        }
    }

    /**
     * Expands {@code ${name}} from system properties; {@code ${karaf.etc}} and {@code ${karaf.data}} fall
     * back to {@code ./etc} and {@code ./data} outside Karaf.
     *
     * @param configured a path
     * @return the absolute path
     * @throws IllegalArgumentException naming a variable that is not set
     */
    static Path resolve(String configured) {
        Matcher m = VARIABLE.matcher(configured.strip());
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = System.getProperty(name);
            if (value == null && (name.equals("karaf.etc") || name.equals("karaf.data"))) {
                value = name.substring("karaf.".length());
            }
            if (value == null) {
                throw new IllegalArgumentException("the path '" + configured + "' uses ${" + name
                        + "}, which is not a system property");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return Path.of(sb.toString()).toAbsolutePath().normalize();
    }
}
