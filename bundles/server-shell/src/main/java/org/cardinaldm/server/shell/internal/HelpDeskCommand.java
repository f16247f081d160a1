package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobManager;
import org.cardinaldm.server.api.NotificationManager;
import org.cardinaldm.server.api.NotificationRecord;
import org.cardinaldm.server.api.NotificationUi;
import org.cardinaldm.server.api.Operation;

/**
 * {@code dms:helpdesk <DevId>}: one job that reads what a help desk needs (device information and
 * details, accounts, card information) as {@code ?list=StructData} views; {@code --notify} asks the
 * device to connect now. The answers are read with {@code dms:results}.
 */
@Service
@Command(scope = "dms", name = "helpdesk", description = "Queue a read of the device's and the card's information (see dms:results)")
public class HelpDeskCommand implements Action {
    /** The subtrees read by default. */
    static final List<String> DEFAULT_URIS = List.of("./DevInfo", "./DevDetail", "./DMAcc", "./SmartCard/Info");

    @Reference(optional = true)
    JobManager jobs;

    @Reference(optional = true)
    NotificationManager notifications;

    @Argument(index = 0, name = "devId", description = "The DevId", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Option(name = "-u", aliases = "--uri", multiValued = true,
            description = "Subtrees to read instead of ./DevInfo, ./DevDetail, ./DMAcc, ./SmartCard/Info")
    List<String> uris;

    @Option(name = "-n", aliases = "--notify", description = "Also send a package 0 so that the device connects now")
    boolean notify;

    PrintStream out;

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        JobManager m = Services.require(jobs);
        List<Operation> ops = new ArrayList<>();
        for (String uri : uris == null || uris.isEmpty() ? DEFAULT_URIS : uris) {
            ops.add(Operation.get(uri.contains("?") ? uri : uri + "?list=StructData"));
        }
        Job job;
        try {
            job = m.submit(deviceId, "help desk", ops);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage() + " (see dms:devices).");
        }
        o.println("Job " + job.id() + " queued for " + deviceId + " (" + ops.size()
                + " reads); see dms:results " + job.id() + " after the device's next session.");
        if (notify) {
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
        return null;
    }
}
