package org.cardinaldm.transport.http.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

/**
 * The packaged bundle is the server's half only: it imports the DM server's transport API and the
 * servlet API, mandatory, requires the {@code ServerEndpoint} service for resolution (no
 * {@code norequirements} any more), and imports nothing of the device's side.
 */
class BundleRoleIT {
    private static Attributes manifest() throws Exception {
        String self = System.getProperty("bundle.under.test");
        assertThat(self).as("the packaged transport-http-server bundle").isNotNull();
        try (JarFile jar = new JarFile(new File(self))) {
            return jar.getManifest().getMainAttributes();
        }
    }

    @Test
    void the_bundle_imports_the_server_api_and_the_servlet_api_mandatorily_and_nothing_of_the_device()
            throws Exception {
        Attributes m = manifest();
        assertThat(m.getValue("Bundle-SymbolicName")).isEqualTo("org.cardinaldm.transport.http.server");
        assertThat(m.getValue("Import-Package")).contains("org.cardinaldm.server.api.transport")
                .contains("javax.servlet.http").doesNotContain("resolution:=optional")
                .doesNotContain("org.cardinaldm.client").doesNotContain("org.cardinaldm.api.spi.transport");
        assertThat(m.getValue("Export-Package")).isNull();
    }

    @Test
    void the_server_endpoint_is_a_resolver_requirement() throws Exception {
        assertThat(manifest().getValue("Require-Capability"))
                .contains("osgi.service;filter:=\"(objectClass=org.cardinaldm.server.api.transport.ServerEndpoint)\"");
        assertThat(manifest().getValue("Service-Component"))
                .isEqualTo("OSGI-INF/org.cardinaldm.transport.http.server.internal.DmServletComponent.xml");
    }
}
