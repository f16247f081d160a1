package org.cardinaldm.mo.devdetail.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The few facts about the host that DevDetail defaults are made of. An interface so that tests can
 * describe any host; {@link #system()} reads the real one.
 */
interface HostFacts {
    /** Longest file content read from the host; identity files are tiny. */
    int MAX_FILE_BYTES = 4096;

    /**
     * @param path an absolute file path, e.g. {@code /sys/class/dmi/id/sys_vendor}
     * @return the file's first line, trimmed, without NUL characters; empty when the file is
     *     absent, unreadable, too large or blank
     */
    Optional<String> firstLine(String path);

    /**
     * @param key a Java system property, e.g. {@code os.name}
     * @return its value when set and not blank
     */
    Optional<String> property(String key);

    /** @return the JVM's default locale */
    Locale locale();

    /** @return the facts of the host this JVM runs on */
    static HostFacts system() {
        return new HostFacts() {
            @Override
            public Optional<String> firstLine(String path) {
                try {
                    Path p = Path.of(path);
                    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                        return Optional.empty();
                    }
                    byte[] bytes;
                    try (var in = Files.newInputStream(p)) {
                        bytes = in.readNBytes(MAX_FILE_BYTES);
                    }
                    return cleaned(new String(bytes, StandardCharsets.UTF_8));
                } catch (IOException | RuntimeException e) {
                    return Optional.empty();
                }
            }

            @Override
            public Optional<String> property(String key) {
                return cleaned(System.getProperty(key));
            }

            @Override
            public Locale locale() {
                return Locale.getDefault();
            }
        };
    }

    /**
     * @param text raw text or null
     * @return its first line without NULs, trimmed, or empty when blank
     */
    static Optional<String> cleaned(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.replace("\u0000", "");
        int nl = s.indexOf('\n');
        if (nl >= 0) {
            s = s.substring(0, nl);
        }
        s = s.strip();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
