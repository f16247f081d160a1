package org.cardinaldm.fumo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;

import org.cardinaldm.testing.osgi.FelixExtension;
import org.cardinaldm.testing.osgi.FelixHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * The packaged bundle in Felix with SCR and the bundles it imports from: it resolves, registers the FUMO plugin
 * (with its DDF) at ./FUMO and the FumoService, and an update agent registered on the whiteboard becomes an
 * instance that disappears with it. Called reflectively: the API classes live in the framework's class space.
 */
class OsgiWiringIT {
    @RegisterExtension
    final FelixExtension felix = new FelixExtension(FelixHarness.builder().slf4j().configAdmin()
            .bundlesOnClassPath("dm-api", "syncml", "mo-dmacc", "dm-client", "bcprov-jdk18on", "bcutil-jdk18on",
                    "bcpkix-jdk18on", "pkg-trust", "fumo-api")
            .bundleUnderTest());

    @Test
    @SuppressWarnings("unchecked")
    void the_bundle_publishes_the_plugin_its_ddf_and_the_service_and_follows_update_agents() throws Exception {
        Bundle fumo = felix.harness().bundleUnderTest();
        assertThat(fumo.getState()).isEqualTo(Bundle.ACTIVE);
        ServiceReference<?> ref = felix.harness().reference("org.cardinaldm.api.spi.mo.ManagementObjectPlugin",
                "(dm.mo.root=./FUMO)");
        assertThat(ref.getBundle()).isEqualTo(fumo);
        assertThat(ref.getProperty("dm.mo.id")).isEqualTo("urn:oma:mo:oma-fumo:1.0");
        assertThat(felix.harness().reference("org.cardinaldm.api.spi.ddf.MoDescription", "(dm.mo.root=./FUMO)"))
                .isNotNull();
        Object plugin = felix.harness().service(ref);
        Object service = felix.harness().service("org.cardinaldm.fumo.api.FumoService", null);

        Bundle api = felix.harness().bundle("org.cardinaldm.fumo.api");
        Class<?> agentType = api.loadClass("org.cardinaldm.fumo.api.spi.UpdateAgent");
        Object agent = Proxy.newProxyInstance(agentType.getClassLoader(), new Class<?>[] {agentType},
                (p, m, args) -> switch (m.getName()) {
                    case "installedVersion" -> "1.0.0";
                    case "pendingVersion" -> Optional.empty();
                    case "isFirmware", "healthy" -> true;
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    case "toString" -> "test agent";
                    default -> null;
                });
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("fumo.component", "Gateway");
        ServiceRegistration<?> reg = felix.harness().context().registerService(agentType.getName(), agent, props);

        Bundle dmApi = felix.harness().bundle("org.cardinaldm.api");
        Class<?> uriClass = dmApi.loadClass("org.cardinaldm.api.NodeUri");
        Class<?> ctxClass = dmApi.loadClass("org.cardinaldm.api.spi.mo.MoContext");
        Method children = dmApi.loadClass("org.cardinaldm.api.spi.mo.ManagementObjectPlugin")
                .getMethod("children", uriClass, ctxClass);
        Object root = uriClass.getMethod("of", String.class).invoke(null, "./FUMO");
        assertThat((List<Object>) children.invoke(plugin, root, null)).containsExactly("Gateway");
        List<?> instances = (List<?>) service.getClass().getMethod("instances").invoke(service);
        assertThat(instances).hasSize(1);
        assertThat(instances.get(0).toString()).contains("Gateway", "IDLE", "1.0.0");

        reg.unregister();
        assertThat((List<?>) children.invoke(plugin, root, null)).isEmpty();
    }
}
