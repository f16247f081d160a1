package org.cardinaldm.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The other direction of a card backend swap (issue 13, item 7): on the running all-in-one the simulator's
 * feature is uninstalled (its card goes, {@link CardBackendSwapIT}), a card sits in a PC/SC reader — the demo
 * card in its own process outside Karaf, smartcard-sim's {@code VpcdMain} on vpcd port 35963 ("Virtual PCD 00 00"),
 * as a real card in a real reader would — and {@code feature:install cardinal-smartcard-pcsc} with that reader
 * configured brings the card back: {@code card:list} shows it behind the {@code pcsc} backend, {@code ./SmartCard}
 * reads it and its DM account is applied again, with no restart and no other bundle stopped, refreshed, updated
 * or removed.
 *
 * <p>Needs pcscd with vsmartcard-vpcd (Debian: {@code pcscd vsmartcard-vpcd}, started by
 * {@code .ci/start-pcscd.sh}): without them the class is skipped, or fails when {@code CI=true}
 * ({@link PcscdPaxExam}). It holds {@code /tmp/cardinal-vpcd-35963.lock} while it runs, like every Cardinal test
 * that uses vpcd port 35963.
 */
@RunWith(PcscdPaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CardBackendSwapPcscIT extends CardSwapSupport {
    private static final String PCSC_FEATURE = "cardinal-smartcard-pcsc";
    private static final String READER = "Virtual PCD 00 00";

    /** slf4j-api for the card's own process, from this (the test) JVM's class path. */
    @Override
    protected Option[] containerOptions() {
        String slf4j = new File(org.slf4j.LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .getAbsolutePath();
        return new Option[] {editConfigurationFilePut("etc/system.properties", "cardinal.itest.slf4j.api", slf4j)};
    }

    /** Skips (or, with CI=true, fails) without pcscd and vpcd; then holds vpcd port 35963 as CardinalPcscIT does. */
    @BeforeClass
    public static void holdVpcdPort() throws Exception {
        String missing = PcscdCheck.missing().orElse(null);
        if (missing != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CardBackendSwapPcscIT cannot run: " + missing);
            }
            Assume.assumeTrue("CardBackendSwapPcscIT skipped: " + missing, false);
        }
        CardinalPcscIT.holdVpcdPort();
    }

    @AfterClass
    public static void releaseVpcdPort() throws IOException {
        CardinalPcscIT.releasePort();
    }

    private static Path etc(String file) {
        return Paths.get(System.getProperty("karaf.etc")).resolve(file);
    }

    /**
     * @param artifact an artifact of org.cardinaldm in the distribution's {@code system/}
     * @return its jar
     */
    private static String systemJar(String artifact, String version) {
        Path jar = Paths.get(System.getProperty("karaf.home"), "system", "org", "cardinaldm", artifact, version,
                artifact + "-" + version + ".jar");
        assertTrue(jar + " exists", Files.isRegularFile(jar));
        return jar.toString();
    }

    /** Starts the demo card on vpcd in a process of its own: the card in the reader, outside Karaf. */
    private Process startVpcdCard() throws IOException {
        String location = bundle("org.cardinaldm.smartcard.api").orElseThrow().getLocation(); // mvn:g/a/v
        String version = location.substring(location.lastIndexOf('/') + 1);
        String classPath = String.join(File.pathSeparator, systemJar("smartcard-sim", version),
                systemJar("smartcard-api", version), System.getProperty("cardinal.itest.slf4j.api"));
        Path image = Paths.get(System.getProperty("karaf.data"), "cardinal", "smartcard", "pcsc-swap-itest.img");
        Path log = Paths.get(System.getProperty("karaf.data"), "log", "vpcd-card.log");
        return new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                "org.cardinaldm.smartcard.sim.internal.vpcd.VpcdMain", "--image", image.toString(),
                "--host", "127.0.0.1", "--port", "35963")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    public void with_the_simulator_gone_installing_the_pcsc_backend_with_a_card_in_a_reader_brings_the_card_back()
            throws Exception {
        awaitDemoCard(SIM_READER, "sim");
        uninstallSimulator();

        Process card = startVpcdCard();
        try {
            // the reader is configured before the backend exists (an operator's etc/ file), then the feature comes
            Files.writeString(etc("org.cardinaldm.smartcard.pcsc-swap.cfg"), "card.reader = " + READER + "\nexclusive = false\n");
            assertFalse(PCSC_FEATURE + " not installed before", featuresService.isInstalled(featuresService.getFeature(PCSC_FEATURE)));
            try (BundleWatch watch = new BundleWatch(bundleContext, Set.of("org.cardinaldm.smartcard.pcsc"))) {
                String out = executeCommand("feature:install " + PCSC_FEATURE);
                assertFalse(out, out.contains("Error"));
                await().untilAsserted(() -> assertEquals(Bundle.ACTIVE,
                        bundle("org.cardinaldm.smartcard.pcsc").map(Bundle::getState).orElse(0).intValue()));
                awaitDemoCard(READER, "pcsc");
                watch.assertNoOtherBundleTouched("feature:install " + PCSC_FEATURE);
            }
            assertEquals("the simulator stays uninstalled", List.of(),
                    SIM_BUNDLES.stream().filter(n -> bundle(n).isPresent()).collect(java.util.stream.Collectors.toList()));

            // the card leaves the reader: its account is withdrawn again, ./SmartCard empties
            card.destroy();
            assertTrue("the card's process ends", card.waitFor(30, TimeUnit.SECONDS));
            await().untilAsserted(() -> assertTrue(executeCommand("card:list"), executeCommand("card:list").lines()
                    .anyMatch(l -> l.startsWith(READER) && l.matches(".*\\|\\s*pcsc\\s*\\|\\s*absent\\s*\\|.*"))));
            await().untilAsserted(() -> assertEquals(List.of(), children(executeCommand("dm:ls ./SmartCard"))));
            await().untilAsserted(() -> assertFalse(executeCommand("dm:ls ./DMAcc").contains(ACCOUNT)));
        } finally {
            card.destroy();
            if (!card.waitFor(30, TimeUnit.SECONDS)) {
                card.destroyForcibly();
            }
        }
    }
}
