package org.cardinaldm.stacktest;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.spi.ddf.MoDescription;
import org.cardinaldm.api.spi.transport.DmTransport;
import org.cardinaldm.client.api.SessionRequest;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.client.api.spi.UserInteraction;
import org.cardinaldm.client.internal.DmBootstrapImpl;
import org.cardinaldm.client.internal.DmClientImpl;
import org.cardinaldm.client.internal.Settings;
import org.cardinaldm.client.internal.session.Session;
import org.cardinaldm.mo.dmacc.internal.DmAccDescription;
import org.cardinaldm.mo.dmacc.internal.DmAccountsImpl;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.notification.UiMode;
import org.cardinaldm.testing.tree.InMemoryTreeStore;
import org.cardinaldm.tnds.internal.TndsDocumentsImpl;
import org.cardinaldm.transport.http.internal.client.HttpClientTransport;
import org.cardinaldm.tree.internal.DmTreeImpl;
import org.osgi.util.converter.Converters;

/**
 * A DM client device in one JVM, wired in plain Java as the OSGi runtime wires it, for the stack tests of dm-client,
 * client-shell and the smart-card bootstrap: the real tree engine (dm-tree) over the test kit's
 * {@link InMemoryTreeStore}, with the DMAcc description mounted and the DevInfo leaves written; the real DMAcc view
 * (mo-dmacc); TNDS (dm-tnds); the DM client (dm-client) with both codecs, the tree's serialization and TNDS bound;
 * and, when asked for, the bootstrap service and the device's HTTP transport (transport-http). Nothing is mocked;
 * retries wait nowhere (the client's waits are recorded in {@link #sleeps()}).
 *
 * <pre>{@code
 * DeviceRig d = DeviceRig.builder(dir).settings(Settings.DEFAULT.withWbxml(false)).build()
 *         .transport(fakeServer).basicAccount();
 * assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);
 * }</pre>
 *
 * What differs between tests is a {@link Builder} option: the client's {@link Builder#settings(Settings) settings},
 * the {@link Builder#rootAcl(String) root ACL}, a {@link Builder#bootstrap(Map) bootstrap service} and a
 * {@link Builder#httpTransport(Map) real HTTP transport}. {@link #close()} deactivates what the rig started.
 */
public final class DeviceRig implements AutoCloseable {
    /** The device's ./DevInfo/DevId. */
    public static final String DEV_ID = "IMEI:493005100592800";
    /** The ServerID of the usual account ({@link #basicAccount()}). */
    public static final String SERVER = "dms.example.com";
    /** The server address of the usual account. */
    public static final String ADDRESS = "http://127.0.0.1:8080/dm";
    /** A network ID (IMSI) for bootstrap services built with {@code .network.id} (e.g. NETWPIN bootstraps). */
    public static final String NETWORK_ID = "262019876543210";
    /** The root ACL unless {@link Builder#rootAcl(String)} says otherwise: everything for everyone. */
    public static final String OPEN_ROOT_ACL = "Add=*&Get=*&Replace=*&Delete=*&Exec=*";

    private final Path dir;
    private final InMemoryTreeStore store = new InMemoryTreeStore();
    private final DmTreeImpl tree;
    private final DmAccountsImpl accounts;
    private final TndsDocumentsImpl tnds;
    private final DmClientImpl client;
    private final DmBootstrapImpl bootstrap;
    private final HttpClientTransport http;
    private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param dir a folder of the test's own (the client's alert queue goes there)
     * @return a builder of a device with the default options
     */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** The options in which tests' devices differ; each has a default, so {@code builder(dir).build()} works. */
    public static final class Builder {
        private final Path dir;
        private Settings settings = Settings.DEFAULT;
        private String rootAcl = OPEN_ROOT_ACL;
        private Map<String, Object> bootstrapConfig;
        private Map<String, Object> httpConfig;

        private Builder(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        /**
         * @param value the DM client's settings (default {@link Settings#DEFAULT}; retries wait nowhere in any case)
         * @return this builder
         */
        public Builder settings(Settings value) {
            this.settings = Objects.requireNonNull(value, "settings");
            return this;
        }

        /**
         * @param acl the tree's {@code root.acl} (default {@link #OPEN_ROOT_ACL})
         * @return this builder
         */
        public Builder rootAcl(String acl) {
            this.rootAcl = Objects.requireNonNull(acl, "acl");
            return this;
        }

        /**
         * Adds dm-client's bootstrap service ({@link DmBootstrapImpl}) on the rig's tree and client, with the tree's
         * serialization and TNDS bound.
         *
         * @param config its configuration, e.g. {@code Map.of(".network.id", NETWORK_ID)} or
         *               {@code Map.of("ui.timeout.s", 10)}; empty for the defaults
         * @return this builder
         */
        public Builder bootstrap(Map<String, Object> config) {
            this.bootstrapConfig = new HashMap<>(config);
            return this;
        }

        /**
         * Binds transport-http's real HTTP client transport for {@code http} and {@code https}
         * ({@link #transport(DmTransport)} can still replace it).
         *
         * @param config its configuration, e.g. {@code Map.of("connect.timeout.ms", 5000)}; empty for the defaults
         * @return this builder
         */
        public Builder httpTransport(Map<String, Object> config) {
            this.httpConfig = new HashMap<>(config);
            return this;
        }

        /**
         * @return the device, its DevInfo written, no account yet
         * @throws Exception when a part cannot be made (a bug in the rig or the parts)
         */
        public DeviceRig build() throws Exception {
            return new DeviceRig(this);
        }
    }

    private DeviceRig(Builder b) throws Exception {
        this.dir = b.dir;
        tree = new DmTreeImpl(store, convert(Map.of("root.acl", b.rootAcl), DmTreeImpl.Config.class));
        // mount the DMAcc description as DS would (the engine's bind method is package-private)
        Method add = DmTreeImpl.class.getDeclaredMethod("addDescription", MoDescription.class, Map.class, String.class);
        add.setAccessible(true);
        add.invoke(tree, new DmAccDescription(),
                Map.of("dm.mo.root", "./DMAcc", "dm.mo.id", "urn:oma:mo:oma-dm-dmacc:1.0"), "org.cardinaldm.mo.dmacc");
        accounts = new DmAccountsImpl(tree);
        client = new DmClientImpl(tree, accounts, b.settings, dir.resolve("alerts.bin"), 16, Duration.ofHours(1),
                Clock.systemUTC(), sleeps::add);
        client.bindCodec(SyncML.xml(), Map.of("syncml.media.type", new String[] {MediaTypes.DM_XML}));
        client.bindCodec(SyncML.wbxml(), Map.of("syncml.media.type", new String[] {MediaTypes.DM_WBXML}));
        client.bindSerialization(tree);
        tnds = new TndsDocumentsImpl(tree, convert(Map.of(), TndsDocumentsImpl.Config.class));
        client.bindTnds(tnds);
        if (b.bootstrapConfig != null) {
            bootstrap = new DmBootstrapImpl(tree, client, convert(b.bootstrapConfig, DmBootstrapImpl.Config.class));
            bootstrap.bindSerialization(tree);
            bootstrap.bindTnds(tnds);
        } else {
            bootstrap = null;
        }
        if (b.httpConfig != null) {
            http = new HttpClientTransport(convert(b.httpConfig, HttpClientTransport.Config.class));
            transport(http);
        } else {
            http = null;
        }
        TreeAccess sys = system();
        sys.add(NodeUri.of("./DevInfo/DevId"), NodeValue.ofString(DEV_ID));
        sys.add(NodeUri.of("./DevInfo/Man"), NodeValue.ofString("Cardinal"));
        sys.add(NodeUri.of("./DevInfo/Mod"), NodeValue.ofString("GW-1"));
        sys.add(NodeUri.of("./DevInfo/DmV"), NodeValue.ofString("1.2"));
        sys.add(NodeUri.of("./DevInfo/Lang"), NodeValue.ofString("en"));
    }

    private static <T> T convert(Map<String, Object> config, Class<T> type) {
        return Converters.standardConverter().convert(new HashMap<>(config)).to(type);
    }

    /** @return the folder the rig was built with */
    public Path dir() {
        return dir;
    }

    /** @return the tree's store (counters and fault injection) */
    public InMemoryTreeStore store() {
        return store;
    }

    /** @return the tree engine */
    public DmTreeImpl tree() {
        return tree;
    }

    /** @return the DMAcc view on the tree */
    public DmAccountsImpl accounts() {
        return accounts;
    }

    /** @return TNDS on the tree, bound to the client (and the bootstrap service) */
    public TndsDocumentsImpl tnds() {
        return tnds;
    }

    /** @return the DM client */
    public DmClientImpl client() {
        return client;
    }

    /**
     * @return the bootstrap service
     * @throws IllegalStateException when the rig was built without {@link Builder#bootstrap(Map)}
     */
    public DmBootstrapImpl bootstrap() {
        if (bootstrap == null) {
            throw new IllegalStateException("built without .bootstrap(config)");
        }
        return bootstrap;
    }

    /**
     * @return the HTTP transport
     * @throws IllegalStateException when the rig was built without {@link Builder#httpTransport(Map)}
     */
    public HttpClientTransport httpTransport() {
        if (http == null) {
            throw new IllegalStateException("built without .httpTransport(config)");
        }
        return http;
    }

    /** @return the waits the client asked for between retries, in order (it waited for none of them) */
    public List<Duration> sleeps() {
        return sleeps;
    }

    /** @return the tree as the system principal (no ACL checks) */
    public TreeAccess system() {
        return tree.as(Principal.system());
    }

    /**
     * @param t the client's transport for {@code http} and {@code https}
     * @return this rig
     */
    public DeviceRig transport(DmTransport t) {
        client.bindTransport(t, Map.of(DmTransport.SCHEME_PROPERTY, new String[] {"http", "https"}));
        return this;
    }

    /**
     * @param ui the user interaction of the client (and of the bootstrap service, when there is one)
     * @return this rig
     */
    public DeviceRig ui(UserInteraction ui) {
        client.bindUserInteraction(ui, Map.of());
        if (bootstrap != null) {
            bootstrap.bindUserInteraction(ui, Map.of());
        }
        return this;
    }

    /**
     * Adds an account under {@code ./DMAcc/<serverId with '.' as '_'>}.
     *
     * @param serverId its ServerID
     * @param address  its server address (AddrType URI)
     * @param cl       the client credentials {AAuthType, AAuthName ("" for none), AAuthSecret[, AAuthData in
     *                 Base64 or null]}, or null for none
     * @param sv       the server credentials, the same way, or null for none
     * @return this rig
     * @throws DmException when the tree refuses the account
     */
    public DeviceRig account(String serverId, String address, String[] cl, String[] sv) throws DmException {
        TreeAccess t = system();
        String a = "./DMAcc/" + serverId.replace('.', '_');
        addAccount(t, a, serverId, address);
        auth(t, a + "/AppAuth/cl", "CLCRED", cl);
        auth(t, a + "/AppAuth/sv", "SRVCRED", sv);
        return this;
    }

    /**
     * Adds an account under a node name of the caller's choice, as a user would write it by hand (no origin mark),
     * with the server credentials BASIC server/srvpass.
     *
     * @param node     the node name below ./DMAcc
     * @param serverId its ServerID
     * @param address  its server address (AddrType URI)
     * @param cl       {AAuthType, AAuthName, AAuthSecret} of the client credentials, or nothing for none
     * @return this rig
     * @throws DmException when the tree refuses the account
     */
    public DeviceRig accountNamed(String node, String serverId, String address, String... cl) throws DmException {
        TreeAccess t = system();
        String a = "./DMAcc/" + node;
        addAccount(t, a, serverId, address);
        auth(t, a + "/AppAuth/cl", "CLCRED", cl.length > 0 ? cl : null);
        auth(t, a + "/AppAuth/sv", "SRVCRED", new String[] {"BASIC", "server", "srvpass"});
        return this;
    }

    private static void addAccount(TreeAccess t, String a, String serverId, String address) throws DmException {
        t.add(NodeUri.of(a), NodeValue.interior());
        t.add(NodeUri.of(a + "/AppID"), NodeValue.ofString("w7"));
        t.add(NodeUri.of(a + "/ServerID"), NodeValue.ofString(serverId));
        t.add(NodeUri.of(a + "/AppAddr/srv/Addr"), NodeValue.ofString(address));
        t.add(NodeUri.of(a + "/AppAddr/srv/AddrType"), NodeValue.ofString("URI"));
    }

    private static void auth(TreeAccess t, String at, String level, String[] c) throws DmException {
        if (c == null) {
            return;
        }
        t.add(NodeUri.of(at + "/AAuthLevel"), NodeValue.ofString(level));
        t.add(NodeUri.of(at + "/AAuthType"), NodeValue.ofString(c[0]));
        if (!c[1].isEmpty()) {
            t.add(NodeUri.of(at + "/AAuthName"), NodeValue.ofString(c[1]));
        }
        t.add(NodeUri.of(at + "/AAuthSecret"), NodeValue.ofString(c[2]));
        if (c.length > 3 && c[3] != null) {
            t.add(NodeUri.of(at + "/AAuthData"), NodeValue.ofBinary(Base64.getDecoder().decode(c[3]),
                    "application/octet-stream"));
        }
    }

    /**
     * The usual account: {@link #SERVER} at {@link #ADDRESS}, BASIC both ways (device/devpass, server/srvpass).
     *
     * @return this rig
     * @throws DmException when the tree refuses the account
     */
    public DeviceRig basicAccount() throws DmException {
        return account(SERVER, ADDRESS, new String[] {"BASIC", "device", "devpass"},
                new String[] {"BASIC", "server", "srvpass"});
    }

    /**
     * Runs one client-initiated session (session ID 1A2B) in the calling thread.
     *
     * @param serverId the account's ServerID
     * @return how it ended
     */
    public SessionResult run(String serverId) {
        return runOne(new Session.Plan(serverId, SessionRequest.Initiator.CLIENT, "1A2B", false));
    }

    /**
     * Runs one server-initiated session in the calling thread, as after a notification.
     *
     * @param serverId  the account's ServerID
     * @param sessionId the notification's session ID
     * @param resync    whether the notification asked for a resynchronisation of the nonces
     * @return how it ended
     */
    public SessionResult runServerInitiated(String serverId, String sessionId, boolean resync) {
        return runOne(new Session.Plan(serverId, SessionRequest.Initiator.SERVER, sessionId, resync));
    }

    private SessionResult runOne(Session.Plan plan) {
        // DmClientImpl.runOne is package-private (the session loop's one step); this rig lives in another package
        try {
            Method run = DmClientImpl.class.getDeclaredMethod("runOne", Session.Plan.class, UiMode.class);
            run.setAccessible(true);
            return (SessionResult) run.invoke(client, plan, UiMode.NOT_SPECIFIED);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("DmClientImpl.runOne(Session.Plan, UiMode) is gone", e);
        }
    }

    /**
     * @param serverId the account's ServerID
     * @param entry    {@code cl} or {@code sv}
     * @return the nonce stored for that side of the account
     * @throws DmException when there is none
     */
    public byte[] nonce(String serverId, String entry) throws DmException {
        return system().get(NodeUri.of("./DMAcc/" + serverId.replace('.', '_') + "/AppAuth/" + entry + "/AAuthData"))
                .data();
    }

    /**
     * @param node     the account's node name below ./DMAcc
     * @param serverId its ServerID
     * @param address  its server address
     * @return a DM-profile bootstrap message creating that account, with DIGEST client credentials device/devpass
     *         and BASIC server credentials server/srvpass
     */
    public static SyncMessage bootstrapMessage(String node, String serverId, String address) {
        String a = "./DMAcc/" + node;
        SyncHeader h = SyncHeader.builder().sessionId("0").msgId("1").target(DEV_ID).source("bootstrap").build();
        return SyncMessage.builder(h)
                .add(Add.of("1", Item.builder().target(a).meta(Meta.of("node", null)).build()))
                .add(Add.of("2", leaf(a + "/AppID", "w7"), leaf(a + "/ServerID", serverId),
                        leaf(a + "/AppAddr/srv/Addr", address), leaf(a + "/AppAddr/srv/AddrType", "URI"),
                        leaf(a + "/AppAuth/cl/AAuthLevel", "CLCRED"), leaf(a + "/AppAuth/cl/AAuthType", "DIGEST"),
                        leaf(a + "/AppAuth/cl/AAuthName", "device"), leaf(a + "/AppAuth/cl/AAuthSecret", "devpass"),
                        leaf(a + "/AppAuth/sv/AAuthLevel", "SRVCRED"), leaf(a + "/AppAuth/sv/AAuthType", "BASIC"),
                        leaf(a + "/AppAuth/sv/AAuthName", "server"), leaf(a + "/AppAuth/sv/AAuthSecret", "srvpass")))
                .build();
    }

    private static Item leaf(String uri, String value) {
        return Item.builder().target(uri).meta(Meta.of("chr", "text/plain")).data(value).build();
    }

    /**
     * @param m a message
     * @return it in WBXML
     * @throws Exception when it cannot be encoded
     */
    public static byte[] wbxml(SyncMessage m) throws Exception {
        return SyncML.wbxml().encode(m);
    }

    /**
     * @param m a message
     * @return it in XML
     * @throws Exception when it cannot be encoded
     */
    public static byte[] xml(SyncMessage m) throws Exception {
        return SyncML.xml().encode(m);
    }

    /** Deactivates what the rig started, as DS would: the HTTP transport, the bootstrap service, the client. */
    @Override
    public void close() throws Exception {
        if (http != null) {
            deactivate(HttpClientTransport.class, http);
        }
        if (bootstrap != null) {
            deactivate(DmBootstrapImpl.class, bootstrap);
        }
        deactivate(DmClientImpl.class, client);
    }

    private static void deactivate(Class<?> type, Object component) throws Exception {
        // package-private in their bundles, as DS wants them
        Method m = type.getDeclaredMethod("deactivate");
        m.setAccessible(true);
        m.invoke(component);
    }
}
