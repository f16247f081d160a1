package org.cardinaldm.client.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cardinaldm.tree.internal.InMemoryTreeStore;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.spi.transport.DmTransport;
import org.cardinaldm.client.api.SessionRequest;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.client.api.spi.UserInteraction;
import org.cardinaldm.client.internal.session.Session;
import org.cardinaldm.mo.dmacc.internal.DmAccountsImpl;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.notification.UiMode;
import org.cardinaldm.tnds.internal.TndsDocumentsImpl;
import org.cardinaldm.tree.internal.DmTreeImpl;
import org.osgi.util.converter.Converters;

/**
 * A device for tests: the real tree engine over an in-memory store, the real DMAcc view, DevInfo
 * leaves, and the DM client wired to a scripted server; retries wait nowhere (the waits are recorded).
 */
final class Device {
    static final String DEV_ID = "IMEI:493005100592800";
    static final String SERVER = "dms.example.com";
    static final String ADDRESS = "http://127.0.0.1:8080/dm";

    final InMemoryTreeStore store = new InMemoryTreeStore();
    final DmTreeImpl tree;
    final DmAccountsImpl accounts;
    final DmClientImpl client;
    final List<Duration> sleeps = new ArrayList<>();
    final Path dir;

    Device(Path dir) throws Exception {
        this(dir, Settings.DEFAULT);
    }

    Device(Path dir, Settings settings) throws Exception {
        this.dir = dir;
        Map<String, Object> config = new HashMap<>();
        config.put("root.acl", "Add=*&Get=*&Replace=*&Delete=*&Exec=*");
        tree = new DmTreeImpl(store, Converters.standardConverter().convert(config).to(DmTreeImpl.Config.class));
        // mount the DMAcc description as DS would (the engine's bind helper is package-private)
        java.lang.reflect.Method add = DmTreeImpl.class.getDeclaredMethod("addDescription",
                org.cardinaldm.api.spi.ddf.MoDescription.class, Map.class, String.class);
        add.setAccessible(true);
        add.invoke(tree, new org.cardinaldm.mo.dmacc.internal.DmAccDescription(),
                Map.of("dm.mo.root", "./DMAcc", "dm.mo.id", "urn:oma:mo:oma-dm-dmacc:1.0"), "org.cardinaldm.mo.dmacc");
        accounts = new DmAccountsImpl(tree);
        client = new DmClientImpl(tree, accounts, settings, dir.resolve("alerts.bin"), 16, Duration.ofHours(1),
                Clock.systemUTC(), sleeps::add);
        client.bindCodec(SyncML.xml(), Map.of("syncml.media.type", new String[] {MediaTypes.DM_XML}));
        client.bindCodec(SyncML.wbxml(), Map.of("syncml.media.type", new String[] {MediaTypes.DM_WBXML}));
        client.bindSerialization(tree);
        Map<String, Object> tndsConfig = new HashMap<>();
        client.bindTnds(new TndsDocumentsImpl(tree, Converters.standardConverter().convert(tndsConfig)
                .to(TndsDocumentsImpl.Config.class)));
        TreeAccess sys = system();
        sys.add(NodeUri.of("./DevInfo/DevId"), NodeValue.ofString(DEV_ID));
        sys.add(NodeUri.of("./DevInfo/Man"), NodeValue.ofString("Cardinal"));
        sys.add(NodeUri.of("./DevInfo/Mod"), NodeValue.ofString("GW-1"));
        sys.add(NodeUri.of("./DevInfo/DmV"), NodeValue.ofString("1.2"));
        sys.add(NodeUri.of("./DevInfo/Lang"), NodeValue.ofString("en"));
    }

    TreeAccess system() {
        return tree.as(Principal.system());
    }

    Device transport(DmTransport t) {
        client.bindTransport(t, Map.of("dm.transport.scheme", new String[] {"http", "https"}));
        return this;
    }

    Device ui(UserInteraction ui) {
        client.bindUserInteraction(ui, Map.of());
        return this;
    }

    /** Adds an account; {@code cl} and {@code sv} are {type, name, secret, nonce-or-null} or null. */
    Device account(String serverId, String address, String[] cl, String[] sv) throws DmException {
        TreeAccess t = system();
        String a = "./DMAcc/" + serverId.replace('.', '_');
        t.add(NodeUri.of(a), NodeValue.interior());
        t.add(NodeUri.of(a + "/AppID"), NodeValue.ofString("w7"));
        t.add(NodeUri.of(a + "/ServerID"), NodeValue.ofString(serverId));
        t.add(NodeUri.of(a + "/AppAddr/srv/Addr"), NodeValue.ofString(address));
        t.add(NodeUri.of(a + "/AppAddr/srv/AddrType"), NodeValue.ofString("URI"));
        auth(t, a + "/AppAuth/cl", "CLCRED", cl);
        auth(t, a + "/AppAuth/sv", "SRVCRED", sv);
        return this;
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
            t.add(NodeUri.of(at + "/AAuthData"), NodeValue.ofBinary(java.util.Base64.getDecoder().decode(c[3]),
                    "application/octet-stream"));
        }
    }

    /** The usual account: basic both ways. */
    Device basicAccount() throws DmException {
        return account(SERVER, ADDRESS, new String[] {"BASIC", "device", "devpass"},
                new String[] {"BASIC", "server", "srvpass"});
    }

    SessionResult run(String serverId) {
        return client.runOne(new Session.Plan(serverId, SessionRequest.Initiator.CLIENT, "1A2B", false),
                UiMode.NOT_SPECIFIED);
    }

    SessionResult runServerInitiated(String serverId, String sessionId, boolean resync) {
        return client.runOne(new Session.Plan(serverId, SessionRequest.Initiator.SERVER, sessionId, resync),
                UiMode.NOT_SPECIFIED);
    }

    byte[] nonce(String serverId, String entry) throws DmException {
        return system().get(NodeUri.of("./DMAcc/" + serverId.replace('.', '_') + "/AppAuth/" + entry + "/AAuthData"))
                .data();
    }
}
