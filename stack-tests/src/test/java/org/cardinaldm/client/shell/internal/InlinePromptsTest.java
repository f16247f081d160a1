package org.cardinaldm.client.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

import org.apache.karaf.shell.api.console.Session;
import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.client.shell.internal.ui.ConsoleUserInteraction;
import org.cardinaldm.client.shell.internal.ui.ConsoleUserInteractionTestAccess;
import org.cardinaldm.syncml.api.model.UiAlertKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Prompts asked on the terminal of a waiting dm:session or dm:bootstrap. */
class InlinePromptsTest {
    private final ExecutorService askers = Executors.newCachedThreadPool();
    private final ConsoleUserInteraction console = ConsoleUserInteractionTestAccess.console();
    private final CommandOutput output = new CommandOutput();
    private final Session session = mock(Session.class);

    @AfterEach
    void stop() {
        askers.shutdownNow();
    }

    /** Starts the wait; the prompt is asked once the wait listens, and the work ends with the answer. */
    private CompletableFuture<UserResponse> work(UserPrompt prompt) {
        CompletableFuture<UserResponse> f = new CompletableFuture<>();
        askers.submit(() -> {
            try {
                f.complete(console.interact(prompt));
            } catch (InterruptedException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private UserResponse askInline(UserPrompt prompt) throws Exception {
        try (InlinePrompts inline = new InlinePrompts(console, session, output.stream)) {
            return inline.await(work(prompt), Duration.ofMinutes(1));
        }
    }

    @Test
    void a_choice_is_asked_again_after_a_wrong_answer() throws Exception {
        when(session.readLine(anyString(), any())).thenReturn("7", "2");

        UserResponse r = askInline(UserPrompt.builder(UiAlertKind.SINGLE_CHOICE, "s", "Network?").choice("Wi-Fi").choice("LTE").build());

        assertThat(r.choices()).containsExactly(2);
        assertThat(output.text()).contains("  1) Wi-Fi\n  2) LTE\n")
                .contains("Not an answer: a single choice takes one number from 1 to 2.\n")
                .contains("Prompt 1: answered 2 (LTE)\n");
    }

    @Test
    void an_empty_line_or_end_of_input_cancels() throws Exception {
        when(session.readLine(anyString(), any())).thenReturn("", (String) null);

        assertThat(askInline(UserPrompt.builder(UiAlertKind.CONFIRM, "s", "Go?").build())).isEqualTo(UserResponse.cancelled());
        assertThat(askInline(UserPrompt.builder(UiAlertKind.CONFIRM, "s", "Go?").build())).isEqualTo(UserResponse.cancelled());
    }

    @Test
    void three_wrong_answers_leave_the_prompt_to_dm_answer() throws Exception {
        when(session.readLine(anyString(), any())).thenReturn("maybe");
        InlinePrompts inline = new InlinePrompts(console, session, output.stream);
        Future<UserResponse> f = askers.submit(() -> console.interact(UserPrompt.builder(UiAlertKind.CONFIRM, "s", "Go?").build()));
        await().until(() -> !console.pending().isEmpty());

        inline.ask(console.pending().get(0));

        assertThat(output.text()).endsWith("Prompt 1 is left pending: answer it with dm:answer 1.\n");
        assertThat(console.find(1)).isPresent();
        console.answer(1, UserResponse.no());
        assertThat(f.get()).isEqualTo(UserResponse.no());
    }

    @Test
    void a_shell_that_cannot_read_lines_leaves_prompts_to_dm_answer() throws Exception {
        when(session.readLine(anyString(), any())).thenThrow(new UnsupportedOperationException());
        InlinePrompts inline = new InlinePrompts(console, session, output.stream);
        Future<UserResponse> f = askers.submit(() -> console.interact(UserPrompt.builder(UiAlertKind.CONFIRM, "s", "Go?").build()));
        await().until(() -> !console.pending().isEmpty());

        inline.ask(console.pending().get(0));
        inline.ask(console.pending().get(0));

        assertThat(output.text()).contains("This shell cannot read an answer: answer it with dm:answer 1 yes/no from another shell.\n")
                .endsWith("Answer it with dm:answer 1 yes/no from another shell.\n");
        console.answer(1, UserResponse.yes());
        assertThat(f.get()).isEqualTo(UserResponse.yes());
    }

    @Test
    void an_answer_typed_after_the_prompt_went_away_is_too_late() throws Exception {
        InlinePrompts inline = new InlinePrompts(console, session, output.stream);
        Future<UserResponse> f = askers.submit(() -> console.interact(UserPrompt.builder(UiAlertKind.CONFIRM, "s", "Go?").build()));
        await().until(() -> !console.pending().isEmpty());
        when(session.readLine(anyString(), any())).thenAnswer(inv -> {
            console.answer(1, UserResponse.no()); // answered from another shell while this one was typing
            return "yes";
        });

        inline.ask(console.pending().get(0));

        assertThat(f.get()).isEqualTo(UserResponse.no());
        assertThat(output.text()).endsWith("Prompt 1 is no longer pending: too late.\n");
    }

    @Test
    void without_a_terminal_or_console_ui_it_only_waits() {
        InlinePrompts plain = new InlinePrompts(null, null, output.stream);
        assertThatThrownBy(() -> plain.await(new CompletableFuture<>(), Duration.ofMillis(1)))
                .isInstanceOf(TimeoutException.class);
        InlinePrompts listening = new InlinePrompts(console, session, output.stream);
        assertThatThrownBy(() -> listening.await(new CompletableFuture<>(), Duration.ofMillis(1)))
                .isInstanceOf(TimeoutException.class);
    }

    @Test
    void a_hidden_answer_that_cannot_be_typed_must_be_given_as_words() throws Exception {
        askers.submit(() -> console.interact(UserPrompt.builder(UiAlertKind.TEXT_INPUT, "s", "PIN").echo(UserPrompt.Echo.PASSWORD)
                .build()));
        await().until(() -> !console.pending().isEmpty());
        when(session.readLine(anyString(), any())).thenThrow(new UnsupportedOperationException());
        AnswerCommand c = new AnswerCommand();
        c.board = console;
        c.session = session;
        c.id = 1;
        c.out = output.stream;

        assertThatThrownBy(c::execute).hasMessage("This shell cannot read an answer; give it as words: dm:answer 1 <text>");
        assertThat(console.find(1)).isPresent();
        console.answer(1, UserResponse.cancelled());
    }
}
