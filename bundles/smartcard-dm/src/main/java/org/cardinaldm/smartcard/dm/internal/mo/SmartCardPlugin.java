package org.cardinaldm.smartcard.dm.internal.mo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.ManagementObject;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.api.spi.mo.MoContext;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.dm.api.FumoPolicy;
import org.cardinaldm.smartcard.dm.internal.CardAccess;
import org.cardinaldm.smartcard.dm.internal.card.CardContents;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Exception;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.CodecLimits;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.WbxmlOptions;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.api.tnds.TndsCodec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The smart card in the DM tree (ARCHITECTURE decision 6), at {@code ./SmartCard}:
 * <pre>
 * ./SmartCard                      node   (no children while no DM card is present)
 *   Info/CardId                    chr    card id (hex)
 *   Info/ATR                       chr    ATR (hex)
 *   Info/Reader                    chr    reader name
 *   Info/ProfileVersion            chr    Cardinal profile version, empty for a bootstrap-only card
 *   Info/FreeSpace                 int    bytes free in the MO store (-1 without one)
 *   Info/Capabilities              chr    comma-separated: md5, hmac, verify-server, change-counter, mo-store
 *   Info/ChangeCounter             int    the card's change counter (-1 without one)
 *   Policy/UserConfirmation        bool
 *   Policy/AutoConnect             bool
 *   Policy/AllowedServers          chr    comma-separated ServerIDs (empty: no restriction)
 *   Policy/FUMO/TrustedSigners     chr    comma-separated SHA-256 (hex) of the signers' public keys
 *   Policy/FUMO/AllowedServers     chr
 *   Policy/FUMO/AntiRollbackCounter int    raised only by the card (FUMO COMMIT), never lowered by a server
 *   Policy/FUMO/Threshold          int    distinct trusted signers a firmware manifest needs (profile 1.2)
 *   MO/…                                  the card-resident MOs (the MO store's TNDS document)
 * </pre>
 * {@code Info} and {@code Policy} are read-only. Below {@code MO} a server may Get, Add, Replace and Delete:
 * each change rewrites the MO store on the card, tear-safe, under the card's access conditions. The device
 * refuses (425) a server the card policy does not allow; the card refuses (425) a write without an
 * authenticated DM server or the issuer's ADM key. Reads come from a cache the change counter keeps true.
 */
@Component(service = ManagementObjectPlugin.class, configurationPid = SmartCardPlugin.PID)
@ManagementObject(root = SmartCardPlugin.ROOT, id = SmartCardPlugin.MO_ID)
@Designate(ocd = SmartCardPlugin.Config.class)
public final class SmartCardPlugin implements ManagementObjectPlugin {
    /** Configuration PID. */
    public static final String PID = "org.cardinaldm.smartcard.dm.tree";
    /** The subtree root. */
    public static final String ROOT = "./SmartCard";
    /** The MO identifier (Cardinal's own; OMNA registers none for DM_SC). */
    public static final String MO_ID = "urn:x-cardinaldm:mo:smartcard:1.0";

    private static final Logger LOG = LoggerFactory.getLogger(SmartCardPlugin.class);
    private static final NodeUri ROOT_URI = NodeUri.of(ROOT);
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final List<String> INFO = List.of("CardId", "ATR", "Reader", "ProfileVersion", "FreeSpace",
            "Capabilities", "ChangeCounter");
    private static final List<String> POLICY = List.of("UserConfirmation", "AutoConnect", "AllowedServers");
    private static final List<String> FUMO = List.of("TrustedSigners", "AllowedServers", "AntiRollbackCounter",
            "Threshold");

    /** Configuration of the {@code ./SmartCard} subtree. */
    @ObjectClassDefinition(name = "Cardinal ./SmartCard", description = "The DM card in the DM tree")
    public @interface Config {
        /** @return the reader whose card is shown; empty for the first reader holding a DM card */
        @AttributeDefinition(name = "Reader", required = false,
                description = "Reader whose DM card appears at ./SmartCard; empty: the first one")
        String reader() default "";

        /** @return the ACL of ./SmartCard */
        @AttributeDefinition(name = "ACL of ./SmartCard")
        String root_acl() default "Get=*";

        /** @return the ACL of ./SmartCard/MO */
        @AttributeDefinition(name = "ACL of ./SmartCard/MO",
                description = "The device's own check; the card's access conditions and policy apply as well")
        String mo_acl() default "Add=*&Delete=*&Get=*&Replace=*";
    }

    /** The decoded MO store, valid while the card's control record is the same. */
    private record Decoded(CardAccess.MoStore store, MoTree tree) {
    }

    /**
     * The result of the change-counter check made for one tree command: the engine calls the plugin several
     * times per command (describe of the node and its ancestors, get), always with the same context object,
     * so one check per command is enough. Bounded in time in case a context object is reused.
     */
    private static final class Checked {
        final java.lang.ref.WeakReference<MoContext> context;
        final long nanos = System.nanoTime();
        final Optional<CardContents> card;
        volatile Optional<Decoded> store;

        Checked(MoContext context, Optional<CardContents> card) {
            this.context = new java.lang.ref.WeakReference<>(context);
            this.card = card;
        }

        boolean isFor(MoContext c) {
            return c != null && context.get() == c && System.nanoTime() - nanos < 2_000_000_000L;
        }
    }

    private final CardAccess cards;
    private volatile Checked checked;
    private final String reader;
    private final Acl rootAcl;
    private final Acl moAcl;
    private final TndsCodec codec;
    private volatile Decoded decoded;

    /**
     * @param cards the DM card service
     * @param config the configuration
     */
    @Activate
    public SmartCardPlugin(@Reference CardAccess cards, Config config) {
        this.cards = cards;
        this.reader = config.reader().trim();
        this.rootAcl = Acl.of(config.root_acl());
        this.moAcl = Acl.of(config.mo_acl());
        CodecLimits limits = CodecLimits.DEFAULT;
        this.codec = SyncML.tndsWbxml(new WbxmlOptions(limits, 2, WbxmlOptions.PublicIdForm.NUMERIC, null, true, false,
                WbxmlOptions.EmbeddedDocuments.OPAQUE, true));
    }

    // ---------------------------------------------------------------- where the card is

    private Optional<String> currentReader() {
        if (!reader.isEmpty()) {
            return cards.readers().contains(reader) ? Optional.of(reader) : Optional.empty();
        }
        List<String> all = cards.readers();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    private Optional<CardContents> card(MoContext context) throws DmException {
        Checked c = checked;
        if (c != null && c.isFor(context)) {
            return c.card;
        }
        Optional<String> r = currentReader();
        if (r.isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<CardContents> card = cards.validated(r.get());
            checked = new Checked(context, card);
            return card;
        } catch (SmartCardException e) {
            throw cardFailure(e, "read");
        }
    }

    private Optional<Decoded> store(MoContext context) throws DmException {
        Checked c = checked;
        boolean fresh = c != null && c.isFor(context);
        if (fresh && c.store != null) {
            return c.store;
        }
        Optional<Decoded> d = readStore(!fresh);
        if (fresh) {
            c.store = d;
        }
        return d;
    }

    private Optional<Decoded> readStore(boolean check) throws DmException {
        Optional<String> r = currentReader();
        if (r.isEmpty()) {
            return Optional.empty();
        }
        Optional<CardAccess.MoStore> s;
        try {
            s = cards.moStore(r.get(), check);
        } catch (SmartCardException e) {
            throw cardFailure(e, "read");
        } catch (Pkcs15Exception e) {
            return Optional.empty(); // no (readable) MO store: ./SmartCard/MO absent
        }
        if (s.isEmpty()) {
            return Optional.empty();
        }
        CardAccess.MoStore store = s.get();
        Decoded d = decoded;
        if (d != null && d.store() == store) {
            return Optional.of(d);
        }
        if (store.content() == null) {
            throw new DmException(StatusCode.DATA_STORE_FAILURE, "The card's MO store does not match its control record");
        }
        try {
            MoTree tree = store.content().length == 0 ? MoTree.empty() : MoTree.of(codec.decode(store.content()));
            d = new Decoded(store, tree);
            decoded = d;
            return Optional.of(d);
        } catch (CodecException | IllegalArgumentException e) {
            LOG.debug("MO store of card {} is not a valid TNDS document: {}", store.cardId(), e.getMessage());
            throw new DmException(StatusCode.DATA_STORE_FAILURE, "The card's MO store is not a valid TNDS document");
        }
    }

    private static DmException cardFailure(SmartCardException e, String what) {
        switch (e.code()) {
            case SECURITY_STATUS_NOT_SATISFIED:
                return new DmException(StatusCode.PERMISSION_DENIED,
                        "The card refused to " + what + ": no DM server authenticated to the card and no ADM key");
            case AUTHENTICATION_BLOCKED:
                return new DmException(StatusCode.PERMISSION_DENIED, "The card's key is blocked");
            case CARD_ABSENT:
            case CARD_REMOVED:
            case READER_ABSENT:
                return new DmException(StatusCode.COMMAND_FAILED, "The card was removed during the " + what);
            case READER_BUSY:
                return new DmException(StatusCode.RETRY_LATER, "The card is busy");
            default:
                if (e.statusWord() == 0x6581) {
                    return new DmException(StatusCode.DATA_STORE_FAILURE, "The card could not store the change");
                }
                return new DmException(StatusCode.COMMAND_FAILED, "The card failed: " + e.code());
        }
    }

    // ---------------------------------------------------------------- reading

    private enum Area { ROOT, INFO, POLICY, FUMO, MO }

    private static List<String> relative(NodeUri uri) {
        String rel = uri.relativeTo(ROOT_URI);
        return rel.isEmpty() ? List.of() : Arrays.asList(rel.split("/"));
    }

    @Override
    public Optional<NodeInfo> describe(NodeUri uri, MoContext context) throws DmException {
        List<String> rel = relative(uri);
        if (rel.isEmpty()) {
            return Optional.of(NodeInfo.interior(uri).acl(rootAcl).type(MO_ID).permanent(true).build());
        }
        Optional<CardContents> card = card(context);
        if (card.isEmpty()) {
            return Optional.empty();
        }
        CardContents c = card.get();
        String top = rel.get(0);
        switch (top) {
            case "Info":
                if (rel.size() == 1) {
                    return Optional.of(NodeInfo.interior(uri).build());
                }
                return rel.size() == 2 && INFO.contains(rel.get(1)) ? Optional.of(leafInfo(uri, infoValue(c, rel.get(1))))
                        : Optional.empty();
            case "Policy":
                if (rel.size() == 1) {
                    return Optional.of(NodeInfo.interior(uri).build());
                }
                if (rel.size() == 2 && POLICY.contains(rel.get(1))) {
                    return Optional.of(leafInfo(uri, policyValue(c.policy(), rel.get(1))));
                }
                if (c.fumo() != null && rel.get(1).equals("FUMO")) {
                    if (rel.size() == 2) {
                        return Optional.of(NodeInfo.interior(uri).build());
                    }
                    if (rel.size() == 3 && FUMO.contains(rel.get(2))) {
                        return Optional.of(leafInfo(uri, fumoValue(c.fumo(), rel.get(2))));
                    }
                }
                return Optional.empty();
            case "MO": {
                Optional<Decoded> d = store(context);
                if (d.isEmpty()) {
                    return Optional.empty();
                }
                if (rel.size() == 1) {
                    return Optional.of(NodeInfo.interior(uri).acl(moAcl).build());
                }
                return d.get().tree().find(rel.subList(1, rel.size())).map(n -> moInfo(uri, n));
            }
            default:
                return Optional.empty();
        }
    }

    private static NodeInfo leafInfo(NodeUri uri, NodeValue v) {
        return NodeInfo.leaf(uri, v.format()).type(v.type()).size(v.size()).build();
    }

    private static NodeInfo moInfo(NodeUri uri, MoTree.Node n) {
        NodeInfo.Builder b = n.interior ? NodeInfo.interior(uri) : NodeInfo.leaf(uri, n.format()).size(n.nodeValue().size());
        b.type(n.type());
        if (!n.acl().isEmpty()) {
            try {
                b.acl(Acl.parse(n.acl()));
            } catch (DmException e) {
                LOG.debug("Ignoring a malformed ACL on the card's node {}", uri);
            }
        }
        return b.build();
    }

    @Override
    public List<String> children(NodeUri uri, MoContext context) throws DmException {
        List<String> rel = relative(uri);
        if (rel.isEmpty()) {
            Optional<CardContents> c = card(context);
            if (c.isEmpty()) {
                return List.of();
            }
            return c.get().moPath() == null || store(context).isEmpty() ? List.of("Info", "Policy") : List.of("Info", "Policy", "MO");
        }
        CardContents c = card(context).orElseThrow(() -> notFound(uri));
        switch (rel.get(0)) {
            case "Info":
                return INFO;
            case "Policy":
                if (rel.size() == 1) {
                    List<String> names = new ArrayList<>(POLICY);
                    if (c.fumo() != null) {
                        names.add("FUMO");
                    }
                    return names;
                }
                return FUMO;
            case "MO": {
                MoTree.Node n = store(context).flatMap(d -> d.tree().find(rel.subList(1, rel.size())))
                        .orElseThrow(() -> notFound(uri));
                return List.copyOf(n.children.keySet());
            }
            default:
                throw notFound(uri);
        }
    }

    @Override
    public NodeValue get(NodeUri uri, MoContext context) throws DmException {
        List<String> rel = relative(uri);
        if (rel.size() < 2) {
            throw notFound(uri);
        }
        CardContents c = card(context).orElseThrow(() -> notFound(uri));
        switch (rel.get(0)) {
            case "Info":
                return infoValue(c, rel.get(1));
            case "Policy":
                if (rel.size() == 3 && rel.get(1).equals("FUMO") && c.fumo() != null) {
                    return fumoValue(c.fumo(), rel.get(2));
                }
                return policyValue(c.policy(), rel.get(1));
            case "MO": {
                MoTree.Node n = store(context).flatMap(d -> d.tree().find(rel.subList(1, rel.size())))
                        .orElseThrow(() -> notFound(uri));
                return n.nodeValue();
            }
            default:
                throw notFound(uri);
        }
    }

    private static DmException notFound(NodeUri uri) {
        return new DmException(StatusCode.NOT_FOUND, "No node " + uri);
    }

    private static NodeValue infoValue(CardContents c, String name) throws DmException {
        switch (name) {
            case "CardId":
                return NodeValue.ofString(c.cardId());
            case "ATR":
                return NodeValue.ofString(HEX.formatHex(c.atr()));
            case "Reader":
                return NodeValue.ofString(c.reader());
            case "ProfileVersion":
                return NodeValue.ofString(c.profileVersion());
            case "FreeSpace":
                return NodeValue.ofInt(c.freeSpace());
            case "Capabilities":
                return NodeValue.ofString(String.join(",", c.capabilities()));
            case "ChangeCounter":
                return NodeValue.ofInt(c.changeCounter());
            default:
                throw new DmException(StatusCode.NOT_FOUND, "No node Info/" + name);
        }
    }

    private static NodeValue policyValue(CardPolicy p, String name) throws DmException {
        switch (name) {
            case "UserConfirmation":
                return NodeValue.ofBool(p.userConfirmation());
            case "AutoConnect":
                return NodeValue.ofBool(p.autonomousConnection());
            case "AllowedServers":
                return NodeValue.ofString(String.join(",", p.allowedServers()));
            default:
                throw new DmException(StatusCode.NOT_FOUND, "No node Policy/" + name);
        }
    }

    private static NodeValue fumoValue(FumoPolicy p, String name) throws DmException {
        switch (name) {
            case "TrustedSigners":
                return NodeValue.ofString(String.join(",", p.trustedSigners()));
            case "AllowedServers":
                return NodeValue.ofString(String.join(",", p.allowedServers()));
            case "AntiRollbackCounter":
                return NodeValue.ofInt(p.antiRollbackCounter());
            case "Threshold":
                return NodeValue.ofInt(p.threshold());
            default:
                throw new DmException(StatusCode.NOT_FOUND, "No node Policy/FUMO/" + name);
        }
    }

    // ---------------------------------------------------------------- writing

    /** A change of the MO tree; returns nothing, throws the DM status to answer. */
    @FunctionalInterface
    private interface Change {
        void apply(MoTree tree) throws DmException;
    }

    private List<String> moPath(NodeUri uri) throws DmException {
        List<String> rel = relative(uri);
        if (rel.isEmpty() || !rel.get(0).equals("MO")) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri + " is read-only");
        }
        return rel.subList(1, rel.size());
    }

    private void change(NodeUri uri, MoContext context, Change change) throws DmException {
        CardContents c = card(context).orElseThrow(() -> notFound(uri));
        Principal p = context.principal();
        if (p.kind() == Principal.Kind.SERVER && !c.policy().allows(p.id())) {
            throw new DmException(StatusCode.PERMISSION_DENIED,
                    "The card policy does not let " + p.id() + " manage card-resident data");
        }
        Optional<String> opener = cards.dmSessionServer(c.reader());
        if (opener.isPresent() && !(p.kind() == Principal.Kind.SERVER && p.id().equals(opener.get()))) {
            // the card's dm state is open for the server that proved itself in this DM session, not for others
            throw new DmException(StatusCode.PERMISSION_DENIED,
                    "The card's MO store is open only for the DM server of the session in progress");
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            Decoded d = store(context).orElseThrow(() -> notFound(uri));
            MoTree next = d.tree().copy();
            change.apply(next);
            byte[] content;
            try {
                content = next.root().children.isEmpty() ? new byte[0] : codec.encode(next.toMgmtTree());
            } catch (CodecException e) {
                throw new DmException(StatusCode.COMMAND_FAILED, "The change cannot be written as TNDS");
            }
            if (content.length > d.store().control().slotSize()) {
                throw new DmException(StatusCode.DEVICE_FULL, "The card's MO store holds " + d.store().control().slotSize()
                        + " bytes; the change needs " + content.length);
            }
            try {
                CardAccess.MoStore written = cards.writeMoStore(d.store(), content);
                decoded = new Decoded(written, next);
                checked = null;
                LOG.debug("{} changed {} on card {}", p, uri, written.cardId());
                return;
            } catch (CardAccess.StaleStoreException e) {
                checked = null;
                LOG.debug("MO store of the card changed meanwhile; applying {} again", uri);
            } catch (SmartCardException e) {
                checked = null;
                throw cardFailure(e, "change its MO store");
            } catch (IllegalArgumentException e) {
                throw new DmException(StatusCode.DEVICE_FULL, "The change does not fit the card's MO store");
            }
        }
        throw new DmException(StatusCode.RETRY_LATER, "The card's MO store keeps changing");
    }

    @Override
    public void add(NodeUri uri, NodeValue value, MoContext context) throws DmException {
        List<String> path = moPath(uri);
        if (path.isEmpty()) {
            throw new DmException(StatusCode.ALREADY_EXISTS, uri + " exists");
        }
        String name = path.get(path.size() - 1);
        List<String> parentPath = path.subList(0, path.size() - 1);
        change(uri, context, tree -> {
            MoTree.Node parent = tree.find(parentPath).orElseThrow(() -> notFound(uri.parent()));
            if (!parent.interior) {
                throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Cannot add below the leaf " + uri.parent());
            }
            if (parent.children.containsKey(name)) {
                throw new DmException(StatusCode.ALREADY_EXISTS, uri + " exists");
            }
            MoTree.Node n = new MoTree.Node(name, MoTree.properties(value, null),
                    value.isInterior() ? null : MoTree.data(value), value.isInterior());
            parent.children.put(name, n);
        });
    }

    @Override
    public void replace(NodeUri uri, NodeValue value, MoContext context) throws DmException {
        List<String> path = moPath(uri);
        if (path.isEmpty()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Replace is not supported on " + uri);
        }
        change(uri, context, tree -> {
            MoTree.Node n = tree.find(path).orElseThrow(() -> notFound(uri));
            if (n.interior) {
                throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Cannot replace the interior node " + uri);
            }
            n.props = MoTree.properties(value, n.props == null ? null : n.props.acl());
            n.value = MoTree.data(value);
        });
    }

    @Override
    public void delete(NodeUri uri, MoContext context) throws DmException {
        List<String> path = moPath(uri);
        if (path.isEmpty()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Delete is not supported on " + uri);
        }
        String name = path.get(path.size() - 1);
        change(uri, context, tree -> {
            MoTree.Node parent = tree.find(path.subList(0, path.size() - 1)).orElseThrow(() -> notFound(uri));
            if (parent.children.remove(name) == null) {
                throw notFound(uri);
            }
        });
    }

    /** @return the decoded MO store as TNDS, for tools (empty without a card or store) */
    Optional<MgmtTree> moTree() throws DmException {
        return readStore(true).map(d -> d.tree().toMgmtTree());
    }
}
