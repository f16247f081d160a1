package org.cardinaldm.mo.scomo.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.cardinaldm.mo.scomo.internal.BundleInstaller.InstallException;

/**
 * Reads a verified KAR (Karaf feature repository archive) and decides whether SCOMO may install it, before any
 * byte of it reaches Karaf. The signed manifest binds only the bytes of the archive, so everything Karaf would
 * install must be inside it:
 * <ul>
 * <li>entries: at most {@link Limits#maxEntries}, names without {@code ..}, {@code \}, a leading {@code /}, a
 * drive letter or control characters, no name twice, only below {@code META-INF/} and {@code repository/} (a KAR's
 * {@code resource/} would be copied into the Karaf base, e.g. over {@code etc/}); each entry's real (inflated) size
 * at most {@link Limits#maxEntryBytes}, all together at most {@link Limits#maxTotalBytes} (counted while reading,
 * never from the headers);</li>
 * <li>exactly one features repository ({@code repository/…/*.xml} whose root is {@code features}), with a name;
 * no {@code Karaf-Feature-Repos} header (it may name any URL);</li>
 * <li>every {@code <bundle>} of every feature is a plain {@code mvn:group/artifact/version[/type[/classifier]]}
 * whose file is an entry of the KAR; other elements ({@code repository}, {@code config}, {@code configfile},
 * {@code conditional}, {@code requirement}, {@code capability}, …) are refused, see {@link FeaturesXml}.</li>
 * </ul>
 * A refusal is an {@link InstallException} with 1407 (the package does not pass validation) and one line saying
 * why; it never echoes a URL that did not pass the checks.
 */
final class KarInspector {
    /** Prefix of the archive's Maven repository. */
    static final String REPOSITORY = "repository/";

    private static final Pattern MVN = Pattern.compile(
            "mvn:([A-Za-z0-9_.-]{1,128})/([A-Za-z0-9_.-]{1,128})/([A-Za-z0-9_.+-]{1,64})"
                    + "(?:/([A-Za-z0-9]{1,16})(?:/([A-Za-z0-9_.-]{1,64}))?)?");

    private KarInspector() {
    }

    /**
     * The bounds of an inspection.
     *
     * @param maxEntries most entries in the archive
     * @param maxEntryBytes largest inflated entry
     * @param maxTotalBytes largest sum of the inflated entries
     */
    record Limits(int maxEntries, long maxEntryBytes, long maxTotalBytes) {
        /** @return the limits for packages of at most {@code maxPackageBytes} (the configured download bound) */
        static Limits forPackages(long maxPackageBytes) {
            long entry = Math.max(1024, maxPackageBytes);
            return new Limits(1024, entry, Math.max(entry, Math.min(Long.MAX_VALUE / 4, entry) * 4));
        }
    }

    /**
     * One bundle of a feature, found inside the KAR.
     *
     * @param entry the archive entry holding it
     * @param startLevel the {@code start-level} attribute, or 0
     * @param start the {@code start} attribute (default true)
     * @param dependency the {@code dependency} attribute (default false)
     */
    record BundleRef(String entry, int startLevel, boolean start, boolean dependency) {
    }

    /**
     * A feature named by another one.
     *
     * @param name its name
     * @param version its version or range, empty for any
     */
    record Dependency(String name, String version) {
    }

    /**
     * One feature of the KAR.
     *
     * @param name its name
     * @param version its version (Karaf's default {@code 0.0.0} when absent)
     * @param description its description, or empty
     * @param bundles its bundles, all inside the KAR
     * @param dependencies the features it needs
     */
    record FeatureDef(String name, String version, String description, List<BundleRef> bundles,
            List<Dependency> dependencies) {
        /** @return Karaf's feature id, {@code name/version} */
        String id() {
            return name + "/" + version;
        }
    }

    /**
     * What an accepted KAR holds.
     *
     * @param repositoryName the {@code name} of its features repository
     * @param features its features, in document order
     * @param entries the archive entries the features use (to extract), in first-use order
     */
    record KarContent(String repositoryName, List<FeatureDef> features, List<String> entries) {
        /** @return the dependencies on features that are not in the KAR (they must already be installed) */
        List<Dependency> externalDependencies() {
            Set<String> own = new HashSet<>();
            features.forEach(f -> own.add(f.name()));
            List<Dependency> out = new ArrayList<>();
            for (FeatureDef f : features) {
                for (Dependency d : f.dependencies()) {
                    if (!own.contains(d.name()) && !out.contains(d)) {
                        out.add(d);
                    }
                }
            }
            return out;
        }
    }

    /**
     * @param kar the verified archive
     * @param limits the bounds
     * @return what it holds
     * @throws InstallException 1407 when it must not be installed, 1413 when it is no zip archive at all
     */
    static KarContent inspect(Path kar, Limits limits) throws InstallException {
        try (ZipFile zip = new ZipFile(kar.toFile())) {
            Map<String, ZipEntry> entries = checkEntries(zip, limits);
            checkManifest(zip, entries.get("META-INF/MANIFEST.MF"));
            String featuresEntry = null;
            FeaturesXml.Parsed parsed = null;
            for (Map.Entry<String, ZipEntry> e : entries.entrySet()) {
                if (!e.getKey().startsWith(REPOSITORY) || !e.getKey().endsWith(".xml") || e.getValue().isDirectory()) {
                    continue;
                }
                FeaturesXml.Parsed p;
                try (InputStream in = zip.getInputStream(e.getValue())) {
                    p = FeaturesXml.parse(in);
                }
                if (p == null) {
                    continue; // a POM or other XML, not a features repository
                }
                if (parsed != null) {
                    throw refused("the KAR holds more than one features repository (" + featuresEntry + ", "
                            + e.getKey() + ")");
                }
                featuresEntry = e.getKey();
                parsed = p;
            }
            if (parsed == null) {
                throw new InstallException(ScomoCodes.UNSUPPORTED_TYPE, "the package has no features repository "
                        + "below repository/ (not a KAR)");
            }
            return resolve(parsed, entries.keySet());
        } catch (IOException e) {
            throw new InstallException(ScomoCodes.UNSUPPORTED_TYPE, "the package is not a zip archive (KAR)");
        }
    }

    private static Map<String, ZipEntry> checkEntries(ZipFile zip, Limits limits) throws InstallException,
            IOException {
        Map<String, ZipEntry> out = new LinkedHashMap<>();
        long total = 0;
        byte[] buffer = new byte[16 * 1024];
        Enumeration<? extends ZipEntry> all = zip.entries();
        while (all.hasMoreElements()) {
            ZipEntry e = all.nextElement();
            if (out.size() >= limits.maxEntries()) {
                throw refused("the KAR has more than " + limits.maxEntries() + " entries");
            }
            String name = e.getName();
            String why = badName(name);
            if (why != null) {
                throw refused("entry " + (out.size() + 1) + " " + why);
            }
            if (out.putIfAbsent(name, e) != null) {
                throw refused("the entry " + name + " appears twice");
            }
            if (!(name.equals("META-INF/") || name.startsWith("META-INF/") || name.equals(REPOSITORY)
                    || name.startsWith(REPOSITORY))) {
                throw refused("the entry " + name + " is outside META-INF/ and repository/ (resource/ and other "
                        + "folders are not installed by SCOMO)");
            }
            if (e.isDirectory()) {
                continue;
            }
            long size = 0;
            try (InputStream in = zip.getInputStream(e)) {
                for (int n; (n = in.read(buffer)) > 0;) {
                    size += n;
                    if (size > limits.maxEntryBytes()) {
                        throw refused("the entry " + name + " inflates to more than " + limits.maxEntryBytes()
                                + " bytes");
                    }
                    if (total + size > limits.maxTotalBytes()) {
                        throw refused("the KAR inflates to more than " + limits.maxTotalBytes() + " bytes");
                    }
                }
            }
            total += size;
        }
        return out;
    }

    /** @return why an entry name is refused, or null */
    static String badName(String name) {
        if (name.isEmpty() || name.length() > 512) {
            return "has an empty or too long name";
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "has control characters in its name";
        }
        if (name.startsWith("/") || name.contains("\\") || name.matches("^[A-Za-z]:.*")) {
            return "has an absolute or Windows path";
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return "has a '.' or '..' segment (path traversal)";
            }
        }
        if (name.contains("//")) {
            return "has an empty path segment";
        }
        return null;
    }

    private static void checkManifest(ZipFile zip, ZipEntry mf) throws IOException, InstallException {
        if (mf == null) {
            return;
        }
        try (InputStream in = zip.getInputStream(mf)) {
            Attributes main = new Manifest(in).getMainAttributes();
            if (main.getValue("Karaf-Feature-Repos") != null) {
                throw refused("the KAR's manifest names feature repositories (Karaf-Feature-Repos); SCOMO installs "
                        + "only the one inside the KAR");
            }
        }
    }

    private static KarContent resolve(FeaturesXml.Parsed parsed, Set<String> entries) throws InstallException {
        List<FeatureDef> features = new ArrayList<>();
        List<String> used = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (FeaturesXml.Feature f : parsed.features()) {
            if (seen.put(f.name(), 1) != null) {
                throw refused("the feature " + f.name() + " is defined twice");
            }
            List<BundleRef> bundles = new ArrayList<>();
            int n = 0;
            for (FeaturesXml.Bundle b : f.bundles()) {
                n++;
                String entry = entryOf(b.location());
                if (entry == null) {
                    throw refused("bundle " + n + " of feature " + f.name() + " is not an mvn: reference "
                            + "(mvn:group/artifact/version[/type[/classifier]]) into the KAR");
                }
                if (!entries.contains(entry)) {
                    throw refused("bundle " + b.location() + " of feature " + f.name() + " is not inside the KAR "
                            + "(it would come from a Maven repository outside the signed package)");
                }
                bundles.add(new BundleRef(entry, b.startLevel(), b.start(), b.dependency()));
                if (!used.contains(entry)) {
                    used.add(entry);
                }
            }
            List<Dependency> deps = new ArrayList<>();
            f.dependencies().forEach(d -> deps.add(new Dependency(d.name(), d.version())));
            features.add(new FeatureDef(f.name(), f.version(), f.description(), List.copyOf(bundles),
                    List.copyOf(deps)));
        }
        if (features.isEmpty()) {
            throw refused("the features repository " + parsed.name() + " defines no feature");
        }
        return new KarContent(parsed.name(), List.copyOf(features), List.copyOf(used));
    }

    /**
     * @param location a bundle location of a features repository
     * @return the KAR entry it designates ({@code repository/<group as path>/<artifact>/<version>/<file>}), or null
     *         when it is not a plain {@code mvn:} reference
     */
    static String entryOf(String location) {
        Matcher m = MVN.matcher(location.strip());
        if (!m.matches()) {
            return null;
        }
        String group = m.group(1);
        String artifact = m.group(2);
        String version = m.group(3);
        if (group.startsWith(".") || group.endsWith(".") || group.contains("..") || artifact.startsWith(".")
                || version.startsWith(".")) {
            return null;
        }
        String type = m.group(4) == null ? "jar" : m.group(4);
        String classifier = m.group(5) == null ? "" : "-" + m.group(5);
        return REPOSITORY + group.replace('.', '/') + "/" + artifact + "/" + version + "/" + artifact + "-"
                + version + classifier + "." + type;
    }

    private static InstallException refused(String why) {
        return new InstallException(ScomoCodes.VALIDATION_FAILED, why);
    }
}
