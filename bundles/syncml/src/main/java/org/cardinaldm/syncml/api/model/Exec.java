package org.cardinaldm.syncml.api.model;

import java.util.Objects;

/**
 * {@code Exec}: CmdID, NoResp?, Cred?, Meta?, Correlator?, Item (digest sections 1.2 and 1.5).
 *
 * @param cmdId the CmdID
 * @param noResp whether NoResp is present
 * @param cred the Cred, or null
 * @param meta the Meta, or null
 * @param correlator the Correlator echoed by the asynchronous result, or null
 * @param item the executed node and its argument
 */
public record Exec(String cmdId, boolean noResp, Cred cred, Meta meta, String correlator, Item item)
        implements Command {
    /** Checks CmdID and item. */
    public Exec {
        Checks.cmdId(cmdId);
        Objects.requireNonNull(item, "Item");
    }

    /**
     * @param cmdId the CmdID
     * @param item the item
     * @return the command
     */
    public static Exec of(String cmdId, Item item) {
        return new Exec(cmdId, false, null, null, null, item);
    }

    /**
     * @param value the Correlator
     * @return a copy with that Correlator
     */
    public Exec withCorrelator(String value) {
        return new Exec(cmdId, noResp, cred, meta, value, item);
    }

    /**
     * @param newMeta the Meta
     * @return a copy with that Meta
     */
    public Exec withMeta(Meta newMeta) {
        return new Exec(cmdId, noResp, cred, newMeta, correlator, item);
    }

    @Override
    public String elementName() {
        return "Exec";
    }
}
