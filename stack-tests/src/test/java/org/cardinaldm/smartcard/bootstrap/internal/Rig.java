package org.cardinaldm.smartcard.bootstrap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
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
import org.cardinaldm.client.api.SessionListener;
import org.cardinaldm.client.api.SessionRequest;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.client.api.spi.UserInteraction;
import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.client.internal.DmBootstrapImpl;
import org.cardinaldm.client.internal.DmClientImpl;
import org.cardinaldm.client.internal.Settings;
import org.cardinaldm.mo.dmacc.internal.DmAccountsImpl;
import org.cardinaldm.smartcard.core.internal.CardServiceImpl;
import org.cardinaldm.smartcard.dm.api.DmCardEvent;
import org.cardinaldm.smartcard.dm.internal.DmCardServiceImpl;
import org.cardinaldm.smartcard.sim.internal.backend.SimCardBackend;
import org.cardinaldm.stacktest.DeviceRig;
import org.cardinaldm.stacktest.card.CardStack;
import org.cardinaldm.tree.internal.DmTreeImpl;
import org.osgi.util.converter.Converters;

/**
 * The whole device in one JVM, as the OSGi runtime wires it: the stack tests' device rig ({@link DeviceRig}: the
 * tree engine with the DMAcc description, the DMAcc view, TNDS, the DM client and its bootstrap entry point, the
 * HTTP transport), the card stack ({@link CardStack}: the software UICC in a simulated reader or through pcscd, the
 * card service of smartcard-core, the DM card service of smartcard-dm), a scripted user, and the source under test.
 * Nothing is mocked.
 */
final class Rig implements AutoCloseable {
    static final String READER = "Sim 0";
    static final String DEV_ID = DeviceRig.DEV_ID;

    final DeviceRig device;
    final DmTreeImpl tree;
    final DmAccountsImpl accounts;
    final DmClientImpl client;
    final DmBootstrapImpl bootstrap;
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
        // no retries, a 10 s answer timeout; the bootstrap asks the user for up to 10 s; the real HTTP transport
        device = DeviceRig.builder(dir).rootAcl("Get=*")
                .settings(Settings.DEFAULT.withRetries(0, Duration.ofSeconds(2), Duration.ofSeconds(30))
                        .withResponseTimeout(Duration.ofSeconds(10)))
                .bootstrap(Map.of("ui.timeout.s", 10)).httpTransport(Map.of("connect.timeout.ms", 5000)).build()
                .ui(user);
        tree = device.tree();
        accounts = device.accounts();
        client = device.client();
        bootstrap = device.bootstrap();
        client.bindListener(new SessionListener() {
            @Override
            public void sessionEnded(SessionResult result) {
                sessions.add(result);
            }
        });
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
        device.close();
    }
}
