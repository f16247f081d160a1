package org.cardinaldm.client.internal.session;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.cardinaldm.api.AtomicAccess;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.ListForm;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.SubtreeNode;
import org.cardinaldm.api.TargetUri;
import org.cardinaldm.api.TndsDocuments;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.TreeSerialization;
import org.cardinaldm.client.internal.ui.UiAlerts;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Atomic;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.CommandContainer;
import org.cardinaldm.syncml.api.model.Copy;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Delete;
import org.cardinaldm.syncml.api.model.Exec;
import org.cardinaldm.syncml.api.model.Get;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.ItemCommand;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.Sequence;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes the server's management commands against the DM tree as that server's principal and
 * writes their statuses and results (digest 1.5): one Status per item (with TargetRef/SourceRef),
 * Results right after the Status of each Get, Atomic all or nothing (507, children 216 rolled back
 * and 215 not executed), Sequence stopped by a refused (304), cancelled (214) or unanswered (408) user
 * interaction (its later commands 215, not run; 214 and 408 also end the package, at any depth), large
 * objects reassembled before anything is applied (213 per chunk, 424 on a size mismatch, 413 over
 * MaxObjSize, Alert 1225 when the server interrupts one; see {@link LargeObjectAssembly}), TNDS items
 * through {@link TndsItems}.
 */
final class CommandProcessor {
    /** What a top-level command means for the rest of the package. */
    enum Flow {
        /** Go on. */
        CONTINUE,
        /** The user cancelled: the rest of the package is not executed (215). */
        SKIP_REST
    }

    /** Counts commands (items) executed and failed. */
    static final class Counters {
        int executed;
        int failed;
    }

    /** A status in preparation, with the results that follow it. */
    private static final class Reply {
        final Command command;
        final String targetRef;
        final String sourceRef;
        int code;
        final List<Item> items = new ArrayList<>();
        Outbox.Entry results;
        boolean executed;

        Reply(Command command, Item item, int code) {
            this.command = command;
            this.targetRef = item != null && item.target() != null ? item.target().locUri() : null;
            this.sourceRef = item != null && item.source() != null ? item.source().locUri() : null;
            this.code = code;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);

    private final TreeAccess access;
    private final TreeSerialization serialization;
    private final TndsDocuments tnds;
    private final UiAlerts ui;
    private final String serverId;
    private final boolean xml;
    private final long maxObjSize;
    private final LongSupplier serverMaxObjSize;
    private final Counters counters = new Counters();
    private final LargeObjectAssembly largeObjects;
    private final TndsItems tndsItems;
    private boolean chunksInterruptedByServer;
    private String msgRef = "1";

    CommandProcessor(TreeAccess access, TreeSerialization serialization, TndsDocuments tnds, UiAlerts ui,
            String serverId, boolean xml, long maxObjSize, LongSupplier serverMaxObjSize) {
        this.access = access;
        this.serialization = serialization;
        this.tnds = tnds;
        this.ui = ui;
        this.serverId = serverId;
        this.xml = xml;
        this.maxObjSize = maxObjSize;
        this.serverMaxObjSize = serverMaxObjSize;
        this.largeObjects = new LargeObjectAssembly(maxObjSize);
        this.tndsItems = new TndsItems(tnds, xml);
    }

    Counters counters() {
        return counters;
    }

    /** @return true once, after the server sent Alert 1225 for the client's own chunks */
    boolean takeChunksInterrupted() {
        boolean b = chunksInterruptedByServer;
        chunksInterruptedByServer = false;
        return b;
    }

    /** @return true while a large object from the server is incomplete */
    boolean receivingLargeObject() {
        return largeObjects.active();
    }

    /**
     * Answers a command that is not executed (authentication failed, package skipped).
     *
     * @param c the command
     * @param msgRef the server's MsgID
     * @param code the status for it and everything in it
     * @param out where the statuses go
     */
    void refuse(Command c, String msgRef, int code, Outbox out) {
        List<Reply> replies = new ArrayList<>();
        notExecuted(c, code, replies);
        emit(replies, msgRef, out);
    }

    /**
     * Executes one top-level command of a server message.
     *
     * @param c the command
     * @param msgRef the server's MsgID
     * @param out where statuses, results and alerts go
     * @return whether the package goes on
     * @throws InterruptedException when the session thread is interrupted
     */
    Flow process(Command c, String msgRef, Outbox out) throws InterruptedException {
        this.msgRef = msgRef;
        String interrupted = largeObjects.interruptedBy(c);
        if (interrupted != null) {
            out.add(Outbox.Simple.of(id -> new Alert(id, false, null, AlertCodes.NO_END_OF_DATA, null,
                    List.of(Item.target(interrupted)))));
        }
        List<Reply> replies = new ArrayList<>();
        Flow flow = Flow.CONTINUE;
        if (c instanceof ItemCommand ic) {
            if (largeObjects.isChunked(ic)) {
                replies.add(chunk(ic));
            } else {
                items(ic, access, false, replies);
            }
        } else if (c instanceof Exec e) {
            replies.add(exec(e, access));
        } else if (c instanceof Alert a) {
            UiAlerts.Effect effect = alert(a, replies);
            if (effect == UiAlerts.Effect.CANCELLED) {
                flow = Flow.SKIP_REST;
            }
        } else if (c instanceof Atomic a) {
            if (atomic(a, replies)) {
                flow = Flow.SKIP_REST;
            }
        } else if (c instanceof Sequence s) {
            if (sequence(s, replies)) {
                flow = Flow.SKIP_REST;
            }
        } else {
            Reply r = new Reply(c, null, StatusCodes.OPTIONAL_FEATURE_NOT_SUPPORTED);
            count(r);
            replies.add(r);
        }
        if (!(c instanceof CommandContainer) && hasNoResp(c)) {
            replies.removeIf(r -> r.command == c && r.results == null);
        }
        emit(replies, msgRef, out);
        return flow;
    }

    private static boolean hasNoResp(Command c) {
        return c instanceof ItemCommand ic ? ic.noResp() : c instanceof Exec e ? e.noResp() : c instanceof Alert a && a.noResp();
    }

    private void emit(List<Reply> replies, String msgRef, Outbox out) {
        for (Reply r : replies) {
            Status.Builder b = Status.builder().msgRef(msgRef).answering(r.command).code(r.code);
            if (r.targetRef != null) {
                b.addTargetRef(r.targetRef);
            }
            if (r.sourceRef != null) {
                b.addSourceRef(r.sourceRef);
            }
            r.items.forEach(b::addItem);
            out.add(Outbox.Simple.of(id -> b.cmdId(id).build()));
            if (r.results != null) {
                out.add(r.results);
            }
        }
    }

    private void count(Reply r) {
        counters.executed++;
        if (!StatusCodes.isSuccess(r.code)) {
            counters.failed++;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Item commands

    private void items(ItemCommand c, TreeAccess acc, boolean inAtomic, List<Reply> replies) {
        for (Item item : c.items()) {
            Reply r = new Reply(c, item, StatusCodes.COMMAND_FAILED);
            if (item.moreData()) {
                r.code = StatusCodes.OPTIONAL_FEATURE_NOT_SUPPORTED; // chunks only in a single-item Add or Replace
            } else {
                try {
                    r.code = item(c, item, acc, r);
                    r.executed = true;
                } catch (DmException e) {
                    r.code = e.status().code();
                    r.executed = true;
                    LOG.debug("{} {} for {}: {}", c.elementName(), r.targetRef, serverId, e.toDisplayString());
                } catch (RuntimeException e) {
                    r.code = StatusCodes.COMMAND_FAILED;
                    LOG.warn("{} {} for {} failed", c.elementName(), r.targetRef, serverId, e);
                }
            }
            count(r);
            replies.add(r);
        }
    }

    private static TargetUri target(Item item) throws DmException {
        if (item.target() == null || item.target().locUri().isEmpty()) {
            throw new DmException(StatusCode.INCOMPLETE_COMMAND, "Item has no Target");
        }
        return TargetUri.parse(item.target().locUri());
    }

    private int item(ItemCommand c, Item item, TreeAccess acc, Reply r) throws DmException {
        if (c instanceof Get g) {
            return get(g, item, acc, r);
        }
        if (c instanceof Copy) {
            if (item.source() == null) {
                throw new DmException(StatusCode.INCOMPLETE_COMMAND, "Copy item has no Source");
            }
            acc.copy(NodeUri.parse(item.source().locUri()), plainNode(target(item)));
            return StatusCodes.OK;
        }
        TargetUri t = target(item);
        if (c instanceof Delete) {
            acc.delete(plainNode(t));
            return StatusCodes.OK;
        }
        if (TndsItems.isTnds(item, c.meta())) {
            tndsItems.apply(c, item, acc, plainNode(t));
            return StatusCodes.OK;
        }
        if (c instanceof Add) {
            acc.add(plainNode(t), Values.value(item, c.meta()));
            return StatusCodes.OK;
        }
        if (c instanceof Replace) {
            if (t.property().isPresent()) {
                acc.setProperty(t.node(), t.property().get(), Values.bytes(item.data()).length == 0 ? ""
                        : new String(Values.bytes(item.data()), StandardCharsets.UTF_8));
            } else {
                acc.replace(plainNode(t), Values.value(item, c.meta()));
            }
            return StatusCodes.OK;
        }
        return StatusCodes.OPTIONAL_FEATURE_NOT_SUPPORTED;
    }

    static NodeUri plainNode(TargetUri t) throws DmException {
        if (t.property().isPresent() || t.list().isPresent()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "This command does not take ?prop= or ?list=");
        }
        return t.node();
    }

    private int get(Get g, Item item, TreeAccess acc, Reply r) throws DmException {
        TargetUri t = target(item);
        String asked = item.target().locUri();
        List<Item> out = new ArrayList<>();
        if (t.property().isPresent()) {
            String value = acc.getProperty(t.node(), t.property().get());
            String format = t.property().get() == Property.SIZE || t.property().get() == Property.VERNO ? "int" : "chr";
            out.add(Item.builder().source(asked).meta(Meta.of(format, "text/plain")).data(value).build());
        } else if (t.list().isPresent()) {
            ListForm form = ListForm.parse(t.list().get());
            if (form.kind() == ListForm.Kind.TNDS) {
                out.add(tndsItems.export(acc, t.node(), form, asked));
            } else {
                TreeSerialization s = serialization;
                if (s == null) {
                    throw new DmException(StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED, "?list= is not available");
                }
                flatten(s.list(acc, t.node(), form), t.node(), out);
            }
        } else {
            NodeValue v = acc.get(t.node());
            out.add(Values.resultItem(asked, v, xml));
        }
        long limit = serverMaxObjSize.getAsLong();
        long size = 0;
        for (Item i : out) {
            size += i.data() == null ? 0 : Values.bytes(i.data()).length;
        }
        if (size > limit) {
            throw new DmException(StatusCode.REQUEST_ENTITY_TOO_LARGE, "Result of " + size
                    + " bytes exceeds the server's MaxObjSize " + limit);
        }
        String cmdRef = g.cmdId();
        if (out.size() == 1 && out.get(0).data() != null && !(out.get(0).data() instanceof Data.Xml)) {
            Item i = out.get(0);
            r.results = new Outbox.Chunked(msgRef, cmdRef, asked, i.meta().format(), i.meta().type(), i.data());
        } else {
            List<Item> items = List.copyOf(out);
            String ref = msgRef;
            r.results = Outbox.Simple.of(id -> new Results(id, ref, cmdRef, null, null, null, items));
        }
        return StatusCodes.OK;
    }

    private void flatten(SubtreeNode n, NodeUri uri, List<Item> out) {
        Item.Builder b = Item.builder().source(uri.toString());
        String format = n.property(Property.FORMAT).orElse(n.isInterior() ? "node" : null);
        String type = n.property(Property.TYPE).filter(s -> !s.isEmpty()).orElse(null);
        if (n.value().isPresent()) {
            Values.Encoded e = Values.encode(n.value().get(), xml);
            b.meta(Meta.of(e.format(), type)).data(e.data());
        } else {
            b.meta(Meta.of(format, type));
        }
        out.add(b.build());
        for (SubtreeNode child : n.children()) {
            flatten(child, uri.child(child.name()), out);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Large objects from the server

    private Reply chunk(ItemCommand c) {
        Item item = c.items().get(0);
        Reply r = new Reply(c, item, StatusCodes.CHUNKED_ITEM_ACCEPTED);
        LargeObjectAssembly.Step step = largeObjects.accept(c, item, access, r.targetRef);
        r.code = step.code();
        if (step.counted()) {
            count(r);
        }
        return r;
    }

    // ------------------------------------------------------------------------------------------
    // Exec, Alert

    private Reply exec(Exec e, TreeAccess acc) {
        Reply r = new Reply(e, e.item(), StatusCodes.COMMAND_FAILED);
        try {
            TargetUri t = target(e.item());
            StatusCode code = acc.exec(plainNode(t), e.item().data() == null ? NodeValue.ofNull()
                    : Values.value(e.item(), e.meta()), e.correlator() == null ? "" : e.correlator());
            r.code = code.code();
            r.executed = true;
        } catch (DmException ex) {
            r.code = ex.status().code();
            r.executed = true;
        } catch (RuntimeException ex) {
            LOG.warn("Exec {} for {} failed", r.targetRef, serverId, ex);
        }
        count(r);
        return r;
    }

    private UiAlerts.Effect alert(Alert a, List<Reply> replies) throws InterruptedException {
        Reply r = new Reply(a, null, StatusCodes.OK);
        UiAlerts.Effect effect = UiAlerts.Effect.NONE;
        if (AlertCodes.isUserInteraction(a.code())) {
            UiAlerts.Answer answer = ui.ask(a, serverId);
            r.code = answer.status();
            for (String text : answer.items()) {
                r.items.add(Item.data(Data.text(text)));
            }
            effect = answer.effect();
        } else if (a.code() == AlertCodes.NEXT_MESSAGE || a.code() == AlertCodes.SESSION_ABORT) {
            r.code = StatusCodes.OK;
        } else if (a.code() == AlertCodes.NO_END_OF_DATA) {
            chunksInterruptedByServer = true;
            r.code = StatusCodes.OK;
        } else {
            r.code = StatusCodes.OPTIONAL_FEATURE_NOT_SUPPORTED;
        }
        r.executed = true;
        count(r);
        replies.add(r);
        return effect;
    }

    // ------------------------------------------------------------------------------------------
    // Atomic, Sequence

    private void notExecuted(Command c, int code, List<Reply> replies) {
        if (c instanceof ItemCommand ic) {
            for (Item item : ic.items()) {
                Reply r = new Reply(c, item, code);
                count(r);
                replies.add(r);
            }
            return;
        }
        Reply r = new Reply(c, c instanceof Exec e ? e.item() : null, code);
        count(r);
        replies.add(r);
        if (c instanceof CommandContainer cc) {
            for (Command child : cc.commands()) {
                notExecuted(child, code, replies);
            }
        }
    }

    /** @return whether a user interaction inside was cancelled or not answered (the rest of the package stops) */
    private boolean atomic(Atomic atomic, List<Reply> replies) throws InterruptedException {
        Reply head = new Reply(atomic, null, StatusCodes.OK);
        replies.add(head);
        List<Reply> children = new ArrayList<>();
        AtomicAccess tx;
        try {
            tx = access.atomic();
        } catch (DmException e) {
            head.code = e.status().code();
            for (Command child : atomic.commands()) {
                notExecuted(child, StatusCodes.NOT_EXECUTED, children);
            }
            count(head);
            replies.addAll(children);
            return false;
        }
        boolean failed = false;
        boolean cancelled = false;
        try (AtomicAccess a = tx) {
            for (Command child : atomic.commands()) {
                if (failed) {
                    notExecuted(child, StatusCodes.NOT_EXECUTED, children);
                    continue;
                }
                int before = children.size();
                if (child instanceof ItemCommand ic && !(child instanceof Get)) {
                    items(ic, a, true, children);
                } else if (child instanceof Alert al && AlertCodes.isUserInteraction(al.code())) {
                    UiAlerts.Effect effect = alert(al, children);
                    failed = effect != UiAlerts.Effect.NONE;
                    cancelled = effect == UiAlerts.Effect.CANCELLED;
                } else {
                    // Get, Exec, nested Atomic or Sequence, other alerts: not allowed in an Atomic
                    Reply r = new Reply(child, child instanceof Exec e ? e.item() : null, StatusCodes.COMMAND_FAILED);
                    count(r);
                    children.add(r);
                }
                for (int i = before; i < children.size(); i++) {
                    failed |= !StatusCodes.isSuccess(children.get(i).code);
                }
            }
            if (!failed) {
                try {
                    a.commit();
                } catch (DmException e) {
                    failed = true;
                    head.code = e.status() == StatusCode.ATOMIC_ROLL_BACK_FAILED ? StatusCodes.ATOMIC_ROLL_BACK_FAILED
                            : StatusCodes.ATOMIC_FAILED;
                }
            } else {
                head.code = StatusCodes.ATOMIC_FAILED;
                try {
                    a.rollback();
                } catch (DmException e) {
                    head.code = StatusCodes.ATOMIC_ROLL_BACK_FAILED;
                }
            }
        }
        if (failed) {
            if (head.code == StatusCodes.OK) {
                head.code = StatusCodes.ATOMIC_FAILED;
            }
            for (Reply r : children) {
                // a user interaction keeps the user's answer (200, 214): it cannot be rolled back
                if (StatusCodes.isSuccess(r.code) && r.code != StatusCodes.NOT_EXECUTED && !(r.command instanceof Alert)) {
                    r.code = StatusCodes.ATOMIC_ROLL_BACK_OK;
                }
            }
            LOG.debug("Atomic {} from {} rolled back: {}", atomic.cmdId(), serverId, head.code);
        }
        count(head);
        replies.addAll(children);
        return cancelled;
    }

    /**
     * Runs a Sequence in order. A confirm the user refuses (304) stops it: its later commands get 215 and are not
     * run. A user interaction cancelled (214) or not answered in time (408) stops it too, and the rest of the
     * package with it.
     *
     * @return whether the rest of the package stops (a cancelled or unanswered user interaction inside)
     */
    private boolean sequence(Sequence seq, List<Reply> replies) throws InterruptedException {
        Reply head = new Reply(seq, null, StatusCodes.OK);
        replies.add(head);
        count(head);
        boolean stopped = false;
        boolean cancelled = false;
        for (Command child : seq.commands()) {
            if (stopped) {
                notExecuted(child, StatusCodes.NOT_EXECUTED, replies);
                continue;
            }
            if (child instanceof ItemCommand ic) {
                items(ic, access, false, replies);
            } else if (child instanceof Exec e) {
                replies.add(exec(e, access));
            } else if (child instanceof Alert a) {
                UiAlerts.Effect effect = alert(a, replies);
                stopped = effect != UiAlerts.Effect.NONE;
                cancelled = effect == UiAlerts.Effect.CANCELLED;
            } else if (child instanceof Atomic a) {
                cancelled = atomic(a, replies);
                stopped = cancelled;
            } else if (child instanceof Sequence s) {
                cancelled = sequence(s, replies);
                stopped = cancelled;
            } else {
                Reply r = new Reply(child, null, StatusCodes.OPTIONAL_FEATURE_NOT_SUPPORTED);
                count(r);
                replies.add(r);
            }
        }
        return cancelled;
    }
}
