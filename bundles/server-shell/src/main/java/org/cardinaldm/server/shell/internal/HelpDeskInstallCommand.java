package org.cardinaldm.server.shell.internal;

import org.cardinaldm.server.api.audit.AuditLog;
import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.server.api.HelpDesk;
import org.cardinaldm.server.api.InstallRequest;
import org.cardinaldm.server.api.Job;

/**
 * {@code dms:helpdesk-install <DevId> <name> <package-url> [--version v] [--inactive] [--question text]
 * [--maxdt seconds]}: the help desk's "install and start application X after the user agrees" (issue 15).
 * Queues one job, a Sequence of a confirmation (Alert 1101, no default response), the SCOMO download
 * descriptor {@code ./SCOMO/Download/<X>} (PkgID, Name, PkgURL) and an Exec of its
 * {@code Operations/DownloadInstall} ({@code DownloadInstallInactive} with {@code --inactive}); see
 * {@link InstallRequest}. {@code dms:results <job>} then shows what the user answered.
 */
@Service
@Command(scope = "dms", name = "helpdesk-install",
        description = "Install and start an application on a device after its user agrees (SCOMO, Alert 1101)")
public class HelpDeskInstallCommand implements Action {
    @Reference(optional = true)
    HelpDesk helpDesk;

    @Argument(index = 0, name = "devId", description = "The DevId", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Argument(index = 1, name = "name", description = "The application's name (the node ./SCOMO/Download/<name>)",
            required = true)
    String name;

    @Argument(index = 2, name = "package-url", description = "Where the device downloads it (https or http)",
            required = true)
    String packageUrl;

    @Option(name = "--version", description = "The application's version (sent in PkgID as name@version)")
    String version;

    @Option(name = "--inactive", description = "Install without starting it (DownloadInstallInactive)")
    boolean inactive;

    @Option(name = "--question", description = "The question the user answers (default: Install and start <name>?)")
    String question;

    @Option(name = "--maxdt", description = "Seconds the device waits for the answer before 408 (default 120, "
            + "at most 86400)")
    int maxDisplaySeconds;

    PrintStream out;

    /** The audit log, when the server has one. */
    @Reference(optional = true)
    AuditLog audit;

    @Override
    public Object execute() throws Exception {
        return ShellAudit.run(audit, this, name + (version == null ? "" : "@" + version) + " " + packageUrl, deviceId, this::perform);
    }

    /**
     * The command's work.
     *
     * @return null
     * @throws Exception a {@link org.apache.karaf.shell.support.CommandException} for a user error
     */
    Object perform() throws Exception {
        PrintStream o = out != null ? out : System.out;
        HelpDesk desk = Services.require(helpDesk);
        if (maxDisplaySeconds < 0 || maxDisplaySeconds > 86_400) {
            throw new CommandException("--maxdt takes 1 to 86400 seconds.");
        }
        InstallRequest request;
        try {
            request = new InstallRequest(name, packageUrl, version, inactive, question, maxDisplaySeconds);
        } catch (IllegalArgumentException e) {
            throw new CommandException("Not queued: " + e.getMessage() + ".");
        }
        Job job;
        try {
            job = desk.install(deviceId, request);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage() + " (see dms:devices).");
        }
        o.println("Job " + job.id() + " queued for " + deviceId + ": ask \"" + request.question() + "\" (MAXDT "
                + request.maxDisplaySeconds() + " s); on yes add " + request.downloadUri() + " and exec "
                + (inactive ? "DownloadInstallInactive" : "DownloadInstall") + ". See dms:results " + job.id()
                + " after the device's next session.");
        return null;
    }
}
