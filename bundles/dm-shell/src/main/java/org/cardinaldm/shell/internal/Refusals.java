package org.cardinaldm.shell.internal;

import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns refusals into the one line the dm: commands print: {@code <code> <reason>: <message>}.
 *
 * <p>Karaf prints a {@link CommandException}'s "nice help" as it is, without a stack trace and without
 * the "Error executing command:" prefix, and logs it at DEBUG only; so the line the operator sees
 * starts with the SyncML status code.
 */
final class Refusals {
    private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);

    private Refusals() {
    }

    /** @param e a refusal from the tree @return the exception that prints its display line */
    static CommandException of(DmException e) {
        String line = e.toDisplayString();
        return new CommandException(line, line, e);
    }

    /** @param status the status @param message one sentence @return the exception that prints it */
    static CommandException of(StatusCode status, String message) {
        String line = status + ": " + message;
        return new CommandException(line, line);
    }

    /**
     * A tree or plugin broke its contract by throwing an unchecked exception: the operator gets a 500
     * line, the log gets the stack trace at WARN because this is a bug somewhere below the shell.
     *
     * @param command the command name, for the log
     * @param e the unchecked exception
     * @return the exception that prints a 500 line
     */
    static CommandException bug(String command, RuntimeException e) {
        LOG.warn("{} failed with an unexpected exception", command, e);
        return of(StatusCode.COMMAND_FAILED, "Unexpected " + e.getClass().getSimpleName() + " (see the log)");
    }

    /**
     * @param tree the optional tree reference of a command
     * @return the tree
     * @throws CommandException 503 when no DM tree service is running
     */
    static DmTree require(DmTree tree) throws CommandException {
        if (tree == null) {
            throw of(StatusCode.SERVICE_UNAVAILABLE,
                    "No DM tree service is running (feature:install cardinal-core)");
        }
        return tree;
    }
}
