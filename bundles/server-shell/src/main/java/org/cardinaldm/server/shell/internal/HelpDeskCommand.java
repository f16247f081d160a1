package org.cardinaldm.server.shell.internal;

import org.cardinaldm.server.api.audit.AuditLog;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.DeviceManager;
import org.cardinaldm.server.api.HelpDesk;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobManager;
import org.cardinaldm.server.api.NotificationManager;
import org.cardinaldm.server.api.NotificationRecord;
import org.cardinaldm.server.api.NotificationUi;
import org.cardinaldm.server.api.Operation;

/**
 * {@code dms:helpdesk <DevId>}: the help desk of RD use case 5.2.1. Queues the reads of
 * the {@link HelpDesk} service (device information and details, accounts, card information; then card policy,
 * SCOMO inventory and logs in a second job, since a device may lack them) as {@code ?list=StructData}
 * views; {@code --notify} asks the device to connect now. With {@code --wait} it waits for the answers
 * (notifying the device when it has a push address) and prints the report; otherwise the answers are
 * read later with {@code dms:helpdesk-report} or {@code dms:results}.
 */
@Service
@Command(scope = "dms", name = "helpdesk",
        description = "Read the device's and the card's information; with --wait, print the report")
public class HelpDeskCommand implements Action {
    /** The longest wait allowed. */
    static final int MAX_WAIT_SECONDS = 3600;
    /** The pause between two looks at the jobs. */
    static final long POLL_MILLIS = 250;

    /** Pauses the waiting thread; tests replace it. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    @Reference(optional = true)
    HelpDesk helpDesk;

    @Reference(optional = true)
    JobManager jobs;

    @Reference(optional = true)
    NotificationManager notifications;

    @Reference(optional = true)
    DeviceManager devices;

    @Argument(index = 0, name = "devId", description = "The DevId", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Option(name = "-u", aliases = "--uri", multiValued = true,
            description = "Subtrees to read (one job) instead of the default reads")
    List<String> uris;

    @Option(name = "-n", aliases = "--notify", description = "Also send a package 0 so that the device connects now")
    boolean notify;

    @Option(name = "--wait", description = "Wait up to this many seconds for the answers, then print the report "
            + "(notifies the device when it has a push address)")
    int waitSeconds = -1;

    @Option(name = "-w", aliases = "--width", description = "Longest value shown in the report (default 100; 0 for all)")
    int width = 100;

    PrintStream out;
    Clock clock = Clock.systemUTC();
    Sleeper sleeper = Thread::sleep;

    /** The audit log, when the server has one. */
    @Reference(optional = true)
    AuditLog audit;

    @Override
    public Object execute() throws Exception {
        return ShellAudit.run(audit, this, notify ? "--notify" : null, deviceId, this::perform);
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
        JobManager m = Services.require(jobs);
        boolean wait = waitSeconds >= 0;
        if (wait && (waitSeconds < 1 || waitSeconds > MAX_WAIT_SECONDS)) {
            throw new CommandException("--wait takes 1 to " + MAX_WAIT_SECONDS + " seconds.");
        }
        List<Job> queued;
        try {
            queued = desk.submit(deviceId, uris);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage() + " (see dms:devices).");
        }
        Job first = queued.get(0);
        o.println("Job " + first.id() + " queued for " + deviceId + " (" + first.operations().size()
                + " reads); see dms:helpdesk-report " + first.id() + " after the device's next session.");
        for (Job j : queued.subList(1, queued.size())) {
            o.println("Job " + j.id() + " queued for " + deviceId + " (" + j.operations().size() + " optional reads: "
                    + String.join(", ", j.operations().stream().map(Operation::target)
                            .map(t -> t.replace("?list=StructData", "")).toList())
                    + "; a device without them answers 404).");
        }
        if (notify) {
            sendNotification(o);
        } else if (wait && pushAddress().isEmpty()) {
            o.println("No push address for " + deviceId + ": waiting for the device's next session.");
        } else if (wait && notifications == null) {
            o.println("Notifications are not available: waiting for the device's next session.");
        } else if (wait) {
            sendNotification(o);
        }
        if (!wait) {
            return null;
        }
        List<Job> ended = await(m, queued, o);
        ReportPrinter.print(desk.report(ended), width, o);
        return null;
    }

    private Optional<String> pushAddress() {
        if (devices == null) {
            return Optional.empty();
        }
        return devices.device(deviceId).map(Device::pushAddress).filter(a -> !a.isBlank());
    }

    private void sendNotification(PrintStream o) throws CommandException {
        if (notifications == null) {
            throw new CommandException("Job queued, but notifications are not available.");
        }
        try {
            NotificationRecord r = notifications.notify(deviceId, NotificationUi.BACKGROUND);
            o.println("Notification " + r.sessionId() + ": " + r.state()
                    + (r.detail() == null ? "" : " (" + r.detail() + ")"));
        } catch (IllegalArgumentException e) {
            throw new CommandException("Job queued, but " + e.getMessage() + ".");
        }
    }

    /** Looks at the jobs every {@link #POLL_MILLIS} until all ended or the wait is over. */
    private List<Job> await(JobManager m, List<Job> queued, PrintStream o) throws CommandException {
        Instant deadline = clock.instant().plusSeconds(waitSeconds);
        List<Job> now = reload(m, queued);
        while (!now.stream().allMatch(j -> j.state().isSettled())) {
            if (!clock.instant().isBefore(deadline)) {
                o.println("Still waiting after " + waitSeconds + " s ("
                        + String.join(", ", now.stream().map(j -> "job " + j.id() + " " + j.state()).toList())
                        + "); what arrived so far is below. Later: dms:helpdesk-report " + queued.get(0).id() + ".");
                break;
            }
            try {
                sleeper.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                o.println("Interrupted; what arrived so far is below. Later: dms:helpdesk-report "
                        + queued.get(0).id() + ".");
                break;
            }
            now = reload(m, queued);
        }
        o.println();
        return now;
    }

    private static List<Job> reload(JobManager m, List<Job> queued) throws CommandException {
        List<Job> out = new ArrayList<>();
        for (Job j : queued) {
            out.add(m.job(j.id()).orElseThrow(() -> new CommandException("Job " + j.id()
                    + " disappeared (was the device removed?).")));
        }
        return out;
    }
}
