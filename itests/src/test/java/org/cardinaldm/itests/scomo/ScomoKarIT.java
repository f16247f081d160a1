package org.cardinaldm.itests.scomo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cardinaldm.itests.CardinalKarafTestSupport;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * SCOMO's KAR packages in the real all-in-one distribution, through real DM sessions (issue 15, item 2): the test
 * builds a KAR with one feature whose single bundle is inside the KAR, signs it with the DEMO application signer the
 * distribution trusts, writes it into {@code packages/} (served at {@code https://127.0.0.1:8443/packages/}) and
 * has the server run SCOMO operations on the all-in-one device with plain {@code dms:job-add} jobs:
 * <ol>
 * <li>DownloadInstall: {@code ./SCOMO/Inventory/Deployed/<feature>~feature} with State 20, its bundle ACTIVE;
 * Deactivate: State 10, the bundle not active; Activate: active again; Remove: the node, the bundle, the feature
 * and its repository are gone; every result reaches the job through Generic Alert 1226 with 1200; no other bundle
 * was stopped, refreshed, updated or uninstalled meanwhile (ids, last-modified times and states unchanged, no
 * bundle event), and Karaf's log gains no "Bundles to refresh";</li>
 * <li>a signed KAR whose feature names an {@code mvn:} bundle outside the KAR (one Karaf's {@code system/} holds)
 * is refused with 1407 and nothing is installed;</li>
 * <li>an unsigned KAR is refused with 1407 and nothing is installed.</li>
 * </ol>
 * Methods run in name order.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ScomoKarIT extends CardinalKarafTestSupport {
    /** The DevId of the all-in-one device (etc/org.cardinaldm.mo.devinfo.cfg). */
    private static final String DEVICE = "urn:x-cardinaldm:demo-gateway";
    private static final String PACKAGES = "https://127.0.0.1:8443/packages/";
    private static final String KAR_TYPE = "application/vnd.apache.karaf.kar";
    private static final String DEPLOYED = "./SCOMO/Inventory/Deployed/";
    private static final Pattern JOB = Pattern.compile("Job (\\d+) queued");
    /** What Karaf's features service logs (at INFO) when an install would refresh bundles. */
    private static final String REFRESH = "Bundles to refresh";

    /** The good KAR: repository and feature {@code itkar}, bundle {@code org.cardinaldm.it.kar.hello} inside. */
    private static final String REPO = "itkar";
    private static final String BSN = "org.cardinaldm.it.kar.hello";
    private static final String FEATURE_NODE = DEPLOYED + REPO + "~feature";

    @Override
    protected Option[] containerOptions() {
        return new Option[] {
            // the DEMO application signer the distribution trusts (distribution/src/demo/README.md), for the test's tool
            replaceConfigurationFile("etc/" + KarPackages.SIGNER_IN_ETC,
                    new File("../distribution/src/demo/demo-app-signer.pem")),
            // Karaf's features service logs what it installs and refreshes at INFO: keep that in karaf.log
            editConfigurationFilePut("etc/org.ops4j.pax.logging.cfg", "log4j2.logger.itfeatures.name",
                    "org.apache.karaf.features.internal.service"),
            editConfigurationFilePut("etc/org.ops4j.pax.logging.cfg", "log4j2.logger.itfeatures.level", "INFO"),
        };
    }

    @Test
    public void a_the_device_is_known_to_the_server() {
        await().untilAsserted(() -> {
            String row = executeCommand("dms:devices").lines().filter(l -> l.startsWith(DEVICE)).findFirst().orElse("");
            assertTrue(row, row.contains("ACTIVE"));
        });
        // SCOMO found Karaf's features service (else every KAR is 1413)
        await().untilAsserted(() -> assertTrue("SCOMO's Karaf feature deployer is registered",
                bundleContext.getServiceReference("org.cardinaldm.mo.scomo.internal.FeatureDeployer") != null));
    }

    @Test
    public void b_a_signed_kar_is_installed_deactivated_activated_and_removed_without_touching_other_bundles()
            throws Exception {
        String mvn = "mvn:org.cardinaldm.it/itkar-hello/1.0.0";
        byte[] kar = KarPackages.kar(REPO, REPO, List.of(mvn),
                Map.of(KarPackages.entryOf("org.cardinaldm.it", "itkar-hello", "1.0.0"), KarPackages.bundle(BSN)));
        KarPackages.publishSigned(REPO + "-1.0.0.kar", kar, REPO);
        int refreshesBefore = logLines(REFRESH).size();

        try (OtherBundles others = new OtherBundles(BSN)) {
            String install = downloadInstall(REPO, REPO + "-1.0.0.kar");
            String results = awaitJobEnd(install);
            assertTrue(results, firstLine(results).contains("SUCCEEDED"));
            assertTrue(results, results.contains("1200"));
            assertEquals("20", firstLine(executeCommand("dm:get " + FEATURE_NODE + "/State")));
            assertEquals(REPO + "/1.0.0", firstLine(executeCommand("dm:get " + FEATURE_NODE + "/ID")));
            Bundle b = bundle(BSN).orElseThrow(() -> new AssertionError("no bundle " + BSN));
            assertEquals(Bundle.ACTIVE, b.getState());
            // installed from SCOMO's copy of the KAR's own bytes, never through Maven resolution
            assertTrue(b.getLocation(), b.getLocation().startsWith("file:") && b.getLocation().contains("scomo"));
            String featureList = executeCommand("feature:list -i");
            assertTrue(featureList, featureList.contains(REPO));
            // the descriptor is gone after a successful install
            assertFalse(executeCommand("dm:ls ./SCOMO/Download").contains(REPO));
            long id = b.getBundleId();

            assertSucceeded(exec(FEATURE_NODE + "/Operations/Deactivate"));
            assertEquals("10", firstLine(executeCommand("dm:get " + FEATURE_NODE + "/State")));
            assertNotEquals(Bundle.ACTIVE, bundle(BSN).orElseThrow().getState());

            assertSucceeded(exec(FEATURE_NODE + "/Operations/Activate"));
            assertEquals("20", firstLine(executeCommand("dm:get " + FEATURE_NODE + "/State")));
            assertEquals(Bundle.ACTIVE, bundle(BSN).orElseThrow().getState());
            assertEquals("the same bundle, not a new install", id, bundle(BSN).orElseThrow().getBundleId());

            assertSucceeded(exec(FEATURE_NODE + "/Operations/Remove"));
            assertTrue(firstLine(executeCommand("dm:get " + FEATURE_NODE + "/State")).startsWith("404"));
            assertFalse(executeCommand("dm:ls " + DEPLOYED).contains(REPO + "~feature"));
            assertTrue("bundle " + BSN + " uninstalled", bundle(BSN).isEmpty());
            assertFalse(executeCommand("feature:list -i").contains(REPO));
            assertFalse(executeCommand("feature:repo-list").contains(REPO));

            others.assertUntouched("the KAR's install, Deactivate, Activate and Remove");
        }
        List<String> refreshes = logLines(REFRESH);
        assertEquals("karaf.log lines '" + REFRESH + "' added by the KAR's operations", refreshesBefore, refreshes.size());
        // the features service did log the install (so the line above had a chance to appear)
        assertFalse("karaf.log shows the features service installing the KAR's bundle", logLines("itkar-hello").isEmpty());
    }

    @Test
    public void c_a_kar_whose_feature_needs_a_bundle_outside_it_is_refused_with_1407_and_nothing_is_installed()
            throws Exception {
        String repo = "itkarout";
        String inside = "org.cardinaldm.it.kar.inside";
        // Bouncy Castle is in Karaf's system/ folder: the bytes exist on the device, but the signature does not cover them
        byte[] kar = KarPackages.kar(repo, repo,
                List.of("mvn:org.cardinaldm.it/itkar-inside/1.0.0", "mvn:org.bouncycastle/bcprov-jdk18on/1.87"),
                Map.of(KarPackages.entryOf("org.cardinaldm.it", "itkar-inside", "1.0.0"), KarPackages.bundle(inside)));
        KarPackages.publishSigned(repo + "-1.0.0.kar", kar, repo);
        assertRefusedAndNothingInstalled(repo, inside);
    }

    @Test
    public void d_an_unsigned_kar_is_refused_with_1407_and_nothing_is_installed() throws Exception {
        String repo = "itkarunsigned";
        String inside = "org.cardinaldm.it.kar.unsigned";
        byte[] kar = KarPackages.kar(repo, repo, List.of("mvn:org.cardinaldm.it/itkar-unsigned/1.0.0"),
                Map.of(KarPackages.entryOf("org.cardinaldm.it", "itkar-unsigned", "1.0.0"), KarPackages.bundle(inside)));
        KarPackages.publishUnsigned(repo + "-1.0.0.kar", kar);
        assertRefusedAndNothingInstalled(repo, inside);
    }

    private void assertRefusedAndNothingInstalled(String repo, String insideBsn) throws Exception {
        String bundlesBefore = executeCommand("bundle:list -t 0 -s");
        String repos = executeCommand("feature:repo-list");
        try (OtherBundles others = new OtherBundles()) {
            String results = awaitJobEnd(downloadInstall(repo, repo + "-1.0.0.kar"));
            assertTrue(results, firstLine(results).contains("FAILED"));
            assertTrue(results, results.contains("1407"));
            // the descriptor stays with Status 20 (download or validation failed) until a server deletes it
            assertEquals("20", firstLine(executeCommand("dm:get ./SCOMO/Download/" + repo + "/Status")));
            assertTrue(firstLine(executeCommand("dm:get " + DEPLOYED + repo + "~feature/State")).startsWith("404"));
            assertTrue("no bundle " + insideBsn, bundle(insideBsn).isEmpty());
            assertEquals(repos, executeCommand("feature:repo-list"));
            assertFalse(executeCommand("feature:list").contains(repo));
            assertEquals(bundlesBefore, executeCommand("bundle:list -t 0 -s"));
            others.assertUntouched("a refused KAR");
        }
    }

    /**
     * Queues the download descriptor {@code ./SCOMO/Download/<name>} for a KAR in {@code packages/} and its Exec of
     * DownloadInstall, and notifies the device.
     *
     * @return the Exec job's id
     */
    private String downloadInstall(String name, String file) {
        String x = "./SCOMO/Download/" + name;
        queue("dms:job-add " + DEVICE + " add " + x);
        queue("dms:job-add " + DEVICE + " add " + x + "/PkgID " + name + "@1.0.0");
        queue("dms:job-add " + DEVICE + " add " + x + "/Name " + name);
        queue("dms:job-add " + DEVICE + " add " + x + "/PkgURL " + PACKAGES + file);
        queue("dms:job-add " + DEVICE + " add " + x + "/PkgType " + KAR_TYPE);
        String exec = queue("dms:job-add " + DEVICE + " exec " + x + "/Operations/DownloadInstall");
        assertTrue(executeCommand("dms:notify " + DEVICE).contains("Notification"));
        return exec;
    }

    /** Queues an Exec of a SCOMO operation node, notifies the device and returns the job's results once it ended. */
    private String exec(String operation) {
        String job = queue("dms:job-add " + DEVICE + " exec " + operation);
        assertTrue(executeCommand("dms:notify " + DEVICE).contains("Notification"));
        return awaitJobEnd(job);
    }

    private static void assertSucceeded(String results) {
        assertTrue(results, firstLine(results).contains("SUCCEEDED"));
        assertTrue(results, results.contains("1200"));
    }

    private String queue(String command) {
        String out = executeCommand(command);
        Matcher m = JOB.matcher(out);
        assertTrue(out, m.find());
        return m.group(1);
    }

    /** Waits until a job has ended, whatever its outcome, and returns its {@code dms:results}. */
    private String awaitJobEnd(String job) {
        String[] results = new String[1];
        await().untilAsserted(() -> {
            results[0] = executeCommand("dms:results -w 0 " + job);
            assertTrue(results[0], firstLine(results[0]).matches(".*: (SUCCEEDED|FAILED|INTERRUPTED|CANCELLED).*"));
        });
        return results[0];
    }

    private static String firstLine(String text) {
        return text.lines().map(String::trim).filter(l -> !l.isEmpty()).findFirst().orElse("");
    }

    /**
     * Every bundle except the ones a test installs: their id, last-modified time and state before and after, and
     * every STOPPED, UNRESOLVED (a refresh), UPDATED or UNINSTALLED event meanwhile.
     */
    private final class OtherBundles implements SynchronousBundleListener, AutoCloseable {
        private final List<String> exempt;
        private final Map<Long, String> before;
        private final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());

        OtherBundles(String... exempt) {
            this.exempt = Arrays.asList(exempt);
            this.before = state();
            bundleContext.addBundleListener(this);
        }

        private Map<Long, String> state() {
            Map<Long, String> out = new TreeMap<>();
            for (Bundle b : bundleContext.getBundles()) {
                if (!exempt.contains(b.getSymbolicName())) {
                    out.put(b.getBundleId(), b.getSymbolicName() + " " + b.getLastModified() + " " + b.getState());
                }
            }
            return out;
        }

        @Override
        public void bundleChanged(BundleEvent event) {
            int t = event.getType();
            if (!exempt.contains(event.getBundle().getSymbolicName()) && (t == BundleEvent.STOPPED
                    || t == BundleEvent.UNRESOLVED || t == BundleEvent.UPDATED || t == BundleEvent.UNINSTALLED)) {
                events.add(event.getBundle().getSymbolicName() + " event " + t);
            }
        }

        void assertUntouched(String what) {
            assertEquals("other bundles stopped, refreshed, updated or uninstalled by " + what, List.of(), List.copyOf(events));
            assertEquals("ids, last-modified times and states of the other bundles after " + what, before, state());
        }

        @Override
        public void close() {
            bundleContext.removeBundleListener(this);
        }
    }
}
