package org.cardinaldm.smartcard.dm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.smartcard.api.CardEvent;
import org.cardinaldm.smartcard.api.CardListener;
import org.cardinaldm.smartcard.dm.api.DigestType;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.api.DmCardEvent;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdConnector;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdPortLock;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.testing.RequiresPcscd;
import org.cardinaldm.stacktest.card.CardStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tear test through the real pcscd ({@code docs/smartcard-profile.md}, A4 and "Tests on the real PC/SC
 * daemon"): the demo card, kept in an image file, is plugged into vpcd's reader "Virtual PCD 00 00" and reached
 * through javax.smartcardio by the PC/SC backend; a server changes {@code ./SmartCard/MO/Operator/Name} through
 * the tree (the MO store is written with the tear-safe protocol), and the card is pulled — the vpcd connection
 * dropped and the card's power cut — at every APDU of that write, once before the card sees the APDU and once
 * after it processed (and stored) it but before the answer reaches pcscd, for several rounds. After each pull
 * the card is inserted again and read from scratch: the MO store is byte for byte the old or the new document,
 * never a mix, and matches its control. Needs pcscd and vsmartcard-vpcd ({@link RequiresPcscd}); holds
 * vpcd port 35963 ({@link VpcdPortLock}).
 */
@RequiresPcscd
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PcscTearTest {
    private static final String READER = PcscDmStack.READER;
    private static final int ROUNDS = 3;
    private static final byte[] NONCE = "pcscd-tear-nonce".getBytes(StandardCharsets.US_ASCII);
    private static final NodeUri NAME = NodeUri.of("./SmartCard/MO/Operator/Name");
    private static final String OLD = "Cardinal Demo Telecom";
    /** Long enough that the store takes two UPDATE BINARY chunks. */
    private static final String NEW = "Torn through pcscd? Never: " + "y".repeat(300);

    private PcscDmStack stack;
    private SimCardHandle card;
    private VpcdConnector vpcd;
    private DmCardServiceImpl dm;
    private TreeAccess server;
    private CardStack.Events events;
    /** The card service's own events: a removal reported by pcscd. */
    private final BlockingQueue<CardEvent> readerEvents = new LinkedBlockingQueue<>();
    private final CardListener readerListener = readerEvents::add;

    @BeforeAll
    @Timeout(360)
    void start(@TempDir Path dir) throws Exception {
        stack = PcscDmStack.start(dir.resolve("tear.img"), readerListener);
        card = stack.card;
        vpcd = stack.vpcd;
        dm = stack.dm;
        server = stack.server;
        events = stack.events;
    }

    @AfterAll
    void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    /** Waits until the DM card service has read the card in the reader (vpcd may flap once after a connect). */
    private DmCard awaitCard() throws InterruptedException {
        while (dm.card(READER).isEmpty()) {
            events.next(DmCardEvent.Type.INSERTED);
        }
        return dm.card(READER).get();
    }

    /** Waits until pcscd (through the card service) reported the card removed. */
    private void awaitRemovalSeenByPcscd() throws InterruptedException {
        while (true) {
            CardEvent e = readerEvents.poll(20, TimeUnit.SECONDS);
            assertThat(e).as("pcscd reports the pulled card removed").isNotNull();
            if (e.type() == CardEvent.Type.CARD_REMOVED) {
                return;
            }
        }
    }

    private void authenticate(DmCard c) throws Exception {
        byte[] challenge = c.serverChallenge(DemoCard.SERVER_ID).orElseThrow();
        byte[] digest = Base64.getDecoder().decode(Credentials.md5Digest(DemoCard.SERVER_NAME, DemoCard.SERVER_SECRET, challenge));
        assertThat(c.verifyServer(DemoCard.SERVER_ID, DigestType.MD5, challenge, null, digest)).isTrue();
    }

    /** @return the MO store as it is on the card now (read from the card, checked against its control) */
    private byte[] storeOnCard() throws Exception {
        return dm.moStore(READER, true).orElseThrow().content();
    }

    @Test
    @Timeout(900)
    void an_mo_store_write_torn_at_every_apdu_through_pcscd_leaves_the_old_or_the_new_store() throws Exception {
        DmCard c = awaitCard();
        authenticate(c);
        byte[] oldStore = storeOnCard();
        server.replace(NAME, NodeValue.ofString(NEW)); // warm: the tree has the store decoded from here on
        server.replace(NAME, NodeValue.ofString(OLD));
        long first = vpcd.apduCount();
        server.replace(NAME, NodeValue.ofString(NEW));
        long toNew = vpcd.apduCount() - first;
        byte[] newStore = storeOnCard();
        first = vpcd.apduCount();
        server.replace(NAME, NodeValue.ofString(OLD));
        long toOld = vpcd.apduCount() - first;
        assertThat(storeOnCard()).as("the store written back is the old document").isEqualTo(oldStore);
        assertThat(toOld).as("APDUs of one write (counter checks, SELECT, slot chunk(s), control)").isGreaterThanOrEqualTo(4);
        assertThat(toNew).as("the new store takes one more UPDATE BINARY chunk").isGreaterThan(toOld);
        System.out.printf("pcscd tear test: %d APDUs per MO write to the new store, %d back to the old%n", toNew, toOld);

        Map<String, Integer> outcomes = new TreeMap<>();
        int armed = 0;
        int pulled = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            for (long k = 1; k <= toNew; k++) {
                for (boolean afterProcessing : new boolean[] {false, true}) {
                    String before = server.get(NAME).asString();
                    String next = before.equals(OLD) ? NEW : OLD;
                    if (k > (next.equals(NEW) ? toNew : toOld)) {
                        continue;
                    }
                    events.clear();
                    readerEvents.clear();
                    armed++;
                    vpcd.tearAt(vpcd.apduCount() + k, afterProcessing);
                    String reply = "ok";
                    try {
                        server.replace(NAME, NodeValue.ofString(next));
                    } catch (DmException e) {
                        reply = Integer.toString(e.status().code());
                    }
                    vpcd.tearAt(0, false);
                    if (!vpcd.isInserted()) {
                        pulled++;
                        awaitRemovalSeenByPcscd();
                        events.next(DmCardEvent.Type.REMOVED);
                        vpcd.insert();
                        assertThat(vpcd.awaitConnected(10_000)).as("connected again").isTrue();
                        events.next(DmCardEvent.Type.INSERTED);
                    }
                    c = awaitCard();
                    String label = String.format("round %d, pulled %s APDU %d of the write (tree answered %s)", round,
                            afterProcessing ? "after" : "before", k, reply);
                    byte[] now = storeOnCard();
                    byte[] wasStore = before.equals(OLD) ? oldStore : newStore;
                    byte[] nextStore = next.equals(OLD) ? oldStore : newStore;
                    assertThat(now).as("%s: the store is the old or the new document", label)
                            .satisfiesAnyOf(st -> assertThat(st).isEqualTo(wasStore), st -> assertThat(st).isEqualTo(nextStore));
                    String name = server.get(NAME).asString();
                    assertThat(name).as(label).isIn(before, next);
                    assertThat(dm.validated(READER).orElseThrow().problems()).as("%s: no slot off its control", label)
                            .isEmpty();
                    outcomes.merge((name.equals(next) ? "new" : "old") + " when pulled " + (afterProcessing ? "after" : "before")
                            + " APDU " + k + " (tree answered " + reply + ")", 1, Integer::sum);
                    authenticate(c); // the pull closed the card's dm state
                }
            }
        }
        System.out.printf("pcscd tear test: %d pulls; outcomes %s%n", pulled, outcomes);
        assertThat(pulled).as("every armed tear pulled the card").isEqualTo(armed);
        assertThat(armed).isGreaterThanOrEqualTo(ROUNDS * 2 * (int) toOld);
        assertThat(outcomes.keySet()).anyMatch(o -> o.startsWith("old")).anyMatch(o -> o.startsWith("new"));
    }
}
