package org.cardinaldm.transport.push.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cardinaldm.testing.osgi.FelixHarness;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The packaged device half in a plain Felix framework with SCR (the test kit's harness): it needs the DM client (its
 * API is a mandatory import, so without it the bundle does not resolve) and never any DM server code.
 */
class OsgiWiringIT {
    /** The DM client with what it imports: the codec API, the tree API and DMAcc's API. */
    private static FelixHarness.Builder nextToTheDmClient() {
        return FelixHarness.builder().slf4j().bundlesOnClassPath("syncml", "dm-api", "mo-dmacc", "dm-client")
                .bundleUnderTest();
    }

    @Test
    void next_to_the_dm_client_the_bundle_starts_without_any_dm_server() throws Exception {
        try (FelixHarness felix = nextToTheDmClient().start()) {
            Bundle push = felix.bundleUnderTest();
            assertThat(push.getState()).isEqualTo(Bundle.ACTIVE);
            assertThat(push.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE).stream()
                    .map(w -> w.getProvider().getBundle().getSymbolicName())).contains("org.cardinaldm.client");
            assertThat(felix.symbolicNames()).doesNotContain("org.cardinaldm.server",
                    "org.cardinaldm.transport.push.server");
        }
    }

    @Test
    void the_bundle_imports_the_dm_client_mandatorily_and_nothing_of_the_server() throws Exception {
        try (FelixHarness felix = nextToTheDmClient().start()) {
            String imports = felix.bundleUnderTest().getHeaders().get(Constants.IMPORT_PACKAGE);
            assertThat(imports).contains("org.cardinaldm.client.api").doesNotContain("resolution:=optional")
                    .doesNotContain("org.cardinaldm.server");
        }
    }

    @Test
    void without_the_dm_client_the_bundle_does_not_resolve() {
        FelixHarness.Builder withoutClient = FelixHarness.builder().slf4j().bundlesOnClassPath("syncml")
                .bundleUnderTest();
        assertThatThrownBy(withoutClient::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bundle org.cardinaldm.transport.push ")
                .hasMessageContaining("does not resolve").hasMessageContaining("org.cardinaldm.client.api")
                .hasCauseInstanceOf(BundleException.class);
    }
}
