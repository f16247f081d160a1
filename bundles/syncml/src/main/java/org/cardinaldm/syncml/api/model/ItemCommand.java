package org.cardinaldm.syncml.api.model;

import java.util.List;

/** Add, Copy, Delete, Get and Replace: CmdID, NoResp?, Cred?, Meta?, Item+. */
public sealed interface ItemCommand extends Command permits Add, Copy, Delete, Get, Replace {
    /** @return whether NoResp is present */
    boolean noResp();

    /** @return the command-level Cred, or null (DM puts credentials only in the SyncHdr) */
    Cred cred();

    /** @return the command-level Meta, or null; it applies to every Item without its own */
    Meta meta();

    /** @return the items, at least one */
    List<Item> items();

    /**
     * Checks the parts every item command shares.
     *
     * @param cmdId the CmdID
     * @param items the items
     * @return an immutable copy of the items
     */
    static List<Item> checked(String cmdId, List<Item> items) {
        Checks.cmdId(cmdId);
        return Checks.atLeastOne(items, "Item");
    }
}
