package org.cardinaldm.smartcard.bootstrap.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.TreeAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers, in the tree next to dm-client's origin mark, which card content the accounts of an origin came
 * from: {@code ./DMAcc/<X>/Ext/Cardinal/CardFingerprint} = the {@link CardPlan#fingerprint()}. It lives and
 * dies with the accounts (a withdraw deletes it), survives a restart with the tree, and lets the source
 * recognise at power-on, or on a change of an unrelated card file, that the card's bootstrap is already
 * applied — so it neither asks the user again nor replaces accounts the server has since changed.
 */
final class AppliedMarks {
    private static final Logger LOG = LoggerFactory.getLogger(AppliedMarks.class);
    private static final NodeUri DMACC = NodeUri.of("./DMAcc");
    /** The leaf name below {@code Ext/Cardinal}. */
    static final String LEAF = "CardFingerprint";

    private final DmTree tree;

    /** @param tree the DM tree */
    AppliedMarks(DmTree tree) {
        this.tree = tree;
    }

    /**
     * @param origin an origin, {@code card:<id>}
     * @return the fingerprint all accounts of that origin carry; empty when there is none, or they disagree
     */
    Optional<String> fingerprint(String origin) {
        TreeAccess system = tree.as(Principal.system());
        String found = null;
        for (String name : accounts(system, origin)) {
            NodeUri leaf = DMACC.child(name).child("Ext").child("Cardinal").child(LEAF);
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

    /**
     * Marks every account of an origin with a fingerprint.
     *
     * @param origin the origin
     * @param fingerprint the fingerprint
     */
    void mark(String origin, String fingerprint) {
        TreeAccess system = tree.as(Principal.system());
        for (String name : accounts(system, origin)) {
            NodeUri leaf = DMACC.child(name).child("Ext").child("Cardinal").child(LEAF);
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
     * @param system the tree as the system
     * @param origin an origin
     * @return the node names of the accounts marked with it
     */
    static List<String> accounts(TreeAccess system, String origin) {
        List<String> out = new ArrayList<>();
        try {
            if (!system.exists(DMACC)) {
                return out;
            }
            for (String name : system.children(DMACC)) {
                NodeUri mark = DMACC.child(name).child("Ext").child("Cardinal").child("Origin");
                try {
                    if (system.exists(mark) && origin.equals(system.get(mark).asString())) {
                        out.add(name);
                    }
                } catch (DmException e) {
                    LOG.debug("Skipping account {}: {}", name, e.toDisplayString());
                }
            }
        } catch (DmException e) {
            LOG.debug("Accounts cannot be read: {}", e.toDisplayString());
        }
        return out;
    }
}
