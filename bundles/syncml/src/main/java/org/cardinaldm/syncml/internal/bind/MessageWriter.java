package org.cardinaldm.syncml.internal.bind;

import java.util.List;

import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.Namespaces;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.Anchor;
import org.cardinaldm.syncml.api.model.Chal;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.CommandContainer;
import org.cardinaldm.syncml.api.model.Cred;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Exec;
import org.cardinaldm.syncml.api.model.ExtensionCommand;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.ItemCommand;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Mem;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.model.XmlElement;
import org.cardinaldm.syncml.internal.io.TokenWriter;

/** Writes a {@link SyncMessage} in the element order of digest section 1.2. */
public final class MessageWriter {
    private final TokenWriter w;
    private final boolean embedAsWbxml;
    private String ns;

    /**
     * @param w the token sink
     * @param embedAsWbxml whether the output is WBXML: Meta Type values {@code ...dmtnds+xml} and
     *        {@code ...devinf+xml} are then written in their {@code +wbxml} form, as libwbxml does
     */
    public MessageWriter(TokenWriter w, boolean embedAsWbxml) {
        this.w = w;
        this.embedAsWbxml = embedAsWbxml;
    }

    /**
     * @param m the message
     * @return the SyncML namespace used
     * @throws CodecException when the writer cannot represent a value
     */
    public String write(SyncMessage m) throws CodecException {
        ns = Namespaces.syncMLNamespaceFor(m.header().verDtd());
        w.start(ns, "SyncML");
        header(m.header());
        w.start(ns, "SyncBody");
        for (Command c : m.commands()) {
            command(c);
        }
        if (m.isFinal()) {
            empty("Final");
        }
        w.end();
        w.end();
        return ns;
    }

    private void leaf(String name, String value) throws CodecException {
        if (value != null) {
            w.start(ns, name);
            w.text(value);
            w.end();
        }
    }

    private void empty(String name) throws CodecException {
        w.start(ns, name);
        w.end();
    }

    private void flag(String name, boolean present) throws CodecException {
        if (present) {
            empty(name);
        }
    }

    private void header(SyncHeader h) throws CodecException {
        w.start(ns, "SyncHdr");
        leaf("VerDTD", h.verDtd());
        leaf("VerProto", h.verProto());
        leaf("SessionID", h.sessionId());
        leaf("MsgID", h.msgId());
        location("Target", h.target());
        location("Source", h.source());
        leaf("RespURI", h.respUri());
        flag("NoResp", h.noResp());
        cred(h.cred());
        meta(h.meta());
        w.end();
    }

    private void location(String name, Location l) throws CodecException {
        if (l != null) {
            w.start(ns, name);
            leaf("LocURI", l.locUri());
            leaf("LocName", l.locName());
            w.end();
        }
    }

    private void cred(Cred c) throws CodecException {
        if (c != null) {
            w.start(ns, "Cred");
            meta(c.meta());
            data(c.data());
            w.end();
        }
    }

    private void metinf(String name, String value) throws CodecException {
        if (value != null) {
            w.start(Namespaces.METINF, name);
            w.text(value);
            w.end();
        }
    }

    private void metinf(String name, Long value) throws CodecException {
        if (value != null) {
            metinf(name, value.toString());
        }
    }

    private void meta(Meta m) throws CodecException {
        if (m == null) {
            return;
        }
        w.start(ns, "Meta");
        metinf("Format", m.format());
        metinf("Type", embedAsWbxml ? TreeIO.renameType(m.type(), true) : m.type());
        metinf("Mark", m.mark());
        metinf("Size", m.size());
        Anchor a = m.anchor();
        if (a != null) {
            w.start(Namespaces.METINF, "Anchor");
            metinf("Last", a.last());
            metinf("Next", a.next());
            w.end();
        }
        metinf("Version", m.version());
        metinf("NextNonce", m.nextNonce());
        metinf("MaxMsgSize", m.maxMsgSize());
        metinf("MaxObjSize", m.maxObjSize());
        for (String emi : m.emi()) {
            metinf("EMI", emi);
        }
        Mem mem = m.mem();
        if (mem != null) {
            w.start(Namespaces.METINF, "Mem");
            if (mem.sharedMem()) {
                w.start(Namespaces.METINF, "SharedMem");
                w.end();
            }
            metinf("FreeMem", mem.freeMem());
            metinf("FreeID", mem.freeId());
            w.end();
        }
        if (m.fieldLevel()) {
            w.start(Namespaces.METINF, "FieldLevel");
            w.end();
        }
        w.end();
    }

    private void data(Data d) throws CodecException {
        if (d == null) {
            return;
        }
        w.start(ns, "Data");
        if (d instanceof Data.Text t) {
            w.dataText(t.text());
        } else if (d instanceof Data.Binary b) {
            w.opaque(b.asBytes());
        } else if (d instanceof Data.Xml x) {
            for (XmlElement e : x.elements()) {
                TreeIO.writeElement(w, e, ns);
            }
        }
        w.end();
    }

    private void code(int code) throws CodecException {
        w.start(ns, "Data");
        w.text(Integer.toString(code));
        w.end();
    }

    private void items(List<Item> items) throws CodecException {
        for (Item i : items) {
            w.start(ns, "Item");
            location("Target", i.target());
            location("Source", i.source());
            meta(i.meta());
            data(i.data());
            flag("MoreData", i.moreData());
            w.end();
        }
    }

    private void command(Command c) throws CodecException {
        if (c instanceof ExtensionCommand x) {
            XmlElement e = embedAsWbxml ? TreeIO.renameTypes(x.element(), true) : x.element();
            TreeIO.writeElement(w, e, ns);
            return;
        }
        w.start(ns, c.elementName());
        leaf("CmdID", c.cmdId());
        if (c instanceof ItemCommand ic) {
            flag("NoResp", ic.noResp());
            cred(ic.cred());
            meta(ic.meta());
            items(ic.items());
        } else if (c instanceof Alert a) {
            flag("NoResp", a.noResp());
            cred(a.cred());
            code(a.code());
            leaf("Correlator", a.correlator());
            items(a.items());
        } else if (c instanceof Exec e) {
            flag("NoResp", e.noResp());
            cred(e.cred());
            meta(e.meta());
            leaf("Correlator", e.correlator());
            items(List.of(e.item()));
        } else if (c instanceof CommandContainer cc) {
            flag("NoResp", cc.noResp());
            meta(cc.meta());
            for (Command nested : cc.commands()) {
                command(nested);
            }
        } else if (c instanceof Status s) {
            leaf("MsgRef", s.msgRef());
            leaf("CmdRef", s.cmdRef());
            leaf("Cmd", s.cmd());
            for (String t : s.targetRefs()) {
                leaf("TargetRef", t);
            }
            for (String t : s.sourceRefs()) {
                leaf("SourceRef", t);
            }
            cred(s.cred());
            chal(s.chal());
            code(s.code());
            items(s.items());
        } else if (c instanceof Results r) {
            leaf("MsgRef", r.msgRef());
            leaf("CmdRef", r.cmdRef());
            meta(r.meta());
            leaf("TargetRef", r.targetRef());
            leaf("SourceRef", r.sourceRef());
            items(r.items());
        }
        w.end();
    }

    private void chal(Chal c) throws CodecException {
        if (c != null) {
            w.start(ns, "Chal");
            meta(c.meta());
            w.end();
        }
    }
}
