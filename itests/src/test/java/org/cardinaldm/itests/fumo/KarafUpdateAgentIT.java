package org.cardinaldm.itests.fumo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.features.Repository;
import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.spi.FirmwarePackage;
import org.cardinaldm.fumo.api.spi.UpdateAgent;
import org.cardinaldm.fumo.api.spi.UpdateException;
import org.cardinaldm.itests.CardinalKarafTestSupport;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The Karaf update agent ({@code fumo-agent-karaf}, issue 14 item 5) in the real distribution: the feature
 * {@code cardinal-fumo-agent-karaf} installed and configured for a tiny firmware feature ({@link TinyFirmware})
 * whose KARs the test builds and signs as FUMO firmware ({@link FirmwareSigning}: pkg-trust's {@code ManifestSigner},
 * the container's own verifier). The test calls the {@link UpdateAgent} service directly, in FUMO's order (apply,
 * healthy, then commit or rollback): what is under test is the agent against Karaf's real {@code FeaturesService},
 * pax-url's {@code data/kar} repositories and SCR; the FUMO path in front of an agent (admission, the card's
 * authorisation, download, Generic Alert 1226) is {@code AllInOneIT}'s, with the file agent.
 *
 * <p>The methods run in name order on one container and build on each other: nothing → 1.0.0 → 2.0.0 (no other
 * bundle touched, {@code DevDetail/SwV}) → broken 3.0.0 rolled back → a 3.0.1 Karaf cannot resolve fails in
 * {@code apply} and leaves 2.0.0 running → a KAR naming a bundle it does not carry
 * refused → 4.0.0 applied and "crashed" (the agent's bundle restarted before commit) → the new agent instance
 * reports it pending and rolls it back.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class KarafUpdateAgentIT extends CardinalKarafTestSupport {
    private static final String AGENT_FEATURE = "cardinal-fumo-agent-karaf";
    private static final String AGENT_BUNDLE = "org.cardinaldm.fumo.agent.karaf";
    private static final String PID_FILE = "etc/org.cardinaldm.fumo.agent.karaf.cfg";
    private static final String COMPONENT = "KarafIT";
    private static final String FEATURE = TinyFirmware.FEATURE;

    @Inject
    protected FeaturesService features;

    @Inject
    protected ManifestVerifier verifier;

    @Inject
    protected ServiceComponentRuntime scr;

    /** Signing keys live as long as the container (the methods run in one probe). */
    private static FirmwareSigning signing;

    @Override
    protected Option[] containerOptions() {
        return new Option[] {
            editConfigurationFilePut(PID_FILE, "fumo.component", COMPONENT),
            editConfigurationFilePut(PID_FILE, "feature.name", FEATURE),
            // software: DevDetail/SwV shows it alone (the distribution's file agent owns FwV)
            editConfigurationFilePut(PID_FILE, "is.firmware", "false"),
            // a bound on the unhealthy case only: a healthy set answers at its first look
            editConfigurationFilePut(PID_FILE, "health.timeout.seconds", "10"),
        };
    }

    @Test
    public void a1_a_first_firmware_installs_from_its_kar_and_commits() throws Exception {
        UpdateAgent agent = agent();
        assertEquals("nothing installed yet", "", agent.installedVersion());
        assertEquals(Optional.empty(), agent.pendingVersion());

        agent.apply(firmware("1.0.0", TinyFirmware.Shape.PLAIN, 1));
        assertEquals(Optional.of("1.0.0"), agent.pendingVersion());
        assertTrue("1.0.0 healthy", agent.healthy());
        agent.commit();

        assertEquals("1.0.0", agent.installedVersion());
        assertEquals(Optional.empty(), agent.pendingVersion());
        assertEquals(List.of("1.0.0 ACTIVE"), firmwareBundles());
        assertTrue("the bundle came from the unpacked KAR", Files.isRegularFile(
                karFolder("1.0.0").resolve("com/acme/it/it-core/1.0.0/it-core-1.0.0.jar")));
        assertEquals("1.0.0", swv());
    }

    @Test
    public void a2_upgrade_to_2_switches_only_the_firmware_bundle_and_commits() throws Exception {
        UpdateAgent agent = agent();
        assertEquals("1.0.0", agent.installedVersion());
        try (OtherBundles others = new OtherBundles(bundleContext, TinyFirmware.BUNDLE)) {
            agent.apply(firmware("2.0.0", TinyFirmware.Shape.COMPONENT, 2));
            assertTrue("2.0.0 healthy", agent.healthy());
            agent.commit();
            others.assertUntouched("the switch from 1.0.0 to 2.0.0");
        }
        assertEquals("2.0.0", agent.installedVersion());
        assertEquals(Optional.empty(), agent.pendingVersion());
        assertEquals("the old version is uninstalled in the same deployment", List.of("2.0.0 ACTIVE"), firmwareBundles());
        await().untilAsserted(() -> assertEquals(List.of(ComponentConfigurationDTO.ACTIVE), componentStates()));
        assertEquals("2.0.0", swv());
        assertFalse("commit removes the previous KAR folder", Files.exists(karFolder("1.0.0")));
        assertTrue(Files.isDirectory(karFolder("2.0.0")));
        assertEquals("commit unregisters the previous repository", List.of(repositoryOf("2.0.0")), ourRepositories());
    }

    @Test
    public void a3_a_broken_3_is_unhealthy_and_rollback_brings_2_back() throws Exception {
        UpdateAgent agent = agent();
        assertEquals("2.0.0", agent.installedVersion());
        try (OtherBundles others = new OtherBundles(bundleContext, TinyFirmware.BUNDLE)) {
            agent.apply(firmware("3.0.0", TinyFirmware.Shape.BROKEN_COMPONENT, 3));
            assertEquals("3.0.0", agent.installedVersion());
            assertEquals("Karaf started the broken bundle", List.of("3.0.0 ACTIVE"), firmwareBundles());
            await().untilAsserted(() -> assertEquals(List.of(ComponentConfigurationDTO.UNSATISFIED_REFERENCE), componentStates()));

            assertFalse("a component lacking its mandatory service is not healthy", agent.healthy());
            agent.rollback();
            others.assertUntouched("the switch to the broken 3.0.0 and back");
        }
        assertEquals("2.0.0", agent.installedVersion());
        assertEquals(Optional.empty(), agent.pendingVersion());
        assertEquals(List.of("2.0.0 ACTIVE"), firmwareBundles());
        await().untilAsserted(() -> assertEquals(List.of(ComponentConfigurationDTO.ACTIVE), componentStates()));
        assertTrue("2.0.0 healthy again", agent.healthy());
        assertEquals("2.0.0", swv());
        assertFalse("rollback removes the broken KAR folder", Files.exists(karFolder("3.0.0")));
        assertEquals("rollback unregisters the broken repository", List.of(repositoryOf("2.0.0")), ourRepositories());
    }

    @Test
    public void a3b_a_version_karaf_cannot_resolve_fails_in_apply_and_2_keeps_running() throws Exception {
        UpdateAgent agent = agent();
        List<URI> repositoriesBefore = allRepositories();
        FirmwarePackage pkg = firmware("3.0.1", TinyFirmware.Shape.UNRESOLVABLE_IMPORT, 3);
        try (OtherBundles nothing = new OtherBundles(bundleContext, "no bundle is exempt")) {
            try {
                agent.apply(pkg);
                fail("a bundle importing a package nobody exports was deployed");
            } catch (UpdateException e) {
                assertEquals(FumoResult.UPDATE_FAILED, e.result());
            }
            nothing.assertUntouched("the deployment Karaf refused");
        }
        assertEquals(Optional.empty(), agent.pendingVersion());
        assertEquals("2.0.0", agent.installedVersion());
        assertEquals(List.of("2.0.0 ACTIVE"), firmwareBundles());
        await().untilAsserted(() -> assertEquals(List.of(ComponentConfigurationDTO.ACTIVE), componentStates()));
        assertEquals("the refused repository is unregistered again", repositoriesBefore, allRepositories());
        assertFalse("and its folder removed", Files.exists(karFolder("3.0.1")));
    }

    @Test
    public void a4_a_kar_naming_a_bundle_it_does_not_carry_is_refused_before_karaf_sees_it() throws Exception {
        UpdateAgent agent = agent();
        List<URI> repositoriesBefore = allRepositories();
        Path kar = TinyFirmware.karNamingAMissingBundle(work(), "3.1.0");
        FirmwarePackage pkg = signing().firmware(kar, FEATURE, "3.1.0", 4);
        try (OtherBundles nothing = new OtherBundles(bundleContext, "no bundle is exempt")) {
            try {
                agent.apply(pkg);
                fail("a KAR whose feature needs a bundle from elsewhere was applied");
            } catch (UpdateException e) {
                assertEquals(FumoResult.PACKAGE_MISMATCH, e.result());
                assertTrue(e.getMessage(), e.getMessage().contains("it-elsewhere"));
            }
            nothing.assertUntouched("the refused KAR");
        }
        assertEquals("no features repository was registered", repositoriesBefore, allRepositories());
        assertEquals(null, features.getFeature(FEATURE, "3.1.0"));
        assertFalse("nothing unpacked", Files.exists(karFolder("3.1.0")));
        assertEquals("no staging folder left", List.of(), leftovers());
        assertEquals(Optional.empty(), agent.pendingVersion());
        assertEquals("2.0.0", agent.installedVersion());
        assertEquals(List.of("2.0.0 ACTIVE"), firmwareBundles());
    }

    @Test
    public void a5_after_a_crash_before_commit_a_new_agent_reports_the_pending_update_and_rolls_it_back() throws Exception {
        UpdateAgent before = agent();
        before.apply(firmware("4.0.0", TinyFirmware.Shape.COMPONENT, 5));
        assertTrue(before.healthy());
        // the "crash": the agent goes away before commit() or rollback(); only its state file knows
        Bundle agentBundle = bundle(AGENT_BUNDLE).orElseThrow();
        agentBundle.stop();
        assertEquals("no agent while its bundle is stopped", List.of(), agentReferences());
        assertEquals("Karaf keeps running what was switched to", List.of("4.0.0 ACTIVE"), firmwareBundles());
        agentBundle.start();

        UpdateAgent after = agent();
        assertNotSame("a new agent instance", before, after);
        assertEquals(Optional.of("4.0.0"), after.pendingVersion());
        assertEquals("4.0.0", after.installedVersion());
        try {
            after.apply(firmware("5.0.0", TinyFirmware.Shape.COMPONENT, 6));
            fail("a second update was applied while one is pending");
        } catch (UpdateException e) {
            assertEquals(FumoResult.UPDATE_FAILED, e.result());
        }
        try (OtherBundles others = new OtherBundles(bundleContext, TinyFirmware.BUNDLE)) {
            after.rollback();
            others.assertUntouched("the rollback from 4.0.0 to 2.0.0 after the restart");
        }
        assertEquals(Optional.empty(), after.pendingVersion());
        assertEquals("2.0.0", after.installedVersion());
        assertEquals(List.of("2.0.0 ACTIVE"), firmwareBundles());
        assertTrue(after.healthy());
        assertFalse(Files.exists(karFolder("4.0.0")));
        assertFalse("nothing left of the refused 5.0.0", Files.exists(karFolder("5.0.0")));
        assertEquals(List.of(repositoryOf("2.0.0")), ourRepositories());
        assertEquals("2.0.0", swv());
        after.rollback(); // twice is harmless
        assertEquals("2.0.0", after.installedVersion());
    }

    @Test
    public void a6_the_agent_logged_no_error() throws Exception {
        List<String> errors = logLines("| ERROR ").stream().filter(l -> l.contains("fumo.agent.karaf")
                || l.contains("KarafUpdateAgent") || l.contains(FEATURE) || l.contains(TinyFirmware.BUNDLE))
                .collect(Collectors.toList());
        assertEquals(List.of(), errors);
    }

    // ---- helpers ----

    /** @return the agent service for {@value #COMPONENT}, installing its feature the first time */
    private UpdateAgent agent() throws Exception {
        if (!features.isInstalled(features.getFeature(AGENT_FEATURE))) {
            features.installFeature(AGENT_FEATURE, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
        await().until(() -> !agentReferences().isEmpty());
        return bundleContext.getService(agentReferences().get(0));
    }

    private List<ServiceReference<UpdateAgent>> agentReferences() throws Exception {
        Collection<ServiceReference<UpdateAgent>> refs = bundleContext.getServiceReferences(UpdateAgent.class,
                "(" + UpdateAgent.COMPONENT + "=" + COMPONENT + ")");
        return List.copyOf(refs);
    }

    private static synchronized Path work() throws Exception {
        Path dir = Paths.get(System.getProperty("karaf.data"), "it-firmware");
        Files.createDirectories(dir);
        return dir;
    }

    private synchronized FirmwareSigning signing() throws Exception {
        if (signing == null) {
            signing = new FirmwareSigning(verifier);
        }
        return signing;
    }

    private FirmwarePackage firmware(String version, TinyFirmware.Shape shape, long counter)
            throws Exception {
        return signing().firmware(TinyFirmware.kar(work(), version, shape), FEATURE, version, counter);
    }

    /** @return "version STATE" of every installed bundle of the firmware feature */
    private List<String> firmwareBundles() {
        return Arrays.stream(bundleContext.getBundles()).filter(b -> TinyFirmware.BUNDLE.equals(b.getSymbolicName()))
                .map(b -> b.getVersion() + " " + (b.getState() == Bundle.ACTIVE ? "ACTIVE" : "state " + b.getState()))
                .sorted().collect(Collectors.toList());
    }

    /**
     * @return the states of the firmware bundle's DS component configurations (awaited by the callers: SCR may
     *     process a bundle's start after Karaf's deployment returned)
     */
    private List<Integer> componentStates() {
        Bundle b = bundle(TinyFirmware.BUNDLE).orElseThrow();
        return scr.getComponentDescriptionDTOs(b).stream().filter(d -> TinyFirmware.COMPONENT.equals(d.name))
                .flatMap((ComponentDescriptionDTO d) -> scr.getComponentConfigurationDTOs(d).stream())
                .map(c -> c.state).collect(Collectors.toList());
    }

    private String swv() {
        return executeCommand("dm:get ./DevDetail/SwV").lines().findFirst().orElse("").strip();
    }

    private static Path karStorage() {
        return Paths.get(System.getProperty("karaf.data"), "kar").toAbsolutePath().normalize();
    }

    private static Path karFolder(String version) {
        return karStorage().resolve("cardinal-fumo-" + FEATURE + "-" + version);
    }

    /** @return what is left in the KAR storage besides the agent's version folders (staging folders) */
    private static List<String> leftovers() throws Exception {
        try (Stream<Path> s = Files.list(karStorage())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted()
                    .collect(Collectors.toList());
        }
    }

    private URI repositoryOf(String version) {
        return karFolder(version).resolve("com/acme/it/" + FEATURE + "/" + version + "/" + FEATURE + "-" + version
                + "-features.xml").toUri();
    }

    private List<URI> allRepositories() throws Exception {
        return Arrays.stream(features.listRepositories()).map(Repository::getURI).sorted().collect(Collectors.toList());
    }

    /** @return the registered repositories that define the firmware feature */
    private List<URI> ourRepositories() throws Exception {
        Set<URI> ours = new TreeSet<>();
        for (Repository r : features.listRepositories()) {
            if (Arrays.stream(r.getFeatures()).anyMatch(f -> FEATURE.equals(f.getName()))) {
                ours.add(r.getURI());
            }
        }
        return List.copyOf(ours);
    }
}
