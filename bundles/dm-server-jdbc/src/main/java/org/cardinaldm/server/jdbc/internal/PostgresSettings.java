package org.cardinaldm.server.jdbc.internal;

import java.util.Locale;

/**
 * The PostgreSQL JDBC driver setting the registry relies on, added to a PostgreSQL URL that does not set it:
 * {@code reWriteBatchedInserts=true}, with which the driver sends a batch of {@code INSERT}s as multi-row
 * statements instead of one statement per row. A job's operations, a message's results and their items are written
 * as batches (seven to twenty rows in a typical session); row by row they were the three most frequent statements
 * PostgreSQL ran for the load generator (docs/performance.md). Other URLs are left alone; an explicit
 * {@code reWriteBatchedInserts=false} in the URL wins.
 */
public final class PostgresSettings {
    private PostgresSettings() {
    }

    /**
     * @param url a JDBC URL
     * @return the URL, with {@code reWriteBatchedInserts=true} added when it is a PostgreSQL URL without that setting
     */
    public static String tuned(String url) {
        if (!url.startsWith("jdbc:postgresql:")) {
            return url;
        }
        if (url.toLowerCase(Locale.ROOT).contains("rewritebatchedinserts=")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }
}
