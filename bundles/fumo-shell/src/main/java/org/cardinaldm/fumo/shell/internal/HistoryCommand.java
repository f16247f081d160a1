package org.cardinaldm.fumo.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.fumo.api.FumoHistoryEntry;
import org.cardinaldm.fumo.api.FumoService;

/** {@code fumo:history}: the finished firmware operations, newest first. */
@Service
@Command(scope = "fumo", name = "history", description = "List finished firmware operations, newest first")
public class HistoryCommand implements Action {
    @Reference(optional = true)
    FumoService fumo;

    @Option(name = "-n", aliases = "--max", description = "How many entries (1-1000, default 20)")
    int max = 20;

    @Override
    public Object execute() throws Exception {
        print(System.out);
        return null;
    }

    void print(PrintStream out) throws CommandException {
        if (fumo == null) {
            throw new CommandException("FUMO is not installed (feature:install cardinal-fumo)");
        }
        if (max < 1 || max > 1000) {
            throw new CommandException("--max must be between 1 and 1000");
        }
        ShellTable t = new ShellTable();
        t.column("Finished");
        t.column("Instance");
        t.column("Operation");
        t.column("Server");
        t.column("From");
        t.column("To");
        t.column("Result");
        t.column("Detail");
        for (FumoHistoryEntry e : fumo.history(max)) {
            t.addRow().addContent(Formats.time(e.finished()), e.instance(), e.operation(), e.serverId(),
                    e.fromVersion(), e.toVersion(), String.valueOf(e.result()), e.detail());
        }
        t.print(out);
    }
}
