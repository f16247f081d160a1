package org.cardinaldm.syncml.test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.Atomic;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Copy;
import org.cardinaldm.syncml.api.model.Cred;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Delete;
import org.cardinaldm.syncml.api.model.Exec;
import org.cardinaldm.syncml.api.model.ExtensionCommand;
import org.cardinaldm.syncml.api.model.XmlElement;
import org.cardinaldm.syncml.api.model.XmlNode;
import org.cardinaldm.syncml.api.model.XmlOpaque;
import org.cardinaldm.syncml.api.model.XmlText;
import org.cardinaldm.syncml.api.model.Get;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.Sequence;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;

/**
 * Makes messages comparable across encodings: XML has no binary data, so UTF-8 OPAQUE data read
 * from WBXML becomes text after an XML round trip.
 */
public final class Normalize {
    private Normalize() {
    }

    /**
     * @param m a message
     * @return the message with UTF-8 binary data turned into text
     */
    public static SyncMessage message(SyncMessage m) {
        SyncHeader h = m.header();
        if (h.cred() != null) {
            h = h.toBuilder().cred(new Cred(h.cred().meta(), data(h.cred().data()))).build();
        }
        return new SyncMessage(h, commands(m.commands()), m.isFinal());
    }

    private static List<Command> commands(List<Command> in) {
        List<Command> out = new ArrayList<>();
        for (Command c : in) {
            out.add(command(c));
        }
        return out;
    }

    private static Command command(Command c) {
        if (c instanceof Add x) {
            return new Add(x.cmdId(), x.noResp(), x.cred(), x.meta(), items(x.items()));
        } else if (c instanceof Copy x) {
            return new Copy(x.cmdId(), x.noResp(), x.cred(), x.meta(), items(x.items()));
        } else if (c instanceof Delete x) {
            return new Delete(x.cmdId(), x.noResp(), x.cred(), x.meta(), items(x.items()));
        } else if (c instanceof Get x) {
            return new Get(x.cmdId(), x.noResp(), x.cred(), x.meta(), items(x.items()));
        } else if (c instanceof Replace x) {
            return new Replace(x.cmdId(), x.noResp(), x.cred(), x.meta(), items(x.items()));
        } else if (c instanceof Alert x) {
            return new Alert(x.cmdId(), x.noResp(), x.cred(), x.code(), x.correlator(), items(x.items()));
        } else if (c instanceof Exec x) {
            return new Exec(x.cmdId(), x.noResp(), x.cred(), x.meta(), x.correlator(), item(x.item()));
        } else if (c instanceof Atomic x) {
            return new Atomic(x.cmdId(), x.noResp(), x.meta(), commands(x.commands()));
        } else if (c instanceof Sequence x) {
            return new Sequence(x.cmdId(), x.noResp(), x.meta(), commands(x.commands()));
        } else if (c instanceof Status x) {
            return new Status(x.cmdId(), x.msgRef(), x.cmdRef(), x.cmd(), x.targetRefs(), x.sourceRefs(), x.cred(),
                    x.chal(), x.code(), items(x.items()));
        } else if (c instanceof Results x) {
            return new Results(x.cmdId(), x.msgRef(), x.cmdRef(), x.meta(), x.targetRef(), x.sourceRef(),
                    items(x.items()));
        }
        if (c instanceof ExtensionCommand x) {
            return new ExtensionCommand(element(x.element()));
        }
        return c;
    }

    private static XmlElement element(XmlElement e) {
        List<XmlNode> children = new ArrayList<>();
        for (XmlNode n : e.children()) {
            if (n instanceof XmlElement c) {
                children.add(element(c));
            } else if (n instanceof XmlOpaque o && data(Data.bytes(o.bytes())) instanceof Data.Text t) {
                children.add(new XmlText(t.text()));
            } else {
                children.add(n);
            }
        }
        return new XmlElement(e.namespace(), e.name(), children);
    }

    private static List<Item> items(List<Item> in) {
        List<Item> out = new ArrayList<>();
        for (Item i : in) {
            out.add(item(i));
        }
        return out;
    }

    private static Item item(Item i) {
        return i.withData(data(i.data()));
    }

    /**
     * @param d some data
     * @return text when it is UTF-8 binary data, else {@code d}
     */
    public static Data data(Data d) {
        if (d instanceof Data.Binary b) {
            try {
                return Data.text(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b.asBytes())).toString());
            } catch (CharacterCodingException e) {
                return d;
            }
        }
        return d;
    }
}
