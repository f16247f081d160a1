package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.server.api.ServerNode;
import org.cardinaldm.server.api.SessionMonitor;

/** {@code dms:nodes}: the server nodes sharing the registry, alive, stopped or declared dead. */
@Service
@Command(scope = "dms", name = "nodes", description = "List the DM server nodes sharing the registry (alive, stopped, "
        + "declared dead)")
public class NodesCommand implements Action {
    @Reference(optional = true)
    SessionMonitor sessions;

    PrintStream out;

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        ShellTable table = new ShellTable();
        table.column("Node");
        table.column("Incarnation");
        table.column("State");
        table.column("Started");
        table.column("Last beat");
        table.column("Beats");
        table.column("Ended");
        for (ServerNode n : Services.require(sessions).nodes()) {
            table.addRow().addContent(n.nodeId(), n.incarnation(), n.state().name().toLowerCase(java.util.Locale.ROOT),
                    Services.time(n.started()), Services.time(n.lastBeat()), n.beats(),
                    n.ended() == null ? "" : Services.time(n.ended()));
        }
        table.print(o);
        return null;
    }
}
