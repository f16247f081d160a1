package org.cardinaldm.client.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.api.DmException;
import org.cardinaldm.client.api.DmClient;
import org.cardinaldm.client.api.SessionRequest;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.client.shell.internal.ui.PromptBoard;
import org.cardinaldm.mo.dmacc.api.DmAccounts;

/**
 * {@code dm:session [--timeout s] [--background] <server-id>}: starts a client-initiated session
 * (Alert 1201) with a DM server of {@code ./DMAcc}, waits for it and prints its outcome. While it
 * waits, prompts that reach the console UI are asked on this terminal.
 * <pre>
 * Session with dms.example.com: COMPLETED
 *   SessionID  1A2B (client-initiated)
 *   Duration   0.412 s
 *   Messages   2 sent, 2 received
 *   Commands   5 executed, 1 failed
 *   Alerts     0 Generic Alerts delivered
 * </pre>
 */
@Service
@Command(scope = "dm", name = "session", description = "Start a DM session with a server (Alert 1201) and show its outcome")
public class SessionCommand implements Action {
    /** The default wait, in seconds. */
    static final int DEFAULT_TIMEOUT_S = 120;

    @Reference(optional = true)
    DmClient client;

    @Reference(optional = true)
    DmAccounts accounts;

    @Reference(optional = true)
    PromptBoard board;

    @Reference(optional = true)
    Session session;

    @Argument(index = 0, name = "server-id", description = "The ServerID of a DM account (dm:accounts lists them)",
            required = true)
    @Completion(ServerIdCompleter.class)
    String serverId;

    @Option(name = "-t", aliases = "--timeout",
            description = "How long to wait for the outcome, in seconds (default 120); the session goes on after that")
    int timeout = DEFAULT_TIMEOUT_S;

    @Option(name = "-b", aliases = "--background", description = "Do not wait: the outcome goes to the log")
    boolean background;

    /** Where output goes; null means the session's standard output. */
    PrintStream out;

    /** The unit of --timeout; tests shorten it. */
    Duration unit = Duration.ofSeconds(1);

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        DmClient c = Services.require(client, "DM client");
        if (timeout < 1) {
            throw new CommandException("--timeout must be at least 1 second, not " + timeout);
        }
        if (accounts != null) {
            try {
                if (accounts.byServerId(serverId).isEmpty()) {
                    throw new CommandException("No DM account with ServerID " + serverId + " (dm:accounts lists them)");
                }
            } catch (DmException e) {
                throw new CommandException("Cannot read ./DMAcc: " + e.getMessage());
            }
        }
        SessionRequest request;
        try {
            request = SessionRequest.clientInitiated(serverId);
        } catch (IllegalArgumentException e) {
            throw new CommandException("Not a ServerID: " + e.getMessage());
        }
        if (background) {
            c.startSession(request);
            o.println("Session with " + serverId + " queued; its outcome goes to the log (log:display).");
            return null;
        }
        SessionResult r;
        try (InlinePrompts inline = new InlinePrompts(board, session, o)) {
            r = inline.await(c.startSession(request), unit.multipliedBy(timeout));
        } catch (TimeoutException e) {
            throw new CommandException("No outcome of the session with " + serverId + " within " + timeout
                    + " s; it goes on and its outcome goes to the log (log:display)");
        } catch (CancellationException e) {
            throw new CommandException("The session with " + serverId + " was cancelled: the DM client stopped");
        } catch (ExecutionException e) {
            throw new CommandException("The session with " + serverId + " failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            o.println("Stopped waiting; the session with " + serverId + " goes on and its outcome goes to the log.");
            return null;
        }
        print(r, o);
        if (!r.isSuccess()) {
            throw new CommandException("Session with " + serverId + " ended " + r.outcome()
                    + (r.detail().isEmpty() ? "" : ": " + r.detail()));
        }
        return null;
    }

    /**
     * @param r a session's result
     * @param o where to print it
     */
    static void print(SessionResult r, PrintStream o) {
        o.println("Session with " + r.serverId() + ": " + r.outcome());
        String initiator = r.initiator() == SessionRequest.Initiator.CLIENT ? "client-initiated" : "server-initiated";
        o.println("  SessionID  " + (r.sessionId().isEmpty() ? "- (never started)"
                : r.sessionId() + " (" + initiator + (r.messagesSent() == 0 ? ", nothing sent" : "") + ")"));
        long ms = Math.max(0, r.duration().toMillis());
        o.println("  Duration   " + ms / 1000 + "." + String.format("%03d", ms % 1000) + " s");
        o.println("  Messages   " + r.messagesSent() + " sent, " + r.messagesReceived() + " received");
        o.println("  Commands   " + r.commandsExecuted() + " executed, " + r.commandsFailed() + " failed");
        o.println("  Alerts     " + r.alertsDelivered() + " Generic Alert" + (r.alertsDelivered() == 1 ? "" : "s")
                + " delivered");
        if (!r.detail().isEmpty()) {
            o.println("  Detail     " + r.detail());
        }
        o.flush();
    }
}
