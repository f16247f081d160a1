package org.cardinaldm.itests;

import static org.cardinaldm.itests.ShellOutput.assertContains;
import static org.cardinaldm.itests.ShellOutput.assertNotContains;
import static org.cardinaldm.itests.ShellOutput.firstLine;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;

/**
 * What {@link CardBackendSwapIT} and {@link CardBackendSwapPcscIT} share: the all-in-one's demo card, how to wait
 * for it to be there (reader, {@code ./SmartCard}, its DM account) and gone, and the simulator's uninstallation
 * watched by {@link BundleWatch}.
 */
abstract class CardSwapSupport extends CardinalKarafTestSupport {
    static final String SIM_FEATURE = "cardinal-smartcard-sim";
    /** The bundles of {@link #SIM_FEATURE} (the shell one because the distribution has Karaf's shell). */
    static final Set<String> SIM_BUNDLES = Set.of("org.cardinaldm.smartcard.sim", "org.cardinaldm.smartcard.sim.shell");
    /** The reader of etc/org.cardinaldm.smartcard.sim-demo.cfg. */
    static final String SIM_READER = "Cardinal SIM 0";
    /** ICCID 8949000000000000012 of the demo profile, as stored (BCD, nibbles swapped). */
    static final String DEMO_CARD_ID = "989400000000000010F2";
    /** The account the demo card's bootstrap document provisions, and its origin. */
    static final String ACCOUNT = "CardinalDemo";
    static final String ORIGIN = "card:" + DEMO_CARD_ID;

    @Inject
    protected FeaturesService featuresService;

    /** Waits until the demo card is in {@code reader}, read by the DM card service, and its account applied. */
    void awaitDemoCard(String reader, String backend) {
        await().untilAsserted(() -> assertTrue(executeCommand("card:list"), executeCommand("card:list").lines()
                .anyMatch(l -> l.startsWith(reader) && l.matches(".*\\|\\s*" + backend + "\\s*\\|\\s*present\\s*\\|.*"))));
        await().untilAsserted(() -> assertEquals(DEMO_CARD_ID, firstLine(executeCommand("dm:get ./SmartCard/Info/CardId"))));
        assertEquals(reader, firstLine(executeCommand("dm:get ./SmartCard/Info/Reader")));
        await().untilAsserted(() -> assertContains(ACCOUNT, executeCommand("dm:ls ./DMAcc")));
        await().untilAsserted(() -> assertTrue(executeCommand("dm:accounts"), executeCommand("dm:accounts").lines()
                .anyMatch(l -> l.contains("cardinal-dms") && l.contains(ORIGIN))));
    }

    /** Waits until no card is left: no such reader, ./SmartCard without children, the card's account withdrawn. */
    void awaitNoCard(String reader) {
        await().untilAsserted(() -> assertNotContains(reader, executeCommand("card:list")));
        await().untilAsserted(() -> assertEquals(List.of(), children(executeCommand("dm:ls ./SmartCard"))));
        assertTrue(firstLine(executeCommand("dm:get ./SmartCard/Info/CardId")).startsWith("404"));
        await().untilAsserted(() -> assertNotContains(ACCOUNT, executeCommand("dm:ls ./DMAcc")));
        assertNotContains(ORIGIN, executeCommand("dm:accounts"));
    }

    /** Uninstalls the simulator's feature as an operator does, proving it touches no other bundle. */
    void uninstallSimulator() throws Exception {
        assertTrue(SIM_FEATURE + " installed at the start", featuresService.isInstalled(featuresService.getFeature(SIM_FEATURE)));
        String out;
        try (BundleWatch watch = new BundleWatch(bundleContext, SIM_BUNDLES)) {
            out = executeCommand("feature:uninstall " + SIM_FEATURE);
            await().untilAsserted(() -> assertEquals(List.of(), simBundles()));
            awaitNoCard(SIM_READER);
            watch.assertNoOtherBundleTouched("feature:uninstall " + SIM_FEATURE);
        }
        assertNotContains("Error", out);
        assertFalse(SIM_FEATURE + " uninstalled (nothing else requires it)",
                featuresService.isInstalled(featuresService.getFeature(SIM_FEATURE)));
    }

    private List<String> simBundles() {
        return SIM_BUNDLES.stream().filter(n -> bundle(n).isPresent()).sorted().collect(Collectors.toList());
    }

    /**
     * @param out what {@code dm:ls <uri>} printed: the URI, then one line per child
     * @return the children's names
     */
    static List<String> children(String out) {
        return out.lines().skip(1).map(String::trim).filter(l -> !l.isEmpty())
                .map(l -> l.replaceFirst("^[|`]-- ", "").replaceFirst("/$", "")).collect(Collectors.toList());
    }
}
