package org.cardinaldm.syncml.api.model;

/** A command of the SyncBody (digest sections 1.2 and 1.5). */
public sealed interface Command
        permits ItemCommand, Alert, Exec, CommandContainer, Status, Results, ExtensionCommand {

    /** @return the CmdID, unique within the message */
    String cmdId();

    /** @return the element name, e.g. {@code Add} or {@code Status} */
    String elementName();
}
