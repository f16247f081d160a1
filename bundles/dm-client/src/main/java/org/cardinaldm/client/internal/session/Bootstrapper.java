package org.cardinaldm.client.internal.session;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.TndsDocuments;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.TreeSerialization;
import org.cardinaldm.client.api.BootstrapPackage;
import org.cardinaldm.client.api.BootstrapResult;
import org.cardinaldm.client.api.BootstrapResult.Outcome;
import org.cardinaldm.client.internal.ui.UiAlerts;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Atomic;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.CommandContainer;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies DM-profile bootstrap messages (digest 8.1, 8.2): SEC/MAC checked (HMAC-SHA1, hex), the
 * user asked when the package says so, every Add and Replace run as the system principal inside one
 * Atomic (all or nothing, no response), and each new {@code ./DMAcc} account marked with its origin
 * in {@code <X>/Ext/Cardinal/Origin} and, when the package carries one, its fingerprint in
 * {@code <X>/Ext/Cardinal/CardFingerprint} (the node name stays from when smart cards were the only
 * source with fingerprints, so that trees written then still read). These marks are this class's own:
 * other bundles ask {@code DmBootstrap}.
 */
public final class Bootstrapper {
    /** Asks the user something; returns empty when nobody can be asked. */
    public interface Asker {
        /**
         * @param question a yes/no question
         * @return the answer, empty when there is no UI or no answer
         */
        Optional<Boolean> confirm(String question);

        /**
         * @param question what to type (a PIN)
         * @return the text, empty when there is no UI or no answer
         */
        Optional<String> secret(String question);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Bootstrapper.class);
    private static final NodeUri DMACC = NodeUri.of("./DMAcc");
    /** The origin mark below {@code ./DMAcc/<X>}. */
    private static final String ORIGIN = "Origin";
    /** The fingerprint mark below {@code ./DMAcc/<X>}. */
    private static final String FINGERPRINT = "CardFingerprint";

    private final DmTree tree;
    private final Supplier<TreeSerialization> serialization;
    private final Supplier<TndsDocuments> tnds;
    private final UiAlerts noUi;
    private final Asker asker;
    private final Supplier<String> networkId;
    private final boolean pushMacRequired;

    /**
     * @param tree the DM tree
     * @param serialization the tree's serialization service, or a supplier of null
     * @param tnds the TNDS service, or a supplier of null
     * @param noUi UI alerts without a UI (a bootstrap has no one to ask mid-way)
     * @param asker asks the user for confirmation and PINs
     * @param networkId the NETWORKID shared secret, or a supplier of an empty string
     * @param pushMacRequired whether {@code push:} origins must carry SEC/MAC
     */
    public Bootstrapper(DmTree tree, Supplier<TreeSerialization> serialization, Supplier<TndsDocuments> tnds,
            UiAlerts noUi, Asker asker, Supplier<String> networkId, boolean pushMacRequired) {
        this.tree = tree;
        this.serialization = serialization;
        this.tnds = tnds;
        this.noUi = noUi;
        this.asker = asker;
        this.networkId = networkId;
        this.pushMacRequired = pushMacRequired;
    }

    /**
     * @param p the package
     * @return what happened
     */
    public BootstrapResult apply(BootstrapPackage p) {
        byte[] doc = p.document();
        SyncMessage m;
        try {
            MessageCodec codec = SyncML.forMediaType(p.mediaType()).orElse(SyncML.isWbxml(doc) ? SyncML.wbxml() : SyncML.xml());
            m = codec.decode(doc);
        } catch (CodecException e) {
            return result(p, Outcome.INVALID, "not a SyncML message: " + e.toDisplayString());
        }
        if (!SyncHeader.VER_DTD_1_2.equals(m.header().verDtd())) {
            return result(p, Outcome.INVALID, "not a DM 1.2 message (VerDTD " + Values.shorten(m.header().verDtd()) + ")");
        }
        Optional<String> macProblem = checkMac(p, doc);
        if (macProblem.isPresent()) {
            return result(p, Outcome.BAD_MAC, macProblem.get());
        }
        if (p.confirm() && !asker.confirm(p.prompt().isEmpty() ? "Apply the device management settings from "
                + p.origin() + "?" : p.prompt()).orElse(Boolean.FALSE)) {
            return result(p, Outcome.REFUSED_BY_USER, "the user did not accept the bootstrap");
        }
        List<Command> commands = new ArrayList<>();
        collect(m.commands(), commands);
        if (commands.isEmpty()) {
            return result(p, Outcome.INVALID, "the message has no Add or Replace");
        }
        int removed = withdraw(p.origin());
        TreeAccess system = tree.as(Principal.system());
        Set<String> before = accountNodes(system);
        CommandProcessor processor = new CommandProcessor(system, serialization.get(), tnds.get(), noUi, "bootstrap",
                false, Long.MAX_VALUE, () -> Long.MAX_VALUE);
        Outbox out = new Outbox();
        try {
            processor.process(new Atomic("1", false, null, commands), "1", out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result(p, Outcome.FAILED, "interrupted");
        }
        List<Status> statuses = out.statuses();
        if (statuses.isEmpty() || statuses.get(0).code() != StatusCodes.OK) {
            Status first = statuses.stream().skip(1).filter(s -> !StatusCodes.isSuccess(s.code())).findFirst().orElse(null);
            return result(p, Outcome.FAILED, "the tree refused it, nothing applied" + (first == null ? ""
                    : ": " + first.cmd() + " " + first.targetRefs() + " " + first.code()));
        }
        Set<String> created = new TreeSet<>(accountNodes(system));
        created.removeAll(before);
        List<String> serverIds = new ArrayList<>();
        try {
            for (String name : created) {
                NodeUri acc = DMACC.child(name);
                system.add(mark(acc, ORIGIN), NodeValue.ofString(p.origin()));
                NodeUri sid = acc.child("ServerID");
                if (system.exists(sid)) {
                    serverIds.add(system.get(sid).asString());
                }
            }
        } catch (DmException e) {
            for (String name : created) {
                try {
                    system.delete(DMACC.child(name));
                } catch (DmException ignored) {
                    LOG.warn("Cannot remove the half-bootstrapped account {}", name);
                }
            }
            return result(p, Outcome.FAILED, "the new accounts cannot be marked: " + e.toDisplayString());
        }
        p.fingerprint().ifPresent(fp -> markFingerprint(system, p.origin(), fp));
        LOG.info("Bootstrap from {} applied: {} command(s), new accounts for {}{}", p.origin(), commands.size(), serverIds,
                removed > 0 ? " (replacing " + removed + ")" : "");
        return new BootstrapResult(Outcome.APPLIED, "", serverIds);
    }

    private static NodeUri mark(NodeUri account, String leaf) {
        return account.child("Ext").child("Cardinal").child(leaf);
    }

    /** Marks every account of an origin with a fingerprint; a mark that cannot be written is only logged. */
    private static void markFingerprint(TreeAccess system, String origin, String fingerprint) {
        for (String name : accountsOf(system, origin)) {
            NodeUri leaf = mark(DMACC.child(name), FINGERPRINT);
            try {
                if (system.exists(leaf)) {
                    system.replace(leaf, NodeValue.ofString(fingerprint));
                } else {
                    system.add(leaf, NodeValue.ofString(fingerprint));
                }
            } catch (DmException e) {
                LOG.warn("Cannot mark account {} of {} as applied: {}", name, origin, e.toDisplayString());
            }
        }
    }

    /**
     * @param origin an origin
     * @return the fingerprint all accounts of that origin carry; empty when there is none, or they disagree
     */
    public Optional<String> appliedFingerprint(String origin) {
        TreeAccess system = tree.as(Principal.system());
        String found = null;
        for (String name : accountsOf(system, origin)) {
            NodeUri leaf = mark(DMACC.child(name), FINGERPRINT);
            try {
                String fp = system.exists(leaf) ? system.get(leaf).asString() : "";
                if (fp.isEmpty() || found != null && !found.equals(fp)) {
                    return Optional.empty();
                }
                found = fp;
            } catch (DmException e) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(found);
    }

    /** @return the node names of the accounts marked with an origin */
    private static List<String> accountsOf(TreeAccess system, String origin) {
        List<String> out = new ArrayList<>();
        marks(system).forEach((name, v) -> {
            if (v[1].equals(origin)) {
                out.add(name);
            }
        });
        return out;
    }

    private static BootstrapResult result(BootstrapPackage p, Outcome o, String detail) {
        LOG.warn("Bootstrap from {} not applied: {} ({})", p.origin(), o, detail);
        return new BootstrapResult(o, detail, List.of());
    }

    private static void collect(List<Command> in, List<Command> out) {
        for (Command c : in) {
            if (c instanceof Add || c instanceof Replace) {
                out.add(c);
            } else if (c instanceof CommandContainer cc) {
                collect(cc.commands(), out);
            } else {
                LOG.debug("Bootstrap: {} ignored", c.elementName());
            }
        }
    }

    private Optional<String> checkMac(BootstrapPackage p, byte[] doc) {
        if (p.security().isEmpty()) {
            return pushMacRequired && p.origin().toLowerCase(Locale.ROOT).startsWith("push:")
                    ? Optional.of("a pushed bootstrap needs SEC and MAC") : Optional.empty();
        }
        String sec = p.security().get().sec().trim().toUpperCase(Locale.ROOT);
        String key;
        switch (sec) {
            case "NETWORKID":
                key = networkId.get();
                break;
            case "USERPIN":
                key = asker.secret("Enter the PIN that came with the device management settings").orElse("");
                break;
            case "USERPIN_NETWORKID":
                String pin = asker.secret("Enter the PIN that came with the device management settings").orElse("");
                key = pin.isEmpty() || networkId.get().isEmpty() ? "" : pin + ":" + networkId.get();
                break;
            default:
                return Optional.of("unknown SEC " + Values.shorten(sec));
        }
        if (key.isEmpty()) {
            return Optional.of("no key for SEC " + sec);
        }
        byte[] expected = hmacSha1Hex(key, doc).getBytes(StandardCharsets.US_ASCII);
        byte[] received = p.security().get().mac().trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, received) ? Optional.empty() : Optional.of("the MAC does not match");
    }

    /**
     * @param key the shared secret (UTF-8)
     * @param doc the document
     * @return HMAC-SHA1 as lower-case hex (digest 8.2)
     */
    public static String hmacSha1Hex(String key, byte[] doc) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return HexFormat.of().formatHex(mac.doFinal(doc));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JVM", e);
        }
    }

    private static Set<String> accountNodes(TreeAccess system) {
        try {
            return system.exists(DMACC) ? new TreeSet<>(system.children(DMACC)) : new TreeSet<>();
        } catch (DmException e) {
            return new TreeSet<>();
        }
    }

    /**
     * @param origin an origin
     * @return how many accounts were removed
     */
    public int withdraw(String origin) {
        TreeAccess system = tree.as(Principal.system());
        int n = 0;
        for (Map.Entry<String, String[]> e : marks(system).entrySet()) {
            if (e.getValue()[1].equals(origin)) {
                try {
                    system.delete(DMACC.child(e.getKey()));
                    n++;
                } catch (DmException ex) {
                    LOG.warn("Cannot remove account {} of {}: {}", e.getKey(), origin, ex.toDisplayString());
                }
            }
        }
        if (n > 0) {
            LOG.info("Removed {} account(s) that came from {}", n, origin);
        }
        return n;
    }

    /** @return ServerID to origin of every marked account */
    public Map<String, String> origins() {
        Map<String, String> out = new LinkedHashMap<>();
        marks(tree.as(Principal.system())).values().forEach(v -> out.put(v[0], v[1]));
        return out;
    }

    /** @return account node name to {ServerID, origin} */
    private static Map<String, String[]> marks(TreeAccess system) {
        Map<String, String[]> out = new LinkedHashMap<>();
        for (String name : accountNodes(system)) {
            NodeUri acc = DMACC.child(name);
            try {
                NodeUri mark = mark(acc, ORIGIN);
                if (system.exists(mark)) {
                    NodeUri sid = acc.child("ServerID");
                    out.put(name, new String[] {system.exists(sid) ? system.get(sid).asString() : "",
                        system.get(mark).asString()});
                }
            } catch (DmException e) {
                LOG.debug("Skipping account {}: {}", name, e.toDisplayString());
            }
        }
        return out;
    }
}
