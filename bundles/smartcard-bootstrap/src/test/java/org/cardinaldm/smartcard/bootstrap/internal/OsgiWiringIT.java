package org.cardinaldm.smartcard.bootstrap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.felix.framework.FrameworkFactory;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.client.api.DmBootstrap;
import org.cardinaldm.client.api.SessionListener;
import org.cardinaldm.client.api.spi.CredentialProvider;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.dm.api.DmCardListener;
import org.cardinaldm.smartcard.dm.api.DmCards;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The packaged bundle in a plain Felix framework with SCR: it resolves against the API packages (exported by the
 * system bundle here), SCR activates its component with the three services it needs, and the component registers
 * its card listener, its credential provider ({@code dm.credential.source=card}) and its session listener. The
 * services it needs are the real card stack and device agent of {@link Rig}; the test plays SCR's part for them
 * (it hands the registered listener to the DM card service), and a card inserted then ends up in the tree.
 */
class OsgiWiringIT {
    private static final List<Pattern> SCR = List.of(Pattern.compile("org\\.osgi\\.service\\.component-1\\.5.*\\.jar"),
            Pattern.compile("org\\.osgi\\.util\\.promise-1\\.3.*\\.jar"),
            Pattern.compile("org\\.osgi\\.util\\.function-1\\.2.*\\.jar"),
            Pattern.compile("org\\.apache\\.felix\\.scr-.*\\.jar"));
    private static final String API = String.join(",",
            "org.cardinaldm.api;version=1.1.0", "org.cardinaldm.client.api;version=1.1.0",
            "org.cardinaldm.client.api.spi;version=1.1.0", "org.cardinaldm.mo.dmacc.api;version=1.0.0",
            "org.cardinaldm.smartcard.api;version=1.1.0", "org.cardinaldm.smartcard.dm.api;version=1.1.0",
            "org.cardinaldm.syncml.api;version=1.0.0", "org.cardinaldm.syncml.api.model;version=1.0.0",
            "org.cardinaldm.syncml.api.tnds;version=1.0.0", "org.slf4j;version=1.7.36");

    @TempDir
    Path dir;

    private Framework framework;

    @AfterEach
    void stop() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    @Test
    void scr_activates_the_source_which_registers_its_services_and_bootstraps_an_inserted_card() throws Exception {
        try (Rig rig = new Rig(dir)) {
            Map<String, String> props = new HashMap<>();
            Path storage = Files.createTempDirectory(Path.of("target"), "felix");
            props.put(Constants.FRAMEWORK_STORAGE, storage.toString());
            props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
            props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, API);
            framework = new FrameworkFactory().newFramework(props);
            framework.start();
            BundleContext ctx = framework.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            for (String jar : jars(SCR)) {
                installed.add(ctx.installBundle(new File(jar).toURI().toString()));
            }
            String self = System.getProperty("bundle.under.test");
            assertThat(self).as("the packaged smartcard-bootstrap bundle").isNotNull();
            Bundle bundle = ctx.installBundle(new File(self).toURI().toString());
            installed.add(bundle);
            for (Bundle b : installed) {
                b.start();
            }
            assertThat(bundle.getState()).isEqualTo(Bundle.ACTIVE);

            ServiceTracker<DmCardListener, DmCardListener> listeners = new ServiceTracker<>(ctx, DmCardListener.class, null);
            listeners.open();
            assertThat(listeners.getService()).as("nothing before its references are there").isNull();

            ctx.registerService(DmCards.class, rig.dm, null);
            ctx.registerService(DmBootstrap.class, rig.bootstrap, null);
            ctx.registerService(DmTree.class, rig.tree, null);

            DmCardListener listener = listeners.waitForService(20_000);
            assertThat(listener).as("the card listener registered by the component").isNotNull();
            assertThat(listeners.getServiceReference().getBundle()).isEqualTo(bundle);
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
            TestCard.Server s = TestCard.server("dms-o", "http://127.0.0.1:1/dm", "DIGEST");
            rig.insert(new TestCard("98940000000000000EF5").server(s)
                    .policy(CardPolicy.of(false, false, List.of("dms-o"))));
            rig.events.next(org.cardinaldm.smartcard.dm.api.DmCardEvent.Type.INSERTED);
            org.awaitility.Awaitility.await().until(() -> rig.bootstrap.origins().containsKey("dms-o"));
            assertThat(rig.bootstrap.origins()).containsEntry("dms-o", "card:98940000000000000EF5");

            bundle.stop();
            assertThat(ctx.getServiceReferences(CredentialProvider.class.getName(), null)).as("unregistered").isNull();
            listeners.close();
        }
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
}
