package org.cardinaldm.syncml.api.model;

import java.util.List;

/**
 * {@code Alert}: CmdID, NoResp?, Cred?, Data (the alert code), Correlator?, Item* (digest sections
 * 1.2, 1.8 to 1.10). Codes are in {@link AlertCodes}.
 *
 * @param cmdId the CmdID
 * @param noResp whether NoResp is present
 * @param cred the Cred, or null
 * @param code the alert code, e.g. {@link AlertCodes#CLIENT_INITIATED_MGMT}
 * @param correlator the Correlator (answer to an Exec), or null
 * @param items the items (options, text and choices for UI alerts; generic alert data)
 */
public record Alert(String cmdId, boolean noResp, Cred cred, int code, String correlator, List<Item> items)
        implements Command {
    /** Checks CmdID and copies the items. */
    public Alert {
        Checks.cmdId(cmdId);
        items = List.copyOf(items);
    }

    /**
     * @param cmdId the CmdID
     * @param code the alert code
     * @param items the items
     * @return the alert
     */
    public static Alert of(String cmdId, int code, Item... items) {
        return new Alert(cmdId, false, null, code, null, List.of(items));
    }

    /**
     * @param value the Correlator
     * @return a copy with that Correlator
     */
    public Alert withCorrelator(String value) {
        return new Alert(cmdId, noResp, cred, code, value, items);
    }

    @Override
    public String elementName() {
        return "Alert";
    }
}
