package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.audit.AuditLog;
import org.cardinaldm.server.api.audit.AuditQuery;

/**
 * {@code dms:audit}: the operators' audit log (shell, REST, console), newest first, from the registry, in pages,
 * with the filters of {@link AuditQuery}: {@code --user} (exactly), {@code --action} (contained, ignoring case),
 * {@code --target} (exactly), {@code --since} and {@code --until} (ISO-8601 with an offset, or a date in UTC).
 */
@Service
@Command(scope = "dms", name = "audit", description = "List operator actions (who, what, when, from where), newest "
        + "first, optionally filtered by user, action, target and time")
public class AuditCommand implements Action {
    @Reference(optional = true)
    AuditLog audit;

    @Option(name = "-n", aliases = "--limit", description = "How many entries (default 30, at most 500)")
    int limit = 30;

    @Option(name = "--before", description = "Only entries older than this entry id (the next page)")
    long before;

    @Option(name = "-u", aliases = "--user", description = "Only this user's entries (exactly)")
    String user;

    @Option(name = "-a", aliases = "--action", description = "Only actions containing this text, ignoring case, "
            + "e.g. unlock, job-add, POST")
    String action;

    @Option(name = "-t", aliases = "--target", description = "Only entries about this target (exactly: a DevId, a job "
            + "or campaign id)")
    String target;

    @Option(name = "--since", description = "Only entries at or after this time: 2026-12-07T10:00:00Z, "
            + "2026-12-07T11:00+01:00, or a date (UTC)")
    String since;

    @Option(name = "--until", description = "Only entries before this time (same forms as --since)")
    String until;

    PrintStream out;

    @Override
    public Object execute() throws Exception {
        AuditLog log = Services.require(audit);
        if (limit < 1 || limit > AuditLog.MAX_LIST) {
            throw new CommandException("--limit must be 1 to " + AuditLog.MAX_LIST + ".");
        }
        if (before < 0) {
            throw new CommandException("--before must be an entry id (see the Id column).");
        }
        AuditQuery query;
        try {
            query = new AuditQuery(user, action, target, time("--since", since), time("--until", until), before,
                    limit);
        } catch (IllegalArgumentException e) {
            throw new CommandException(option(e.getMessage()) + ".");
        }
        List<AuditEntry> entries = log.list(query);
        PrintStream o = out != null ? out : System.out;
        if (entries.isEmpty()) {
            o.println("No audit entries" + (before > 0 ? " before " + before : "")
                    + (query.unfiltered() ? "" : " match these filters") + ".");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Time");
        table.column("User");
        table.column("Via");
        table.column("Action");
        table.column("Target");
        table.column("Outcome");
        table.column("From");
        for (AuditEntry e : entries) {
            table.addRow().addContent(e.id(), Services.time(e.time()), Services.shorten(e.user(), 32),
                    e.channel().name().toLowerCase(Locale.ROOT), Services.shorten(e.action(), 60),
                    Services.shorten(e.target(), 40), Services.shorten(e.outcome(), 50),
                    Services.shorten(e.origin(), 40));
        }
        table.print(o);
        if (entries.size() == limit) {
            o.println("Older entries: dms:audit --before " + entries.get(entries.size() - 1).id() + again(query));
        }
        return null;
    }

    /** @return a message of {@link AuditQuery} with the names of this command's options */
    static String option(String message) {
        if (message.equals("since must be before until")) {
            return "--since must be before --until";
        }
        return message.replaceFirst("^actor ", "--user ").replaceFirst("^(action|target) ", "--$1 ");
    }

    /** @return the options that repeat this query's filters and size on the next page's command line */
    private String again(AuditQuery q) {
        StringBuilder b = new StringBuilder();
        if (limit != 30) {
            b.append(" -n ").append(limit);
        }
        option(b, "--user", q.actor());
        option(b, "--action", q.action());
        option(b, "--target", q.target());
        option(b, "--since", q.since() == null ? null : q.since().toString());
        option(b, "--until", q.until() == null ? null : q.until().toString());
        return b.toString();
    }

    private static void option(StringBuilder b, String name, String value) {
        if (value != null) {
            b.append(' ').append(name).append(" \"")
                    .append(Services.shorten(value, 100).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
    }

    /**
     * @param option the option's name
     * @param text its value, or null
     * @return the instant, or null when absent
     * @throws CommandException when it is neither an ISO-8601 time with an offset nor a date
     */
    static Instant time(String option, String text) throws CommandException {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        if (t.length() <= 40) {
            try {
                if (t.length() == 10) {
                    return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
                }
                return OffsetDateTime.parse(t.toUpperCase(Locale.ROOT)).toInstant();
            } catch (DateTimeParseException e) {
                // refused below
            }
        }
        throw new CommandException(option + " must be a time with its offset, e.g. 2026-12-07T10:00:00Z, or a date, "
                + "e.g. 2026-12-07 (UTC).");
    }
}
