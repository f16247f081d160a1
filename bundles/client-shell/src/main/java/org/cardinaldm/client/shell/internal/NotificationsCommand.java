package org.cardinaldm.client.shell.internal;

import java.io.PrintStream;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.client.api.DmClient;
import org.cardinaldm.client.api.NotificationOutcome;

/**
 * {@code dm:notifications}: how many package-0 notifications ended with each outcome since the DM
 * client started (only {@code ACCEPTED} ones started a session).
 */
@Service
@Command(scope = "dm", name = "notifications",
        description = "Count the package-0 notifications by outcome since the DM client started")
public class NotificationsCommand implements Action {
    @Reference(optional = true)
    DmClient client;

    /** Where output goes; null means the session's standard output. */
    PrintStream out;

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        Map<NotificationOutcome, Long> counts = Services.require(client, "DM client").notificationCounts();
        ShellTable table = new ShellTable();
        table.column("Outcome");
        table.column("Count").alignRight();
        table.column("Meaning");
        long total = 0;
        for (NotificationOutcome n : NotificationOutcome.values()) {
            long c = counts.getOrDefault(n, 0L);
            total += c;
            table.addRow().addContent(n, c, meaning(n));
        }
        table.addRow().addContent("TOTAL", total, "");
        table.print(o);
        o.flush();
        return null;
    }

    static String meaning(NotificationOutcome n) {
        return switch (n) {
            case ACCEPTED -> "valid: the server-initiated session was queued";
            case MALFORMED -> "not a package 0";
            case UNKNOWN_SERVER -> "no account with its ServerID";
            case BAD_DIGEST -> "digest does not match the server's credentials";
            case REPLAYED -> "seen before, or its session was already queued";
            case REFUSED_BY_USER -> "the user refused the session";
            case NO_CREDENTIALS -> "the server's credentials cannot be checked";
        };
    }
}
