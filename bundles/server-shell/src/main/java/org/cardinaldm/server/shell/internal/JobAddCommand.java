package org.cardinaldm.server.shell.internal;

import org.cardinaldm.server.api.audit.AuditLog;
import java.io.PrintStream;
import java.util.List;
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
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobManager;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationKind;
import org.cardinaldm.server.api.UserAlert;

/**
 * {@code dms:job-add <DevId> get|add|replace|delete|exec|copy <uri> [value]}: queues one operation for
 * the device's next session. {@code add} without a value creates an interior node; {@code copy} takes
 * the source URI then the target URI.
 */
@Service
@Command(scope = "dms", name = "job-add", description = "Queue an operation for a device: get, add, replace, delete, exec, copy")
public class JobAddCommand implements Action {
    @Reference(optional = true)
    JobManager jobs;

    @Argument(index = 0, name = "devId", description = "The DevId", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Argument(index = 1, name = "operation", description = "get, add, replace, delete, exec or copy", required = true)
    @Completion(value = StringsCompleter.class, values = {"get", "add", "replace", "delete", "exec", "copy"})
    String operation;

    @Argument(index = 2, name = "uri", description = "Target URI (the source URI for copy), e.g. ./SmartCard/MO/x",
            required = true)
    String uri;

    @Argument(index = 3, name = "value", description = "Value (add, replace), argument (exec) or target URI (copy)")
    String value;

    @Option(name = "-f", aliases = "--format", description = "Meta Format of the value: chr (default), int, bool, b64, xml")
    String format = "chr";

    @Option(name = "-t", aliases = "--type", description = "Meta Type of the value (default text/plain)")
    String type = "text/plain";

    @Option(name = "-d", aliases = "--description", description = "A note for operators")
    String description;

    PrintStream out;

    /** The audit log, when the server has one. */
    @Reference(optional = true)
    AuditLog audit;

    @Override
    public Object execute() throws Exception {
        return ShellAudit.run(audit, this, operation + " " + uri + (value == null ? "" : " (value of " + value.length() + " characters, not recorded)"), deviceId, this::perform);
    }

    /**
     * The command's work.
     *
     * @return null
     * @throws Exception a {@link org.apache.karaf.shell.support.CommandException} for a user error
     */
    Object perform() throws Exception {
        PrintStream o = out != null ? out : System.out;
        JobManager m = Services.require(jobs);
        Operation op;
        try {
            op = operation();
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage() + ".");
        }
        try {
            Job job = m.submit(deviceId, description, List.of(op));
            o.println("Job " + job.id() + " queued for " + deviceId + ": " + describe(op));
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage() + " (see dms:devices).");
        }
        return null;
    }

    private Operation operation() throws CommandException {
        switch (operation.toLowerCase(Locale.ROOT)) {
            case "get":
                return Operation.get(uri);
            case "delete":
            case "rm":
                return Operation.delete(uri);
            case "add":
                return value == null ? Operation.addInterior(uri) : Operation.add(uri, value, format).withType(type);
            case "replace":
            case "set":
                if (value == null) {
                    throw new CommandException("replace needs a value: dms:job-add " + deviceId + " replace " + uri
                            + " <value>.");
                }
                return Operation.replace(uri, value, format).withType(type);
            case "exec":
                return Operation.exec(uri, value, null);
            case "copy":
                if (value == null) {
                    throw new CommandException("copy needs a target: dms:job-add " + deviceId + " copy <source> <target>.");
                }
                return Operation.copy(uri, value);
            default:
                throw new CommandException("Unknown operation " + operation
                        + ": use get, add, replace, delete, exec or copy.");
        }
    }

    static String describe(Operation op) {
        if (op.kind() == OperationKind.ALERT) {
            return describe(op.userAlert().orElseThrow());
        }
        StringBuilder b = new StringBuilder(op.kind().name());
        if (op.source() != null) {
            b.append(' ').append(op.source()).append(" ->");
        }
        if (op.target() != null) {
            b.append(' ').append(op.target());
        }
        if (op.data() != null) {
            b.append(" = ").append(Services.shorten(op.data(), 40));
        } else if ("node".equals(op.format())) {
            b.append(" (interior)");
        }
        if (!op.children().isEmpty()) {
            b.append(" of ").append(op.children().size());
        }
        return b.toString();
    }

    /** {@code ALERT 1101 confirm "Install X?" (MAXDT=120)}, choices in brackets. */
    static String describe(UserAlert a) {
        StringBuilder b = new StringBuilder("ALERT ").append(a.code()).append(' ')
                .append(a.kind().name().toLowerCase(Locale.ROOT).replace('_', '-')).append(" \"")
                .append(Services.shorten(a.text().replace('\n', ' '), 40)).append('"');
        if (!a.choices().isEmpty()) {
            b.append(" [").append(Services.shorten(String.join("|", a.choices()), 40)).append(']');
        }
        if (!a.options().isEmpty()) {
            b.append(" (").append(a.options()).append(')');
        }
        return b.toString();
    }
}
