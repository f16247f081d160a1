package org.cardinaldm.smartcard.bootstrap.internal;

import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.syncml.api.CodecLimits;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.WbxmlOptions;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.api.tnds.RtProperties;
import org.cardinaldm.syncml.api.tnds.TndsNode;

/**
 * One DM server known to a test card: its account in the card's bootstrap message, and its credentials on the
 * card. Also makes the card's WBXML bootstrap message (one DMAcc per server, no secrets) with the syncml codec.
 * Shared with the stack tests' {@code TestCard} (this module's test-jar).
 */
record TestServer(String serverId, String address, String authType, String clientName, String clientSecret,
        String serverName, String serverSecret) {

    /** @return a server with derived names and secrets */
    static TestServer of(String id, String address, String authType) {
        return new TestServer(id, address, authType, "device-of-" + id, "client-secret-of-" + id, id,
                "server-secret-of-" + id);
    }

    /** @return the account's node name below ./DMAcc */
    String account() {
        return serverId.replaceAll("[^A-Za-z0-9]", "");
    }

    /** @return the card's WBXML bootstrap message with one DMAcc per server */
    static byte[] bootstrap(List<TestServer> all) {
        SyncHeader header = SyncHeader.builder().sessionId("0").msgId("1").target("urn:x-cardinaldm:card-bootstrap")
                .source(all.get(0).serverId()).build();
        SyncMessage.Builder b = SyncMessage.builder(header);
        List<TndsNode> accounts = new ArrayList<>();
        for (TestServer s : all) {
            accounts.add(dmAcc(s));
        }
        Item item = Item.builder().target("./DMAcc").meta(Meta.of("xml", "application/vnd.syncml.dmtnds+xml"))
                .data(Data.xml(new MgmtTree("1.2", null, null, accounts).toXml())).build();
        b.add(Add.of(b.nextCmdId(), item));
        try {
            return SyncML.wbxml(new WbxmlOptions(CodecLimits.DEFAULT, 2, WbxmlOptions.PublicIdForm.NUMERIC, null, true,
                    false, WbxmlOptions.EmbeddedDocuments.INLINE, true)).encode(b.build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the server's DMAcc subtree */
    static TndsNode dmAcc(TestServer s) {
        RtProperties chr = RtProperties.leaf("chr", "text/plain");
        RtProperties node = RtProperties.interior(null);
        String sid = s.serverId();
        String acl = "Add=" + sid + "&Get=" + sid + "&Replace=" + sid + "&Delete=" + sid;
        return TndsNode.interior(s.account(), RtProperties.interior("urn:oma:mo:oma-dm-dmacc:1.0").withAcl(acl),
                TndsNode.leaf("AppID", chr, "w7"),
                TndsNode.leaf("ServerID", chr, sid),
                TndsNode.leaf("Name", chr, "Test server " + sid),
                TndsNode.interior("AppAddr", node,
                        TndsNode.interior("Primary", node,
                                TndsNode.leaf("Addr", chr, s.address()),
                                TndsNode.leaf("AddrType", chr, "URI"))),
                TndsNode.leaf("AAuthPref", chr, s.authType()),
                TndsNode.interior("AppAuth", node,
                        TndsNode.interior("Client", node,
                                TndsNode.leaf("AAuthLevel", chr, "CLCRED"),
                                TndsNode.leaf("AAuthType", chr, s.authType()),
                                TndsNode.leaf("AAuthName", chr, s.clientName())),
                        TndsNode.interior("Server", node,
                                TndsNode.leaf("AAuthLevel", chr, "SRVCRED"),
                                TndsNode.leaf("AAuthType", chr, s.authType()),
                                TndsNode.leaf("AAuthName", chr, s.serverName()))));
    }
}
