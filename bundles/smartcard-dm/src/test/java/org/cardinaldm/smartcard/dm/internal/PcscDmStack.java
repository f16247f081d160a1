package org.cardinaldm.smartcard.dm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.cardinaldm.api.Principal;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.smartcard.api.CardListener;
import org.cardinaldm.smartcard.core.internal.CardServiceImpl;
import org.cardinaldm.smartcard.dm.internal.mo.SmartCardPluginAccess;
import org.cardinaldm.smartcard.pcsc.internal.PcscCardBackend;
import org.cardinaldm.smartcard.pcsc.internal.PcscContext;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdConnector;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdPortLock;
import org.cardinaldm.tree.internal.DmTreeImpl;
import org.cardinaldm.tree.internal.InMemoryTreeStore;
import org.osgi.util.converter.Converters;

/**
 * The DM card stack on the real pcscd, shared by this module's pcscd tests: the software card with the demo
 * profile (an image file, personalised afresh) plugged into vpcd's reader {@value #READER} (TCP {@value #PORT}),
 * read through javax.smartcardio by the PC/SC backend, behind the card service, the DM card service and
 * {@code ./SmartCard} mounted in a tree engine; {@link #server} acts as the demo card's DM server. Holds the
 * cross-JVM vpcd port lock from {@link #start} to {@link #close}. Callers check {@link org.cardinaldm.testing.RequiresPcscd} first.
 */
final class PcscDmStack implements AutoCloseable {
    static final String READER = "Virtual PCD 00 00";
    static final int PORT = 35963;

    final CardStack.Events events = new CardStack.Events();
    VpcdPortLock port;
    SimCardHandle card;
    VpcdConnector vpcd;
    PcscContext context;
    PcscCardBackend backend;
    CardServiceImpl cardService;
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
            s.port = VpcdPortLock.acquire(PORT, Duration.ofMinutes(5));
            s.card = SimCardHandle.open(image, null, SimCardHandle.Personalize.ALWAYS);
            s.vpcd = new VpcdConnector("127.0.0.1", PORT, s.card, true);
            assertThat(s.vpcd.awaitConnected(10_000)).as("connected to vpcd on %d", PORT).isTrue();
            s.context = new PcscContext();
            s.context.activate(Converters.standardConverter().convert(Map.of("event.wait.millis", 200, "retry.millis", 500))
                    .to(PcscContext.Config.class));
            s.backend = new PcscCardBackend(s.context, Converters.standardConverter()
                    .convert(Map.of("card.reader", READER, "exclusive", true)).to(PcscCardBackend.Config.class));
            s.cardService = new CardServiceImpl();
            s.dm = new DmCardServiceImpl(s.cardService, Converters.standardConverter()
                    .convert(Map.of(".device.key", DemoCard.DEVICE_KEY)).to(DmCardServiceImpl.Config.class));
            s.dm.addListener(s.events, Map.of());
            s.cardService.addListener(s.dm, Map.of());
            for (CardListener l : readerListeners) {
                s.cardService.addListener(l, Map.of());
            }
            s.cardService.addBackend(s.backend, Map.of("card.reader", READER, "card.backend", "pcsc"));
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

    /** Stops everything in the reverse order, then releases the vpcd port. */
    @Override
    public void close() throws Exception {
        if (dm != null) {
            dm.deactivate();
        }
        if (cardService != null) {
            cardService.deactivate();
        }
        if (backend != null) {
            backend.close();
        }
        if (context != null) {
            context.deactivate();
        }
        if (vpcd != null) {
            vpcd.close();
        }
        if (card != null) {
            card.close();
        }
        if (port != null) {
            port.close();
        }
    }
}
