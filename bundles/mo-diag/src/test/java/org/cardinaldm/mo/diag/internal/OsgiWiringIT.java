package org.cardinaldm.mo.diag.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;

import org.cardinaldm.testing.osgi.FelixHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * The packaged bundle in a plain Felix framework with SCR (the test kit's harness): without any Log Service (not
 * even its API package) it resolves and the MO is registered at {@code ./DiagMon}, empty; next to the Felix Log
 * Service it shows what is logged through it, masked, and keeps it when the Log Service stops.
 */
class OsgiWiringIT {
    private FelixHarness felix;

    private Bundle start(boolean withLog) throws Exception {
        FelixHarness.Builder builder = FelixHarness.builder().slf4j().bundlesOnClassPath("dm-api");
        if (withLog) {
            builder.bundlesOnClassPath("org.apache.felix.log");
        }
        felix = builder.bundleUnderTest().start();
        return felix.bundleUnderTest();
    }

    @AfterEach
    void stop() throws Exception {
        if (felix != null) {
            felix.close();
        }
    }

    /** Reads a leaf through the plugin service, with the bundle's own dm-api classes. */
    private static String read(Object plugin, Bundle diag, String uri) throws Exception {
        Class<?> nodeUri = diag.loadClass("org.cardinaldm.api.NodeUri");
        Class<?> moContext = diag.loadClass("org.cardinaldm.api.spi.mo.MoContext");
        Class<?> principal = diag.loadClass("org.cardinaldm.api.Principal");
        Object system = principal.getMethod("system").invoke(null);
        Object ctx = Proxy.newProxyInstance(moContext.getClassLoader(), new Class<?>[] {moContext},
                (proxy, method, args) -> method.getName().equals("principal") ? system : null);
        Object u = nodeUri.getMethod("of", String.class).invoke(null, uri);
        Class<?> spi = diag.loadClass("org.cardinaldm.api.spi.mo.ManagementObjectPlugin");
        Method get = spi.getMethod("get", nodeUri, moContext);
        Object value = get.invoke(plugin, u, ctx);
        return (String) value.getClass().getMethod("asString").invoke(value);
    }

    private Object plugin() {
        ServiceReference<?> ref = felix.reference("org.cardinaldm.api.spi.mo.ManagementObjectPlugin",
                "(dm.mo.root=./DiagMon)");
        Object plugin = felix.service(ref);
        assertThat(plugin).as("./DiagMon plugin registered").isNotNull();
        assertThat(ref.getProperty("dm.mo.id")).isEqualTo("urn:x-cardinaldm:mo:diagmon:1.0");
        return plugin;
    }

    /** @return the name of the entry whose message starts so, or null */
    private static String entryWith(Object plugin, Bundle diag, String start) throws Exception {
        String list = read(plugin, diag, "./DiagMon/Log/Entries");
        for (String name : list.isEmpty() ? new String[0] : list.split("/")) {
            if (read(plugin, diag, "./DiagMon/Log/Entries/" + name + "/Message").startsWith(start)) {
                return name;
            }
        }
        return null;
    }

    @Test
    void without_any_log_service_the_mo_is_there_and_empty() throws Exception {
        Bundle diag = start(false);
        assertThat(diag.getState()).isEqualTo(Bundle.ACTIVE);
        Object plugin = plugin();
        assertThat(read(plugin, diag, "./DiagMon/Log/Count")).isEqualTo("0");
        assertThat(read(plugin, diag, "./DiagMon/Log/MaxEntries")).isEqualTo("100");
        assertThat(read(plugin, diag, "./DiagMon/Log/Entries")).isEmpty();
    }

    @Test
    void next_to_the_felix_log_service_entries_show_masked_and_stay_when_it_stops() throws Exception {
        Bundle diag = start(true);
        assertThat(diag.getState()).isEqualTo(Bundle.ACTIVE);
        Object plugin = plugin();
        ServiceReference<?> ls = felix.reference("org.osgi.service.log.LogService", null);
        Object logService = felix.service(ls);
        assertThat(logService).as("Felix LogService").isNotNull();
        Bundle felixLog = ls.getBundle();
        Class<?> api = felixLog.loadClass("org.osgi.service.log.LogService");
        // LogService.LOG_WARNING = 2, LOG_INFO = 3
        api.getMethod("log", int.class, String.class).invoke(logService, 3, "info is below min.level");
        api.getMethod("log", int.class, String.class).invoke(logService, 2, "reader lost, password=hunter2");

        await().atMost(Duration.ofSeconds(20)).until(() -> entryWith(plugin, diag, "reader lost") != null);
        String n = entryWith(plugin, diag, "reader lost");
        String[] names = read(plugin, diag, "./DiagMon/Log/Entries").split("/");
        assertThat(n).as("our warning among " + String.join(",", names)).isNotNull();
        for (String name : names) {
            assertThat(read(plugin, diag, "./DiagMon/Log/Entries/" + name + "/Level")).isIn("AUDIT", "ERROR", "WARN");
        }
        assertThat(read(plugin, diag, "./DiagMon/Log/Entries/" + n + "/Message")).isEqualTo("reader lost, password=***");
        assertThat(read(plugin, diag, "./DiagMon/Log/Entries/" + n + "/Level")).isEqualTo("WARN");
        assertThat(read(plugin, diag, "./DiagMon/Log/Entries/" + n + "/Source")).isEqualTo("org.apache.felix.framework");
        assertThat(read(plugin, diag, "./DiagMon/Log/Entries/" + n + "/Time")).matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        String count = read(plugin, diag, "./DiagMon/Log/Count");

        felixLog.stop();
        assertThat(diag.getState()).as("the MO survives the Log Service going").isEqualTo(Bundle.ACTIVE);
        assertThat(plugin()).isSameAs(plugin);
        assertThat(read(plugin, diag, "./DiagMon/Log/Count")).isEqualTo(count);
    }
}
