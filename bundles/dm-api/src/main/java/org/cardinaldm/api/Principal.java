package org.cardinaldm.api;

import java.util.Objects;

/**
 * On whose behalf a tree operation runs: a DM server (identified by its ServerID, the id used in
 * ACLs), the local administrator (the shell, the REST API of the device), or the platform itself.
 */
public final class Principal {
    /** What kind of caller a principal is. */
    public enum Kind {
        /** A DM server, subject to the ACL entries that name its ServerID. */
        SERVER,
        /** The local administrator; its rights are configured in the tree engine, not in ACLs. */
        LOCAL_ADMIN,
        /** Cardinal's own components (bootstrap, MO plugins); not subject to ACLs. */
        SYSTEM
    }

    private static final Principal LOCAL_ADMIN = new Principal(Kind.LOCAL_ADMIN, "local-admin");
    private static final Principal SYSTEM = new Principal(Kind.SYSTEM, "system");

    private final Kind kind;
    private final String id;

    private Principal(Kind kind, String id) {
        this.kind = kind;
        this.id = id;
    }

    /**
     * @param serverId a DM ServerID, non-empty
     * @return the principal of that server
     */
    public static Principal server(String serverId) {
        Objects.requireNonNull(serverId, "serverId");
        if (serverId.isEmpty()) {
            throw new IllegalArgumentException("ServerID is empty");
        }
        return new Principal(Kind.SERVER, serverId);
    }

    /** @return the local administrator */
    public static Principal localAdmin() {
        return LOCAL_ADMIN;
    }

    /** @return Cardinal itself */
    public static Principal system() {
        return SYSTEM;
    }

    /** @return the kind */
    public Kind kind() {
        return kind;
    }

    /** @return the ServerID for servers; a fixed name for the other kinds */
    public String id() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Principal && ((Principal) o).kind == kind && ((Principal) o).id.equals(id);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + id.hashCode();
    }

    @Override
    public String toString() {
        return kind == Kind.SERVER ? "server:" + id : id;
    }
}
