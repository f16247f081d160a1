package org.cardinaldm.server.internal.session;

import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.SyncMessage;

/**
 * The server's answer to one message of the device while it is built: the Status of the header, the
 * Statuses of the device's commands, then the server's own commands, and whether it closes the server's
 * package (Final; digest sections 1.2 and 1.3).
 */
public final class Reply {
    private final String msgId;
    private final List<Command> statuses = new ArrayList<>();
    private final List<Command> commands = new ArrayList<>();
    private Status header;
    private boolean isFinal = true;
    /** A message built from this answer and its encoding, kept to be sent as it is if nothing changed. */
    private SyncMessage encodedMessage;
    private byte[] encoding;

    /** @param msgId the MsgID of the answer */
    public Reply(String msgId) {
        this.msgId = msgId;
    }

    /** @return the MsgID of the answer */
    public String msgId() {
        return msgId;
    }

    /** @param value the Status answering the device's SyncHdr */
    public void header(Status value) {
        this.header = value;
    }

    /** @param value a Status answering one of the device's commands */
    public void status(Command value) {
        statuses.add(value);
    }

    /** @param value a command of the server */
    public void command(Command value) {
        commands.add(value);
    }

    /** Takes back the last command added (it did not fit). */
    void removeLastCommand() {
        commands.remove(commands.size() - 1);
    }

    /** @return whether the answer carries commands of the server */
    public boolean hasCommands() {
        return !commands.isEmpty();
    }

    /** @return whether the answer closes the server's package */
    public boolean isFinal() {
        return isFinal;
    }

    /** @param value whether the answer closes the server's package */
    public void setFinal(boolean value) {
        this.isFinal = value;
    }

    /**
     * @param message a message built from this answer
     * @param bytes its encoding
     */
    void encoded(SyncMessage message, byte[] bytes) {
        this.encodedMessage = message;
        this.encoding = bytes;
    }

    /**
     * @param message the message built from this answer now
     * @return the encoding kept for an equal message, or null
     */
    byte[] encoding(SyncMessage message) {
        return encodedMessage != null && encodedMessage.equals(message) ? encoding : null;
    }

    /** @return the header's Status, the Statuses, then the commands */
    List<Command> all() {
        List<Command> out = new ArrayList<>(statuses.size() + commands.size() + 1);
        out.add(header);
        out.addAll(statuses);
        out.addAll(commands);
        return out;
    }
}
