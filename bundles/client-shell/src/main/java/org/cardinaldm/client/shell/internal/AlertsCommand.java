package org.cardinaldm.client.shell.internal;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.client.api.GenericAlert;
import org.cardinaldm.client.api.GenericAlertQueue;
import org.cardinaldm.client.api.QueuedAlert;

/**
 * {@code dm:alerts [--server id]}: the Generic Alerts (1226) waiting for the next session with their
 * server, oldest first, with how many sessions already tried to deliver them.
 * <pre>
 * ID | Server          | Correlator | Source     | Type                                          | Mark     | Attempts | Age
 * ----------------------------------------------------------------------------------------------------------------------
 * 1  | dms.example.com | abc123     | ./FUMO/fw1 | org.openmobilealliance.dm.firmwareupdate.download | critical | 1 | 3m 12s
 * </pre>
 */
@Service
@Command(scope = "dm", name = "alerts", description = "List the Generic Alerts waiting for delivery to their DM server")
public class AlertsCommand implements Action {
    @Reference(optional = true)
    GenericAlertQueue queue;

    @Option(name = "-s", aliases = "--server", description = "Only the alerts for this ServerID")
    @Completion(ServerIdCompleter.class)
    String server;

    /** Where output goes; null means the session's standard output. */
    PrintStream out;

    /** The clock for the ages. */
    Clock clock = Clock.systemUTC();

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        GenericAlertQueue q = Services.require(queue, "Generic Alert queue");
        List<QueuedAlert> alerts = server == null ? q.pending() : q.pending(server);
        Instant now = clock.instant();
        ShellTable table = new ShellTable();
        table.column("ID");
        table.column("Server");
        table.column("Correlator");
        table.column("Source");
        table.column("Type");
        table.column("Mark");
        table.column("Attempts");
        table.column("Age");
        table.emptyTableText(server == null ? "No Generic Alerts pending" : "No Generic Alerts pending for " + server);
        for (QueuedAlert qa : alerts) {
            GenericAlert a = qa.alert();
            table.addRow().addContent(qa.id(), a.serverId(), a.correlator().orElse("-"), a.source().orElse("-"),
                    a.type(), a.mark().orElse("-"), qa.attempts(), Services.age(qa.queued(), now));
        }
        table.print(o);
        o.flush();
        return null;
    }
}
