package org.cardinaldm.syncml.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.cardinaldm.syncml.api.Namespaces;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.Anchor;
import org.cardinaldm.syncml.api.model.Atomic;
import org.cardinaldm.syncml.api.model.Chal;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Copy;
import org.cardinaldm.syncml.api.model.Cred;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Delete;
import org.cardinaldm.syncml.api.model.Exec;
import org.cardinaldm.syncml.api.model.ExtensionCommand;
import org.cardinaldm.syncml.api.model.Get;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Mem;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.Sequence;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.model.XmlElement;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.api.tnds.RtProperties;
import org.cardinaldm.syncml.api.tnds.TndsNode;

/**
 * Generates random but valid messages that use every element of the model, from a seed, for
 * property tests, the cross-check corpus and the benchmarks.
 */
public final class MessageGenerator {
    private final Random r;
    private final boolean binary;
    private final boolean unicode;
    private boolean cdataSafe;
    private int cmdId;

    /**
     * @param r the randomness
     * @param binary whether Data may be binary (WBXML only)
     * @param unicode whether text may leave ASCII
     */
    public MessageGenerator(Random r, boolean binary, boolean unicode) {
        this.r = r;
        this.binary = binary;
        this.unicode = unicode;
    }

    /**
     * Avoids what libwbxml 0.11 cannot carry: "]]>" in text (it prints Data as CDATA without splitting
     * that sequence, so its output is not well formed) and line feeds (xml2wbxml turns LF into CR LF).
     *
     * @return this
     */
    public MessageGenerator cdataSafe() {
        this.cdataSafe = true;
        return this;
    }

    /** @return a random message */
    public SyncMessage message() {
        cmdId = 0;
        SyncHeader.Builder h = SyncHeader.builder().sessionId(1 + r.nextInt(0xFFFF)).msgId(Integer.toString(1 + r.nextInt(50)))
                .target(location()).source(location());
        if (r.nextBoolean()) {
            h.respUri("http://dm.example.com/s?" + word());
        }
        if (r.nextInt(5) == 0) {
            h.noResp(true);
        }
        if (r.nextBoolean()) {
            h.cred(new Cred(Meta.of("b64", r.nextBoolean() ? "syncml:auth-md5" : "syncml:auth-basic"),
                    Data.text(word() + "==")));
        }
        if (r.nextBoolean()) {
            h.meta(meta());
        }
        List<Command> commands = new ArrayList<>();
        int n = 1 + r.nextInt(6);
        for (int i = 0; i < n; i++) {
            commands.add(command(2));
        }
        return new SyncMessage(h.build(), commands, r.nextBoolean());
    }

    private String nextId() {
        return Integer.toString(++cmdId);
    }

    private Command command(int depth) {
        int kind = r.nextInt(depth > 0 ? 13 : 10);
        return switch (kind) {
            case 0 -> new Add(nextId(), r.nextInt(6) == 0, null, r.nextBoolean() ? meta() : null, items(1));
            case 1 -> new Replace(nextId(), false, null, r.nextBoolean() ? meta() : null, items(1));
            case 2 -> new Delete(nextId(), false, null, null, items(1));
            case 3 -> new Get(nextId(), false, null, r.nextBoolean() ? meta() : null, items(1));
            case 4 -> new Copy(nextId(), false, null, null, items(1));
            case 5 -> new Exec(nextId(), r.nextBoolean(), null, r.nextBoolean() ? meta() : null,
                    r.nextBoolean() ? word() : null, item());
            case 6 -> new Alert(nextId(), false, null, 1100 + r.nextInt(130), r.nextBoolean() ? word() : null,
                    items(0));
            case 7 -> status();
            case 8 -> new Results(nextId(), r.nextBoolean() ? "1" : null, Integer.toString(r.nextInt(9)),
                    r.nextBoolean() ? meta() : null, r.nextBoolean() ? uri() : null, r.nextBoolean() ? uri() : null,
                    items(1));
            case 9 -> extension();
            case 10, 11 -> new Atomic(nextId(), r.nextBoolean(), r.nextBoolean() ? meta() : null, nested(depth));
            default -> new Sequence(nextId(), false, null, nested(depth));
        };
    }

    private List<Command> nested(int depth) {
        List<Command> out = new ArrayList<>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            Command c = command(depth - 1);
            while (c instanceof Status || c instanceof Results) {
                c = command(depth - 1);
            }
            out.add(c);
        }
        return out;
    }

    private Status status() {
        Status.Builder b = Status.builder().cmdId(nextId()).msgRef("1").cmdRef(Integer.toString(r.nextInt(20)))
                .cmd(r.nextBoolean() ? "SyncHdr" : "Replace").code(200 + r.nextInt(320));
        int refs = r.nextInt(3);
        for (int i = 0; i < refs; i++) {
            b.addTargetRef(uri());
            b.addSourceRef(uri());
        }
        if (r.nextInt(4) == 0) {
            b.chal(new Chal(Meta.builder().type("syncml:auth-md5").format("b64").nextNonce(word() + "==").build()));
        }
        for (Item i : items(0)) {
            b.addItem(i);
        }
        return b.build();
    }

    private ExtensionCommand extension() {
        String ns = Namespaces.SYNCML_1_2;
        return new ExtensionCommand(XmlElement.of(ns, "Sync", XmlElement.text(ns, "CmdID", nextId()),
                XmlElement.of(ns, "Target", XmlElement.text(ns, "LocURI", uri())),
                XmlElement.of(ns, "Add", XmlElement.text(ns, "CmdID", nextId()),
                        XmlElement.of(ns, "Item", XmlElement.text(ns, "Data", text())))));
    }

    private List<Item> items(int min) {
        List<Item> out = new ArrayList<>();
        int n = min + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            out.add(item());
        }
        return out;
    }

    private Item item() {
        Item.Builder b = Item.builder();
        if (r.nextBoolean()) {
            b.target(location());
        }
        if (r.nextBoolean()) {
            b.source(location());
        }
        Data data = r.nextInt(4) == 0 ? null : data();
        if (data instanceof Data.Xml) {
            b.meta(Meta.of("xml", "application/vnd.syncml.dmtnds+xml"));
        } else if (r.nextBoolean()) {
            b.meta(meta());
        }
        b.data(data);
        b.moreData(r.nextInt(5) == 0);
        return b.build();
    }

    private Data data() {
        int k = r.nextInt(binary ? 6 : 5);
        return switch (k) {
            case 0, 1, 2 -> Data.text(text());
            case 3 -> Data.text("");
            case 4 -> Data.xml(tnds().toXml());
            default -> {
                byte[] b = new byte[r.nextInt(40)];
                r.nextBytes(b);
                yield Data.bytes(b);
            }
        };
    }

    /** @return a random TNDS tree */
    public MgmtTree tnds() {
        List<TndsNode> nodes = new ArrayList<>();
        int n = 1 + r.nextInt(2);
        for (int i = 0; i < n; i++) {
            nodes.add(node(3));
        }
        return new MgmtTree("1.2", r.nextBoolean() ? word() : null, r.nextBoolean() ? word() : null, nodes);
    }

    private TndsNode node(int depth) {
        String name = word();
        if (depth == 0 || r.nextBoolean()) {
            RtProperties p = new RtProperties(r.nextBoolean() ? "Get=*&Replace=" + word() : null,
                    pick("chr", "int", "bool", "b64", "xml"), null, r.nextBoolean() ? (long) r.nextInt(999) : null,
                    r.nextBoolean() ? word() : null, r.nextBoolean() ? "20010711T163817Z" : null, "text/plain", null,
                    r.nextBoolean() ? "3" : null);
            return new TndsNode(name, r.nextInt(4) == 0 ? "./" + word() : null, p, Data.text(text()), List.of());
        }
        List<TndsNode> children = new ArrayList<>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            children.add(node(depth - 1));
        }
        return new TndsNode(name, null, RtProperties.interior(r.nextBoolean() ? "org.example/1.0/" + word() : null),
                null, children);
    }

    private Meta meta() {
        Meta.Builder b = Meta.builder();
        if (r.nextBoolean()) {
            b.format(pick("chr", "b64", "int", "node", "bin"));
        }
        if (r.nextBoolean()) {
            b.type(pick("text/plain", "application/octet-stream", "org.openmobilealliance.dm.firmwareupdate.download"));
        }
        if (r.nextInt(4) == 0) {
            b.mark(pick("critical", "informational"));
        }
        if (r.nextInt(4) == 0) {
            b.size((long) r.nextInt(100000));
        }
        if (r.nextInt(5) == 0) {
            b.nextNonce(word() + "==");
        }
        if (r.nextInt(6) == 0) {
            b.version("1.0");
        }
        if (r.nextInt(4) == 0) {
            b.maxMsgSize((long) (1000 + r.nextInt(60000)));
        }
        if (r.nextInt(4) == 0) {
            b.maxObjSize((long) r.nextInt(1 << 20));
        }
        if (r.nextInt(6) == 0) {
            b.addEmi(word()).addEmi(word());
        }
        if (r.nextInt(8) == 0) {
            b.anchor(new Anchor(r.nextBoolean() ? word() : null, word()));
        }
        if (r.nextInt(8) == 0) {
            b.mem(new Mem(r.nextBoolean(), (long) r.nextInt(9999), r.nextBoolean() ? (long) r.nextInt(99) : null));
        }
        if (r.nextInt(8) == 0) {
            b.fieldLevel(true);
        }
        return b.build();
    }

    private Location location() {
        return r.nextBoolean() ? Location.of(uri()) : Location.of(uri(), word());
    }

    private String uri() {
        return r.nextBoolean() ? "./" + word() + "/" + word() : "http://" + word() + ".example.com/dm";
    }

    private String pick(String... values) {
        return values[r.nextInt(values.length)];
    }

    /** @return a trimmed word, never empty */
    public String word() {
        int n = 1 + r.nextInt(12);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        if (unicode && r.nextInt(4) == 0) {
            sb.append(pick("é", "Ω", "中", "\uD83D\uDE00"));
        }
        return sb.toString();
    }

    private String text() {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(5);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                String sep = pick(" ", "&", "<", ">", "=", "\"", "'", "\n", "]]>");
                sb.append(cdataSafe && (sep.equals("]]>") || sep.equals("\n")) ? "]>" : sep);
            }
            sb.append(word());
        }
        return sb.toString();
    }
}
