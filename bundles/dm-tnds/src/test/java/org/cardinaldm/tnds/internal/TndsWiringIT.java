package org.cardinaldm.tnds.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.felix.framework.FrameworkFactory;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.ListForm;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.TndsDocuments;
import org.cardinaldm.api.spi.store.TreeStore;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.tree.internal.DmTreeImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The built bundle in a real OSGi framework (Felix 7 + SCR) with the real syncml and dm-tree
 * bundles: it resolves against syncml's exported packages, its component finds the tree's
 * TreeSerialization service, and its TndsDocuments service writes a document. dm-api and SLF4J
 * come from the system bundle so that the test and the bundles share classes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TndsWiringIT {
    private Framework framework;
    private BundleContext context;

    private static String jarOf(Class<?> type) throws URISyntaxException {
        return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toURI().toString();
    }

    @BeforeAll
    void start_framework() throws Exception {
        String api = "org.cardinaldm.api;version=1.1.0,org.cardinaldm.api.spi.mo;version=1.0.0,"
                + "org.cardinaldm.api.spi.ddf;version=1.0.0,org.cardinaldm.api.spi.store;version=1.0.0,"
                + "org.slf4j;version=1.7.36";
        framework = new FrameworkFactory().newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, System.getProperty("cardinal.felix.storage", "target/felix-it"),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, api));
        framework.start();
        context = framework.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        bundles.add(context.installBundle(jarOf(org.osgi.util.function.Function.class)));
        bundles.add(context.installBundle(jarOf(org.osgi.util.promise.Promise.class)));
        bundles.add(context.installBundle(jarOf(org.osgi.service.component.ComponentContext.class)));
        bundles.add(context.installBundle(jarOf(org.apache.felix.scr.impl.Activator.class)));
        bundles.add(context.installBundle(jarOf(SyncML.class)));
        bundles.add(context.installBundle(jarOf(DmTreeImpl.class)));
        bundles.add(context.installBundle(new File(System.getProperty("cardinal.bundle")).toURI().toString()));
        for (Bundle b : bundles) {
            b.start();
        }
        TreeStore store = mock(TreeStore.class);
        when(store.read(any())).thenReturn(Optional.empty());
        when(store.children(any())).thenReturn(List.of());
        context.registerService(TreeStore.class, store, null);
    }

    @AfterAll
    void stop_framework() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }

    @Test
    void the_bundle_resolves_against_syncml_and_serves_documents_of_the_tree() throws Exception {
        ServiceTracker<TndsDocuments, TndsDocuments> docs = new ServiceTracker<>(context, TndsDocuments.class, null);
        ServiceTracker<DmTree, DmTree> trees = new ServiceTracker<>(context, DmTree.class, null);
        docs.open();
        trees.open();
        try {
            TndsDocuments tnds = docs.waitForService(10_000);
            DmTree tree = trees.waitForService(10_000);
            assertThat(tnds).as("TndsDocuments registered by SCR").isNotNull();
            assertThat(tree).isNotNull();

            byte[] doc = tnds.export(tree.as(Principal.localAdmin()), NodeUri.root(), ListForm.tnds(), TndsDocuments.XML);

            assertThat(new String(doc, StandardCharsets.UTF_8)).contains("<MgmtTree").contains("<VerDTD>1.2</VerDTD>");
            for (Bundle b : context.getBundles()) {
                if ("org.cardinaldm.tnds".equals(b.getSymbolicName())) {
                    assertThat(b.getState()).isEqualTo(Bundle.ACTIVE);
                    assertThat(b.getHeaders().get(Constants.EXPORT_PACKAGE)).isNull();
                }
            }
        } finally {
            docs.close();
            trees.close();
        }
    }
}
