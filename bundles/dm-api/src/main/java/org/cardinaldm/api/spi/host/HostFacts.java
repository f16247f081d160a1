package org.cardinaldm.api.spi.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The few facts about the host that device-describing management objects derive their defaults
 * from. An interface so that tests can describe any host; {@link #system()} reads the real one.
 * Reading never fails: a fact that cannot be read is empty.
 */
@ConsumerType
public interface HostFacts {
    /** Longest file content read from the host; identity files are tiny. */
    int MAX_FILE_BYTES = 4096;

    /** The folder of the Linux DMI/SMBIOS identity files ({@code sys_vendor}, {@code product_name}…). */
    String DMI = "/sys/class/dmi/id/";

    /**
     * Values firmware writes into DMI fields when the OEM filled nothing in, in lower case (compare
     * with {@code value.toLowerCase(Locale.ROOT)}). A plugin that reads more fields may add its own.
     */
    Set<String> FIRMWARE_PLACEHOLDERS = Set.of("to be filled by o.e.m.", "to be filled by oem", "default string",
            "system manufacturer", "system product name", "not specified", "not applicable", "none", "n/a", "na",
            "unknown", "oem", "o.e.m.", "123456789", "0123456789", "xxxxx");

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

    /**
     * The first real value among several sources, in order of preference.
     *
     * @param placeholders values that count as absent, in lower case (e.g. {@link #FIRMWARE_PLACEHOLDERS})
     * @param paths absolute file paths, the preferred first
     * @return the {@link #firstLine(String) first line} of the first file that has one which is not a
     *     placeholder (compared case-insensitively); empty when none has
     */
    default Optional<String> firstReal(Set<String> placeholders, List<String> paths) {
        for (String path : paths) {
            Optional<String> value = firstLine(path).filter(s -> !placeholders.contains(s.toLowerCase(Locale.ROOT)));
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

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
