package org.cardinaldm.testing.osgi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A bundle made in memory for a test: manifest headers, plus resources and classes copied from the test class
 * path. {@code TestBundle.named("com.acme.app").header("Bundle-Version", "1.0.0").bytes()} gives a jar to pass to
 * {@link FelixHarness#install(String, byte[])}.
 *
 * <p>{@code Bundle-ManifestVersion: 2} is added with the symbolic name ({@link #withoutSymbolicName()} gives a
 * pre-R4 bundle with neither). Not thread-safe; one builder per bundle.
 */
public final class TestBundle {
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    private TestBundle(String symbolicName) {
        if (symbolicName != null) {
            headers.put("Bundle-ManifestVersion", "2");
            headers.put("Bundle-SymbolicName", symbolicName);
        }
    }

    /**
     * Starts a bundle.
     *
     * @param symbolicName its {@code Bundle-SymbolicName}
     * @return the builder
     */
    public static TestBundle named(String symbolicName) {
        return new TestBundle(Objects.requireNonNull(symbolicName, "symbolicName"));
    }

    /**
     * A bundle in the pre-R4 form: neither {@code Bundle-SymbolicName} nor {@code Bundle-ManifestVersion}, for code
     * that must cope with bundles that have no symbolic name.
     *
     * @return the builder
     */
    public static TestBundle withoutSymbolicName() {
        return new TestBundle(null);
    }

    /**
     * Sets a manifest header.
     *
     * @param name  the header name, e.g. {@code Import-Package}
     * @param value its value
     * @return this
     */
    public TestBundle header(String name, String value) {
        headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Adds a resource.
     *
     * @param path    the path inside the jar, e.g. {@code OSGI-INF/component.xml}
     * @param content its text (UTF-8)
     * @return this
     */
    public TestBundle resource(String path, String content) {
        entries.put(path, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /**
     * Copies a class file from the test class path into the bundle (its nested classes are not copied).
     *
     * @param type the class
     * @return this
     */
    public TestBundle withClass(Class<?> type) {
        String path = type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no class file " + path + " on the class path");
            }
            entries.put(path, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Writes the jar.
     *
     * @return the jar's bytes
     */
    public byte[] bytes() {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach(main::putValue);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue());
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
