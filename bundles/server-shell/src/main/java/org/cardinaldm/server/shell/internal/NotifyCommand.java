package org.cardinaldm.server.shell.internal;

import org.cardinaldm.server.api.audit.AuditLog;
import java.io.PrintStream;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.server.api.NotificationManager;
import org.cardinaldm.server.api.NotificationRecord;
import org.cardinaldm.server.api.NotificationUi;

/** {@code dms:notify <DevId>}: sends a package-0 notification; {@code --list} shows recent ones. */
@Service
@Command(scope = "dms", name = "notify", description = "Ask a device to open a session (package 0), or list notifications")
public class NotifyCommand implements Action {
    @Reference(optional = true)
    NotificationManager notifications;

    @Argument(index = 0, name = "devId", description = "The DevId (optional with --list)")
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Option(name = "--ui", description = "ui-mode: background (default), informative, user, unspecified")
    @Completion(value = StringsCompleter.class, values = {"background", "informative", "user", "unspecified"})
    String ui = "background";

    @Option(name = "-l", aliases = "--list", description = "List recent notifications instead of sending one")
    boolean list;

    PrintStream out;

    /** The audit log, when the server has one. */
    @Reference(optional = true)
    AuditLog audit;

    @Override
    public Object execute() throws Exception {
        if (list) {
            return perform(); // a listing changes nothing
        }
        return ShellAudit.run(audit, this, null, deviceId, this::perform);
    }

    /**
     * The command's work.
     *
     * @return null
     * @throws Exception a {@link org.apache.karaf.shell.support.CommandException} for a user error
     */
    Object perform() throws Exception {
        PrintStream o = out != null ? out : System.out;
        NotificationManager m = Services.require(notifications);
        if (list) {
            ShellTable table = new ShellTable();
            table.column("DevId");
            table.column("SessionID");
            table.column("Address");
            table.column("Sent");
            table.column("Attempts");
            table.column("State");
            table.column("Detail");
            for (NotificationRecord r : m.notifications(deviceId, 50)) {
                table.addRow().addContent(r.deviceId(), r.sessionId(), r.address(), Services.time(r.lastSent()),
                        r.attempts(), r.state(), Services.text(r.detail()));
            }
            table.print(o);
            return null;
        }
        if (deviceId == null) {
            throw new CommandException("Name the device to notify: dms:notify <DevId>.");
        }
        try {
            NotificationRecord r = m.notify(deviceId, ui(ui));
            o.println("Notification " + r.sessionId() + " to " + deviceId + " at " + r.address() + ": " + r.state()
                    + (r.detail() == null ? "" : " (" + r.detail() + ")"));
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage() + ".");
        }
        return null;
    }

    static NotificationUi ui(String text) throws CommandException {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "background":
                return NotificationUi.BACKGROUND;
            case "informative":
                return NotificationUi.INFORMATIVE;
            case "user":
            case "user-interaction":
                return NotificationUi.USER_INTERACTION;
            case "unspecified":
            case "not-specified":
                return NotificationUi.NOT_SPECIFIED;
            default:
                throw new CommandException("Unknown ui-mode " + text + ": use background, informative, user or unspecified.");
        }
    }
}
