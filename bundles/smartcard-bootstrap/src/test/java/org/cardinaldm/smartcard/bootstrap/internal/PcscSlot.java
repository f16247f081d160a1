package org.cardinaldm.smartcard.bootstrap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import javax.smartcardio.TerminalFactory;

import org.cardinaldm.smartcard.core.internal.CardServiceImpl;
import org.cardinaldm.smartcard.pcsc.internal.PcscCardBackend;
import org.cardinaldm.smartcard.pcsc.internal.PcscContext;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.card.CardImage;
import org.cardinaldm.smartcard.sim.internal.card.CardImageCodec;
import org.cardinaldm.smartcard.sim.internal.image.MemoryImageStore;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdConnector;
import org.awaitility.Awaitility;
import org.osgi.util.converter.Converters;

/**
 * vpcd's second reader "Virtual PCD 00 01" behind the real pcscd, reached through javax.smartcardio by the PC/SC
 * backend (one {@link PcscCardBackend} per rig, exclusive). Inserting a card plugs its image into vpcd on TCP
 * 35964 ({@link VpcdConnector}); pulling it closes that connection, which pcscd reports as a removal; a
 * replacement is a pull and a new connection with the other card's image. The caller holds
 * {@code VpcdPortLock.acquire(35964, …)} for as long as it uses the slot; tests on it carry
 * {@link org.cardinaldm.testing.RequiresPcscd}.
 */
final class PcscSlot implements CardSlot {
    static final String READER = "Virtual PCD 00 01";
    static final int PORT = 35964;

    private final PcscContext context;
    private PcscCardBackend backend;
    private VpcdConnector vpcd;

    /** @param context the PC/SC context the backend uses (the caller activates and deactivates it) */
    PcscSlot(PcscContext context) {
        this.context = context;
    }

    /** @return an activated PC/SC context that polls pcscd briskly */
    static PcscContext context() {
        PcscContext context = new PcscContext();
        context.activate(Converters.standardConverter().convert(Map.of("event.wait.millis", 200, "retry.millis", 500))
                .to(PcscContext.Config.class));
        return context;
    }

    @Override
    public String reader() {
        return READER;
    }

    /** @return the connection of the card in the reader now, or {@code null} */
    VpcdConnector vpcd() {
        return vpcd;
    }

    @Override
    public void insert(CardServiceImpl cards, TestCard card) throws Exception {
        if (backend == null) {
            backend = new PcscCardBackend(context, Converters.standardConverter()
                    .convert(Map.of("card.reader", READER, "exclusive", true)).to(PcscCardBackend.Config.class));
            cards.addBackend(backend, properties());
        }
        CardImage image = card.image();
        vpcd = new VpcdConnector("127.0.0.1", PORT, SimCardHandle.inMemory(image,
                new MemoryImageStore(CardImageCodec.encode(image))), true);
        assertThat(vpcd.awaitConnected(10_000)).as("card connected to vpcd on " + PORT).isTrue();
    }

    @Override
    public void pull(CardServiceImpl cards) throws IOException {
        VpcdConnector v = vpcd;
        vpcd = null;
        v.pull();
        v.close();
        v.card().close();
        awaitEmpty();
    }

    /**
     * Waits (bounded) until pcscd itself reports the reader empty, so that the next card's connection is never
     * taken for the pulled one (pcscd would then see no change and report no insertion).
     */
    private static void awaitEmpty() {
        Awaitility.await("pcscd reports " + READER + " empty").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> !TerminalFactory.getDefault().terminals().getTerminal(READER).isCardPresent());
    }

    @Override
    public void close(CardServiceImpl cards) throws IOException {
        if (vpcd != null) {
            pull(cards);
        }
        if (backend != null) {
            cards.removeBackend(backend, properties());
            backend.close();
            backend = null;
        }
    }

    private static Map<String, Object> properties() {
        return Map.of("card.reader", READER, "card.backend", "pcsc");
    }
}
