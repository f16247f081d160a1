package org.cardinaldm.itests.fumo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds, inside the test, the KARs of a tiny firmware feature {@value #FEATURE}: one bundle
 * {@value #BUNDLE} with no code at all. From 2.0.0 on the bundle declares an immediate DS component whose
 * implementation is {@code java.lang.Object} (so it needs no class of its own and activates); the broken version
 * adds a mandatory reference to a service nobody offers, so the bundle starts but its component stays
 * UNSATISFIED_REFERENCE, which the agent's health check must see.
 */
final class TinyFirmware {
    /** The firmware feature. */
    static final String FEATURE = "cardinal-it-acme";
    /** The symbolic name of its one bundle. */
    static final String BUNDLE = "com.acme.it.core";
    /** The name of the bundle's DS component. */
    static final String COMPONENT = "com.acme.it.core.Heartbeat";

    /** What the bundle of one version contains. */
    enum Shape {
        /** No DS component. */
        PLAIN,
        /** A component that activates. */
        COMPONENT,
        /** A component whose mandatory reference is never satisfied. */
        BROKEN_COMPONENT,
        /** An import no bundle exports: Karaf's resolver refuses the whole deployment. */
        UNRESOLVABLE_IMPORT
    }

    private TinyFirmware() {
    }

    /**
     * A well-formed firmware KAR: the features repository and the feature's bundle, in Maven layout under
     * {@code repository/}.
     *
     * @param dir where to write it
     * @param version the feature's and bundle's version
     * @param shape what the bundle declares
     * @return the KAR file
     * @throws IOException when it cannot be written
     */
    static Path kar(Path dir, String version, Shape shape) throws IOException {
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
        e.put(featuresPath(version), features(version, "mvn:com.acme.it/it-core/" + version));
        e.put("repository/com/acme/it/it-core/" + version + "/it-core-" + version + ".jar", bundle(version, shape));
        return zip(dir.resolve(FEATURE + "-" + version + ".kar"), e);
    }

    /**
     * A KAR whose feature also names a bundle the KAR does not carry: a repository elsewhere (the local Maven
     * repository, Central) would have to supply it, which the agent must refuse before Karaf sees the KAR.
     *
     * @param dir where to write it
     * @param version the version
     * @return the KAR file
     * @throws IOException when it cannot be written
     */
    static Path karNamingAMissingBundle(Path dir, String version) throws IOException {
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put(featuresPath(version), features(version, "mvn:com.acme.it/it-core/" + version,
                "mvn:com.acme.it/it-elsewhere/" + version));
        e.put("repository/com/acme/it/it-core/" + version + "/it-core-" + version + ".jar",
                bundle(version, Shape.PLAIN));
        return zip(dir.resolve(FEATURE + "-" + version + "-missing.kar"), e);
    }

    private static String featuresPath(String version) {
        return "repository/com/acme/it/" + FEATURE + "/" + version + "/" + FEATURE + "-" + version + "-features.xml";
    }

    private static byte[] features(String version, String... bundles) {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<features name=\"")
                .append(FEATURE).append('-').append(version)
                .append("\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">\n  <feature name=\"")
                .append(FEATURE).append("\" version=\"").append(version).append("\">\n");
        for (String b : bundles) {
            x.append("    <bundle>").append(b).append("</bundle>\n");
        }
        return x.append("  </feature>\n</features>\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bundle(String version, Shape shape) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", BUNDLE);
        a.putValue("Bundle-Version", version);
        if (shape == Shape.UNRESOLVABLE_IMPORT) {
            a.putValue("Import-Package", "com.acme.it.nowhere;version=\"[1,2)\"");
        } else if (shape != Shape.PLAIN) {
            a.putValue("Service-Component", "OSGI-INF/heartbeat.xml");
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (JarOutputStream j = new JarOutputStream(b, mf)) {
            j.putNextEntry(new ZipEntry("com/acme/it/core/version.txt"));
            j.write(version.getBytes(StandardCharsets.UTF_8));
            if (shape == Shape.COMPONENT || shape == Shape.BROKEN_COMPONENT) {
                j.putNextEntry(new ZipEntry("OSGI-INF/heartbeat.xml"));
                j.write(component(shape == Shape.BROKEN_COMPONENT).getBytes(StandardCharsets.UTF_8));
            }
        }
        return b.toByteArray();
    }

    private static String component(boolean broken) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + COMPONENT
                + "\" immediate=\"true\">\n  <implementation class=\"java.lang.Object\"/>\n"
                + (broken ? "  <reference name=\"nowhere\" interface=\"com.acme.it.core.Nowhere\""
                        + " cardinality=\"1..1\" policy=\"static\"/>\n" : "")
                + "</scr:component>\n";
    }

    private static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream o = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(o)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return file;
    }
}
