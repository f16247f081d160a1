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
import org.cardinaldm.server.api.HelpDesk;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobManager;

/**
 * {@code dms:helpdesk-report <job>}: the readable report of a help-desk request (both of its jobs
 * when it has an optional-reads job), sections Device, Card, Connectivity, Installed applications,
 * Logs and Other, then every read with its status.
 */
@Service
@Command(scope = "dms", name = "helpdesk-report", description = "Print the report of a help-desk job (see dms:helpdesk)")
public class HelpDeskReportCommand implements Action {
    @Reference(optional = true)
    HelpDesk helpDesk;

    @Reference(optional = true)
    JobManager jobs;

    @Argument(index = 0, name = "job", description = "A job that dms:helpdesk queued", required = true)
    long jobId;

    @Option(name = "-w", aliases = "--width", description = "Longest value shown (default 100; 0 for all)")
    int width = 100;

    PrintStream out;

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        HelpDesk desk = Services.require(helpDesk);
        JobManager m = Services.require(jobs);
        Job job = m.job(jobId).orElseThrow(() -> new CommandException("No job " + jobId + " (see dms:jobs)."));
        List<Job> request = desk.request(jobId);
        if (request.isEmpty()) {
            throw new CommandException("Job " + jobId + " is not a help-desk job (" + Services.text(job.description())
                    + "); see dms:results " + jobId + ".");
        }
        ReportPrinter.print(desk.report(request), width, o);
        return null;
    }
}
