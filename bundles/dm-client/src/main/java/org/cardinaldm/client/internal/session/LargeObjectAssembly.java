package org.cardinaldm.client.internal.session;

import java.io.ByteArrayOutputStream;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.TargetUri;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.ItemCommand;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reassembles a large object the server sends in chunks (digest 1.7) before anything is applied: 213
 * per chunk, 412 for a first chunk without Size, 413 over MaxObjSize, 424 when the bytes received differ
 * from the Size announced, and the Add or Replace of the whole value once the last chunk arrives. A new
 * command that does not continue the object interrupts it (the caller answers Alert 1225). Owned by one
 * {@link CommandProcessor}; single-threaded.
 */
final class LargeObjectAssembly {
    /**
     * What one chunk came to.
     *
     * @param code the chunk's status
     * @param counted whether the chunk counts as an executed (or failed) command
     */
    record Step(int code, boolean counted) {
    }

    /** A large object being received. */
    private static final class Incoming {
        final String command;
        final String target;
        final String format;
        final String type;
        final long declared;
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        boolean tooLarge;

        Incoming(String command, String target, String format, String type, long declared) {
            this.command = command;
            this.target = target;
            this.format = format;
            this.type = type;
            this.declared = declared;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(LargeObjectAssembly.class);

    private final long maxObjSize;
    private Incoming incoming;

    /** @param maxObjSize the device's MaxObjSize */
    LargeObjectAssembly(long maxObjSize) {
        this.maxObjSize = maxObjSize;
    }

    /** @return true while a large object from the server is incomplete */
    boolean active() {
        return incoming != null;
    }

    /**
     * Drops the large object being received when a command does not continue it.
     *
     * @param c the server's next top-level command
     * @return the target of the dropped object (the caller sends Alert 1225 for it), or null
     */
    String interruptedBy(Command c) {
        if (incoming != null && !continues(c)) {
            LOG.debug("Large object for {} interrupted by a new command: Alert 1225", incoming.target);
            String target = incoming.target;
            incoming = null;
            return target;
        }
        return null;
    }

    /**
     * @param c an item command
     * @return true when it is a chunk: a single-item Add or Replace with MoreData, or the rest of an object
     */
    boolean isChunked(ItemCommand c) {
        return (c instanceof Add || c instanceof Replace) && c.items().size() == 1
                && (c.items().get(0).moreData() || incoming != null);
    }

    private boolean continues(Command c) {
        return c instanceof ItemCommand ic && (c instanceof Add || c instanceof Replace)
                && c.elementName().equals(incoming.command) && ic.items().size() == 1
                && ic.items().get(0).target() != null && ic.items().get(0).target().locUri().equals(incoming.target);
    }

    /**
     * Takes one chunk; applies the whole object with the last one.
     *
     * @param c the Add or Replace
     * @param item its single item
     * @param access where the whole object is written
     * @param targetRef the item's target, for logs
     * @return the chunk's status and whether it counts
     */
    Step accept(ItemCommand c, Item item, TreeAccess access, String targetRef) {
        byte[] data = Values.bytes(item.data());
        if (incoming == null) {
            Long size = item.meta() != null && item.meta().size() != null ? item.meta().size()
                    : c.meta() != null ? c.meta().size() : null;
            if (item.target() == null) {
                return new Step(StatusCodes.INCOMPLETE_COMMAND, true);
            }
            if (size == null || size < 0) {
                LOG.debug("First chunk for {} has no Size: 412", targetRef);
                return new Step(StatusCodes.INCOMPLETE_COMMAND, true);
            }
            incoming = new Incoming(c.elementName(), item.target().locUri(), Values.format(item, c.meta()),
                    Values.type(item, c.meta()), size);
            if (size > maxObjSize) {
                incoming.tooLarge = true;
                LOG.debug("Large object for {} of {} bytes exceeds MaxObjSize {}: 413", targetRef, size, maxObjSize);
            }
        }
        Incoming in = incoming;
        if (!in.tooLarge) {
            if ((long) in.buffer.size() + data.length > maxObjSize) {
                in.tooLarge = true;
                in.buffer.reset();
            } else {
                in.buffer.write(data, 0, data.length);
            }
        }
        if (item.moreData()) {
            return in.tooLarge ? new Step(StatusCodes.REQUEST_ENTITY_TOO_LARGE, true)
                    : new Step(StatusCodes.CHUNKED_ITEM_ACCEPTED, false);
        }
        incoming = null;
        int code;
        if (in.tooLarge) {
            code = StatusCodes.REQUEST_ENTITY_TOO_LARGE;
        } else if (in.buffer.size() != in.declared) {
            code = StatusCodes.SIZE_MISMATCH;
            LOG.debug("Large object for {}: {} bytes received, {} announced: 424", in.target, in.buffer.size(),
                    in.declared);
        } else {
            try {
                NodeValue v = Values.value(in.format, in.type, in.buffer.toByteArray());
                NodeUri node = CommandProcessor.plainNode(TargetUri.parse(in.target));
                if (c instanceof Add) {
                    access.add(node, v);
                } else {
                    access.replace(node, v);
                }
                code = StatusCodes.OK;
            } catch (DmException e) {
                code = e.status().code();
            } catch (RuntimeException e) {
                code = StatusCodes.COMMAND_FAILED;
                LOG.warn("{} of a large object at {} failed", c.elementName(), in.target, e);
            }
        }
        return new Step(code, true);
    }
}
