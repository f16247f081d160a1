package org.cardinaldm.syncml.api.model;

import java.util.List;

/**
 * {@code Atomic}: all-or-nothing execution of its commands (digest section 1.5).
 *
 * @param cmdId the CmdID
 * @param noResp whether NoResp is present
 * @param meta the Meta, or null
 * @param commands the nested commands, at least one, never Status or Results
 */
public record Atomic(String cmdId, boolean noResp, Meta meta, List<Command> commands) implements CommandContainer {
    /** Checks CmdID and the nested commands. */
    public Atomic {
        commands = CommandContainer.checked(cmdId, commands);
    }

    /**
     * @param cmdId the CmdID
     * @param commands the nested commands
     * @return the container
     */
    public static Atomic of(String cmdId, Command... commands) {
        return new Atomic(cmdId, false, null, List.of(commands));
    }

    @Override
    public String elementName() {
        return "Atomic";
    }
}
