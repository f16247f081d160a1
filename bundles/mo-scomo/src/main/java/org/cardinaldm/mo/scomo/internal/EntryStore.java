package org.cardinaldm.mo.scomo.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Download and Delivered entries, one properties file each under the bundle's data area
 * ({@code <data>/download/<X>.properties}, {@code <data>/delivered/<X>.properties}; a delivered package's
 * payload and manifest next to it as {@code <X>.pkg} and {@code <X>.manifest.p7}). Files are written to a
 * temporary name and moved, so a crash leaves the old or the new entry, never half of one. Entries are
 * maps of leaf name to value; callers hold no file handles.
 */
final class EntryStore {
    /** Allowed node names: 1–64 of ASCII letters, digits, {@code . _ ~ -}, not only dots. */
    static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9._~-]{1,64}");

    private static final Logger LOG = LoggerFactory.getLogger(EntryStore.class);

    private final Path dir;
    private final Map<String, Map<String, String>> entries = new ConcurrentHashMap<>();

    /**
     * @param dir the folder of this area (created when missing)
     * @param progressing Status values left by an operation cut short (a restart), mapped to what they become
     */
    EntryStore(Path dir, Map<Integer, Integer> progressing) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.properties")) {
                for (Path f : files) {
                    String name = f.getFileName().toString().replaceFirst("\\.properties$", "");
                    if (!validName(name)) {
                        continue;
                    }
                    Properties p = new Properties();
                    try (InputStream in = Files.newInputStream(f)) {
                        p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
                    }
                    Map<String, String> values = new TreeMap<>();
                    p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
                    String status = values.get("Status");
                    if (status != null && progressing.containsKey(Integer.valueOf(status))) {
                        values.put("Status", String.valueOf(progressing.get(Integer.valueOf(status))));
                        write(name, values);
                    }
                    entries.put(name, values);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("SCOMO: could not read all entries of {} ({})", dir, e.toString());
        }
    }

    static boolean validName(String name) {
        return name != null && NODE_NAME.matcher(name).matches() && !name.chars().allMatch(c -> c == '.');
    }

    /** @return the entry names, sorted */
    List<String> names() {
        List<String> out = new ArrayList<>(entries.keySet());
        Collections.sort(out);
        return out;
    }

    int size() {
        return entries.size();
    }

    /** @return a copy of the entry's values, or null */
    Map<String, String> get(String name) {
        Map<String, String> e = entries.get(name);
        return e == null ? null : new LinkedHashMap<>(e);
    }

    boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** Creates or replaces an entry, on disk first. */
    synchronized void put(String name, Map<String, String> values) {
        Map<String, String> copy = new TreeMap<>(values);
        write(name, copy);
        entries.put(name, copy);
    }

    /** Sets one value of an existing entry (null removes it); no-op when the entry is gone. */
    synchronized void set(String name, String key, String value) {
        Map<String, String> e = entries.get(name);
        if (e == null) {
            return;
        }
        Map<String, String> copy = new TreeMap<>(e);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        write(name, copy);
        entries.put(name, copy);
    }

    /** Removes an entry and its files. */
    synchronized void remove(String name) {
        entries.remove(name);
        for (String suffix : new String[] {".properties", ".pkg", ".manifest.p7"}) {
            try {
                Files.deleteIfExists(dir.resolve(name + suffix));
            } catch (IOException e) {
                LOG.warn("SCOMO: could not delete {}{} ({})", name, suffix, e.toString());
            }
        }
    }

    /** @return where the entry's payload lives */
    Path payload(String name) {
        return dir.resolve(name + ".pkg");
    }

    /** @return where the entry's manifest lives */
    Path manifest(String name) {
        return dir.resolve(name + ".manifest.p7");
    }

    private void write(String name, Map<String, String> values) {
        Properties p = new Properties();
        values.forEach(p::setProperty);
        Path tmp = dir.resolve(name + ".properties.tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), "SCOMO entry");
            }
            Files.move(tmp, dir.resolve(name + ".properties"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the SCOMO entry " + name, e);
        }
    }
}
