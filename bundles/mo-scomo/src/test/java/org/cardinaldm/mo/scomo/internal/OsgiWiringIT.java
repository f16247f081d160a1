package org.cardinaldm.mo.scomo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The packaged bundle in a plain Felix framework with SCR: it registers the SCOMO plugin on the
 * whiteboard with its routing properties, and the one registration follows bundle events (the
 * service is never unregistered, so the tree engine never unmounts ./SCOMO). The plugin is called
 * reflectively, because dm-api's classes live in the framework's class space.
 */
class OsgiWiringIT {
    private static final List<Pattern> BUNDLES = List.of(Pattern.compile("org\\.osgi\\.service\\.component-1\\.5.*\\.jar"),
            Pattern.compile("org\\.osgi\\.util\\.promise-1\\.3.*\\.jar"),
            Pattern.compile("org\\.osgi\\.util\\.function-1\\.2.*\\.jar"),
            Pattern.compile("org\\.apache\\.felix\\.scr-.*\\.jar"), Pattern.compile("slf4j-api-.*\\.jar"),
            Pattern.compile("slf4j-simple-.*\\.jar"), Pattern.compile("dm-api-0[^-]*-SNAPSHOT\\.jar|dm-api-0\\.[0-9.]*\\.jar"));

    private Framework framework;
    private Bundle api;

    private Bundle start() throws Exception {
        Path data = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "felix-it");
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, data.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        framework = new FrameworkFactory().newFramework(props);
        framework.start();
        BundleContext ctx = framework.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        for (String jar : jars()) {
            Bundle b = ctx.installBundle(new File(jar).toURI().toString());
            installed.add(b);
            if ("org.cardinaldm.api".equals(b.getSymbolicName())) {
                api = b;
            }
        }
        String self = System.getProperty("bundle.under.test");
        assertThat(self).as("the packaged mo-scomo bundle").isNotNull();
        Bundle scomo = ctx.installBundle(new File(self).toURI().toString());
        installed.add(scomo);
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        return scomo;
    }

    private static List<String> jars() {
        List<String> out = new ArrayList<>();
        String[] cp = System.getProperty("java.class.path").split(File.pathSeparator);
        for (Pattern p : BUNDLES) {
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

    /** Calls the plugin through dm-api's classes inside the framework. */
    private final class Remote {
        private final Object plugin;
        private final Class<?> uriClass;
        private final Method children;
        private final Method get;

        Remote(Object plugin) throws Exception {
            this.plugin = plugin;
            uriClass = api.loadClass("org.cardinaldm.api.NodeUri");
            Class<?> spi = api.loadClass("org.cardinaldm.api.spi.mo.ManagementObjectPlugin");
            Class<?> context = api.loadClass("org.cardinaldm.api.spi.mo.MoContext");
            children = spi.getMethod("children", uriClass, context);
            get = spi.getMethod("get", uriClass, context);
        }

        private Object uri(String s) throws Exception {
            return uriClass.getMethod("of", String.class).invoke(null, s);
        }

        @SuppressWarnings("unchecked")
        List<String> children(String uri) throws Exception {
            return (List<String>) children.invoke(plugin, uri(uri), null);
        }

        String get(String uri) throws Exception {
            Object value = get.invoke(plugin, uri(uri), null);
            return (String) value.getClass().getMethod("asString").invoke(value);
        }
    }

    @Test
    void the_bundle_registers_the_scomo_plugin_which_follows_bundle_events_without_re_registering() throws Exception {
        Bundle scomo = start();
        assertThat(scomo.getState()).isEqualTo(Bundle.ACTIVE);
        BundleContext ctx = framework.getBundleContext();
        ServiceTracker<Object, Object> t = new ServiceTracker<>(ctx, ctx.createFilter(
                "(&(objectClass=org.cardinaldm.api.spi.mo.ManagementObjectPlugin)(dm.mo.root=./SCOMO))"), null);
        t.open(true);
        Object service = t.waitForService(20_000);
        assertThat(service).as("ManagementObjectPlugin for ./SCOMO registered").isNotNull();
        ServiceReference<Object> ref = t.getServiceReference();
        assertThat(ref.getBundle()).isEqualTo(scomo);
        assertThat(ref.getProperty("dm.mo.id")).isEqualTo("urn:oma:mo:oma-scomo:1.0");
        assertThat(api.loadClass("org.cardinaldm.api.spi.mo.ManagementObjectPlugin").isInstance(service)).isTrue();
        AtomicInteger unregistered = new AtomicInteger();
        ctx.addServiceListener(e -> {
            if (e.getType() == ServiceEvent.UNREGISTERING || e.getType() == ServiceEvent.MODIFIED) {
                unregistered.incrementAndGet();
            }
        }, "(service.id=" + ref.getProperty(Constants.SERVICE_ID) + ")");

        Remote plugin = new Remote(service);
        String deployed = "./SCOMO/Inventory/Deployed";
        assertThat(plugin.children(deployed)).contains("org.cardinaldm.mo.scomo", "org.apache.felix.scr",
                "org.cardinaldm.api").doesNotContain("org.apache.felix.framework");
        assertThat(plugin.get(deployed + "/org.cardinaldm.mo.scomo/State")).isEqualTo("20");
        assertThat(plugin.get(deployed + "/org.cardinaldm.mo.scomo/Name")).isEqualTo("Cardinal MO SCOMO inventory");

        Bundle app = ctx.installBundle("test:acme", new ByteArrayInputStream(Felix.jar("Bundle-SymbolicName",
                "com.acme.app", "Bundle-Version", "1.0.0", "Bundle-Name", "ACME app")));
        assertThat(plugin.children(deployed)).contains("com.acme.app");
        assertThat(plugin.get(deployed + "/com.acme.app/State")).isEqualTo("10");
        app.start();
        assertThat(plugin.get(deployed + "/com.acme.app/State")).isEqualTo("20");
        app.stop();
        assertThat(plugin.get(deployed + "/com.acme.app/State")).isEqualTo("10");
        app.uninstall();
        assertThat(plugin.children(deployed)).doesNotContain("com.acme.app");

        assertThat(unregistered).as("the plugin service was neither unregistered nor modified").hasValue(0);
        assertThat(t.getServiceReference()).isEqualTo(ref);
        t.close();
    }
}
