package org.cardinaldm.transport.push.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The packaged server half in a plain Felix framework with SCR: it needs the DM server (its SPI is a
 * mandatory import, so without it the bundle does not resolve), never a DM client, and next to the DM
 * server its sender is a usable {@code PushSender} for the scheme {@code udp}.
 */
class OsgiWiringIT {
    private static final List<Pattern> BASE = List.of(Pattern.compile("org\\.osgi\\.service\\.component-1\\.5.*\\.jar"),
            Pattern.compile("org\\.osgi\\.util\\.promise-1\\.3.*\\.jar"),
            Pattern.compile("org\\.osgi\\.util\\.function-1\\.2.*\\.jar"),
            Pattern.compile("org\\.apache\\.felix\\.scr-.*\\.jar"), Pattern.compile("slf4j-api-.*\\.jar"),
            Pattern.compile("slf4j-simple-.*\\.jar"));
    private static final List<Pattern> SERVER = List.of(Pattern.compile("syncml-.*\\.jar"),
            Pattern.compile("dm-server-0[^-]*-SNAPSHOT\\.jar|dm-server-0\\.[0-9.]*\\.jar"));

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
        assertThat(self).as("the packaged transport-push-server bundle").isNotNull();
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
    void without_the_dm_server_the_bundle_does_not_resolve() throws Exception {
        assertThatThrownBy(() -> start(List.of(Pattern.compile("syncml-.*\\.jar"))))
                .isInstanceOf(BundleException.class).hasMessageContaining("org.cardinaldm.server.api.spi");
    }

    @Test
    void the_bundle_imports_the_server_spi_mandatorily_and_nothing_of_the_dm_client() throws Exception {
        Bundle push = start(SERVER);
        String imports = push.getHeaders().get(Constants.IMPORT_PACKAGE);
        assertThat(imports).contains("org.cardinaldm.server.api.spi").doesNotContain("resolution:=optional")
                .doesNotContain("org.cardinaldm.client");
        assertThat(push.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(Arrays.stream(framework.getBundleContext().getBundles()).map(Bundle::getSymbolicName))
                .doesNotContain("org.cardinaldm.client", "org.cardinaldm.transport.push");
    }

    @Test
    void next_to_the_dm_server_the_sender_is_a_push_sender_for_udp_that_sends() throws Exception {
        Bundle push = start(SERVER);
        assertThat(push.getState()).isEqualTo(Bundle.ACTIVE);
        ServiceTracker<Object, Object> t = new ServiceTracker<>(framework.getBundleContext(),
                framework.getBundleContext().createFilter("(&(objectClass=org.cardinaldm.server.api.spi.PushSender)"
                        + "(dm.push.scheme=udp))"), null);
        t.open(true);
        Object sender = t.waitForService(20_000);
        assertThat(sender).as("PushSender registered").isNotNull();
        ServiceReference<Object> ref = t.getServiceReference();
        assertThat(ref.getBundle()).isEqualTo(push);
        Class<?> spi = ref.getBundle().loadClass("org.cardinaldm.server.api.spi.PushSender");
        assertThat(spi.getClassLoader()).as("the SPI comes from the dm-server bundle")
                .isNotSameAs(getClass().getClassLoader());
        assertThat(spi.isInstance(sender)).isTrue();

        try (DatagramSocket rx = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            rx.setSoTimeout(10_000);
            byte[] pkg0 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 2, (byte) 0xD0, 0, 0, 0, 0x12, 0x34};
            spi.getMethod("send", String.class, byte[].class).invoke(sender, "udp:127.0.0.1:" + rx.getLocalPort(), pkg0);
            DatagramPacket p = new DatagramPacket(new byte[512], 512);
            rx.receive(p);
            byte[] got = Arrays.copyOf(p.getData(), p.getLength());
            assertThat(Arrays.copyOfRange(got, 6, got.length)).containsExactly(pkg0);
        }
        t.close();
    }
}
