package org.cardinaldm.syncml.api.model;

import java.util.Objects;

/**
 * A {@code Target} or {@code Source}: a URI and an optional display name.
 *
 * @param locUri the LocURI, never null
 * @param locName the LocName, or null; with syncml:auth-md5 the SyncHdr Source LocName is the user name
 */
public record Location(String locUri, String locName) {
    /** Checks for null. */
    public Location {
        Objects.requireNonNull(locUri, "locUri");
    }

    /**
     * @param locUri the LocURI
     * @return a location without LocName
     */
    public static Location of(String locUri) {
        return new Location(locUri, null);
    }

    /**
     * @param locUri the LocURI
     * @param locName the LocName
     * @return a location with a LocName
     */
    public static Location of(String locUri, String locName) {
        return new Location(locUri, locName);
    }
}
