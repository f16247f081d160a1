package org.cardinaldm.server.jdbc.internal;

import java.util.Locale;

/**
 * The H2 settings the registry relies on, added to an H2 JDBC URL that does not set them: a query cache large
 * enough for the registry's statements ({@code QUERY_CACHE_SIZE=64}; H2 keeps 8 per connection by default, fewer
 * than the registry uses, so it parsed most statements again on every use), and {@code RETENTION_TIME=5000}: H2
 * keeps freed file areas for 45 s by default before it writes there again, and with the checkpoints that make
 * acknowledged commits durable (several hundred a second under load, {@link Durability}) the file then grew to
 * hundreds of MB and the chunk list H2 rewrites with every checkpoint to thousands of entries; 5 s is safe for a
 * power loss because the checkpoints {@code fsync} the file at least every second. Other URLs are left alone.
 */
public final class H2Settings {
    /** The per-connection query cache the registry's statements fit in. */
    static final int QUERY_CACHE_SIZE = 64;
    /** Milliseconds H2 keeps a freed file area before writing there again. */
    static final int RETENTION_TIME = 5000;

    private H2Settings() {
    }

    /**
     * @param url the URL of an H2 database
     * @return whether only this process can write it: embedded (a file or memory, not {@code tcp:} or
     *         {@code ssl:}) and without {@code AUTO_SERVER=TRUE}, which lets other processes in
     */
    public static boolean exclusive(String url) {
        String u = url.toUpperCase(Locale.ROOT);
        return u.startsWith("JDBC:H2:") && !u.startsWith("JDBC:H2:TCP:") && !u.startsWith("JDBC:H2:SSL:")
                && !u.replace(" ", "").contains("AUTO_SERVER=TRUE");
    }

    /**
     * @param url a JDBC URL
     * @return the URL, with {@code ;QUERY_CACHE_SIZE=64} and (not in memory) {@code ;RETENTION_TIME=5000} added when
     *         it is an H2 URL without them
     */
    public static String tuned(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return url;
        }
        String u = url.toUpperCase(Locale.ROOT);
        String out = url;
        if (!u.contains("QUERY_CACHE_SIZE")) {
            out += ";QUERY_CACHE_SIZE=" + QUERY_CACHE_SIZE;
        }
        if (!u.contains("RETENTION_TIME") && !u.startsWith("JDBC:H2:MEM:")) {
            out += ";RETENTION_TIME=" + RETENTION_TIME;
        }
        return out;
    }
}
