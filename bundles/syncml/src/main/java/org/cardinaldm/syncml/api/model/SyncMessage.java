package org.cardinaldm.syncml.api.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A SyncML message: the SyncHdr, the commands of the SyncBody and the Final flag.
 *
 * @param header the SyncHdr
 * @param commands the SyncBody commands, in order
 * @param isFinal whether the SyncBody ends with {@code <Final/>} (last message of a package)
 */
public record SyncMessage(SyncHeader header, List<Command> commands, boolean isFinal) {
    /** Checks for null and copies the commands. */
    public SyncMessage {
        Objects.requireNonNull(header, "SyncHdr");
        commands = List.copyOf(commands);
    }

    /**
     * @param header the SyncHdr
     * @return a builder that numbers CmdIDs from 1
     */
    public static Builder builder(SyncHeader header) {
        return new Builder(header);
    }

    /**
     * Builds a message and hands out consecutive CmdIDs, so that every command gets a unique one:
     * {@code b.add(Get.of(b.nextCmdId(), Item.target("./DevInfo/DevId")))}.
     */
    public static final class Builder {
        private final SyncHeader header;
        private final List<Command> commands = new ArrayList<>();
        private boolean isFinal = true;
        private long next = 1;

        private Builder(SyncHeader header) {
            this.header = Objects.requireNonNull(header, "header");
        }

        /** @return the next unused CmdID, starting at "1" */
        public String nextCmdId() {
            return Long.toString(next++);
        }

        /**
         * @param command a command, appended
         * @return this
         */
        public Builder add(Command command) {
            commands.add(Objects.requireNonNull(command, "command"));
            return this;
        }

        /**
         * @param value whether Final is present (default true)
         * @return this
         */
        public Builder isFinal(boolean value) {
            this.isFinal = value;
            return this;
        }

        /**
         * @return the message
         * @throws IllegalArgumentException when two commands (nested ones included) share a CmdID
         */
        public SyncMessage build() {
            java.util.Set<String> seen = new java.util.HashSet<>();
            checkUnique(commands, seen);
            return new SyncMessage(header, commands, isFinal);
        }

        private static void checkUnique(List<Command> list, java.util.Set<String> seen) {
            for (Command c : list) {
                if (!c.cmdId().isEmpty() && !seen.add(c.cmdId())) {
                    throw new IllegalArgumentException("duplicate CmdID " + c.cmdId());
                }
                if (c instanceof CommandContainer container) {
                    checkUnique(container.commands(), seen);
                }
            }
        }
    }
}
