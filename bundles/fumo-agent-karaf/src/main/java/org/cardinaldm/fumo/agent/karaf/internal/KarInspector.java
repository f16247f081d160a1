package org.cardinaldm.fumo.agent.karaf.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.spi.UpdateException;
import org.osgi.framework.Version;

/**
 * Decides whether an unpacked KAR is a firmware set this agent may install, before Karaf sees any of it:
 * <ol>
 * <li>its {@code repository/} holds one or more features repositories ({@link FeaturesXml}: nothing that fetches
 * or writes outside the package);</li>
 * <li>exactly one feature carries the configured name at the signed version (compared as OSGi versions, so
 * {@code 2.0} and {@code 2.0.0} match);</li>
 * <li>every bundle of every feature in the KAR is a plain {@code mvn:} location whose file is inside the KAR
 * ({@link MavenPath}), so Karaf resolves it from the unpacked KAR and never from a remote Maven repository;</li>
 * <li>each such file is an OSGi bundle (a {@code Bundle-SymbolicName}), and none is a protected bundle (this
 * agent, FUMO, Karaf's features service: what performs the update cannot be replaced by it);</li>
 * <li>every dependency on a feature not defined in the KAR is already installed (nothing else is fetched).</li>
 * </ol>
 * Refusals are {@link FumoResult#PACKAGE_MISMATCH} (403).
 */
final class KarInspector {
    /** Largest bundle manifest read. */
    private static final int MAX_MANIFEST = 256 * 1024;

    /**
     * What the KAR brings.
     *
     * @param feature the firmware feature's name
     * @param version its version text as the features repository writes it
     * @param repositories the features repositories, absolute files
     * @param bundles the firmware feature's bundle locations
     */
    record Firmware(String feature, String version, List<Path> repositories, List<String> bundles) {
    }

    /** Answers whether a feature the KAR does not define is installed. */
    @FunctionalInterface
    interface Installed {
        /**
         * @param name the feature
         * @param version its version or range, empty for any
         * @return whether it is installed
         */
        boolean isInstalled(String name, String version);
    }

    private KarInspector() {
    }

    /**
     * @param root the folder the KAR's repository was unpacked into
     * @param files the unpacked files, relative to it
     * @param feature the configured firmware feature
     * @param signedVersion the manifest's version text
     * @param protectedNames symbolic names the KAR must not carry
     * @param installed the running Karaf's installed features
     * @return the firmware set
     * @throws UpdateException 403 when the KAR does not fit, 402 when a file is malformed
     */
    static Firmware inspect(Path root, List<String> files, String feature, String signedVersion,
            Set<String> protectedNames, Installed installed) throws UpdateException {
        Version wanted = osgiVersion(signedVersion, "The signed version");
        List<Path> repositories = new ArrayList<>();
        Map<String, FeaturesXml.Feature> defined = new HashMap<>();
        List<FeaturesXml.Feature> all = new ArrayList<>();
        for (String f : files) {
            if (!f.endsWith(".xml")) {
                continue;
            }
            Path file = root.resolve(f);
            Optional<List<FeaturesXml.Feature>> read = FeaturesXml.read(file);
            if (read.isEmpty()) {
                continue;
            }
            repositories.add(file);
            for (FeaturesXml.Feature x : read.get()) {
                String key = x.name() + "/" + osgiVersion(x.version(), "Feature " + x.name() + "'s version");
                if (defined.putIfAbsent(key, x) != null) {
                    throw refuse("The KAR defines feature " + key + " twice");
                }
                all.add(x);
            }
        }
        if (repositories.isEmpty()) {
            throw refuse("The KAR carries no features repository under repository/");
        }
        FeaturesXml.Feature firmware = defined.get(feature + "/" + wanted);
        if (firmware == null) {
            throw refuse("The KAR has no feature " + feature + " at the signed version " + signedVersion);
        }
        for (FeaturesXml.Feature x : all) {
            for (String location : x.bundles()) {
                checkBundle(root, x, location, protectedNames);
            }
            for (FeaturesXml.Dependency d : x.dependencies()) {
                boolean inKar = all.stream().anyMatch(o -> o.name().equals(d.name()));
                if (!inKar && !installed.isInstalled(d.name(), d.version())) {
                    throw refuse("Feature " + x.name() + " needs feature " + d.name()
                            + (d.version().isEmpty() ? "" : " " + d.version())
                            + ", which is neither in the KAR nor installed (nothing is fetched)");
                }
            }
        }
        if (firmware.bundles().isEmpty()) {
            throw refuse("Feature " + feature + " has no bundles");
        }
        return new Firmware(feature, firmware.version(), List.copyOf(repositories), firmware.bundles());
    }

    private static void checkBundle(Path root, FeaturesXml.Feature x, String location, Set<String> protectedNames)
            throws UpdateException {
        String shown = KarArchive.printable(location);
        String rel = MavenPath.of(location).orElseThrow(() -> refuse("Feature " + x.name() + " has bundle " + shown
                + ", which is not a plain mvn: location inside the KAR"));
        Path file = root.resolve(rel).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw refuse("Feature " + x.name() + " has bundle " + shown
                    + ", which the KAR does not carry (it would be fetched from a Maven repository)");
        }
        String bsn = symbolicName(file, shown);
        if (protectedNames.contains(bsn)) {
            throw refuse("Bundle " + bsn + " runs the update itself and cannot be part of a firmware set");
        }
    }

    private static String symbolicName(Path jar, String shown) throws UpdateException {
        try (JarFile j = new JarFile(jar.toFile(), false)) {
            var entry = j.getEntry(JarFile.MANIFEST_NAME);
            if (entry == null || entry.getSize() > MAX_MANIFEST) {
                throw refuse(shown + " has no usable manifest");
            }
            Manifest m = j.getManifest();
            String bsn = m == null ? null : m.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null || bsn.isBlank()) {
                throw refuse(shown + " is not an OSGi bundle (no Bundle-SymbolicName)");
            }
            int semi = bsn.indexOf(';');
            return (semi < 0 ? bsn : bsn.substring(0, semi)).strip();
        } catch (IOException | SecurityException e) {
            throw new UpdateException(FumoResult.CORRUPTED_PACKAGE, shown + " is not a readable jar");
        }
    }

    /**
     * @param text a version
     * @param what for the message
     * @return it as an OSGi version
     * @throws UpdateException 403 when it is none
     */
    static Version osgiVersion(String text, String what) throws UpdateException {
        return Versions.parse(text).orElseThrow(
                () -> refuse(what + " '" + KarArchive.printable(String.valueOf(text)) + "' is not an OSGi version"));
    }

    private static UpdateException refuse(String message) {
        return new UpdateException(FumoResult.PACKAGE_MISMATCH, message);
    }
}
