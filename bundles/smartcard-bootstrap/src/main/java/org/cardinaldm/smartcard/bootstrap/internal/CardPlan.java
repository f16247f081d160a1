package org.cardinaldm.smartcard.bootstrap.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.cardinaldm.smartcard.dm.api.CardCredential;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.dm.api.DigestType;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.CommandContainer;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.ItemCommand;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.model.XmlElement;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.api.tnds.TndsNode;

/**
 * What a DM card asks to be applied: either the card's own DM bootstrap document, or, for a card that holds
 * DM credentials but no bootstrap document (RD 6.1.4 alternative flow a, "key-only card"), a minimal
 * bootstrap message made here — one {@code ./DMAcc} account per server the card holds a client credential for,
 * with the configured server address, so that the device can open a session in which the server provisions
 * the rest. Also the ServerIDs the document would create (for the card policy's allowed servers) and a
 * fingerprint that recognises the same content later. Immutable.
 *
 * @param kind where the document comes from
 * @param document the DM-profile bootstrap message
 * @param mediaType its media type
 * @param serverIds the ServerIDs found in it
 * @param serverIdsComplete whether every account-creating item could be inspected (else there may be more)
 * @param fingerprint SHA-256 (hex) of the document and the card policy
 * @param skipped key-only servers left out and why (no address configured, not allowed by the policy)
 */
record CardPlan(Kind kind, byte[] document, String mediaType, List<String> serverIds, boolean serverIdsComplete,
        String fingerprint, List<String> skipped) {

    /** Where the document comes from. */
    enum Kind {
        /** The card's bootstrap document (DODF object 2.23.43.7.1). */
        CARD_BOOTSTRAP,
        /** Made by this bundle from the card's credentials (key-only card). */
        KEY_ONLY
    }

    /** The DMAcc MO identifier. */
    static final String DMACC_MO = "urn:oma:mo:oma-dm-dmacc:1.0";
    private static final String FINGERPRINT_VERSION = "cardinal-card-bootstrap/1";

    /** Copies. */
    CardPlan {
        document = document.clone();
        serverIds = List.copyOf(serverIds);
        skipped = List.copyOf(skipped);
    }

    /**
     * @param card a DM card
     * @param addresses the server address of a key-only card's servers: by ServerID, {@code *} for any other
     * @return the plan, or empty when the card carries neither a bootstrap document nor a client credential for
     *         a server with a known address (the reasons are then in {@link #skippedFor})
     */
    static Optional<CardPlan> of(DmCard card, Map<String, String> addresses) {
        Optional<byte[]> doc = card.bootstrapDocument();
        if (doc.isPresent() && doc.get().length > 0) {
            return Optional.of(fromDocument(card, doc.get()));
        }
        return keyOnly(card, addresses);
    }

    /**
     * @param card a card without a usable plan
     * @param addresses as for {@link #of}
     * @return why a key-only plan is empty, for the log
     */
    static List<String> skippedFor(DmCard card, Map<String, String> addresses) {
        List<String> out = new ArrayList<>();
        clientServers(card).forEach(sid -> {
            String why = skipReason(card.policy(), sid, addresses);
            if (why != null) {
                out.add(why);
            }
        });
        return out;
    }

    private static CardPlan fromDocument(DmCard card, byte[] doc) {
        String mediaType = SyncML.isWbxml(doc) ? MediaTypes.DM_WBXML : MediaTypes.DM_XML;
        Set<String> ids = new LinkedHashSet<>();
        boolean complete;
        try {
            SyncMessage m = SyncML.decode(doc);
            complete = inspect(m.commands(), ids);
        } catch (CodecException e) {
            complete = false; // DmBootstrap will report it as INVALID
        }
        return new CardPlan(Kind.CARD_BOOTSTRAP, doc, mediaType, new ArrayList<>(ids), complete,
                fingerprint(Kind.CARD_BOOTSTRAP, card.policy(), doc), List.of());
    }

    // ------------------------------------------------------------------------------ inspection

    /** Collects the ServerIDs of the Add/Replace items; false when an item under ./DMAcc could not be read. */
    private static boolean inspect(List<Command> commands, Set<String> ids) {
        boolean complete = true;
        for (Command c : commands) {
            if (c instanceof CommandContainer cc) {
                complete &= inspect(cc.commands(), ids);
            } else if ((c instanceof Add || c instanceof Replace) && c instanceof ItemCommand ic) {
                for (Item item : ic.items()) {
                    complete &= inspect(item, ids);
                }
            }
        }
        return complete;
    }

    private static boolean inspect(Item item, Set<String> ids) {
        String target = item.target() == null ? "" : item.target().locUri();
        Data data = item.data();
        if (data instanceof Data.Xml xml) {
            boolean found = false;
            for (XmlElement e : xml.elements()) {
                if (e.name().equals("MgmtTree")) {
                    try {
                        serverIds(MgmtTree.fromXml(e).nodes(), ids);
                        found = true;
                    } catch (CodecException x) {
                        return false;
                    }
                }
            }
            return found || !underDmAcc(target);
        }
        if (data instanceof Data.Binary bin && isTnds(item.meta())) {
            try {
                serverIds(SyncML.tndsWbxml(org.cardinaldm.syncml.api.WbxmlOptions.DEFAULT).decode(bin.asBytes()).nodes(), ids);
                return true;
            } catch (CodecException | RuntimeException x) {
                return !underDmAcc(target);
            }
        }
        if (underDmAcc(target) && lastSegment(target).equals("ServerID")) {
            if (data == null) {
                return false;
            }
            ids.add(data.asText().trim());
        }
        return true;
    }

    private static boolean isTnds(Meta meta) {
        return meta != null && meta.type() != null && meta.type().toLowerCase(Locale.ROOT).contains("dmtnds");
    }

    private static void serverIds(List<TndsNode> nodes, Set<String> ids) {
        for (TndsNode n : nodes) {
            if (n.name().equals("ServerID") && n.value() != null) {
                ids.add(n.value().asText().trim());
            }
            serverIds(n.children(), ids);
        }
    }

    private static boolean underDmAcc(String uri) {
        String u = uri.startsWith("./") ? uri.substring(2) : uri;
        return u.equals("DMAcc") || u.startsWith("DMAcc/") || u.equals(".") || u.isEmpty();
    }

    private static String lastSegment(String uri) {
        int q = uri.indexOf('?');
        String u = q < 0 ? uri : uri.substring(0, q);
        return u.substring(u.lastIndexOf('/') + 1);
    }

    // ------------------------------------------------------------------------------ key-only cards

    private static List<String> clientServers(DmCard card) {
        Set<String> out = new LinkedHashSet<>();
        for (CardCredential c : card.credentials()) {
            if (c.level() == CardCredential.Level.CLIENT) {
                out.add(c.serverId());
            }
        }
        return new ArrayList<>(out);
    }

    private static String skipReason(CardPolicy policy, String serverId, Map<String, String> addresses) {
        if (!policy.allows(serverId)) {
            return serverId + ": not allowed by the card policy";
        }
        if (address(serverId, addresses).isEmpty()) {
            return serverId + ": no server address configured (key.only.addresses / key.only.address)";
        }
        return null;
    }

    private static String address(String serverId, Map<String, String> addresses) {
        String a = addresses.get(serverId);
        if (a == null || a.isBlank()) {
            a = addresses.getOrDefault("*", "");
        }
        return a.trim();
    }

    private static Optional<CardPlan> keyOnly(DmCard card, Map<String, String> addresses) {
        List<String> servers = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String sid : clientServers(card)) {
            String why = skipReason(card.policy(), sid, addresses);
            if (why == null) {
                servers.add(sid);
            } else {
                skipped.add(why);
            }
        }
        if (servers.isEmpty()) {
            return Optional.empty();
        }
        SyncHeader header = SyncHeader.builder().sessionId("0").msgId("1").target("urn:x-cardinaldm:card-bootstrap")
                .source("urn:x-cardinaldm:smartcard-bootstrap:" + card.cardId()).build();
        SyncMessage.Builder b = SyncMessage.builder(header);
        for (String sid : servers) {
            account(b, card, sid, address(sid, addresses));
        }
        byte[] doc;
        try {
            doc = SyncML.xml().encode(b.build());
        } catch (CodecException e) {
            throw new IllegalStateException("The key-only bootstrap message cannot be encoded", e);
        }
        return Optional.of(new CardPlan(Kind.KEY_ONLY, doc, MediaTypes.DM_XML, servers, true,
                fingerprint(Kind.KEY_ONLY, card.policy(), doc), skipped));
    }

    /**
     * @param cardId a card id
     * @param serverId a ServerID
     * @return the node name of a key-only card's account: {@code SC-<last 8 digits of the card id>-<ServerID>},
     *         with characters other than letters, digits, {@code .}, {@code _} and {@code -} replaced by {@code _}
     */
    static String accountName(String cardId, String serverId) {
        String id = cardId.length() > 8 ? cardId.substring(cardId.length() - 8) : cardId;
        return ("SC-" + id + "-" + serverId).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void account(SyncMessage.Builder b, DmCard card, String sid, String address) {
        String acc = "./DMAcc/" + accountName(card.cardId(), sid);
        CardCredential client = credential(card, sid, CardCredential.Level.CLIENT);
        CardCredential server = credential(card, sid, CardCredential.Level.SERVER);
        node(b, acc, DMACC_MO);
        leaf(b, acc + "/AppID", "w7");
        leaf(b, acc + "/ServerID", sid);
        leaf(b, acc + "/Name", sid + " (smart card " + card.cardId() + ")");
        node(b, acc + "/AppAddr", null);
        node(b, acc + "/AppAddr/Primary", null);
        leaf(b, acc + "/AppAddr/Primary/Addr", address);
        leaf(b, acc + "/AppAddr/Primary/AddrType", "URI");
        leaf(b, acc + "/AAuthPref", authType(client));
        node(b, acc + "/AppAuth", null);
        node(b, acc + "/AppAuth/Client", null);
        leaf(b, acc + "/AppAuth/Client/AAuthLevel", "CLCRED");
        leaf(b, acc + "/AppAuth/Client/AAuthType", authType(client));
        leaf(b, acc + "/AppAuth/Client/AAuthName", client.authName());
        if (server != null) {
            node(b, acc + "/AppAuth/Server", null);
            leaf(b, acc + "/AppAuth/Server/AAuthLevel", "SRVCRED");
            leaf(b, acc + "/AppAuth/Server/AAuthType", authType(server));
            leaf(b, acc + "/AppAuth/Server/AAuthName", server.authName());
        }
        // the server manages the account it provisions (the rest of the settings come in its first session)
        b.add(Replace.of(b.nextCmdId(), Item.builder().target(acc + "?prop=ACL").meta(Meta.of("chr", "text/plain"))
                .data("Add=" + sid + "&Delete=" + sid + "&Get=" + sid + "&Replace=" + sid).build()));
    }

    private static CardCredential credential(DmCard card, String sid, CardCredential.Level level) {
        return card.credentials().stream().filter(c -> c.serverId().equals(sid) && c.level() == level).findFirst()
                .orElse(null);
    }

    /** DIGEST when the card computes md5 with the key, else HMAC. */
    private static String authType(CardCredential c) {
        return c.digests().contains(DigestType.MD5) || c.digests().isEmpty() ? "DIGEST" : "HMAC";
    }

    private static void node(SyncMessage.Builder b, String uri, String type) {
        b.add(Add.of(b.nextCmdId(), Item.builder().target(uri).meta(Meta.of("node", type)).build()));
    }

    private static void leaf(SyncMessage.Builder b, String uri, String value) {
        b.add(Add.of(b.nextCmdId(), Item.builder().target(uri).meta(Meta.of("chr", "text/plain")).data(value).build()));
    }

    // ------------------------------------------------------------------------------ fingerprint

    private static String fingerprint(Kind kind, CardPolicy policy, byte[] doc) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String head = FINGERPRINT_VERSION + "\n" + kind + "\n" + policy.userConfirmation() + "\n"
                    + policy.autonomousConnection() + "\n" + String.join(",", policy.allowedServers()) + "\n";
            sha.update(head.getBytes(StandardCharsets.UTF_8));
            sha.update(doc);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** @return kind, size, ServerIDs and fingerprint; never the document */
    @Override
    public String toString() {
        return "CardPlan[" + kind + ", " + document.length + " bytes, servers " + serverIds
                + (serverIdsComplete ? "" : " (incomplete)") + ", " + fingerprint.substring(0, 12) + "…]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CardPlan p && fingerprint.equals(p.fingerprint) && kind == p.kind;
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }
}
