package org.cardinaldm.mo.scomo.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds KAR archives in memory for the tests: entries in order, raw bytes, an optional manifest. */
final class TestKar {
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private Manifest manifest;

    /** @return a KAR holding one features repository {@code name} with one feature that has the given bundle */
    static TestKar withFeature(String repo, String feature, String bundleMvn, byte[] bundle) {
        return new TestKar().features(repo, "<feature name=\"" + feature + "\" version=\"1.0.0\" description=\"Demo\">"
                + "<details>A feature</details><bundle start-level=\"80\">" + bundleMvn + "</bundle></feature>")
                .put(KarInspector.entryOf(bundleMvn), bundle);
    }

    /** Adds the features repository {@code repository/org/example/<repo>/1.0.0/<repo>-1.0.0-features.xml}. */
    TestKar features(String repo, String body) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<features name=\"" + repo
                + "\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">" + body + "</features>";
        return put("repository/org/example/" + repo + "/1.0.0/" + repo + "-1.0.0-features.xml",
                xml.getBytes(StandardCharsets.UTF_8));
    }

    TestKar put(String name, byte[] bytes) {
        entries.put(name, bytes);
        return this;
    }

    TestKar manifest(String header, String value) {
        manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue(header, value);
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            if (manifest != null) {
                zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
                manifest.write(zip);
                zip.closeEntry();
            }
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
