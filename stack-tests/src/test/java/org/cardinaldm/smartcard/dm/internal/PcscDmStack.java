package org.cardinaldm.smartcard.dm.internal;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.cardinaldm.api.Principal;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.smartcard.api.CardListener;
import org.cardinaldm.smartcard.dm.internal.mo.SmartCardPluginAccess;
import org.cardinaldm.smartcard.pcsc.internal.PcscCardBackend;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdConnector;
import org.cardinaldm.stacktest.card.CardStack;
import org.cardinaldm.tree.internal.DmTreeImpl;
import org.cardinaldm.testing.tree.InMemoryTreeStore;
import org.osgi.util.converter.Converters;

/**
 * The DM card stack on the real pcscd, shared by smartcard-dm's pcscd tests: the card stack
 * ({@link CardStack#overPcscd(int)}, vpcd's reader {@value #READER}) with the software card with the demo profile
 * (an image file, personalised afresh) as its own card, the DM card service on top, and {@code ./SmartCard}
 * mounted in a tree engine; {@link #server} acts as the demo card's DM server. The stack holds the cross-JVM vpcd
 * port lock from {@link #start} to {@link #close}. Callers check {@link org.cardinaldm.testing.RequiresPcscd} first.
 */
final class PcscDmStack implements AutoCloseable {
    static final String READER = CardStack.VPCD_READER_0;
    static final int PORT = CardStack.VPCD_PORT_0;

    CardStack cards;
    CardStack.Events events;
    SimCardHandle card;
    VpcdConnector vpcd;
    PcscCardBackend backend;
    DmCardServiceImpl dm;
    DmTreeImpl tree;
    TreeAccess server;

    private PcscDmStack() {
    }

    /**
     * @param image the card's image file (personalised from the demo profile)
     * @param readerListeners listeners of the card service's own events, besides the DM card service
     * @return the stack, the card connected to vpcd (not necessarily read yet: wait for {@link #events})
     * @throws Exception when a part cannot be set up; what was set up is closed
     */
    static PcscDmStack start(Path image, CardListener... readerListeners) throws Exception {
        PcscDmStack s = new PcscDmStack();
        try {
            s.cards = CardStack.overPcscd(0)
                    .card(SimCardHandle.open(image, null, SimCardHandle.Personalize.ALWAYS))
                    .dm((cards, clock) -> new DmCardServiceImpl(cards, Converters.standardConverter()
                            .convert(Map.of(".device.key", DemoCard.DEVICE_KEY)).to(DmCardServiceImpl.Config.class)))
                    .recordEvents().listeners(readerListeners).start();
            s.events = s.cards.events();
            s.card = s.cards.card();
            s.vpcd = s.cards.vpcd();
            s.backend = s.cards.pcscBackend();
            s.dm = s.cards.dm();
            Map<String, Object> treeConfig = new HashMap<>();
            treeConfig.put("root.acl", "Add=*&Get=*&Replace=*&Delete=*");
            s.tree = new DmTreeImpl(new InMemoryTreeStore(), Converters.standardConverter().convert(treeConfig)
                    .to(DmTreeImpl.Config.class));
            Method mount = DmTreeImpl.class.getDeclaredMethod("mountPlugin", ManagementObjectPlugin.class, Map.class,
                    String.class);
            mount.setAccessible(true);
            mount.invoke(s.tree, SmartCardPluginAccess.create(s.dm),
                    Map.of(ManagementObjectPlugin.ROOT_PROPERTY, "./SmartCard"), "org.cardinaldm.smartcard.dm");
            s.server = s.tree.as(Principal.server(DemoCard.SERVER_ID));
            return s;
        } catch (Exception | AssertionError e) {
            s.close();
            throw e;
        }
    }

    /** Stops the card stack (which releases the vpcd port last). */
    @Override
    public void close() throws Exception {
        if (cards != null) {
            cards.close();
        }
    }
}
