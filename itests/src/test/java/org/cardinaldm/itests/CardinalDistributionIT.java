package org.cardinaldm.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
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
 * Cardinal's promises, checked in one boot of the real distribution (so the suite stays short on
 * two cores): every feature installs, plugin features install without refreshing other bundles,
 * the shell shows the configured DevInfo, stopping an MO bundle removes its subtree and starting it
 * restores it, and the log stays free of errors. Methods run in name order; the log check is last.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class CardinalDistributionIT extends CardinalKarafTestSupport {
    /** A value no host default produces: it can only come from etc/org.cardinaldm.mo.devinfo.cfg. */
    private static final String MANUFACTURER = "Cardinal IT Manufacturer 7f3a";

    /** Features an operator swaps at run time: one plugin (MO, card backend) each, on top of their core. */
    private static final List<String> PLUGIN_FEATURES = List.of("cardinal-mo-devinfo", "cardinal-mo-devdetail", "cardinal-mo-dmacc",
            "cardinal-smartcard-sim", "cardinal-smartcard-pcsc", "cardinal-crypto");

    @Inject
    protected FeaturesService featuresService;

    @Override
    protected Option[] containerOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/org.cardinaldm.mo.devinfo.cfg", "man", MANUFACTURER),
        };
    }

    @Test
    public void dm_get_prints_the_configured_manufacturer_alone_on_the_first_line() {
        await().untilAsserted(() -> assertEquals(MANUFACTURER, firstLine(executeCommand("dm:get ./DevInfo/Man"))));
    }

    @Test
    public void dm_get_of_a_missing_node_prints_one_404_line() {
        await().untilAsserted(() -> assertContains("DevInfo", executeCommand("dm:ls .")));

        String out = executeCommand("dm:get ./DevInfo/NoSuchLeaf");

        assertTrue(out, out.startsWith("404 Not found"));
        assertEquals(out, 1, out.trim().lines().count());
    }

    @Test
    public void every_cardinal_feature_installs_and_its_bundles_are_active() throws Exception {
        List<String> names = cardinalFeatures();
        assertTrue("the cardinal repository is known", names.contains("cardinal-core"));
        for (String name : names) {
            if (!featuresService.isInstalled(featuresService.getFeature(name))) {
                featuresService.installFeature(name);
            }
            assertTrue(name + " is installed", featuresService.isInstalled(featuresService.getFeature(name)));
        }
        assertEquals("bundles not active", List.of(), notActive());
    }

    @Test
    public void every_cardinal_feature_is_in_the_distribution_so_it_installs_offline() throws Exception {
        Path system = Paths.get(System.getProperty("karaf.home"), "system");
        List<String> missing = new ArrayList<>();
        for (String name : cardinalFeatures()) {
            for (BundleInfo b : featuresService.getFeature(name).getBundles()) {
                Path jar = system.resolve(mavenPath(b.getLocation()));
                if (!Files.isRegularFile(jar)) {
                    missing.add(name + ": " + b.getLocation());
                }
            }
        }
        assertEquals("bundles of cardinal features missing from system/ (add the feature to installedFeatures)",
                List.of(), missing);
    }

    @Test
    public void plugin_features_install_without_refreshing_any_other_bundle() throws Exception {
        for (String feature : PLUGIN_FEATURES) {
            if (featuresService.isInstalled(featuresService.getFeature(feature))) {
                assertNotContains("Bundles to refresh", executeCommand("feature:uninstall -v " + feature));
            }
            assertNotContains("Bundles to refresh", executeCommand("feature:install -t -v " + feature));

            Set<String> stopped = Collections.synchronizedSet(new TreeSet<>());
            SynchronousBundleListener listener = e -> {
                if (e.getType() == BundleEvent.STOPPED || e.getType() == BundleEvent.UNRESOLVED) {
                    stopped.add(e.getBundle().getSymbolicName());
                }
            };
            bundleContext.addBundleListener(listener);
            String installed;
            try {
                installed = executeCommand("feature:install -v " + feature);
            } finally {
                bundleContext.removeBundleListener(listener);
            }
            assertNotContains("Bundles to refresh", installed);
            assertNotContains("Error", installed);
            assertEquals("bundles stopped or unresolved while installing " + feature, Set.of(), Set.copyOf(stopped));
            assertTrue(feature + " is installed", featuresService.isInstalled(featuresService.getFeature(feature)));
        }
        await().untilAsserted(() -> assertContains("DevInfo", executeCommand("dm:ls .")));
    }

    @Test
    public void stopping_mo_devinfo_removes_devinfo_and_starting_it_restores_it() throws Exception {
        Bundle devinfo = bundle("org.cardinaldm.mo.devinfo").orElseThrow(() -> new AssertionError("mo-devinfo is not installed"));
        await().untilAsserted(() -> assertContains("DevInfo", executeCommand("dm:ls .")));

        devinfo.stop();
        await().untilAsserted(() -> assertNotContains("DevInfo", executeCommand("dm:ls .")));
        String gone = executeCommand("dm:get ./DevInfo/Man");
        assertTrue(gone, gone.startsWith("404"));

        devinfo.start();
        await().untilAsserted(() -> assertContains("DevInfo", executeCommand("dm:ls .")));
        assertEquals(MANUFACTURER, firstLine(executeCommand("dm:get ./DevInfo/Man")));
    }

    @Test
    public void the_log_has_no_error_and_no_bundle_is_in_failure() throws IOException {
        assertEquals("bundles not active", List.of(), notActive());
        String list = executeCommand("bundle:list -t 0");
        assertNotContains("Failure", list);
        assertNotContains("GracePeriod", list);
        assertEquals("ERROR lines in karaf.log", List.of(), errorLines());
    }

    /** @return the repository path of a mvn:group/artifact/version[/type[/classifier]] location */
    private static String mavenPath(String location) {
        String[] p = location.replaceFirst("^mvn:", "").split("/");
        String type = p.length > 3 && !p[3].isEmpty() ? p[3] : "jar";
        String classifier = p.length > 4 ? "-" + p[4] : "";
        return p[0].replace('.', '/') + "/" + p[1] + "/" + p[2] + "/" + p[1] + "-" + p[2] + classifier + "." + type;
    }

    private static void assertContains(String expected, String text) {
        assertTrue("expected '" + expected + "' in:\n" + text, text.contains(expected));
    }

    private static void assertNotContains(String unexpected, String text) {
        assertFalse("did not expect '" + unexpected + "' in:\n" + text, text.contains(unexpected));
    }

    private List<String> cardinalFeatures() throws Exception {
        return Stream.of(featuresService.listFeatures()).map(Feature::getName)
                .filter(n -> n.startsWith("cardinal-")).distinct().sorted().collect(Collectors.toList());
    }

    /** @return bundles that are neither active nor (being fragments) resolved */
    private List<String> notActive() {
        List<String> bad = new ArrayList<>();
        for (Bundle b : bundleContext.getBundles()) {
            boolean fragment = b.getHeaders().get("Fragment-Host") != null;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                bad.add(b.getSymbolicName() + " state " + b.getState());
            }
        }
        return bad;
    }

    private static List<String> errorLines() throws IOException {
        Path log = Paths.get(System.getProperty("karaf.log"), "karaf.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains("| ERROR ")).collect(Collectors.toList());
        }
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("").trim();
    }
}
