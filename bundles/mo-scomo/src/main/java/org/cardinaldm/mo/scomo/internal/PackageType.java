package org.cardinaldm.mo.scomo.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.cardinaldm.mo.scomo.internal.BundleInstaller.InstallException;
import org.osgi.framework.Constants;

/**
 * What a package is, from the server's {@code PkgType} (a MIME type) or, when it sent none, from the package's
 * content; and the checks on {@code EnvType} and {@code InstallParams}. A refusal is an {@link InstallException}
 * (1413 for a type or environment this device does not install, 1405 for parameters it does not understand).
 */
enum PackageType {
    /** An OSGi bundle (a jar with a Bundle-SymbolicName). */
    BUNDLE,
    /** A Karaf feature repository archive. */
    KAR;

    /** MIME types of bundles. */
    static final Set<String> BUNDLE_TYPES = Set.of("application/vnd.osgi.bundle", "application/java-archive",
            "application/x-java-archive");
    /** MIME types of KARs. */
    static final Set<String> KAR_TYPES = Set.of("application/vnd.apache.karaf.kar", "application/x-karaf-kar",
            "application/x-kar");
    /** Accepted EnvType values (case-insensitive); empty means any. */
    static final Set<String> ENV_TYPES = Set.of("osgi", "karaf");

    /**
     * @param pkgType the PkgType leaf, or null/empty
     * @param payload the verified package
     * @return its type
     * @throws InstallException 1413 for a MIME type that is neither
     */
    static PackageType of(String pkgType, Path payload) throws InstallException {
        String t = pkgType == null ? "" : pkgType.strip().toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        if (semi >= 0) {
            t = t.substring(0, semi).strip();
        }
        if (BUNDLE_TYPES.contains(t)) {
            return BUNDLE;
        }
        if (KAR_TYPES.contains(t)) {
            return KAR;
        }
        if (!t.isEmpty()) {
            throw new InstallException(ScomoCodes.UNSUPPORTED_TYPE, "PkgType is not a type this device installs "
                    + "(an OSGi bundle " + BUNDLE_TYPES + " or a KAR " + KAR_TYPES + ")");
        }
        return sniff(payload);
    }

    /** A jar with a symbolic name is a bundle; a zip with a {@code repository/} folder is a KAR; else a bundle. */
    private static PackageType sniff(Path payload) {
        try (JarFile jar = new JarFile(payload.toFile(), false)) {
            Manifest mf = jar.getManifest();
            if (mf != null && mf.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME) != null) {
                return BUNDLE;
            }
            return jar.stream().anyMatch(e -> e.getName().startsWith(KarInspector.REPOSITORY)) ? KAR : BUNDLE;
        } catch (IOException | RuntimeException e) {
            return BUNDLE; // not a zip: the bundle installer says why (1413)
        }
    }

    /**
     * @param envType the EnvType leaf, or null/empty
     * @throws InstallException 1413 when it is neither OSGi nor Karaf
     */
    static void checkEnvType(String envType) throws InstallException {
        String e = envType == null ? "" : envType.strip().toLowerCase(Locale.ROOT);
        if (!e.isEmpty() && !ENV_TYPES.contains(e)) {
            throw new InstallException(ScomoCodes.UNSUPPORTED_TYPE, "EnvType names an environment this device "
                    + "does not have (OSGi, Karaf)");
        }
    }

    /**
     * Reads InstallParams: {@code name=value} pairs joined by {@code &}; the one parameter understood is
     * {@code features=<name>[,<name>…]} (a KAR: install only these features).
     *
     * @param installParams the leaf, or null/empty
     * @return the features to install, empty for all
     * @throws InstallException 1405 for a parameter this device does not understand
     */
    static List<String> features(String installParams) throws InstallException {
        List<String> out = new ArrayList<>();
        if (installParams == null || installParams.isBlank()) {
            return out;
        }
        for (String pair : installParams.strip().split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (!key.equals("features") || eq < 0) {
                throw new InstallException(ScomoCodes.INSTALL_FAILED, "InstallParams has a parameter this device "
                        + "does not understand (only features=<name>,… for a KAR)");
            }
            for (String f : pair.substring(eq + 1).split(",")) {
                if (!f.isBlank()) {
                    out.add(f.strip());
                }
            }
        }
        return out;
    }

    /** @return the PkgType, EnvType and InstallParams leaves an entry carries over from Download to Delivered */
    static Map<String, String> carried(Map<String, String> entry) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String k : List.of("PkgType", "EnvType", "InstallParams")) {
            if (entry.containsKey(k)) {
                out.put(k, entry.get(k));
            }
        }
        return out;
    }
}
