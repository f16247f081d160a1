package org.cardinaldm.smartcard.bootstrap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cardinaldm.api.DmTree;
import org.cardinaldm.client.api.DmBootstrap;
import org.cardinaldm.client.api.SessionListener;
import org.cardinaldm.client.api.spi.CredentialProvider;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.dm.api.DmCardListener;
import org.cardinaldm.smartcard.dm.api.DmCards;
import org.cardinaldm.testing.osgi.FelixExtension;
import org.cardinaldm.testing.osgi.FelixHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * smartcard-bootstrap's bundle (its jar from the class path) in a plain Felix framework with SCR (the test kit's harness): it resolves against the API
 * packages (exported by the system bundle here, at the versions their bundles export), SCR activates its component
 * with the three services it needs, and the component registers its card listener, its credential provider
 * ({@code dm.credential.source=card}) and its session listener. The services it needs are the real card stack and
 * device agent of {@link Rig}; the test plays SCR's part for them (it hands the registered listener to the DM card
 * service), and a card inserted then ends up in the tree.
 */
class OsgiWiringIT {
    @RegisterExtension
    final FelixExtension felix = new FelixExtension(FelixHarness.builder().systemPackagesOf("org.cardinaldm.api",
            "org.cardinaldm.client.api", "org.cardinaldm.client.api.spi", "org.cardinaldm.mo.dmacc.api",
            "org.cardinaldm.smartcard.api", "org.cardinaldm.smartcard.dm.api", "org.cardinaldm.syncml.api",
            "org.cardinaldm.syncml.api.model", "org.cardinaldm.syncml.api.tnds", "org.slf4j")
            .bundlesOnClassPath("smartcard-bootstrap"));

    @TempDir
    Path dir;

    @Test
    void scr_activates_the_source_which_registers_its_services_and_bootstraps_an_inserted_card() throws Exception {
        try (Rig rig = new Rig(dir)) {
            BundleContext ctx = felix.harness().context();
            Bundle bundle = felix.harness().bundle("org.cardinaldm.smartcard.bootstrap");
            assertThat(bundle.getState()).isEqualTo(Bundle.ACTIVE);

            assertThat(ctx.getServiceReference(DmCardListener.class)).as("nothing before its references are there")
                    .isNull();

            ctx.registerService(DmCards.class, rig.dm, null);
            ctx.registerService(DmBootstrap.class, rig.bootstrap, null);
            ctx.registerService(DmTree.class, rig.tree, null);

            DmCardListener listener = felix.harness().service(DmCardListener.class);
            assertThat(listener).as("the card listener registered by the component").isNotNull();
            assertThat(ctx.getServiceReference(DmCardListener.class).getBundle()).isEqualTo(bundle);
            ServiceReference<?>[] providers = ctx.getServiceReferences(CredentialProvider.class.getName(),
                    "(dm.credential.source=card)");
            assertThat(providers).hasSize(1);
            assertThat(providers[0].getBundle()).isEqualTo(bundle);
            assertThat(ctx.getServiceReferences(SessionListener.class.getName(), null)).hasSize(1);

            // play SCR's part for the DM card service and the client, then insert a card
            rig.dm.addListener(listener, Map.of());
            rig.dm.addListener(rig.events, Map.of());
            rig.client.bindCredentialProvider((CredentialProvider) ctx.getService(providers[0]),
                    Map.of("dm.credential.source", "card"));
            TestServer s = TestCard.server("dms-o", "http://127.0.0.1:1/dm", "DIGEST");
            rig.insert(new TestCard("98940000000000000EF5").server(s)
                    .policy(CardPolicy.of(false, false, List.of("dms-o"))));
            rig.events.next(org.cardinaldm.smartcard.dm.api.DmCardEvent.Type.INSERTED);
            org.awaitility.Awaitility.await().until(() -> rig.bootstrap.origins().containsKey("dms-o"));
            assertThat(rig.bootstrap.origins()).containsEntry("dms-o", "card:98940000000000000EF5");

            bundle.stop();
            assertThat(ctx.getServiceReferences(CredentialProvider.class.getName(), null)).as("unregistered").isNull();
        }
    }
}
