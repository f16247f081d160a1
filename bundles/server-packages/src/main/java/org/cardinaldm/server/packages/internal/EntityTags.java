package org.cardinaldm.server.packages.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ETag of each served file: the first 128 bits of its SHA-256, in quotes ({@code "9f86d081884c7d659a2feaa0c55ad015"}),
 * so that it is the same on every server node and after a restart, and changes exactly when the bytes do. A
 * file is hashed once per (length, modification time) and the result kept; at most {@value #MAX_ENTRIES}
 * files are remembered (past that the memory starts again empty). Thread-safe.
 */
final class EntityTags {
    /** Most files remembered. */
    static final int MAX_ENTRIES = 4096;

    private record Entry(long length, long modifiedNanos, String tag) {
    }

    private final Map<Path, Entry> cache = new ConcurrentHashMap<>();

    /**
     * @param file a regular file
     * @param length its length, as read with its modification time
     * @param modifiedNanos its modification time, in nanoseconds since the epoch
     * @return its strong ETag, with the quotes
     * @throws IOException when it cannot be read
     */
    String tag(Path file, long length, long modifiedNanos) throws IOException {
        Entry e = cache.get(file);
        if (e != null && e.length == length && e.modifiedNanos == modifiedNanos) {
            return e.tag;
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException x) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", x);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buffer)) >= 0;) {
                sha.update(buffer, 0, n);
            }
        }
        String tag = "\"" + HexFormat.of().formatHex(sha.digest(), 0, 16) + "\"";
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(file, new Entry(length, modifiedNanos, tag));
        return tag;
    }

    /** @return how many files are remembered */
    int size() {
        return cache.size();
    }
}
