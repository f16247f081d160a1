package org.cardinaldm.server.jdbc.internal;

import java.util.Locale;

/**
 * The H2 settings the registry relies on, added to an H2 JDBC URL that does not set them: a query cache large
 * enough for the registry's statements ({@code QUERY_CACHE_SIZE=64}; H2 keeps 8 per connection by default, fewer
 * than the registry uses, so it parsed most statements again on every use). Other URLs are left alone.
 */
public final class H2Settings {
    /** The per-connection query cache the registry's statements fit in. */
    static final int QUERY_CACHE_SIZE = 64;

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
     * @return the URL, with {@code ;QUERY_CACHE_SIZE=64} added when it is an H2 URL without that setting
     */
    public static String tuned(String url) {
        if (!url.startsWith("jdbc:h2:") || url.toUpperCase(Locale.ROOT).contains("QUERY_CACHE_SIZE")) {
            return url;
        }
        return url + ";QUERY_CACHE_SIZE=" + QUERY_CACHE_SIZE;
    }
}
