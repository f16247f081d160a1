package org.cardinaldm.client.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.karaf.shell.api.console.Session;
import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.client.shell.internal.ui.Answers;
import org.cardinaldm.client.shell.internal.ui.PendingPrompt;
import org.cardinaldm.client.shell.internal.ui.PromptBoard;
import org.cardinaldm.syncml.api.model.UiAlertKind;

/**
 * Waits for a session or a bootstrap in a command and, meanwhile, asks the prompts that reach the
 * console UI right on the command's terminal (so that a person with one console can answer the
 * confirm of {@code dm:bootstrap --confirm} or a server's alerts during {@code dm:session}). Without
 * the console UI or a terminal it only waits; the prompts can then be answered from another shell
 * with {@code dm:answer}.
 */
final class InlinePrompts implements AutoCloseable {
    private static final Object DONE = new Object();
    /** How many times a wrong answer is asked again before the prompt is left to dm:answer. */
    static final int ATTEMPTS = 3;

    private final PromptBoard board;
    private final Session session;
    private final PrintStream out;
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final AutoCloseable listening;
    private boolean canRead = true;

    /**
     * @param board the console UI, or null when it is off
     * @param session the shell session, or null when there is no terminal
     * @param out where to print
     */
    InlinePrompts(PromptBoard board, Session session, PrintStream out) {
        this.board = board;
        this.session = session;
        this.out = out;
        // listen before the work starts, so that no prompt it raises is missed
        this.listening = board != null && session != null ? board.onPrompt(events::add) : null;
    }

    @Override
    public void close() {
        if (listening != null) {
            try {
                listening.close();
            } catch (Exception e) {
                // removing a listener does not fail
            }
        }
    }

    /**
     * @param f what to wait for
     * @param timeout how long at most
     * @return its value
     * @throws TimeoutException when it did not complete in time
     * @throws ExecutionException when it failed
     * @throws InterruptedException when the command was interrupted (Ctrl-C)
     */
    <T> T await(CompletableFuture<T> f, Duration timeout) throws TimeoutException, ExecutionException,
            InterruptedException {
        if (listening == null) {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        f.whenComplete((r, e) -> events.add(DONE));
        while (!f.isDone()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException();
            }
            Object event = events.poll(left, TimeUnit.NANOSECONDS);
            if (event instanceof PendingPrompt p) {
                ask(p);
            }
        }
        return f.get();
    }

    /** Asks one prompt on the terminal until it gets an answer that fits, or the prompt is gone. */
    void ask(PendingPrompt p) {
        UserPrompt prompt = p.prompt();
        out.println();
        out.println("Prompt " + p.id() + " from " + prompt.serverId() + " (" + PromptsCommand.kind(prompt) + "): "
                + prompt.text());
        for (int i = 0; i < prompt.choices().size(); i++) {
            out.println("  " + (i + 1) + ") " + prompt.choices().get(i));
        }
        out.flush();
        if (!canRead) {
            out.println("Answer it with dm:answer " + p.id() + " " + Answers.hint(prompt) + " from another shell.");
            out.flush();
            return;
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (board.find(p.id()).isEmpty()) {
                out.println("Prompt " + p.id() + " is no longer pending.");
                return;
            }
            String line;
            try {
                Character mask = prompt.echo() == UserPrompt.Echo.PASSWORD ? '*' : null;
                line = session.readLine(Answers.hint(prompt) + " (empty line or 'cancel' to cancel)> ", mask);
            } catch (IOException e) {
                line = null;
            } catch (UnsupportedOperationException e) {
                // a batch session (bin/client -b) has no line reader: leave the prompt to dm:answer
                canRead = false;
                out.println("This shell cannot read an answer: answer it with dm:answer " + p.id() + " "
                        + Answers.hint(prompt) + " from another shell.");
                out.flush();
                return;
            }
            UserResponse r;
            if (line == null || line.isBlank() && prompt.kind() != UiAlertKind.DISPLAY
                    || line.trim().equalsIgnoreCase("cancel")) {
                r = UserResponse.cancelled();
            } else {
                try {
                    r = Answers.parse(prompt, prompt.kind() == UiAlertKind.TEXT_INPUT ? List.of(line)
                            : List.of(line.trim().split("\\s+")));
                } catch (IllegalArgumentException e) {
                    out.println("Not an answer: " + e.getMessage() + ".");
                    continue;
                }
            }
            boolean taken;
            try {
                taken = board.answer(p.id(), r);
            } catch (IllegalArgumentException e) {
                out.println("Not an answer: " + e.getMessage() + ".");
                continue;
            }
            out.println(taken ? "Prompt " + p.id() + ": " + AnswerCommand.describe(prompt, r)
                    : "Prompt " + p.id() + " is no longer pending: too late.");
            return;
        }
        out.println("Prompt " + p.id() + " is left pending: answer it with dm:answer " + p.id() + ".");
    }
}
