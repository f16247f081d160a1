package org.cardinaldm.syncml.api.model;

import java.util.List;

/**
 * {@code Sequence}: ordered execution of its commands (digest section 1.5).
 *
 * @param cmdId the CmdID
 * @param noResp whether NoResp is present
 * @param meta the Meta, or null
 * @param commands the nested commands, at least one, never Status or Results
 */
public record Sequence(String cmdId, boolean noResp, Meta meta, List<Command> commands) implements CommandContainer {
    /** Checks CmdID and the nested commands. */
    public Sequence {
        commands = CommandContainer.checked(cmdId, commands);
    }

    /**
     * @param cmdId the CmdID
     * @param commands the nested commands
     * @return the container
     */
    public static Sequence of(String cmdId, Command... commands) {
        return new Sequence(cmdId, false, null, List.of(commands));
    }

    @Override
    public String elementName() {
        return "Sequence";
    }
}
