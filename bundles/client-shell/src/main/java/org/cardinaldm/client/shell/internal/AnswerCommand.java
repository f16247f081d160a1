package org.cardinaldm.client.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.client.shell.internal.ui.Answers;
import org.cardinaldm.client.shell.internal.ui.PendingPrompt;
import org.cardinaldm.client.shell.internal.ui.PromptBoard;
import org.cardinaldm.syncml.api.model.UiAlertKind;

/**
 * {@code dm:answer <id> <answer…>} answers a pending prompt: {@code yes}/{@code no} for a confirm, a
 * text for a text input (a hidden one is typed when asked, so it stays out of the history), choice
 * numbers for a choice ({@code 2}, or {@code 1,3} / {@code 1 3}), nothing for a display.
 * {@code dm:answer --cancel <id>} cancels it (the server gets 214).
 */
@Service
@Command(scope = "dm", name = "answer", description = "Answer or cancel a user-interaction prompt (dm:prompts lists them)")
public class AnswerCommand implements Action {
    @Reference(optional = true)
    PromptBoard board;

    @Reference(optional = true)
    Session session;

    @Option(name = "-c", aliases = "--cancel", description = "Cancel the prompt (status 214) instead of answering it")
    boolean cancel;

    @Argument(index = 0, name = "id", description = "The prompt's number in dm:prompts", required = true)
    @Completion(PromptIdCompleter.class)
    int id;

    @Argument(index = 1, name = "answer", description = "yes/no, a text, or choice numbers", required = false,
            multiValued = true)
    List<String> answer;

    /** Where output goes; null means the session's standard output. */
    PrintStream out;

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        if (board == null) {
            throw new CommandException(PromptsCommand.OFF);
        }
        PendingPrompt p = board.find(id)
                .orElseThrow(() -> new CommandException("No pending prompt " + id + " (dm:prompts lists them)"));
        UserPrompt prompt = p.prompt();
        List<String> words = answer == null ? List.of() : answer;
        UserResponse r;
        if (cancel) {
            if (!words.isEmpty()) {
                throw new CommandException("--cancel takes no answer");
            }
            r = UserResponse.cancelled();
        } else {
            if (prompt.kind() == UiAlertKind.TEXT_INPUT && words.isEmpty() && session != null) {
                words = List.of(typed(prompt));
            } else if (prompt.kind() == UiAlertKind.TEXT_INPUT && prompt.echo() == UserPrompt.Echo.PASSWORD) {
                o.println("Note: this answer is hidden text; type it when asked (dm:answer " + id
                        + " without words) to keep it out of the shell history.");
            }
            try {
                r = Answers.parse(prompt, words);
            } catch (IllegalArgumentException e) {
                throw new CommandException("Prompt " + id + ": " + e.getMessage() + "; it is still pending");
            }
        }
        boolean taken;
        try {
            taken = board.answer(id, r);
        } catch (IllegalArgumentException e) {
            throw new CommandException("Prompt " + id + ": " + e.getMessage() + "; it is still pending");
        }
        if (!taken) {
            throw new CommandException("Prompt " + id + " is no longer pending: it was answered, timed out or given up");
        }
        o.println("Prompt " + id + ": " + describe(prompt, r));
        o.flush();
        return null;
    }

    private String typed(UserPrompt prompt) throws CommandException {
        try {
            String line = session.readLine(Services.shorten(prompt.text(), 60) + " ",
                    prompt.echo() == UserPrompt.Echo.PASSWORD ? '*' : null);
            if (line == null) {
                throw new CommandException("No answer typed; prompt " + id + " is still pending");
            }
            return line;
        } catch (IOException e) {
            throw new CommandException("Cannot read the answer: " + e.getMessage());
        } catch (UnsupportedOperationException e) {
            throw new CommandException("This shell cannot read an answer; give it as words: dm:answer " + id + " <text>");
        }
    }

    /**
     * @param prompt a prompt
     * @param r its answer
     * @return what was answered, for people; a text only by its length
     */
    static String describe(UserPrompt prompt, UserResponse r) {
        return switch (r.kind()) {
            case DONE -> "acknowledged";
            case YES -> "answered yes";
            case NO -> "answered no";
            case TEXT -> "answered with a text of " + r.text().length() + " characters";
            case CHOICES -> "answered " + r.choices().stream()
                    .map(i -> i + (i <= prompt.choices().size() ? " (" + Services.shorten(prompt.choices().get(i - 1), 20) + ")" : ""))
                    .collect(Collectors.joining(", "));
            case CANCELLED -> "cancelled";
            case TIMED_OUT -> "timed out";
        };
    }
}
