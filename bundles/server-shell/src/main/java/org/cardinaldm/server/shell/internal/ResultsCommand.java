package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.JobManager;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ResultItem;

/** {@code dms:results <job>}: every operation of a job with its Status and the values Gets returned. */
@Service
@Command(scope = "dms", name = "results", description = "Show the statuses and results of a job")
public class ResultsCommand implements Action {
    @Reference(optional = true)
    JobManager jobs;

    @Argument(index = 0, name = "job", description = "The job id (see dms:jobs)", required = true)
    long jobId;

    @Option(name = "-w", aliases = "--width", description = "Longest value shown (default 60; 0 for all)")
    int width = 60;

    PrintStream out;

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        Job job = Services.require(jobs).job(jobId)
                .orElseThrow(() -> new CommandException("No job " + jobId + " (see dms:jobs)."));
        o.println("Job " + job.id() + " for " + job.deviceId() + ": " + job.state()
                + (job.state() == JobState.ACCEPTED ? " (the device accepted it with 202; its outcome comes later)" : ""));
        ShellTable table = new ShellTable();
        table.column("#");
        table.column("Operation");
        table.column("Status");
        table.column("Source");
        table.column("Value");
        List<Operation> ops = job.flatOperations();
        for (int i = 0; i < ops.size(); i++) {
            String status = job.result(i).map(r -> Integer.toString(r.status())).orElse("-");
            List<ResultItem> items = job.result(i).map(OperationResult::items).orElse(List.of());
            String op = JobAddCommand.describe(ops.get(i));
            if (items.isEmpty()) {
                table.addRow().addContent(i, op, status, "", "");
            }
            for (ResultItem item : items) {
                String v = item.value() == null ? "" : width > 0 ? Services.shorten(item.value(), width) : item.value();
                table.addRow().addContent(i, op, status, Services.text(item.uri()), item.binary() ? "(b64) " + v : v);
            }
        }
        table.print(o);
        return null;
    }
}
