package org.cardinaldm.server.shell.internal;

import org.cardinaldm.server.api.audit.AuditLog;
import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.server.api.JobManager;

/** {@code dms:job-cancel <job>}: cancels a job that has not been sent yet. */
@Service
@Command(scope = "dms", name = "job-cancel", description = "Cancel a pending job")
public class JobCancelCommand implements Action {
    @Reference(optional = true)
    JobManager jobs;

    @Argument(index = 0, name = "job", description = "The job id (see dms:jobs)", required = true)
    long jobId;

    PrintStream out;

    /** The audit log, when the server has one. */
    @Reference(optional = true)
    AuditLog audit;

    @Override
    public Object execute() throws Exception {
        return ShellAudit.run(audit, this, null, String.valueOf(jobId), this::perform);
    }

    /**
     * The command's work.
     *
     * @return null
     * @throws Exception a {@link org.apache.karaf.shell.support.CommandException} for a user error
     */
    Object perform() throws Exception {
        PrintStream o = out != null ? out : System.out;
        if (!Services.require(jobs).cancel(jobId)) {
            throw new CommandException("Job " + jobId + " is unknown or no longer pending (see dms:jobs).");
        }
        o.println("Job " + jobId + " cancelled.");
        return null;
    }
}
