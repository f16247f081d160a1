package org.cardinaldm.mo.scomo.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.util.converter.Converters;

/**
 * A real, empty Felix framework for a test: real bundles made from a manifest only, and real bundle
 * events. Bundle listeners are synchronous, so no test waits.
 */
final class Felix implements AutoCloseable {
    final Framework framework;
    private int counter;

    Felix() throws Exception {
        Path data = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "felix");
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, data.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        framework = new FrameworkFactory().newFramework(props);
        framework.start();
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    /**
     * Installs a bundle that has only a manifest.
     *
     * @param headers manifest headers (a null value leaves the header out)
     * @return the installed bundle
     */
    Bundle install(String... headers) throws IOException, BundleException {
        return context().installBundle("test:bundle-" + (++counter), new ByteArrayInputStream(jar(headers)));
    }

    /** Installs {@code Bundle-SymbolicName: bsn}, {@code Bundle-Version: version}. */
    Bundle installApp(String bsn, String version) throws IOException, BundleException {
        return install("Bundle-SymbolicName", bsn, "Bundle-Version", version);
    }

    static byte[] jar(String... headers) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        boolean hasBsn = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            if (headers[i + 1] != null) {
                a.putValue(headers[i], headers[i + 1]);
                hasBsn |= headers[i].equals(Constants.BUNDLE_SYMBOLICNAME);
            }
        }
        if (hasBsn) {
            a.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JarOutputStream(out, m).close();
        return out.toByteArray();
    }

    static ScomoPlugin.Config config(Map<String, Object> props) {
        return Converters.standardConverter().convert(props).to(ScomoPlugin.Config.class);
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }
}
