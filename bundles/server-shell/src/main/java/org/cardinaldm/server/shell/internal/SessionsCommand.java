package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.server.api.SessionInfo;
import org.cardinaldm.server.api.SessionMonitor;

/** {@code dms:sessions}: the management sessions open on this node. */
@Service
@Command(scope = "dms", name = "sessions", description = "List the DM sessions open on this server node")
public class SessionsCommand implements Action {
    @Reference(optional = true)
    SessionMonitor sessions;

    PrintStream out;

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        ShellTable table = new ShellTable();
        table.column("DevId");
        table.column("SessionID");
        table.column("Authenticated");
        table.column("Started");
        table.column("Last message");
        table.column("In/Out");
        table.column("Pending");
        for (SessionInfo s : Services.require(sessions).sessions()) {
            table.addRow().addContent(s.deviceId(), s.sessionId(), s.authenticated() ? "yes" : "no",
                    Services.time(s.started()), Services.time(s.lastActivity()), s.messagesIn() + "/" + s.messagesOut(),
                    s.pendingCommands());
        }
        table.print(o);
        return null;
    }
}
