package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobManager;

/** {@code dms:jobs [DevId]}: the newest jobs with their progress. */
@Service
@Command(scope = "dms", name = "jobs", description = "List jobs (newest first) with their state and progress")
public class JobsCommand implements Action {
    @Reference(optional = true)
    JobManager jobs;

    @Argument(index = 0, name = "devId", description = "Only this device's jobs")
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Option(name = "-n", aliases = "--max", description = "How many jobs (default 20)")
    int max = 20;

    PrintStream out;

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        table(Services.require(jobs).jobs(deviceId, max)).print(o);
        return null;
    }

    static ShellTable table(List<Job> list) {
        ShellTable table = new ShellTable();
        table.column("Job");
        table.column("DevId");
        table.column("State");
        table.column("Answered");
        table.column("Updated");
        table.column("First operation");
        table.column("Description");
        for (Job j : list) {
            int total = j.flatOperations().size();
            table.addRow().addContent(j.id(), j.deviceId(), j.state(), j.results().size() + "/" + total,
                    Services.time(j.updated()), JobAddCommand.describe(j.operations().get(0)),
                    Services.text(j.description()));
        }
        return table;
    }
}
