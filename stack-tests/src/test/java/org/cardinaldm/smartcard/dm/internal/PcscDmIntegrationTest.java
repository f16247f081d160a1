package org.cardinaldm.smartcard.dm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.smartcard.dm.api.DigestType;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.api.DmCardEvent;
import org.cardinaldm.smartcard.pcsc.internal.PcscCardBackend;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdConnector;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdPortLock;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.tree.internal.DmTreeImpl;
import org.cardinaldm.testing.ExternalTool;
import org.cardinaldm.testing.RequiresPcscd;
import org.cardinaldm.stacktest.card.CardStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DM card through the real pcscd: the software card with the demo profile plugged into vpcd's reader
 * "Virtual PCD 00 00" (TCP 35963), reached through javax.smartcardio by the PC/SC backend, behind the card
 * service, the DM card service and {@code ./SmartCard} in the tree engine. Needs pcscd and vsmartcard-vpcd
 * ({@link RequiresPcscd}); the opensc-tool check needs opensc ({@link ExternalTool}): skipped without them,
 * failed with {@code CI=true}. Holds vpcd port 35963 ({@link VpcdPortLock}) for its whole run.
 */
@RequiresPcscd
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(90)
class PcscDmIntegrationTest {
    private static final String READER = PcscDmStack.READER;
    private static final byte[] NONCE = "pcscd-nonce-0001".getBytes(StandardCharsets.US_ASCII);

    private PcscDmStack stack;
    private SimCardHandle card;
    private VpcdConnector vpcd;
    private PcscCardBackend backend;
    private DmCardServiceImpl dm;
    private DmTreeImpl tree;
    private TreeAccess server;
    private CardStack.Events events;

    @BeforeAll
    @Timeout(360)
    void start(@TempDir Path dir) throws Exception {
        stack = PcscDmStack.start(dir.resolve("dm.img"));
        card = stack.card;
        vpcd = stack.vpcd;
        backend = stack.backend;
        dm = stack.dm;
        tree = stack.tree;
        server = stack.server;
        events = stack.events;
    }

    @AfterAll
    void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    /** Waits for the card to be read; vpcd may report a stale connection removed once first. */
    private DmCard awaitCard() throws InterruptedException {
        while (true) {
            DmCardEvent e = events.next();
            if (e.type() != DmCardEvent.Type.REMOVED && dm.card(READER).isPresent()) {
                return dm.card(READER).get();
            }
        }
    }

    private static NodeUri u(String s) {
        return NodeUri.of("./SmartCard/" + s);
    }

    @Test
    @Order(1)
    void insertion_is_detected_and_the_bootstrap_and_policy_are_read() throws Exception {
        DmCard c = awaitCard();
        assertThat(c.reader()).isEqualTo(READER);
        assertThat(c.bootstrapDocument()).contains(DemoCard.bootstrapWbxml());
        assertThat(c.policy()).isEqualTo(DemoCard.policy());
        assertThat(c.credentials()).isEqualTo(DemoCard.credentials());
        assertThat(server.get(u("Info/CardId")).asString()).isEqualTo("989400000000000010F2");
    }

    @Test
    @Order(2)
    void an_unchanged_card_is_rechecked_with_one_apdu_through_pcscd() throws Exception {
        awaitPresentCard();
        dm.stats().reset();
        long t0 = System.nanoTime();
        assertThat(dm.refresh(READER)).isPresent();
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0);
        assertThat(dm.stats().apdus()).isEqualTo(1);
        System.out.printf("pcscd: warm re-check %d APDU in %d us%n", dm.stats().apdus(), micros);
    }

    @Test
    @Order(3)
    void a_change_without_the_cards_authorisation_is_refused() throws Exception {
        awaitPresentCard();
        try {
            server.replace(u("MO/Operator/Name"), NodeValue.ofString("Unauthorised"));
            fail("the card should refuse");
        } catch (DmException e) {
            assertThat(e.status()).isEqualTo(StatusCode.PERMISSION_DENIED);
        }
        assertThat(server.get(u("MO/Operator/Name")).asString()).isEqualTo("Cardinal Demo Telecom");
    }

    @Test
    @Order(4)
    void an_mo_changed_through_the_tree_is_on_the_card_after_a_power_cycle_and_removal_is_noticed() throws Exception {
        DmCard c = awaitPresentCard();
        byte[] challenge = c.serverChallenge(DemoCard.SERVER_ID).orElseThrow();
        byte[] digest = Base64.getDecoder().decode(Credentials.md5Digest(DemoCard.SERVER_NAME, DemoCard.SERVER_SECRET, challenge));
        assertThat(c.verifyServer(DemoCard.SERVER_ID, DigestType.MD5, challenge, null, digest)).isTrue();
        server.replace(u("MO/Operator/Name"), NodeValue.ofString("Changed through pcscd"));
        assertThat(Base64.getEncoder().encodeToString(c.computeDigest(DemoCard.SERVER_ID, DigestType.MD5, NONCE, null)))
                .isEqualTo(Credentials.md5Digest(DemoCard.CLIENT_NAME, DemoCard.CLIENT_SECRET, NONCE));
        vpcd.pull();
        assertThat(events.next(DmCardEvent.Type.REMOVED).reader()).isEqualTo(READER);
        assertThat(server.children(NodeUri.of("./SmartCard"))).isEmpty();
        vpcd.insert();
        awaitCard();
        assertThat(server.get(u("MO/Operator/Name")).asString()).isEqualTo("Changed through pcscd");
    }

    @Test
    @Order(5)
    void a_server_verified_seconds_before_its_change_may_still_change_and_end_dm_session_gives_the_card_back()
            throws Exception {
        DmCard c = awaitPresentCard();
        byte[] challenge = c.serverChallenge(DemoCard.SERVER_ID).orElseThrow();
        byte[] digest = Base64.getDecoder().decode(Credentials.md5Digest(DemoCard.SERVER_NAME, DemoCard.SERVER_SECRET, challenge));
        String name = "Changed seconds after the server's authentication";
        assertThat(c.verifyServer(DemoCard.SERVER_ID, DigestType.MD5, challenge, null, digest)).isTrue();
        assertThat(backend.isHoldingCard()).as("the DM session holds the card").isTrue();

        // only the delay (a DM server's writes follow its authentication after network round trips), well
        // beyond pcscd's power-off grace of about 0.5 s; nothing below depends on how long it took
        Thread.sleep(3000);

        assertThat(card.uicc().isPowered()).isTrue();
        server.replace(u("MO/Operator/Name"), NodeValue.ofString(name));
        assertThat(server.get(u("MO/Operator/Name")).asString()).isEqualTo(name);

        c.endDmSession();

        assertThat(dm.holdsCard(READER)).isFalse();
        assertThat(backend.isHoldingCard()).as("the card is given back").isFalse();
        try {
            server.replace(u("MO/Operator/Name"), NodeValue.ofString("After the session"));
            fail("the card should refuse after END DM SESSION");
        } catch (DmException e) {
            assertThat(e.status()).isEqualTo(StatusCode.PERMISSION_DENIED);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (card.uicc().isPowered()) { // pcscd powers the released, idle card off
            assertThat(System.nanoTime()).as("pcscd powers the released card off").isLessThan(deadline);
            Thread.sleep(50);
        }
        vpcd.pull();
        assertThat(events.next(DmCardEvent.Type.REMOVED).reader()).isEqualTo(READER);
        vpcd.insert();
        awaitCard();
        assertThat(server.get(u("MO/Operator/Name")).asString()).as("on the card after a power cycle").isEqualTo(name);
        assertThat(dm.holdsCard(READER)).isFalse();
    }

    @Test
    @Order(6)
    void an_independent_pcsc_client_sees_the_reader_the_atr_and_the_pkcs15_application() throws Exception {
        awaitPresentCard();
        Path tool = ExternalTool.require("opensc-tool", "opensc").path();
        String readers = run(tool.toString(), "--list-readers");
        assertThat(readers).contains(READER);
        String atr = run(tool.toString(), "-r", READER, "-a");
        assertThat(atr.replace(":", "").replace(" ", "").toUpperCase()).contains(DemoCard.HEX.formatHex(card.uicc().atr()));
        String select = run(tool.toString(), "-r", READER, "-s", "00 A4 04 0C 0C A0 00 00 00 63 50 4B 43 53 2D 31 35");
        assertThat(select).contains("SW1=0x90, SW2=0x00");
    }

    private DmCard awaitPresentCard() throws InterruptedException {
        while (dm.card(READER).isEmpty()) {
            awaitCard();
        }
        return dm.card(READER).get();
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
