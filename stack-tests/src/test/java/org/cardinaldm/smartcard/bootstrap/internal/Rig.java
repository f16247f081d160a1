package org.cardinaldm.smartcard.bootstrap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.spi.transport.DmTransport;
import org.cardinaldm.client.api.SessionListener;
import org.cardinaldm.client.api.SessionRequest;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.client.api.spi.UserInteraction;
import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.client.internal.DmBootstrapImpl;
import org.cardinaldm.client.internal.DmClientImpl;
import org.cardinaldm.mo.dmacc.internal.DmAccountsImpl;
import org.cardinaldm.smartcard.core.internal.CardServiceImpl;
import org.cardinaldm.smartcard.dm.api.DmCardEvent;
import org.cardinaldm.smartcard.dm.internal.DmCardServiceImpl;
import org.cardinaldm.smartcard.sim.internal.backend.SimCardBackend;
import org.cardinaldm.stacktest.card.CardStack;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.tnds.internal.TndsDocumentsImpl;
import org.cardinaldm.transport.http.internal.client.HttpClientTransport;
import org.cardinaldm.tree.internal.DmTreeImpl;
import org.cardinaldm.tree.internal.InMemoryTreeStore;
import org.osgi.util.converter.Converters;

/**
 * The whole device in one JVM, as the OSGi runtime wires it: the card stack ({@link CardStack}: the software UICC
 * in a simulated reader or through pcscd, the card service of smartcard-core, the DM card service of smartcard-dm), the tree engine over dm-tree's in-memory store
 * with the DMAcc description, the DMAcc view, TNDS, the DM client and its bootstrap entry point (dm-client),
 * the HTTP transport, a scripted user, and the source under test. Nothing is mocked.
 */
final class Rig implements AutoCloseable {
    static final String READER = "Sim 0";
    static final String DEV_ID = "IMEI:493005100592800";

    final InMemoryTreeStore store = new InMemoryTreeStore();
    final DmTreeImpl tree;
    final DmAccountsImpl accounts;
    final DmClientImpl client;
    final DmBootstrapImpl bootstrap;
    final HttpClientTransport transport;
    final CardStack cards;
    final CardServiceImpl cardService;
    final DmCardServiceImpl dm;
    /** DM card events (registered after the source, so the source has its copy first) */
    final CardStack.Events events;
    final User user = new User();
    final BlockingQueue<SessionResult> sessions = new LinkedBlockingQueue<>();
    CardBootstrapSource source;

    /** A user who answers confirmations as told and remembers the questions. */
    static final class User implements UserInteraction {
        volatile boolean accept = true;
        final List<UserPrompt> prompts = new CopyOnWriteArrayList<>();

        @Override
        public UserResponse interact(UserPrompt prompt) {
            prompts.add(prompt);
            return accept ? UserResponse.yes() : UserResponse.no();
        }
    }

    /** A rig whose cards go into a simulated reader "Sim 0" in the JVM. */
    Rig(Path dir) throws Exception {
        this(dir, CardStack.inJvm().reader(READER));
    }

    /** A rig whose cards go into the given card stack's reader (in the JVM, or through pcscd). */
    Rig(Path dir, CardStack.Builder stack) throws Exception {
        Map<String, Object> treeConfig = new HashMap<>();
        treeConfig.put("root.acl", "Get=*");
        tree = new DmTreeImpl(store, Converters.standardConverter().convert(treeConfig).to(DmTreeImpl.Config.class));
        // mount the DMAcc description as DS would (the engine's bind method is package-private)
        java.lang.reflect.Method add = DmTreeImpl.class.getDeclaredMethod("addDescription",
                org.cardinaldm.api.spi.ddf.MoDescription.class, Map.class, String.class);
        add.setAccessible(true);
        add.invoke(tree, new org.cardinaldm.mo.dmacc.internal.DmAccDescription(),
                Map.of("dm.mo.root", "./DMAcc", "dm.mo.id", "urn:oma:mo:oma-dm-dmacc:1.0"), "org.cardinaldm.mo.dmacc");
        accounts = new DmAccountsImpl(tree);
        TreeAccess sys = tree.as(Principal.system());
        sys.add(NodeUri.of("./DevInfo/DevId"), NodeValue.ofString(DEV_ID));
        sys.add(NodeUri.of("./DevInfo/Man"), NodeValue.ofString("Cardinal"));
        sys.add(NodeUri.of("./DevInfo/Mod"), NodeValue.ofString("GW-1"));
        sys.add(NodeUri.of("./DevInfo/DmV"), NodeValue.ofString("1.2"));
        sys.add(NodeUri.of("./DevInfo/Lang"), NodeValue.ofString("en"));
        Map<String, Object> clientConfig = new HashMap<>();
        clientConfig.put("retries", 0);
        clientConfig.put("response.timeout.ms", 10_000);
        clientConfig.put("alert.queue.file", dir.resolve("alerts.bin").toString());
        client = new DmClientImpl(tree, accounts, Converters.standardConverter().convert(clientConfig)
                .to(DmClientImpl.Config.class));
        client.bindCodec(SyncML.xml(), Map.of("syncml.media.type", new String[] {MediaTypes.DM_XML}));
        client.bindCodec(SyncML.wbxml(), Map.of("syncml.media.type", new String[] {MediaTypes.DM_WBXML}));
        client.bindSerialization(tree);
        TndsDocumentsImpl tnds = new TndsDocumentsImpl(tree, Converters.standardConverter().convert(new HashMap<>())
                .to(TndsDocumentsImpl.Config.class));
        client.bindTnds(tnds);
        client.bindUserInteraction(user, Map.of());
        client.bindListener(new SessionListener() {
            @Override
            public void sessionEnded(SessionResult result) {
                sessions.add(result);
            }
        });
        Map<String, Object> httpConfig = new HashMap<>();
        httpConfig.put("connect.timeout.ms", 5000);
        transport = new HttpClientTransport(Converters.standardConverter().convert(httpConfig)
                .to(HttpClientTransport.Config.class));
        client.bindTransport(transport, Map.of(DmTransport.SCHEME_PROPERTY, new String[] {"http", "https"}));
        bootstrap = new DmBootstrapImpl(tree, client, Converters.standardConverter().convert(Map.of("ui.timeout.s", 10))
                .to(DmBootstrapImpl.Config.class));
        bootstrap.bindTnds(tnds);
        bootstrap.bindSerialization(tree);
        bootstrap.bindUserInteraction(user, Map.of());
        // the demo card's published device key (docs/smartcard-profile.md, A12)
        cards = stack.dm((c, clock) -> new DmCardServiceImpl(c, Converters.standardConverter().convert(Map.of(
                "revalidate.millis", 0L, ".device.key", "63617264696E616C2D64656D6F2D646B"))
                .to(DmCardServiceImpl.Config.class))).start();
        cardService = cards.cards();
        dm = cards.dm();
        events = cards.events();
    }

    static CardBootstrapSource.Config config(Map<String, Object> values) {
        Map<String, Object> c = new HashMap<>();
        c.put("stale.grace.s", 0);
        c.put("recheck.interval.s", 0);
        c.putAll(values);
        return Converters.standardConverter().convert(c).to(CardBootstrapSource.Config.class);
    }

    /** Creates and wires the source as its activation does (listener, provider, session listener). */
    CardBootstrapSource startSource(Map<String, Object> config) {
        CardBootstrapSource.Config c = config(config);
        source = new CardBootstrapSource(dm, bootstrap, c);
        client.bindCredentialProvider(source.credentialProvider(),
                Map.of("dm.credential.source", "card", "service.ranking", 0));
        client.bindListener(source);
        dm.addListener(source, Map.of());
        dm.addListener(events, Map.of());
        source.start(c);
        return source;
    }

    /** @return the name of the reader the cards go into */
    String reader() {
        return cards.reader();
    }

    /** @return the in-JVM reader backend that holds the card now (rigs with the simulated reader only) */
    SimCardBackend simBackend() {
        return cards.simBackend();
    }

    /** Puts a card into the rig's reader; once the source runs, waits until it has handled the card. */
    void insert(TestCard card) throws Exception {
        cards.insert(card.image());
        if (source != null) {
            awaitInserted();
        }
    }

    /**
     * Waits until the card in the reader is read and the source has handled it. Through pcscd, vpcd may report a
     * stale connection as a removal first; events before the card's INSERTED are passed over.
     */
    void awaitInserted() throws Exception {
        while (true) {
            DmCardEvent e = events.next(DmCardEvent.Type.INSERTED);
            if (dm.card(reader()).map(c -> c.cardId().equals(e.cardId())).orElse(false)) {
                idle();
                return;
            }
        }
    }

    /** Takes the card out of the reader, waits until the source has handled it. */
    void remove() throws Exception {
        cards.pull();
        events.next(DmCardEvent.Type.REMOVED);
        idle();
    }

    void idle() {
        assertThat(source.awaitIdle(20)).as("the source handled its events").isTrue();
    }

    TreeAccess system() {
        return tree.as(Principal.system());
    }

    /** @return the account node names below ./DMAcc */
    List<String> accountNames() throws DmException {
        TreeAccess t = system();
        NodeUri acc = NodeUri.of("./DMAcc");
        return t.exists(acc) ? t.children(acc) : List.of();
    }

    String get(String uri) throws DmException {
        return system().get(NodeUri.of(uri)).asString();
    }

    /**
     * Waits for every session queued so far: queues a session with an unknown server (it ends at once, NO_ACCOUNT)
     * and collects the results of the sessions that ended before it.
     */
    List<SessionResult> drainSessions() throws Exception {
        client.startSession(SessionRequest.clientInitiated("no-such-server.invalid")).get(60, TimeUnit.SECONDS);
        List<SessionResult> out = new ArrayList<>();
        while (true) {
            SessionResult r = sessions.poll(10, TimeUnit.SECONDS);
            assertThat(r).as("the marker session").isNotNull();
            if (r.serverId().equals("no-such-server.invalid")) {
                return out;
            }
            out.add(r);
        }
    }

    @Override
    public void close() throws Exception {
        if (source != null) {
            source.deactivate();
        }
        cards.close();
        java.lang.reflect.Method m = HttpClientTransport.class.getDeclaredMethod("deactivate");
        m.setAccessible(true);
        m.invoke(transport);
        java.lang.reflect.Method d = DmClientImpl.class.getDeclaredMethod("deactivate");
        d.setAccessible(true);
        d.invoke(client);
        java.lang.reflect.Method bd = DmBootstrapImpl.class.getDeclaredMethod("deactivate");
        bd.setAccessible(true);
        bd.invoke(bootstrap);
    }
}
