package org.cardinaldm.mo.scomo.internal;

import java.util.Objects;

/**
 * What the inventory needs to know about one installed bundle, read from the framework at one
 * moment (kept free of OSGi types so that naming and filtering are plain functions).
 *
 * @param bundleId the framework's bundle id
 * @param symbolicName {@code Bundle-SymbolicName} without attributes, or null for a bundle without one
 * @param name {@code Bundle-Name}, or null
 * @param version {@code Bundle-Version} as the framework parsed it, e.g. {@code 1.2.0}
 * @param description {@code Bundle-Description}, or null
 * @param active whether the bundle is {@code ACTIVE}
 */
record BundleFacts(long bundleId, String symbolicName, String name, String version, String description,
        boolean active) {
    BundleFacts {
        Objects.requireNonNull(version, "version");
    }

    /** @return the SCOMO {@code ID}: the symbolic name, or {@code bundle:<id>} for a bundle without one */
    String id() {
        return symbolicName == null || symbolicName.isBlank() ? "bundle:" + bundleId : symbolicName;
    }

    /** @return the SCOMO {@code Name}: {@code Bundle-Name}, else the ID */
    String displayName() {
        return name == null || name.isBlank() ? id() : name.strip();
    }
}
