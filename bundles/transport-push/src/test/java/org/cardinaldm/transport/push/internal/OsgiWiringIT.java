package org.cardinaldm.transport.push.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The packaged device half in a plain Felix framework with SCR: it needs the DM client (its API is a
 * mandatory import, so without it the bundle does not resolve) and never any DM server code.
 */
class OsgiWiringIT {
    private static final List<Pattern> BASE = List.of(Pattern.compile("org\\.osgi\\.service\\.component-1\\.5.*\\.jar"),
            Pattern.compile("org\\.osgi\\.util\\.promise-1\\.3.*\\.jar"),
            Pattern.compile("org\\.osgi\\.util\\.function-1\\.2.*\\.jar"),
            Pattern.compile("org\\.apache\\.felix\\.scr-.*\\.jar"), Pattern.compile("slf4j-api-.*\\.jar"),
            Pattern.compile("slf4j-simple-.*\\.jar"));
    /** The DM client with what it imports: the tree API, the codec API and DMAcc's API. */
    private static final List<Pattern> CLIENT = List.of(Pattern.compile("syncml-0[^-]*-SNAPSHOT\\.jar"),
            Pattern.compile("dm-api-0[^-]*-SNAPSHOT\\.jar"), Pattern.compile("mo-dmacc-0[^-]*-SNAPSHOT\\.jar"),
            Pattern.compile("dm-client-0[^-]*-SNAPSHOT\\.jar"));

    private Framework framework;

    private Bundle start(List<Pattern> extra) throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "felix");
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, data.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        framework = new FrameworkFactory().newFramework(props);
        framework.start();
        BundleContext ctx = framework.getBundleContext();
        List<Pattern> all = new ArrayList<>(BASE);
        all.addAll(extra);
        List<Bundle> installed = new ArrayList<>();
        for (String jar : jars(all)) {
            installed.add(ctx.installBundle(new File(jar).toURI().toString()));
        }
        String self = System.getProperty("bundle.under.test");
        assertThat(self).as("the packaged transport-push bundle").isNotNull();
        Bundle push = ctx.installBundle(new File(self).toURI().toString());
        installed.add(push);
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        return push;
    }

    private static List<String> jars(List<Pattern> patterns) {
        List<String> out = new ArrayList<>();
        String[] cp = System.getProperty("java.class.path").split(File.pathSeparator);
        for (Pattern p : patterns) {
            String found = null;
            for (String entry : cp) {
                if (p.matcher(new File(entry).getName()).matches()) {
                    found = entry;
                }
            }
            assertThat(found).as("bundle " + p + " on the test class path").isNotNull();
            out.add(found);
        }
        return out;
    }

    @AfterEach
    void stop() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    @Test
    void next_to_the_dm_client_the_bundle_starts_without_any_dm_server() throws Exception {
        Bundle push = start(CLIENT);
        assertThat(push.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(push.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .map(w -> w.getProvider().getBundle().getSymbolicName())).contains("org.cardinaldm.client");
        assertThat(Arrays.stream(framework.getBundleContext().getBundles()).map(Bundle::getSymbolicName))
                .doesNotContain("org.cardinaldm.server", "org.cardinaldm.transport.push.server");
    }

    @Test
    void the_bundle_imports_the_dm_client_mandatorily_and_nothing_of_the_server() throws Exception {
        Bundle push = start(CLIENT);
        String imports = push.getHeaders().get(Constants.IMPORT_PACKAGE);
        assertThat(imports).contains("org.cardinaldm.client.api").doesNotContain("resolution:=optional")
                .doesNotContain("org.cardinaldm.server");
    }

    @Test
    void without_the_dm_client_the_bundle_does_not_resolve() {
        assertThatThrownBy(() -> start(List.of(Pattern.compile("syncml-0[^-]*-SNAPSHOT\\.jar"))))
                .isInstanceOf(BundleException.class).hasMessageContaining("org.cardinaldm.client.api");
    }
}
