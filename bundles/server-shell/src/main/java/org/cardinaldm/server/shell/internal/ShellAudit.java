package org.cardinaldm.server.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.ShellUtil;
import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the {@code dms:} commands that change state in the {@link AuditLog}: the Karaf subject's user, the
 * command with the non-secret parts of its arguments, the object acted upon and the outcome ({@code ok}, or the
 * one-line refusal). Passwords, credential values and job values are never passed here. Without an audit log
 * (an older server) the command runs unrecorded; a failing audit store does not fail the command, it is logged.
 */
final class ShellAudit {
    private static final Logger LOG = LoggerFactory.getLogger(ShellAudit.class);

    /** The body of a command. */
    @FunctionalInterface
    interface Body {
        Object run() throws Exception;
    }

    private ShellAudit() {
    }

    /**
     * Runs a command's body and records it.
     *
     * @param audit the audit log, or null
     * @param command the command (its {@code @Command} names the action)
     * @param detail what of the arguments may be recorded (never a secret), or null
     * @param target the object acted upon, or null
     * @param body the command's work
     * @return what the body returns
     * @throws Exception what the body throws
     */
    static Object run(AuditLog audit, Action command, String detail, String target, Body body) throws Exception {
        String outcome = "ok";
        try {
            return body.run();
        } catch (CommandException e) {
            outcome = "refused: " + e.getMessage();
            throw e;
        } catch (Exception | Error e) {
            outcome = "failed: " + e.getClass().getSimpleName();
            throw e;
        } finally {
            record(audit, command, detail, target, outcome);
        }
    }

    private static void record(AuditLog audit, Action command, String detail, String target, String outcome) {
        if (audit == null) {
            return;
        }
        Command c = command.getClass().getAnnotation(Command.class);
        String action = (c == null ? command.getClass().getSimpleName() : c.scope() + ":" + c.name())
                + (detail == null || detail.isBlank() ? "" : " " + detail);
        try {
            audit.record(user(), AuditEntry.Channel.SHELL, action, target, outcome, "karaf shell");
        } catch (RuntimeException e) {
            LOG.warn("Audit entry of {} not stored: {}", Services.shorten(action, 200), e.getMessage());
        }
    }

    /** @return the user of the shell session's JAAS subject, or {@code -} outside one */
    static String user() {
        try {
            String name = ShellUtil.getCurrentUserName();
            return name == null || name.isBlank() ? "-" : name;
        } catch (RuntimeException | LinkageError e) {
            return "-";
        }
    }
}
