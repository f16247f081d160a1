package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.audit.AuditLog;

/** {@code dms:audit}: the operators' audit log (shell, REST, console), newest first, from the registry. */
@Service
@Command(scope = "dms", name = "audit", description = "List operator actions (who, what, when, from where), newest first")
public class AuditCommand implements Action {
    @Reference(optional = true)
    AuditLog audit;

    @Option(name = "-n", aliases = "--limit", description = "How many entries (default 30, at most 500)")
    int limit = 30;

    @Option(name = "--before", description = "Only entries older than this entry id (the next page)")
    long before;

    PrintStream out;

    @Override
    public Object execute() throws Exception {
        AuditLog log = Services.require(audit);
        if (limit < 1 || limit > AuditLog.MAX_LIST) {
            throw new CommandException("--limit must be 1 to " + AuditLog.MAX_LIST + ".");
        }
        if (before < 0) {
            throw new CommandException("--before must be an entry id (see the Id column).");
        }
        List<AuditEntry> entries = log.list(before, limit);
        PrintStream o = out != null ? out : System.out;
        if (entries.isEmpty()) {
            o.println("No audit entries" + (before > 0 ? " before " + before : "") + ".");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Time");
        table.column("User");
        table.column("Via");
        table.column("Action");
        table.column("Target");
        table.column("Outcome");
        table.column("From");
        for (AuditEntry e : entries) {
            table.addRow().addContent(e.id(), Services.time(e.time()), Services.shorten(e.user(), 32),
                    e.channel().name().toLowerCase(java.util.Locale.ROOT), Services.shorten(e.action(), 60),
                    Services.shorten(e.target(), 40), Services.shorten(e.outcome(), 50),
                    Services.shorten(e.origin(), 40));
        }
        table.print(o);
        if (entries.size() == limit) {
            o.println("Older entries: dms:audit --before " + entries.get(entries.size() - 1).id());
        }
        return null;
    }
}
