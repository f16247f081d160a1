package org.cardinaldm.itests;

import static org.cardinaldm.itests.ShellOutput.assertContains;
import static org.cardinaldm.itests.ShellOutput.assertRefused;
import static org.cardinaldm.itests.ShellOutput.firstLine;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.KarafDistributionOption;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The smart-card stack of the real distribution on the machine's pcscd (issue 5, "Karaf itests with the
 * simulated card on a real pcscd through vpcd"). In one boot: the test installs {@code cardinal-smartcard-pcsc},
 * configures the PC/SC backend on vpcd's reader "Virtual PCD 00 00" and plugs the software card (demo profile,
 * image under {@code karaf.data}) into vpcd port 35963 through smartcard-sim's vpcd connector
 * ({@code org.cardinaldm.smartcard.sim.vpcd} factory configuration), then proves: the insertion is detected
 * ({@code card:list}: pcsc, present, the ATR), the bootstrap document and policy are read ({@code card:info},
 * {@code card:cat}), a change of the card-resident MO store by a server the card did not authenticate is
 * refused (425), after the card verified the server's digest ({@code DmCard.verifyServer}, what the DM client's
 * card credential provider does with a server's credentials) a {@code dm:set --as cardinal-dms ./SmartCard/MO/…}
 * seconds later (pcscd powers an idle card off after half a second; Cardinal holds the card for the DM session)
 * is written to the card and is still there after a power cycle (the card process disconnected and started
 * again from its image), END DM SESSION closes the card's dm state again, removal is noticed, an independent PC/SC client (opensc-tool) sees the reader, ATR and the PKCS#15
 * application, and {@code cardsim:personalize} rewrites the card through pcscd.
 *
 * <p>Needs pcscd with vsmartcard-vpcd running (and opensc for one test): without them the class is skipped,
 * or fails when {@code CI=true}. It holds {@code /tmp/cardinal-vpcd-35963.lock} while it runs, like every
 * Cardinal test that uses vpcd port 35963, and never touches port 35964.
 */
@RunWith(PcscdPaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CardinalPcscIT extends CardinalKarafTestSupport {
    private static final String READER = "Virtual PCD 00 00";
    private static final int VPCD_PORT = 35963;
    private static final String SERVER = "cardinal-dms";
    private static final String SERVER_SECRET = "cardinal-dms-demo-secret";
    /** The demo card's server key (EF.DMKEYS, docs/smartcard-profile.md A5.3). */
    private static final int SERVER_KEY = 3;
    private static final String DEMO_CARD_ID = "989400000000000010F2";
    private static final String NAME = "./SmartCard/MO/Operator/Name";
    private static final String DEMO_NAME = "Cardinal Demo Telecom";
    private static final Path OPENSC_TOOL = Paths.get("/usr/bin/opensc-tool");
    private static final Pattern ROW = Pattern.compile("^" + Pattern.quote(READER)
            + "\\s*\\|\\s*pcsc\\s*\\|\\s*(present|absent)\\s*\\|\\s*([0-9A-F]*)\\s*$", Pattern.MULTILINE);

    /** Held for the class (in whichever JVM runs the class rules); released by {@link #releasePort()} or exit. */
    private static FileChannel portChannel;
    private static FileLock portLock;

    /** The card stack logs at DEBUG (one line per card command, no APDU data) into karaf.log, for failure analysis. */
    @Override
    protected Option[] containerOptions() {
        return new Option[] {
            KarafDistributionOption.editConfigurationFilePut("etc/org.ops4j.pax.logging.cfg",
                    "log4j2.logger.cardinalcard.name", "org.cardinaldm.smartcard"),
            KarafDistributionOption.editConfigurationFilePut("etc/org.ops4j.pax.logging.cfg",
                    "log4j2.logger.cardinalcard.level", "DEBUG"),
        };
    }

    /** Skips (or, with CI=true, fails) without pcscd and vpcd; then waits for vpcd port 35963. */
    @BeforeClass
    public static void holdVpcdPort() throws Exception {
        requirePcscd();
        portChannel = FileChannel.open(Paths.get("/tmp/cardinal-vpcd-" + VPCD_PORT + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        ExecutorService waiter = Executors.newSingleThreadExecutor();
        try {
            Future<FileLock> lock = waiter.submit(() -> portChannel.lock());
            portLock = lock.get(5, TimeUnit.MINUTES); // another test on the machine's vpcd reader ends first
        } finally {
            waiter.shutdownNow();
        }
    }

    @AfterClass
    public static void releasePort() throws IOException {
        if (portLock != null) {
            portLock.release();
        }
        if (portChannel != null) {
            portChannel.close();
        }
    }

    /** The runner decided already in the test JVM; the container checks again before it touches vpcd. */
    private static void requirePcscd() {
        missing(PcscdCheck.missing().orElse(null), "CardinalPcscIT");
    }

    private static void missing(String missing, String what) {
        if (missing == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(what + " cannot run: " + missing);
        }
        Assume.assumeTrue(what + " skipped: " + missing, false);
    }

    private static Path etc(String file) {
        return Paths.get(System.getProperty("karaf.etc")).resolve(file);
    }

    private static Path vpcdCardConfig() {
        return etc("org.cardinaldm.smartcard.sim.vpcd-itest.cfg");
    }

    /** Inserts the software card into vpcd: its factory configuration appears in etc/ (the card powers up). */
    private static void insertCard() throws IOException {
        Files.writeString(vpcdCardConfig(), String.join("\n",
                "vpcd.host = 127.0.0.1",
                "vpcd.port = " + VPCD_PORT,
                "card.reader = " + READER,
                "image.file = cardinal/smartcard/vpcd-itest.img",
                "profile.file =",
                "personalize = if-absent",
                "inserted = true", ""));
    }

    /** Pulls the card: its configuration goes, the component disconnects from vpcd and the card loses power. */
    private static void pullCard() throws IOException {
        Files.deleteIfExists(vpcdCardConfig());
    }

    /**
     * Once per container: the PC/SC backend feature, its reader, ./SmartCard showing that reader, and the card
     * inserted (the lock is held by now: {@link #holdVpcdPort()}).
     */
    @Before
    public void setUpPcsc() throws Exception {
        requirePcscd();
        if (bundle("org.cardinaldm.smartcard.pcsc").isEmpty()) {
            String out = executeCommand("feature:install cardinal-smartcard-pcsc");
            assertTrue(out, !out.contains("Error"));
        }
        await().until(() -> bundle("org.cardinaldm.smartcard.pcsc").map(Bundle::getState).orElse(0) == Bundle.ACTIVE);
        if (!Files.exists(etc("org.cardinaldm.smartcard.pcsc-itest.cfg"))) {
            Files.writeString(etc("org.cardinaldm.smartcard.dm.tree.cfg"), "reader = " + READER + "\n");
            Files.writeString(etc("org.cardinaldm.smartcard.pcsc-itest.cfg"),
                    "card.reader = " + READER + "\nexclusive = true\n");
            insertCard();
        }
    }

    /** @return the card:list row of the vpcd reader once it shows the card in that state: state and ATR */
    private String[] awaitReader(String state) {
        AtomicReference<String[]> row = new AtomicReference<>();
        await().untilAsserted(() -> {
            String list = executeCommand("card:list");
            Matcher m = ROW.matcher(list);
            assertTrue("expected '" + READER + " | pcsc | " + state + " | …' in:\n" + list, m.find() && m.group(1).equals(state));
            row.set(new String[] {m.group(1), m.group(2)});
        });
        return row.get();
    }

    /** Waits until ./SmartCard shows the card in the vpcd reader (the DM card service has read it). */
    private void awaitDmCard() {
        awaitReader("present");
        await().untilAsserted(() -> assertEquals(READER, firstLine(executeCommand("dm:get ./SmartCard/Info/Reader"))));
    }

    private void awaitName(String expected) {
        awaitDmCard();
        await().untilAsserted(() -> assertEquals(expected, firstLine(executeCommand("dm:get " + NAME))));
    }

    /** Power cycle: the card is pulled (removal seen by pcscd, the card service and the tree), then inserted. */
    private void powerCycle() throws IOException {
        pullCard();
        String[] row = awaitReader("absent");
        assertEquals("no ATR without a card", "", row[1]);
        await().untilAsserted(() -> assertEquals("", executeCommand("dm:ls ./SmartCard").lines().skip(1)
                .map(String::trim).reduce("", String::concat)));
        insertCard();
        awaitDmCard();
    }

    /** The server's md5 digest for a nonce (OMA DM 1.2: MD5(B64(MD5(name:secret)) ":" nonce)), as the server would send it. */
    private static byte[] serverDigest(byte[] nonce) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        byte[] key = md5.digest((SERVER + ":" + SERVER_SECRET).getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(Base64.getEncoder().encodeToString(key).getBytes(StandardCharsets.US_ASCII));
        b.write(':');
        b.write(nonce);
        return md5.digest(b.toByteArray());
    }

    /** VERIFY SERVER DIGEST (80 34, docs/smartcard-profile.md A8.3) through card:apdu: the card opens its dm state. */
    private String verifyServerOnCard(byte[] digest) throws Exception {
        return executeCommand(verifyServerCommand(digest));
    }

    /** @return the card:apdu command line of VERIFY SERVER DIGEST for the given digest (null: the right one) */
    private static String verifyServerCommand(byte[] digest) throws Exception {
        byte[] nonce = "itest-01".getBytes(StandardCharsets.US_ASCII);
        HexFormat hex = HexFormat.of().withUpperCase();
        String data = "80" + String.format("%02X", nonce.length) + hex.formatHex(nonce) + "8210" + hex.formatHex(
                digest == null ? serverDigest(nonce) : digest);
        String apdu = String.format("8034%02X%02X%02X", 1, SERVER_KEY, data.length() / 2) + data;
        return "card:apdu --reader '" + READER + "' " + apdu;
    }

    /**
     * Calls the DM card of the vpcd reader as the DM client's card credential provider does (smartcard-dm's
     * {@code DmCards} service; reflection, since the itests compile without Cardinal's bundles).
     *
     * @param operation {@code verifyServer} (MD5 digest of the demo server for the card's own challenge, as the DM
     *        client has the server compute it) or {@code endDmSession}
     * @return the result of verifyServer; true for endDmSession
     */
    private boolean dmCard(String operation) throws Exception {
        org.osgi.framework.ServiceReference<?> ref = bundleContext.getServiceReference("org.cardinaldm.smartcard.dm.api.DmCards");
        assertTrue("the DmCards service", ref != null);
        Object cards = bundleContext.getService(ref);
        try {
            ClassLoader api = cards.getClass().getClassLoader();
            Class<?> dmCards = api.loadClass("org.cardinaldm.smartcard.dm.api.DmCards");
            Class<?> dmCard = api.loadClass("org.cardinaldm.smartcard.dm.api.DmCard");
            Optional<?> card = (Optional<?>) dmCards.getMethod("card", String.class).invoke(cards, READER);
            assertTrue("a DM card in " + READER, card.isPresent());
            try {
                if ("endDmSession".equals(operation)) {
                    dmCard.getMethod("endDmSession").invoke(card.get());
                    return true;
                }
                Class<?> digestType = api.loadClass("org.cardinaldm.smartcard.dm.api.DigestType");
                Object md5 = digestType.getField("MD5").get(null);
                // the card verifies the server only against a challenge it chose (profile 1.1)
                Optional<?> challenge = (Optional<?>) dmCard.getMethod("serverChallenge", String.class)
                        .invoke(card.get(), SERVER);
                assertTrue("the card's challenge for " + SERVER, challenge.isPresent());
                byte[] nonce = (byte[]) challenge.get();
                return (Boolean) dmCard.getMethod("verifyServer", String.class, digestType, byte[].class, byte[].class,
                        byte[].class).invoke(card.get(), SERVER, md5, nonce, null, serverDigest(nonce));
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw new AssertionError(operation + " failed: " + e.getCause(), e.getCause());
            }
        } finally {
            bundleContext.ungetService(ref);
        }
    }

    /** @return a card:info line as InfoCommand prints it */
    private static String info(String key, String value) {
        return String.format("%-22s %s", key + ":", value);
    }

    private static String response(String apduOut) {
        Optional<String> line = apduOut.lines().filter(l -> l.startsWith("<")).findFirst();
        assertTrue("a response line in:\n" + apduOut, line.isPresent());
        return line.get();
    }

    @Test
    public void insertion_is_detected_card_list_shows_the_vpcd_reader_present_with_the_cards_atr() {
        String[] row = awaitReader("present");

        assertTrue("ATR " + row[1] + " (TS 3B, T=1 auto ATR of the demo profile)", row[1].startsWith("3B87"));
        // the same demo profile in the in-JVM reader has the same ATR: pcscd passes the card's ATR through unchanged
        Matcher sim = Pattern.compile("^Cardinal SIM 0\\s*\\|\\s*sim\\s*\\|\\s*present\\s*\\|\\s*([0-9A-F]+)\\s*$",
                Pattern.MULTILINE).matcher(executeCommand("card:list"));
        assertTrue(sim.find());
        assertEquals(sim.group(1), row[1]);
        awaitDmCard();
        assertEquals(row[1], firstLine(executeCommand("dm:get ./SmartCard/Info/ATR")));
    }

    @Test
    public void the_bootstrap_document_and_the_policy_are_read_from_the_card_through_pcscd() {
        awaitDmCard();

        String info = executeCommand("card:info '" + READER + "'");
        assertContains(info("Reader", READER), info);
        assertContains(info("Card id", DEMO_CARD_ID), info);
        assertContains(info("Profile", "Cardinal DM 1.2"), info);
        assertContains(info("Bootstrap", "872 bytes (WBXML)"), info);
        assertContains(info("User confirmation", "false"), info);
        assertContains(info("Autonomous connection", "true"), info);
        assertContains(info("Allowed servers", "cardinal-dms"), info);
        String bootstrap = executeCommand("card:cat --reader '" + READER + "' bootstrap");
        assertContains("<LocURI>./DMAcc</LocURI>", bootstrap);
        assertContains("cardinal-dms", bootstrap);
        assertEquals(DEMO_CARD_ID, firstLine(executeCommand("dm:get ./SmartCard/Info/CardId")));
        assertEquals("cardinal-dms", firstLine(executeCommand("dm:get ./SmartCard/Policy/AllowedServers")));
    }

    @Test
    public void an_mo_changed_by_a_server_the_card_authenticated_is_on_the_card_after_a_power_cycle_and_without_authorisation_refused()
            throws Exception {
        awaitName(DEMO_NAME);

        // no server proved itself to the card: the card answers 6982, the tree 425, nothing changes
        assertRefused("425 Permission denied", executeCommand("dm:set --as " + SERVER + " " + NAME + " Intruder"));
        // a server digest from any other source does not open the card's dm state either: without the device's key
        // on that channel the card answers 6982, and a nonce that is not the card's own challenge gets 6985
        assertTrue(!response(verifyServerOnCard(new byte[16])).startsWith("< 9000"));
        assertRefused("425 Permission denied", executeCommand("dm:set --as " + SERVER + " " + NAME + " Intruder"));
        assertEquals(DEMO_NAME, firstLine(executeCommand("dm:get " + NAME)));

        // the card checks the server's digest (the secret stays on the card), as the DM client's card credential
        // provider has it do when the server authenticates in a DM session; the DM card service then holds the card
        assertTrue("the card accepts the server's digest", dmCard("verifyServer"));
        // the server's changes come after network round trips: only a delay, well beyond pcscd's power-off grace
        // (about 0.5 s after the last connection to an idle card closed); nothing depends on how long it took
        Thread.sleep(3000);
        String changed = "Changed in Karaf through pcscd";
        String out = executeCommand("dm:set --as " + SERVER + " " + NAME + " '" + changed + "'");
        assertContains("Replaced " + NAME, out);
        assertEquals(changed, firstLine(executeCommand("dm:get " + NAME)));
        // the end of the DM session closes the card's dm state and gives the card back
        dmCard("endDmSession");
        assertRefused("425 Permission denied", executeCommand("dm:set --as " + SERVER + " " + NAME + " Intruder"));
        assertEquals(changed, firstLine(executeCommand("dm:get " + NAME)));

        powerCycle();

        awaitName(changed);
        // the power loss closed the card's dm state: the next change needs the server again
        assertRefused("425 Permission denied", executeCommand("dm:set --as " + SERVER + " " + NAME + " Intruder"));
        assertEquals(changed, firstLine(executeCommand("dm:get " + NAME)));
    }

    @Test
    public void removal_is_noticed_by_card_list_card_info_and_the_tree() throws Exception {
        awaitDmCard();

        pullCard();

        awaitReader("absent");
        await().untilAsserted(() -> assertContains("No DM card in '" + READER + "'", executeCommand("card:info '" + READER + "'")));
        assertTrue(firstLine(executeCommand("dm:get ./SmartCard/Info/Reader")).startsWith("404"));
        insertCard();
        awaitDmCard();
    }

    @Test
    public void an_independent_pcsc_client_sees_the_reader_the_atr_and_the_pkcs15_application() throws Exception {
        String atr = awaitReader("present")[1];
        missing(Files.isExecutable(OPENSC_TOOL) ? null : "opensc-tool is not installed (Debian: apt-get install -y opensc)",
                "opensc-tool check");

        assertContains(READER, run(OPENSC_TOOL.toString(), "--list-readers"));
        String shown = run(OPENSC_TOOL.toString(), "-r", READER, "-a");
        assertContains(atr, shown.replace(":", "").replace(" ", "").toUpperCase(java.util.Locale.ROOT));
        String select = run(OPENSC_TOOL.toString(), "-r", READER, "-s", "00 A4 04 0C 0C A0 00 00 00 63 50 4B 43 53 2D 31 35");
        assertContains("SW1=0x90, SW2=0x00", select);
    }

    @Test
    public void cardsim_personalize_rewrites_the_vpcd_card_through_pcscd_and_the_tree_reads_it_again() throws Exception {
        awaitDmCard();
        Path profile = etc("itest-card.profile");
        Files.writeString(profile, "cardinal-uicc-profile 1\ncard protocol=T=1\nmf {\n  ef 0001 transparent size=4 read=always update=always {\n"
                + "    data text \"itst\"\n  }\n}\n");

        try {
            String out = executeCommand("cardsim:personalize '" + READER + "' " + profile);
            assertContains("Personalised the card in '" + READER + "'", out);
            // the card was taken out and inserted again: present for pcscd, no DM application for the tree
            await().untilAsserted(() -> {
                assertContains("No DM card in '" + READER + "'", executeCommand("card:info '" + READER + "'"));
                assertContains("< 69747374 9000", executeCommand("card:apdu --reader '" + READER + "' 00A4000C020001 00B0000004"));
            });
        } finally {
            String out = executeCommand("cardsim:personalize '" + READER + "' --demo");
            assertContains("built-in demo profile", out);
        }
        awaitName(DEMO_NAME);
        assertEquals(DEMO_CARD_ID, firstLine(executeCommand("dm:get ./SmartCard/Info/CardId")));
        // a reader without a software card behind it is refused (vpcd's second reader is not configured here)
        assertContains("No simulated card in a reader named 'Virtual PCD 00 01'",
                executeCommand("cardsim:personalize 'Virtual PCD 00 01' --demo"));
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(String.join(" ", command) + " finished", p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }
}
