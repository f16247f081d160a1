package org.cardinaldm.syncml.api.model;

import java.util.List;
import java.util.Objects;

/**
 * {@code Results}: CmdID, MsgRef?, CmdRef, Meta?, TargetRef?, SourceRef?, Item+ (digest sections 1.2
 * and 1.5); answers a Get after its Status.
 *
 * @param cmdId the CmdID
 * @param msgRef the MsgRef, or null
 * @param cmdRef the CmdID of the Get
 * @param meta the Meta, or null
 * @param targetRef the TargetRef, or null
 * @param sourceRef the SourceRef, or null
 * @param items the items, at least one
 */
public record Results(String cmdId, String msgRef, String cmdRef, Meta meta, String targetRef, String sourceRef,
        List<Item> items) implements Command {
    /** Checks the mandatory parts. */
    public Results {
        Checks.cmdId(cmdId);
        Objects.requireNonNull(cmdRef, "CmdRef");
        items = Checks.atLeastOne(items, "Item");
    }

    /**
     * @param cmdId the CmdID
     * @param msgRef the MsgRef
     * @param cmdRef the CmdID of the Get
     * @param items the items
     * @return the results
     */
    public static Results of(String cmdId, String msgRef, String cmdRef, Item... items) {
        return new Results(cmdId, msgRef, cmdRef, null, null, null, List.of(items));
    }

    @Override
    public String elementName() {
        return "Results";
    }
}
