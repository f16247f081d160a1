package org.cardinaldm.syncml.api.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code Status}: CmdID, MsgRef, CmdRef, Cmd, TargetRef*, SourceRef*, Cred?, Chal?, Data, Item*
 * (digest sections 1.2 and 1.5). Codes are in {@link StatusCodes}.
 *
 * @param cmdId the CmdID
 * @param msgRef the MsgID of the message holding the command
 * @param cmdRef the CmdID of the command, {@code 0} for the SyncHdr
 * @param cmd the name of the command, {@code SyncHdr} for the header
 * @param targetRefs the TargetRef values
 * @param sourceRefs the SourceRef values
 * @param cred the Cred, or null
 * @param chal the Chal (with 401 and 407), or null
 * @param code the status code (the Data element)
 * @param items the items (answers to UI alerts, next-nonce data...)
 */
public record Status(String cmdId, String msgRef, String cmdRef, String cmd, List<String> targetRefs,
        List<String> sourceRefs, Cred cred, Chal chal, int code, List<Item> items) implements Command {

    /** The Cmd value of the status for the SyncHdr. */
    public static final String SYNC_HDR = "SyncHdr";

    /** Checks the mandatory parts and copies the lists. */
    public Status {
        Checks.cmdId(cmdId);
        Objects.requireNonNull(msgRef, "MsgRef");
        Objects.requireNonNull(cmdRef, "CmdRef");
        Checks.nonEmpty(cmd, "Cmd");
        targetRefs = List.copyOf(targetRefs);
        sourceRefs = List.copyOf(sourceRefs);
        items = List.copyOf(items);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The status of a received command.
     *
     * @param cmdId the CmdID of this Status
     * @param msgRef the MsgID of the received message
     * @param command the received command
     * @param code the status code
     * @return the status
     */
    public static Status of(String cmdId, String msgRef, Command command, int code) {
        return new Status(cmdId, msgRef, command.cmdId(), command.elementName(), List.of(), List.of(), null, null,
                code, List.of());
    }

    /**
     * @param newChal the challenge
     * @return a copy with that Chal
     */
    public Status withChal(Chal newChal) {
        return new Status(cmdId, msgRef, cmdRef, cmd, targetRefs, sourceRefs, cred, newChal, code, items);
    }

    @Override
    public String elementName() {
        return "Status";
    }

    /** Builds a {@link Status}. */
    public static final class Builder {
        private String cmdId;
        private String msgRef;
        private String cmdRef;
        private String cmd;
        private final List<String> targetRefs = new ArrayList<>();
        private final List<String> sourceRefs = new ArrayList<>();
        private Cred cred;
        private Chal chal;
        private int code = StatusCodes.OK;
        private final List<Item> items = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param value the CmdID
         * @return this
         */
        public Builder cmdId(String value) {
            this.cmdId = value;
            return this;
        }

        /**
         * @param value the MsgRef
         * @return this
         */
        public Builder msgRef(String value) {
            this.msgRef = value;
            return this;
        }

        /**
         * @param value the CmdRef
         * @return this
         */
        public Builder cmdRef(String value) {
            this.cmdRef = value;
            return this;
        }

        /**
         * @param value the Cmd
         * @return this
         */
        public Builder cmd(String value) {
            this.cmd = value;
            return this;
        }

        /**
         * Refers to a received command: sets CmdRef and Cmd.
         *
         * @param command the received command
         * @return this
         */
        public Builder answering(Command command) {
            this.cmdRef = command.cmdId();
            this.cmd = command.elementName();
            return this;
        }

        /**
         * Refers to the received SyncHdr: CmdRef 0, Cmd SyncHdr.
         *
         * @return this
         */
        public Builder answeringHeader() {
            this.cmdRef = "0";
            this.cmd = SYNC_HDR;
            return this;
        }

        /**
         * @param value a TargetRef, appended
         * @return this
         */
        public Builder addTargetRef(String value) {
            this.targetRefs.add(value);
            return this;
        }

        /**
         * @param value a SourceRef, appended
         * @return this
         */
        public Builder addSourceRef(String value) {
            this.sourceRefs.add(value);
            return this;
        }

        /**
         * @param value the Cred
         * @return this
         */
        public Builder cred(Cred value) {
            this.cred = value;
            return this;
        }

        /**
         * @param value the Chal
         * @return this
         */
        public Builder chal(Chal value) {
            this.chal = value;
            return this;
        }

        /**
         * @param value the status code
         * @return this
         */
        public Builder code(int value) {
            this.code = value;
            return this;
        }

        /**
         * @param value an Item, appended
         * @return this
         */
        public Builder addItem(Item value) {
            this.items.add(value);
            return this;
        }

        /** @return the Status */
        public Status build() {
            return new Status(cmdId, msgRef, cmdRef, cmd, targetRefs, sourceRefs, cred, chal, code, items);
        }
    }
}
