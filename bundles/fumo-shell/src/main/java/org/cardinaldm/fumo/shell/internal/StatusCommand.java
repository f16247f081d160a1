package org.cardinaldm.fumo.shell.internal;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.fumo.api.FumoService;
import org.cardinaldm.fumo.api.FumoStatus;

/** {@code fumo:status}: every FUMO instance, its state, package, installed version and download progress. */
@Service
@Command(scope = "fumo", name = "status", description = "Show the firmware update state of each FUMO instance")
public class StatusCommand implements Action {
    @Reference(optional = true)
    FumoService fumo;

    @Override
    public Object execute() throws Exception {
        print(System.out);
        return null;
    }

    void print(PrintStream out) throws CommandException {
        if (fumo == null) {
            throw new CommandException("FUMO is not installed (feature:install cardinal-fumo)");
        }
        List<FumoStatus> all = fumo.instances();
        if (all.isEmpty()) {
            out.println("No FUMO instance: no update agent is installed.");
            return;
        }
        ShellTable t = new ShellTable();
        t.column("Instance");
        t.column("State");
        t.column("Installed");
        t.column("Package");
        t.column("Progress");
        t.column("Last result");
        t.column("Since");
        for (FumoStatus s : all) {
            String pkg = s.pkgName().isEmpty() ? "" : s.pkgName() + " " + s.pkgVersion();
            t.addRow().addContent(s.instance(), Formats.state(s.state()), s.installedVersion(), pkg,
                    Formats.progress(s), s.lastResult().isPresent() ? String.valueOf(s.lastResult().getAsInt()) : "",
                    Formats.time(s.since()));
        }
        t.print(out);
    }
}
