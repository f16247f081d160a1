package org.cardinaldm.syncml.api.model;

import java.util.List;

/** Atomic and Sequence: CmdID, NoResp?, Meta?, then commands. */
public sealed interface CommandContainer extends Command permits Atomic, Sequence {
    /** @return whether NoResp is present */
    boolean noResp();

    /** @return the Meta, or null */
    Meta meta();

    /** @return the nested commands, in order */
    List<Command> commands();

    /**
     * Checks the nested commands: at least one, and no Status or Results.
     *
     * @param cmdId the CmdID
     * @param commands the nested commands
     * @return an immutable copy
     */
    static List<Command> checked(String cmdId, List<Command> commands) {
        Checks.cmdId(cmdId);
        List<Command> copy = Checks.atLeastOne(commands, "command");
        for (Command c : copy) {
            if (c instanceof Status || c instanceof Results) {
                throw new IllegalArgumentException(c.elementName() + " cannot be nested in Atomic or Sequence");
            }
        }
        return copy;
    }
}
