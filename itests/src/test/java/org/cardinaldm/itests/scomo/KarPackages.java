package org.cardinaldm.itests.scomo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Makes the packages {@link ScomoKarIT} serves, inside the container: a tiny bundle (a manifest only), a Karaf
 * feature repository archive (KAR) holding a features repository and bundles, and the signed manifest next to it,
 * made by the operator's tool ({@code PackageSignTool} of pkg-trust, run from the distribution's {@code system/}
 * folder with the Bouncy Castle jars there) with the DEMO application signer the distribution trusts.
 */
final class KarPackages {
    /** Where the test copies the DEMO application signer (distribution/src/demo/demo-app-signer.pem). */
    static final String SIGNER_IN_ETC = "it-demo-app-signer.pem";
    /** Longest the signing tool may run (a bound on a process, not a timing assertion). */
    private static final long TOOL_BOUND_SECONDS = 120;

    private KarPackages() {
    }

    /**
     * @param symbolicName its Bundle-SymbolicName
     * @return a bundle jar with a manifest and nothing else (it resolves and starts on any framework)
     */
    static byte[] bundle(String symbolicName) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Bundle-Name", "SCOMO KAR test bundle " + symbolicName);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.putNextEntry(new ZipEntry("readme.txt"));
            jar.write("made by ScomoKarIT".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return out.toByteArray();
    }

    /** @return where Karaf's mvn: URL {@code mvn:group/artifact/version} puts its jar inside a KAR */
    static String entryOf(String group, String artifact, String version) {
        return "repository/" + group.replace('.', '/') + "/" + artifact + "/" + version + "/" + artifact + "-" + version
                + ".jar";
    }

    /**
     * @param repository the features repository's name (also the name the manifest signs)
     * @param feature the one feature's name
     * @param bundleUrls the feature's {@code <bundle>} URLs
     * @param entries the KAR's other entries (bundle jars), by entry name
     * @return the KAR: the features repository under {@code repository/} and the entries
     */
    static byte[] kar(String repository, String feature, List<String> bundleUrls, Map<String, byte[]> entries)
            throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<features name=\"")
                .append(repository).append("\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">\n")
                .append("  <feature name=\"").append(feature).append("\" version=\"1.0.0\" description=\"ScomoKarIT\">\n");
        for (String url : bundleUrls) {
            xml.append("    <bundle>").append(url).append("</bundle>\n");
        }
        xml.append("  </feature>\n</features>\n");
        Map<String, byte[]> all = new LinkedHashMap<>();
        all.put("repository/org/cardinaldm/it/" + repository + "/1.0.0/" + repository + "-1.0.0-features.xml",
                xml.toString().getBytes(StandardCharsets.UTF_8));
        all.putAll(entries);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : all.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** @return the distribution's {@code packages/} folder, which the server publishes at /packages/ */
    static Path packagesFolder() {
        return Paths.get(System.getProperty("karaf.home"), "packages");
    }

    /**
     * Writes a package into {@code packages/} without a manifest (unsigned).
     *
     * @return its file
     */
    static Path publishUnsigned(String fileName, byte[] payload) throws IOException {
        Path file = packagesFolder().resolve(fileName);
        Files.write(file, payload);
        return file;
    }

    /**
     * Writes a package into {@code packages/} and signs it as an application package for every device class
     * ({@code *}) with the DEMO application signer, through the operator's tool; the tool writes
     * {@code <file>.manifest.p7} next to it.
     *
     * @param name the signed name (a KAR: its features repository's name)
     * @return the package's file
     */
    static Path publishSigned(String fileName, byte[] payload, String name) throws IOException, InterruptedException {
        Path file = publishUnsigned(fileName, payload);
        Path home = Paths.get(System.getProperty("karaf.home"));
        Path key = Paths.get(System.getProperty("karaf.etc")).resolve(SIGNER_IN_ETC);
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath(home), "org.cardinaldm.pkg.trust.internal.tool.PackageSignTool", "sign",
                "--key", key.toString(), "--kind", "application", "--name", name, "--version", "1.0.0",
                "--order", "1.0.0", "--device-class", "*", file.toString()));
        Path log = Files.createTempFile("scomo-kar-it-sign", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(TOOL_BOUND_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("PackageSignTool did not end within " + TOOL_BOUND_SECONDS + " s");
        }
        if (p.exitValue() != 0 || !Files.isRegularFile(Paths.get(file + ".manifest.p7"))) {
            throw new IOException("PackageSignTool exited with " + p.exitValue() + ": " + Files.readString(log));
        }
        return file;
    }

    /** @return pkg-trust and the three Bouncy Castle jars from the distribution's system/ folder */
    private static String classpath(Path home) throws IOException {
        List<String> jars = new ArrayList<>();
        for (String prefix : List.of("pkg-trust-", "bcprov-jdk18on-", "bcutil-jdk18on-", "bcpkix-jdk18on-")) {
            try (var files = Files.walk(home.resolve("system"))) {
                jars.add(files.filter(f -> f.getFileName().toString().startsWith(prefix)
                        && f.getFileName().toString().endsWith(".jar")).findFirst()
                        .orElseThrow(() -> new IOException("no " + prefix + "*.jar in " + home.resolve("system")))
                        .toString());
            }
        }
        return String.join(java.io.File.pathSeparator, jars);
    }
}
