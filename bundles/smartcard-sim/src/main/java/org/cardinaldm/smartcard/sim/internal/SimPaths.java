package org.cardinaldm.smartcard.sim.internal;

import java.nio.file.Path;
import java.nio.file.Paths;

/** Resolves configured file names: relative ones against Karaf's data folder ({@code karaf.data}) if set. */
public final class SimPaths {
    private SimPaths() {
    }

    /**
     * @param configured a configured path, possibly relative or empty
     * @return the absolute path, or {@code null} when empty
     */
    public static Path resolve(String configured) {
        if (configured == null || configured.isBlank()) {
            return null;
        }
        Path p = Paths.get(configured.trim());
        if (p.isAbsolute()) {
            return p;
        }
        String data = System.getProperty("karaf.data");
        return data == null ? p.toAbsolutePath() : Paths.get(data).resolve(p);
    }
}
