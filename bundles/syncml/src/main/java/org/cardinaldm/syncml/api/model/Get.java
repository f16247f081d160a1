package org.cardinaldm.syncml.api.model;

import java.util.List;

/**
 * {@code Get}: reads nodes, properties or ?list= views; answered by Results (digest section 1.5).
 *
 * @param cmdId the CmdID
 * @param noResp whether NoResp is present
 * @param cred the Cred, or null
 * @param meta the command-level Meta, or null
 * @param items the items, at least one
 */
public record Get(String cmdId, boolean noResp, Cred cred, Meta meta, List<Item> items) implements ItemCommand {
    /** Checks CmdID and items. */
    public Get {
        items = ItemCommand.checked(cmdId, items);
    }

    /**
     * @param cmdId the CmdID
     * @param items the items
     * @return the command
     */
    public static Get of(String cmdId, Item... items) {
        return new Get(cmdId, false, null, null, List.of(items));
    }

    /**
     * @param newMeta the command-level Meta
     * @return a copy with that Meta
     */
    public Get withMeta(Meta newMeta) {
        return new Get(cmdId, noResp, cred, newMeta, items);
    }

    /**
     * @param value whether NoResp is present
     * @return a copy with that flag
     */
    public Get withNoResp(boolean value) {
        return new Get(cmdId, value, cred, meta, items);
    }

    @Override
    public String elementName() {
        return "Get";
    }
}
