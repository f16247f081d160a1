package org.cardinaldm.fumo.agent.karaf.internal;

import java.util.Optional;

import org.osgi.framework.Version;

/**
 * Feature versions as Karaf writes them: OSGi versions, and Maven ones such as {@code 0.1.0-SNAPSHOT} (read as
 * {@code 0.1.0.SNAPSHOT}, as Karaf's version cleaner does).
 */
final class Versions {
    private Versions() {
    }

    /**
     * @param text a version
     * @return it as an OSGi version, or empty when it is none even after the Maven qualifier is taken as one
     */
    static Optional<Version> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String t = text.strip();
        try {
            return Optional.of(Version.parseVersion(t));
        } catch (IllegalArgumentException e) {
            int dash = t.indexOf('-');
            if (dash < 0) {
                return Optional.empty();
            }
            String[] nums = t.substring(0, dash).split("\\.", -1);
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                b.append(i < nums.length ? nums[i] : "0").append('.');
            }
            try {
                return Optional.of(Version.parseVersion(b + t.substring(dash + 1).replaceAll("[^A-Za-z0-9_-]", "_")));
            } catch (IllegalArgumentException again) {
                return Optional.empty();
            }
        }
    }

    /**
     * @param a a version
     * @param b another
     * @return whether both parse and are equal
     */
    static boolean same(String a, String b) {
        Optional<Version> x = parse(a);
        return x.isPresent() && x.equals(parse(b));
    }

    /** Orders versions: unparseable ones first, then by OSGi order. */
    static int compare(String a, String b) {
        Version x = parse(a).orElse(Version.emptyVersion);
        Version y = parse(b).orElse(Version.emptyVersion);
        return x.compareTo(y);
    }
}
