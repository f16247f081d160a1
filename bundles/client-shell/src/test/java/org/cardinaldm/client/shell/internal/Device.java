package org.cardinaldm.client.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.spi.ddf.MoDescription;
import org.cardinaldm.client.internal.DmBootstrapImpl;
import org.cardinaldm.client.internal.DmClientImpl;
import org.cardinaldm.client.internal.Settings;
import org.cardinaldm.mo.dmacc.internal.DmAccDescription;
import org.cardinaldm.mo.dmacc.internal.DmAccountsImpl;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.tree.internal.DmTreeImpl;
import org.cardinaldm.tree.internal.InMemoryTreeStore;
import org.osgi.util.converter.Converters;

/**
 * A device for the command tests: the real tree engine over dm-tree's in-memory store, the real
 * DMAcc view, the real DM client (no retries, no transport unless a test binds one) and the real
 * bootstrap service.
 */
final class Device {
    static final String SERVER = "dms.example.com";
    static final String ADDRESS = "http://127.0.0.1:8080/dm";
    static final String NETWORK_ID = "262019876543210";

    final DmTreeImpl tree;
    final DmAccountsImpl accounts;
    final DmClientImpl client;
    final DmBootstrapImpl bootstrap;

    Device(Path dir) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put("root.acl", "Add=*&Get=*&Replace=*&Delete=*&Exec=*");
        tree = new DmTreeImpl(new InMemoryTreeStore(),
                Converters.standardConverter().convert(config).to(DmTreeImpl.Config.class));
        // mount the DMAcc description as DS would (the engine's bind method is package-private)
        Method add = DmTreeImpl.class.getDeclaredMethod("addDescription", MoDescription.class, Map.class, String.class);
        add.setAccessible(true);
        add.invoke(tree, new DmAccDescription(), Map.of("dm.mo.root", "./DMAcc", "dm.mo.id", "urn:oma:mo:oma-dm-dmacc:1.0"),
                "org.cardinaldm.mo.dmacc");
        accounts = new DmAccountsImpl(tree);
        client = new DmClientImpl(tree, accounts, Settings.DEFAULT.withRetries(0, Duration.ZERO, Duration.ZERO),
                dir.resolve("alerts.bin"), 16, Duration.ofHours(1), Clock.systemUTC(), d -> { });
        client.bindCodec(SyncML.xml(), Map.of("syncml.media.type", new String[] {MediaTypes.DM_XML}));
        client.bindCodec(SyncML.wbxml(), Map.of("syncml.media.type", new String[] {MediaTypes.DM_WBXML}));
        Map<String, Object> b = new HashMap<>();
        b.put(".network.id", NETWORK_ID);
        bootstrap = new DmBootstrapImpl(tree, client, Converters.standardConverter().convert(b).to(DmBootstrapImpl.Config.class));
        bootstrap.bindSerialization(tree);
        TreeAccess sys = system();
        sys.add(NodeUri.of("./DevInfo/DevId"), NodeValue.ofString("IMEI:493005100592800"));
        sys.add(NodeUri.of("./DevInfo/Man"), NodeValue.ofString("Cardinal"));
        sys.add(NodeUri.of("./DevInfo/Mod"), NodeValue.ofString("GW-1"));
        sys.add(NodeUri.of("./DevInfo/DmV"), NodeValue.ofString("1.2"));
        sys.add(NodeUri.of("./DevInfo/Lang"), NodeValue.ofString("en"));
    }

    TreeAccess system() {
        return tree.as(Principal.system());
    }

    /**
     * Adds an account written by hand (no origin mark).
     *
     * @param cl {type, name, secret} of CLCRED, or null for none
     */
    Device account(String node, String serverId, String address, String... cl) throws DmException {
        TreeAccess t = system();
        String a = "./DMAcc/" + node;
        t.add(NodeUri.of(a), NodeValue.interior());
        t.add(NodeUri.of(a + "/AppID"), NodeValue.ofString("w7"));
        t.add(NodeUri.of(a + "/ServerID"), NodeValue.ofString(serverId));
        t.add(NodeUri.of(a + "/AppAddr/srv/Addr"), NodeValue.ofString(address));
        t.add(NodeUri.of(a + "/AppAddr/srv/AddrType"), NodeValue.ofString("URI"));
        if (cl.length > 0) {
            t.add(NodeUri.of(a + "/AppAuth/cl/AAuthLevel"), NodeValue.ofString("CLCRED"));
            t.add(NodeUri.of(a + "/AppAuth/cl/AAuthType"), NodeValue.ofString(cl[0]));
            t.add(NodeUri.of(a + "/AppAuth/cl/AAuthName"), NodeValue.ofString(cl[1]));
            t.add(NodeUri.of(a + "/AppAuth/cl/AAuthSecret"), NodeValue.ofString(cl[2]));
        }
        t.add(NodeUri.of(a + "/AppAuth/sv/AAuthLevel"), NodeValue.ofString("SRVCRED"));
        t.add(NodeUri.of(a + "/AppAuth/sv/AAuthType"), NodeValue.ofString("BASIC"));
        t.add(NodeUri.of(a + "/AppAuth/sv/AAuthName"), NodeValue.ofString("server"));
        t.add(NodeUri.of(a + "/AppAuth/sv/AAuthSecret"), NodeValue.ofString("srvpass"));
        return this;
    }

    private static Item leaf(String uri, String value) {
        return Item.builder().target(uri).meta(Meta.of("chr", "text/plain")).data(value).build();
    }

    /** @return a DM-profile bootstrap message creating one account with md5 client credentials */
    static SyncMessage bootstrapMessage(String node, String serverId, String address) {
        String a = "./DMAcc/" + node;
        SyncHeader h = SyncHeader.builder().sessionId("0").msgId("1").target("IMEI:493005100592800").source("bootstrap")
                .build();
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

    static byte[] wbxml(SyncMessage m) throws Exception {
        return SyncML.wbxml().encode(m);
    }

    static byte[] xml(SyncMessage m) throws Exception {
        return SyncML.xml().encode(m);
    }

    /** Captures what a command prints. */
    static final class Output {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
        }
    }
}
