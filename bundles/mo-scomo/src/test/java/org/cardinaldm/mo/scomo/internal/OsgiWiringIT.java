package org.cardinaldm.mo.scomo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.cardinaldm.testing.osgi.FelixExtension;
import org.cardinaldm.testing.osgi.FelixHarness;
import org.cardinaldm.testing.osgi.TestBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;

/**
 * The packaged bundle in a plain Felix framework with SCR and pkg-trust (the test kit's harness): it resolves
 * against pkg-trust's API and registers the SCOMO plugin
 * on the whiteboard with its routing properties, and the one registration follows bundle events (the service is
 * never unregistered, so the tree engine never unmounts ./SCOMO). The plugin is called reflectively, because
 * dm-api's classes live in the framework's class space.
 */
class OsgiWiringIT {
    @RegisterExtension
    final FelixExtension felix = new FelixExtension(FelixHarness.builder().slf4j().configAdmin().bundlesOnClassPath("dm-api",
            "bcprov-jdk18on", "bcutil-jdk18on", "bcpkix-jdk18on", "pkg-trust").bundleUnderTest());

    private Bundle api;

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
        Bundle scomo = felix.harness().bundleUnderTest();
        api = felix.harness().bundle("org.cardinaldm.api");
        assertThat(scomo.getState()).isEqualTo(Bundle.ACTIVE);
        BundleContext ctx = felix.harness().context();
        ServiceReference<?> ref = felix.harness().reference("org.cardinaldm.api.spi.mo.ManagementObjectPlugin",
                "(dm.mo.root=./SCOMO)");
        Object service = felix.harness().service(ref);
        assertThat(service).as("ManagementObjectPlugin for ./SCOMO registered").isNotNull();
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
        assertThat(plugin.get(deployed + "/org.cardinaldm.mo.scomo/Name")).isEqualTo("Cardinal MO SCOMO");

        Bundle app = felix.harness().install("test:acme", TestBundle.named("com.acme.app")
                .header("Bundle-Version", "1.0.0").header("Bundle-Name", "ACME app").bytes());
        assertThat(plugin.children(deployed)).contains("com.acme.app");
        assertThat(plugin.get(deployed + "/com.acme.app/State")).isEqualTo("10");
        app.start();
        assertThat(plugin.get(deployed + "/com.acme.app/State")).isEqualTo("20");
        app.stop();
        assertThat(plugin.get(deployed + "/com.acme.app/State")).isEqualTo("10");
        app.uninstall();
        assertThat(plugin.children(deployed)).doesNotContain("com.acme.app");

        assertThat(unregistered).as("the plugin service was neither unregistered nor modified").hasValue(0);
        assertThat(felix.harness().reference("org.cardinaldm.api.spi.mo.ManagementObjectPlugin",
                "(dm.mo.root=./SCOMO)")).isEqualTo(ref);
    }

    /**
     * In the framework, with the configuration as a distribution sets it: SCR binds pkg-trust's verifier and the
     * configured application signers, and the local administrator's DownloadInstall installs and starts a bundle
     * signed by the configured key, fetched over HTTP by the JDK client inside OSGi.
     */
    @Test
    void configured_signers_let_the_plugin_install_a_signed_bundle_inside_the_framework() throws Exception {
        api = felix.harness().bundle("org.cardinaldm.api");
        TestSigner signer = new TestSigner();
        felix.harness().configure("org.cardinaldm.pkg.trust",
                Map.of("trusted.signers", new String[] {signer.trusted().sha256Hex().iterator().next()}));
        felix.harness().configure("org.cardinaldm.mo.scomo", Map.of("device.class", "Cardinal/Gateway"));
        try (PackageServer http = new PackageServer()) {
            byte[] jar = TestBundle.named("com.acme.hello").header("Bundle-Version", "1.0.0").bytes();
            http.put("/hello.jar", jar);
            http.put("/hello.jar.manifest.p7", signer.sign(jar, "com.acme.hello", "1.0.0", "Cardinal/Gateway"));

            Class<?> uriClass = api.loadClass("org.cardinaldm.api.NodeUri");
            Class<?> valueClass = api.loadClass("org.cardinaldm.api.NodeValue");
            Class<?> contextClass = api.loadClass("org.cardinaldm.api.spi.mo.MoContext");
            Class<?> spi = api.loadClass("org.cardinaldm.api.spi.mo.ManagementObjectPlugin");
            Object admin = api.loadClass("org.cardinaldm.api.Principal").getMethod("localAdmin").invoke(null);
            Object context = Proxy.newProxyInstance(contextClass.getClassLoader(), new Class<?>[] {contextClass},
                    (proxy, method, args) -> method.getName().equals("principal") ? admin : null);
            Method of = uriClass.getMethod("of", String.class);
            Method add = spi.getMethod("add", uriClass, valueClass, contextClass);
            Method exec = spi.getMethod("exec", uriClass, valueClass, String.class, contextClass);
            Object plugin = felix.harness().service(spi.getName(), "(dm.mo.root=./SCOMO)");
            add.invoke(plugin, of.invoke(null, "./SCOMO/Download/hello"), valueClass.getMethod("interior").invoke(null),
                    context);
            add.invoke(plugin, of.invoke(null, "./SCOMO/Download/hello/PkgURL"),
                    valueClass.getMethod("ofString", String.class).invoke(null, http.url("/hello.jar")), context);
            Object op = of.invoke(null, "./SCOMO/Download/hello/Operations/DownloadInstall");
            Object none = valueClass.getMethod("ofNull").invoke(null);

            // the configurations reach the components asynchronously: until then the package is refused (1407)
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Object plugged = felix.harness().service(spi.getName(), "(dm.mo.root=./SCOMO)");
                assertThat(exec.invoke(plugged, op, none, "", context).toString()).startsWith("200");
            });
        }
        Bundle hello = felix.harness().bundle("com.acme.hello");
        assertThat(hello.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(hello.getLocation()).isEqualTo("scomo:com.acme.hello");
    }
}
