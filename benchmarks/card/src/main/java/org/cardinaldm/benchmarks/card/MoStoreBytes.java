package org.cardinaldm.benchmarks.card;

import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.CodecLimits;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.WbxmlOptions;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.api.tnds.RtProperties;
import org.cardinaldm.syncml.api.tnds.TndsNode;

/** The demo card's MO store with another operator name, encoded as the ./SmartCard plugin writes it. */
final class MoStoreBytes {
    private MoStoreBytes() {
    }

    static byte[] withName(String name) throws CodecException {
        RtProperties chr = RtProperties.leaf("chr", "text/plain");
        MgmtTree tree = MgmtTree.of(TndsNode.interior("Operator", RtProperties.interior("urn:x-cardinaldm:mo:operator:1.0"),
                TndsNode.leaf("Name", chr, name),
                TndsNode.leaf("Support", chr, "http://127.0.0.1:8181/support"),
                TndsNode.leaf("PollMinutes", RtProperties.leaf("int", "text/plain"), "1440")));
        return SyncML.tndsWbxml(new WbxmlOptions(CodecLimits.DEFAULT, 2, WbxmlOptions.PublicIdForm.NUMERIC, null, true,
                false, WbxmlOptions.EmbeddedDocuments.OPAQUE, true)).encode(tree);
    }
}
