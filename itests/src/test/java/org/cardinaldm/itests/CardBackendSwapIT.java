package org.cardinaldm.itests;

import static org.cardinaldm.itests.ShellOutput.assertContains;
import static org.cardinaldm.itests.ShellOutput.assertNotContains;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * Card backends swap on the running all-in-one (issue 13, item 7): {@code feature:uninstall cardinal-smartcard-sim}
 * takes the software card out — its reader leaves {@code card:list}, the DM account the card provisioned is
 * withdrawn from {@code ./DMAcc}, {@code ./SmartCard} empties and the simulator's {@code cardsim:} commands go —
 * and {@code feature:install cardinal-smartcard-sim} brings all of it back, with no restart and no other bundle
 * stopped, refreshed, updated or removed ({@link BundleWatch}). The PC/SC direction, which needs pcscd, is
 * {@link CardBackendSwapPcscIT}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CardBackendSwapIT extends CardSwapSupport {
    @Test
    public void uninstalling_the_simulator_takes_its_card_out_and_installing_it_brings_the_card_back() throws Exception {
        awaitDemoCard(SIM_READER, "sim");
        assertContains("No simulated card in a reader named 'Nowhere'", executeCommand("cardsim:personalize Nowhere --demo"));

        uninstallSimulator();
        // the card: commands stay and say there is no card; the simulator's own commands are gone with it
        assertContains("No DM card is present", executeCommand("card:info"));
        assertContains("Command not found", executeCommand("cardsim:personalize Nowhere --demo"));

        try (BundleWatch watch = new BundleWatch(bundleContext, SIM_BUNDLES)) {
            String out = executeCommand("feature:install " + SIM_FEATURE);
            assertNotContains("Error", out);
            for (String name : SIM_BUNDLES) {
                await().untilAsserted(() -> assertEquals(name, Bundle.ACTIVE, bundle(name).map(Bundle::getState).orElse(0).intValue()));
            }
            // same configuration (etc/), same image (data/): the same card with the same account comes back
            awaitDemoCard(SIM_READER, "sim");
            watch.assertNoOtherBundleTouched("feature:install " + SIM_FEATURE);
        }
        assertContains("No simulated card in a reader named 'Nowhere'", executeCommand("cardsim:personalize Nowhere --demo"));
    }

    @Test
    public void the_simulator_has_its_own_command_acl_and_the_card_acl_keeps_apdu() throws Exception {
        Path etc = Paths.get(System.getProperty("karaf.etc"));
        List<String> cardsim = Files.readAllLines(etc.resolve("org.apache.karaf.command.acl.cardsim.cfg"));
        List<String> card = Files.readAllLines(etc.resolve("org.apache.karaf.command.acl.card.cfg"));
        assertTrue(cardsim.toString(), cardsim.contains("personalize = admin"));
        assertTrue(card.toString(), card.contains("apdu = admin"));
        assertFalse(card.toString(), card.stream().anyMatch(l -> l.startsWith("personalize")));
    }
}
