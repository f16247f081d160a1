package org.cardinaldm.fumo.agent.karaf.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.cardinaldm.fumo.api.spi.Authorisation;
import org.cardinaldm.fumo.api.spi.FirmwarePackage;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.PackageVersion;
import org.cardinaldm.pkg.trust.api.SignedManifest;
import org.mockito.Mockito;

/** Builds KARs, bundles and firmware packages for the tests. */
final class Kars {
    private Kars() {
    }

    /** @return a jar whose manifest names the symbolic name (none when null) */
    static byte[] bundle(String symbolicName) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            mf.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName + ";singleton:=true");
            mf.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (JarOutputStream j = new JarOutputStream(b, mf)) {
            j.putNextEntry(new ZipEntry("x/Hello.txt"));
            j.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    /** @return a features repository with one feature; extra is put inside the feature element as it is */
    static String features(String feature, String version, String extra, String... bundles) {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\"?>\n<features name=\"gw\" "
                + "xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">\n  <feature name=\"" + feature
                + "\" version=\"" + version + "\">\n");
        x.append(extra);
        for (String b : bundles) {
            x.append("    <bundle>").append(b).append("</bundle>\n");
        }
        return x.append("  </feature>\n</features>\n").toString();
    }

    /** @return the entries of a well-formed gateway KAR at that version: features XML plus two bundles */
    static Map<String, byte[]> gateway(String version) throws IOException {
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
        e.put("repository/com/acme/gw-features/" + version + "/gw-features-" + version + "-features.xml",
                features("acme-gateway", version, "    <feature>scr</feature>\n",
                        "mvn:com.acme/gw-core/" + version, "mvn:com.acme/gw-web/" + version + "/jar/all")
                        .getBytes(StandardCharsets.UTF_8));
        e.put("repository/com/acme/gw-core/" + version + "/gw-core-" + version + ".jar", bundle("com.acme.gw.core"));
        e.put("repository/com/acme/gw-web/" + version + "/gw-web-" + version + "-all.jar", bundle("com.acme.gw.web"));
        return e;
    }

    /** Writes a zip with these entries in this order (names as given, not checked). */
    static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream o = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(o)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return file;
    }

    /** @return a package for the KAR file, signed as firmware with that name and version */
    static FirmwarePackage pkg(Path kar, PackageKind kind, String name, String version) throws Exception {
        byte[] data = Files.readAllBytes(kar);
        PackageManifest m = PackageManifest.builder().kind(kind).name(name).version(PackageVersion.parse(version))
                .deviceClass("Acme/GW1").payload(data.length, MessageDigest.getInstance("SHA-256").digest(data))
                .securityCounter(3).build();
        SignedManifest sm = SignedManifest.of(m, "cd".repeat(32), "CN=firmware signer", null, new byte[] {0x30, 0});
        return new FirmwarePackage(kar, sm, Mockito.mock(Authorisation.class));
    }
}
