package org.cardinaldm.transport.http.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

/**
 * The packaged bundle is the device's half only: it imports the transport SPI of dm-api, mandatory, and
 * nothing of the DM server or a servlet container, and its only component is the client transport.
 */
class BundleRoleIT {
    private static Attributes manifest() throws Exception {
        String self = System.getProperty("bundle.under.test");
        assertThat(self).as("the packaged transport-http bundle").isNotNull();
        try (JarFile jar = new JarFile(new File(self))) {
            return jar.getManifest().getMainAttributes();
        }
    }

    @Test
    void the_bundle_imports_the_transport_spi_mandatorily_and_nothing_of_the_server() throws Exception {
        Attributes m = manifest();
        assertThat(m.getValue("Bundle-SymbolicName")).isEqualTo("org.cardinaldm.transport.http");
        assertThat(m.getValue("Import-Package")).contains("org.cardinaldm.api.spi.transport")
                .doesNotContain("resolution:=optional").doesNotContain("org.cardinaldm.server")
                .doesNotContain("javax.servlet");
        assertThat(m.getValue("Export-Package")).isNull();
    }

    @Test
    void the_only_component_is_the_client_transport() throws Exception {
        assertThat(manifest().getValue("Service-Component"))
                .isEqualTo("OSGI-INF/org.cardinaldm.transport.http.internal.client.HttpClientTransport.xml");
    }
}
