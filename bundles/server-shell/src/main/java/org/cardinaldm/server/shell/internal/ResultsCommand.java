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
import org.cardinaldm.server.api.OperationKind;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ResultItem;
import org.cardinaldm.server.api.UserAnswers;

/**
 * {@code dms:results <job>}: every operation of a job with its Status and the values Gets returned; the
 * operations of an Atomic or a Sequence indented under it, what the user answered to each user-interaction
 * alert (yes, the text, the chosen choices, or the refusal), "not executed" for a 215, for an Exec the device
 * answered 202 the outcome it reported later (Generic Alert 1226: result code and meaning, or the wait), and for a
 * failed job the reason its user interaction gave.
 */
@Service
@Command(scope = "dms", name = "results", description = "Show the statuses and results of a job")
public class ResultsCommand implements Action {
    /** SyncML 215, Not executed. */
    static final int NOT_EXECUTED = 215;

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
        String why = job.state() == JobState.FAILED ? UserAnswers.failure(job).map(r -> ": " + r).orElse("") : "";
        o.println("Job " + job.id() + " for " + job.deviceId() + ": " + job.state() + why
                + (job.state() == JobState.ACCEPTED ? " (the device accepted it with 202; its outcome comes later)" : ""));
        ShellTable table = new ShellTable();
        table.column("#");
        table.column("Operation");
        table.column("Status");
        table.column("Source");
        table.column("Value");
        List<Operation> ops = job.flatOperations();
        List<Integer> depth = depths(job.operations());
        for (int i = 0; i < ops.size(); i++) {
            Operation operation = ops.get(i);
            String status = job.result(i).map(r -> Integer.toString(r.status())).orElse("-");
            List<ResultItem> items = job.result(i).map(OperationResult::items).orElse(List.of());
            String op = "  ".repeat(depth.get(i)) + JobAddCommand.describe(operation);
            if (operation.kind() == OperationKind.ALERT) {
                boolean answered = job.result(i).isPresent() || job.state() == JobState.FAILED;
                String answer = answered ? "answer: " + UserAnswers.describe(operation.userAlert().orElseThrow(),
                        job.result(i).orElse(null)) : "";
                table.addRow().addContent(i, op, status, "", cut(answer));
                continue;
            }
            if (items.isEmpty()) {
                boolean skipped = job.result(i).map(r -> r.status() == NOT_EXECUTED).orElse(false);
                String later = job.result(i).map(OperationResult::async).map(a -> "result: " + a.outcome()).orElse("");
                table.addRow().addContent(i, op, status, "", skipped ? "not executed" : cut(later));
            }
            for (ResultItem item : items) {
                String v = item.value() == null ? "" : cut(item.value());
                table.addRow().addContent(i, op, status, Services.text(item.uri()), item.binary() ? "(b64) " + v : v);
            }
        }
        table.print(o);
        return null;
    }

    private String cut(String v) {
        return width > 0 ? Services.shorten(v, width) : v;
    }

    /** @return the nesting depth of each operation, depth first */
    static List<Integer> depths(List<Operation> top) {
        List<Integer> out = new java.util.ArrayList<>();
        for (Operation o : top) {
            depths(o, 0, out);
        }
        return out;
    }

    private static void depths(Operation o, int d, List<Integer> out) {
        out.add(d);
        for (Operation c : o.children()) {
            depths(c, d + 1, out);
        }
    }
}
