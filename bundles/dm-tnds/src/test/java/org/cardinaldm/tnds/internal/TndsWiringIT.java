package org.cardinaldm.tnds.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.ListForm;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.TndsDocuments;
import org.cardinaldm.api.spi.store.TreeStore;
import org.cardinaldm.testing.osgi.FelixExtension;
import org.cardinaldm.testing.osgi.FelixHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/**
 * The built bundle in a real OSGi framework (Felix 7 + SCR, the test kit's harness) with the real syncml and dm-tree
 * bundles: it resolves against syncml's exported packages, its component finds the tree's TreeSerialization service,
 * and its TndsDocuments service writes a document. dm-api and SLF4J come from the system bundle so that the test and
 * the bundles share classes.
 */
class TndsWiringIT {
    @RegisterExtension
    static final FelixExtension FELIX = new FelixExtension(FelixHarness.builder()
            .systemPackagesOf("org.cardinaldm.api", "org.cardinaldm.api.spi.mo", "org.cardinaldm.api.spi.ddf",
                    "org.cardinaldm.api.spi.store", "org.slf4j")
            .bundlesOnClassPath("syncml", "dm-tree").bundleUnderTest());

    @BeforeAll
    static void register_the_store() throws Exception {
        TreeStore store = mock(TreeStore.class);
        when(store.read(any())).thenReturn(Optional.empty());
        when(store.children(any())).thenReturn(List.of());
        FELIX.harness().context().registerService(TreeStore.class, store, null);
    }

    @Test
    void the_bundle_resolves_against_syncml_and_serves_documents_of_the_tree() throws Exception {
        TndsDocuments tnds = FELIX.harness().service(TndsDocuments.class);
        DmTree tree = FELIX.harness().service(DmTree.class);
        assertThat(tnds).as("TndsDocuments registered by SCR").isNotNull();
        assertThat(tree).isNotNull();

        byte[] doc = tnds.export(tree.as(Principal.localAdmin()), NodeUri.root(), ListForm.tnds(), TndsDocuments.XML);

        assertThat(new String(doc, StandardCharsets.UTF_8)).contains("<MgmtTree").contains("<VerDTD>1.2</VerDTD>");
        Bundle bundle = FELIX.harness().bundle("org.cardinaldm.tnds");
        assertThat(bundle).isEqualTo(FELIX.harness().bundleUnderTest());
        assertThat(bundle.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(bundle.getHeaders().get(Constants.EXPORT_PACKAGE)).isNull();
        assertThat(FELIX.harness().bundle("org.cardinaldm.syncml").getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(FELIX.harness().reference(TndsDocuments.class.getName(), null).getBundle()).isEqualTo(bundle);
    }
}
