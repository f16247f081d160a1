package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** What differs between the supported databases. */
public enum Dialect {
    /** H2 2.x, embedded: one node; row locks serialise claims. */
    H2("CLOB", "FOR UPDATE"),
    /** PostgreSQL 12 or later: several nodes share it; claims skip rows other nodes hold. */
    POSTGRESQL("TEXT", "FOR UPDATE SKIP LOCKED");

    private final String textType;
    private final String claimLock;

    Dialect(String textType, String claimLock) {
        this.textType = textType;
        this.claimLock = claimLock;
    }

    /** @return the unbounded text type */
    public String textType() {
        return textType;
    }

    /** @return the locking clause of the job claim query */
    public String claimLock() {
        return claimLock;
    }

    /**
     * @param c an open connection
     * @return the dialect of its database
     * @throws SQLException when the metadata cannot be read
     * @throws IllegalStateException for an unsupported database
     */
    public static Dialect of(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        if (product.contains("h2")) {
            return H2;
        }
        throw new IllegalStateException("unsupported database: " + product + " (H2 and PostgreSQL are)");
    }
}
