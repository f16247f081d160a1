package org.cardinaldm.client.shell.internal;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.shell.internal.ui.Answers;
import org.cardinaldm.client.shell.internal.ui.ConsoleUserInteraction;
import org.cardinaldm.client.shell.internal.ui.PendingPrompt;
import org.cardinaldm.client.shell.internal.ui.PromptBoard;
import org.cardinaldm.syncml.api.model.UiAlertKind;

/**
 * {@code dm:prompts}: the user-interaction prompts (alerts 1100 to 1104, bootstrap questions) waiting
 * for an answer on the console UI, with how to answer each and the time left.
 * <pre>
 * ID | Server          | Kind    | Text                | Choices          | Answer                | Time left
 * ------------------------------------------------------------------------------------------------------
 * 3  | dms.example.com | confirm | Install update 2.1? |                  | yes/no (default no)   | 42s
 * 4  | dms.example.com | choice  | Which network?      | 1) Wi-Fi 2) LTE  | &lt;1-2&gt;                 | &lt;= 9m 58s
 * </pre>
 */
@Service
@Command(scope = "dm", name = "prompts", description = "List the user-interaction prompts waiting for dm:answer")
public class PromptsCommand implements Action {
    /** The text shown when the console UI is not active. */
    static final String OFF = "The console UI is off: prompts go to the policy UI or get 406. Turn it on with: "
            + "config:property-set -p " + ConsoleUserInteraction.PID + " timeout.s 600";

    @Reference(optional = true)
    PromptBoard board;

    /** Where output goes; null means the session's standard output. */
    PrintStream out;

    /** The clock for the time left. */
    Clock clock = Clock.systemUTC();

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        if (board == null) {
            o.println(OFF);
            o.flush();
            return null;
        }
        Instant now = clock.instant();
        ShellTable table = new ShellTable();
        table.column("ID");
        table.column("Server");
        table.column("Kind");
        table.column("Text");
        table.column("Choices");
        table.column("Answer");
        table.column("Time left");
        table.emptyTableText("No prompts pending");
        for (PendingPrompt p : board.pending()) {
            UserPrompt u = p.prompt();
            table.addRow().addContent(p.id(), u.serverId(), kind(u), Services.shorten(u.text(), 60), choices(u.choices()),
                    Answers.hint(u) + defaultHint(u), timeLeft(p, now));
        }
        table.print(o);
        o.flush();
        return null;
    }

    /** @return display, confirm, text, choice or choices */
    static String kind(UserPrompt u) {
        return switch (u.kind()) {
            case DISPLAY -> "display";
            case CONFIRM -> "confirm";
            case TEXT_INPUT -> u.echo() == UserPrompt.Echo.PASSWORD ? "secret" : "text";
            case SINGLE_CHOICE -> "choice";
            case MULTIPLE_CHOICE -> "choices";
        };
    }

    static String choices(List<String> choices) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < choices.size(); i++) {
            b.append(i == 0 ? "" : " ").append(i + 1).append(") ").append(Services.shorten(choices.get(i), 20));
        }
        return b.toString();
    }

    private static String defaultHint(UserPrompt u) {
        if (u.defaultResponse().isEmpty() || u.echo() == UserPrompt.Echo.PASSWORD) {
            return "";
        }
        if (u.kind() == UiAlertKind.CONFIRM) {
            return u.defaultConfirm().map(y -> y ? " (default yes)" : " (default no)").orElse("");
        }
        if (u.kind() == UiAlertKind.DISPLAY) {
            return "";
        }
        return " (default " + Services.shorten(u.defaultResponse().get(), 20).toLowerCase(Locale.ROOT) + ")";
    }

    static String timeLeft(PendingPrompt p, Instant now) {
        String left = Services.span(Duration.between(now, p.deadline()));
        return p.callerDeadline() ? left : "<= " + left;
    }
}
