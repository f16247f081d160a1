package org.cardinaldm.smartcard.dm.internal;

import java.util.List;

import org.cardinaldm.testing.tree.InMemoryTreeStore;
import org.cardinaldm.api.spi.store.TreeStore;
import org.cardinaldm.smartcard.api.CardSession;
import org.cardinaldm.smartcard.api.CardState;
import org.cardinaldm.smartcard.dm.api.DmCardEvent;
import org.cardinaldm.smartcard.dm.internal.card.ApduStats;
import org.cardinaldm.smartcard.dm.internal.card.CardContents;
import org.cardinaldm.smartcard.dm.internal.card.CardIo;
import org.cardinaldm.smartcard.dm.internal.card.TearSafe;
import org.cardinaldm.smartcard.sim.internal.image.MemoryImageStore;
import org.cardinaldm.stacktest.card.CardStack;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.api.tnds.RtProperties;
import org.cardinaldm.syncml.api.tnds.TndsNode;

/** smartcard-dm's demo card stack ({@link DmStacks#demo()}) for tests in other packages. */
public final class CardStackAccess implements AutoCloseable {
    private final CardStack stack;
    private final InMemoryTreeStore store = new InMemoryTreeStore();

    public CardStackAccess() throws Exception {
        stack = DmStacks.demo();
    }

    public CardAccess access() {
        return stack.dm();
    }

    public DmCardServiceImpl dm() {
        return stack.dm();
    }

    public TreeStore treeStore() {
        return store;
    }

    public MemoryImageStore memory() {
        return stack.memory();
    }

    public void clearEvents() {
        stack.events().clear();
    }

    public ApduStats stats() {
        return stack.dm().stats();
    }

    public byte[] atr() {
        return stack.card().uicc().atr();
    }

    public DmCardEvent insert() throws Exception {
        return stack.insert();
    }

    public DmCardEvent remove() throws Exception {
        return stack.remove();
    }

    public boolean backendStatePresent() {
        return stack.simBackend().status().state() == CardState.PRESENT;
    }

    /** After a tear the card is out of its reader: waits for the removal, inserts it again and waits for it. */
    public void reinsertIfPulled() throws Exception {
        if (stack.simBackend().status().state() == CardState.PRESENT) {
            return;
        }
        stack.events().next(DmCardEvent.Type.REMOVED);
        stack.insert();
    }

    public List<String> problems() throws Exception {
        return stack.dm().validated(CardStack.SIM_READER).map(CardContents::problems).orElseThrow();
    }

    /** Another party with the ADM key renames the operator on the card. */
    public void writeMoBehindTheBack(String path, String value) throws Exception {
        if (!path.equals("Operator/Name")) {
            throw new IllegalArgumentException(path);
        }
        RtProperties chr = RtProperties.leaf("chr", "text/plain");
        MgmtTree demo = DemoCard.moStore();
        TndsNode op = demo.nodes().get(0);
        List<TndsNode> children = new java.util.ArrayList<>(op.children());
        children.set(0, TndsNode.leaf("Name", chr, value));
        MgmtTree changed = new MgmtTree("1.2", null, null,
                List.of(new TndsNode(op.name(), null, op.properties(), null, children)));
        byte[] content = SyncML.tndsWbxml(DemoCard.moStoreOptions()).encode(changed);
        CardContents c = stack.dm().validated(CardStack.SIM_READER).orElseThrow();
        try (CardSession s = stack.cards().openSession(CardStack.SIM_READER)) {
            CardIo io = new CardIo(s.basicChannel(), new ApduStats());
            DiscoveryTest.adm(io);
            io.useState(c.state());
            io.selectApplication(c.application().aid());
            TearSafe.write(io, c.moPath(), TearSafe.control(io, c.moPath()), content);
            s.reset();
        }
    }

    @Override
    public void close() throws Exception {
        stack.close();
    }
}
