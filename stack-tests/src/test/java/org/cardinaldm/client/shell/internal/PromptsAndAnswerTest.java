package org.cardinaldm.client.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.client.shell.internal.ui.ConsoleUserInteraction;
import org.cardinaldm.client.shell.internal.ui.ConsoleUserInteractionTestAccess;
import org.cardinaldm.syncml.api.model.UiAlertKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** dm:prompts and dm:answer over the console UI, with prompts asked on threads of their own. */
class PromptsAndAnswerTest {
    private final ExecutorService askers = Executors.newCachedThreadPool();
    private final ConsoleUserInteraction console = ConsoleUserInteractionTestAccess.console();
    private final CommandOutput output = new CommandOutput();

    @AfterEach
    void stop() {
        askers.shutdownNow();
    }

    private Future<UserResponse> ask(UserPrompt p) {
        int before = console.pending().size();
        Future<UserResponse> f = askers.submit(() -> console.interact(p));
        await().until(() -> console.pending().size() > before);
        return f;
    }

    private PromptsCommand prompts() {
        PromptsCommand c = new PromptsCommand();
        c.board = console;
        c.out = output.stream;
        c.clock = java.time.Clock.fixed(ConsoleUserInteractionTestAccess.NOW.plusSeconds(3), java.time.ZoneOffset.UTC);
        return c;
    }

    private AnswerCommand answer(int id, String... words) {
        AnswerCommand c = new AnswerCommand();
        c.board = console;
        c.out = output.stream;
        c.id = id;
        c.answer = words.length == 0 ? null : new ArrayList<>(List.of(words));
        return c;
    }

    private List<List<String>> rows() {
        return Arrays.stream(output.text().split("\n")).skip(2)
                .map(l -> Arrays.stream(l.split("\\|", -1)).map(String::trim).toList()).toList();
    }

    @Test
    void pending_prompts_show_kind_text_choices_how_to_answer_and_time_left() throws Exception {
        ask(UserPrompt.builder(UiAlertKind.CONFIRM, "dms.example.com", "Install update 2.1?").defaultResponse("0")
                .maxDisplayTime(Duration.ofSeconds(45)).build());
        ask(UserPrompt.builder(UiAlertKind.SINGLE_CHOICE, "dms.example.com", "Which network?").choice("Wi-Fi").choice("LTE")
                .defaultResponse("2").build());
        ask(UserPrompt.builder(UiAlertKind.TEXT_INPUT, "bootstrap", "Enter the PIN").echo(UserPrompt.Echo.PASSWORD)
                .defaultResponse("0000").build());

        prompts().execute();

        assertThat(output.text().split("\n")[0])
                .matches("ID\\s+\\| Server\\s+\\| Kind\\s+\\| Text\\s+\\| Choices\\s+\\| Answer\\s+\\| Time left");
        assertThat(rows()).containsExactly(
                List.of("1", "dms.example.com", "confirm", "Install update 2.1?", "", "yes/no (default no)", "42s"),
                List.of("2", "dms.example.com", "choice", "Which network?", "1) Wi-Fi 2) LTE", "<1-2> (default 2)", "<= 9m 57s"),
                List.of("3", "bootstrap", "secret", "Enter the PIN", "", "(hidden text: type it when asked)", "<= 9m 57s"));
        assertThat(output.text()).doesNotContain("0000");
    }

    @Test
    void no_prompts_or_the_console_ui_off_say_so() throws Exception {
        prompts().execute();
        assertThat(output.text()).contains("No prompts pending");

        PromptsCommand off = prompts();
        off.board = null;
        off.execute();
        assertThat(output.text()).contains("The console UI is off").contains("config:property-set -p org.cardinaldm.client.ui.console");
        assertThatThrownBy(() -> {
            AnswerCommand a = answer(1, "yes");
            a.board = null;
            a.execute();
        }).isInstanceOf(CommandException.class).hasMessageStartingWith("The console UI is off");
    }

    @Test
    void answering_a_confirm_reaches_the_asker() throws Exception {
        Future<UserResponse> f = ask(UserPrompt.builder(UiAlertKind.CONFIRM, "s", "Install?").build());

        answer(1, "yes").execute();

        assertThat(f.get()).isEqualTo(UserResponse.yes());
        assertThat(output.text()).isEqualTo("Prompt 1: answered yes\n");
    }

    @Test
    void choices_are_answered_with_numbers_and_echoed_with_their_labels() throws Exception {
        Future<UserResponse> f = ask(UserPrompt.builder(UiAlertKind.MULTIPLE_CHOICE, "s", "Which?").choice("Wi-Fi").choice("LTE")
                .choice("Ethernet").build());

        answer(1, "1,", "3").execute();

        assertThat(f.get().choices()).containsExactly(1, 3);
        assertThat(output.text()).isEqualTo("Prompt 1: answered 1 (Wi-Fi), 3 (Ethernet)\n");
    }

    @Test
    void an_unknown_prompt_id_is_refused() {
        assertThatThrownBy(() -> answer(7, "yes").execute()).isInstanceOf(CommandException.class)
                .hasMessage("No pending prompt 7 (dm:prompts lists them)");
    }

    @Test
    void an_answer_of_the_wrong_kind_is_refused_and_the_prompt_stays_pending() throws Exception {
        Future<UserResponse> f = ask(UserPrompt.builder(UiAlertKind.CONFIRM, "s", "Install?").build());

        assertThatThrownBy(() -> answer(1, "2").execute()).isInstanceOf(CommandException.class)
                .hasMessage("Prompt 1: a confirm takes yes or no; it is still pending");
        assertThat(console.find(1)).isPresent();
        assertThat(f.isDone()).isFalse();
        assertThatThrownBy(() -> {
            AnswerCommand c = answer(1, "yes");
            c.cancel = true;
            c.execute();
        }).hasMessage("--cancel takes no answer");

        AnswerCommand cancel = answer(1);
        cancel.cancel = true;
        cancel.execute();
        assertThat(f.get()).isEqualTo(UserResponse.cancelled());
        assertThat(output.text()).isEqualTo("Prompt 1: cancelled\n");
    }

    @Test
    void a_prompt_answered_twice_is_no_longer_pending() throws Exception {
        ask(UserPrompt.builder(UiAlertKind.DISPLAY, "s", "Hello").minDisplayTime(Duration.ofMinutes(5)).build());
        answer(1).execute();
        assertThat(output.text()).isEqualTo("Prompt 1: acknowledged\n");
        await().until(() -> console.pending().isEmpty());
        assertThatThrownBy(() -> answer(1).execute()).hasMessage("No pending prompt 1 (dm:prompts lists them)");
    }

    @Test
    void a_hidden_text_is_typed_with_a_mask_and_never_printed() throws Exception {
        Future<UserResponse> f = ask(UserPrompt.builder(UiAlertKind.TEXT_INPUT, "bootstrap", "Enter the PIN")
                .echo(UserPrompt.Echo.PASSWORD).inputType(UserPrompt.InputType.NUMERIC).build());
        Session session = mock(Session.class);
        when(session.readLine(anyString(), eq('*'))).thenReturn("4711");
        AnswerCommand c = answer(1);
        c.session = session;

        c.execute();

        assertThat(f.get()).isEqualTo(UserResponse.text("4711"));
        verify(session).readLine("Enter the PIN ", '*');
        assertThat(output.text()).isEqualTo("Prompt 1: answered with a text of 4 characters\n");
    }

    @Test
    void a_hidden_text_given_as_words_works_but_warns_and_a_bad_one_is_refused() throws Exception {
        Future<UserResponse> f = ask(UserPrompt.builder(UiAlertKind.TEXT_INPUT, "bootstrap", "PIN")
                .echo(UserPrompt.Echo.PASSWORD).inputType(UserPrompt.InputType.NUMERIC).maxLength(4).build());

        assertThatThrownBy(() -> answer(1, "12345").execute())
                .hasMessage("Prompt 1: the answer is 5 characters long; at most 4 are accepted; it is still pending");
        answer(1, "1234").execute();

        assertThat(f.get().text()).isEqualTo("1234");
        assertThat(output.text()).contains("keep it out of the shell history").doesNotContain("1234");
    }

    @Test
    void a_timed_out_prompt_cannot_be_answered() throws Exception {
        ConsoleUserInteraction quick = ConsoleUserInteractionTestAccess.console("timeout.s", 1);
        // MAXDT of 1 ms: the asker gets TIMED_OUT at once, the prompt leaves the board
        assertThat(quick.interact(UserPrompt.builder(UiAlertKind.CONFIRM, "s", "?").maxDisplayTime(Duration.ofMillis(1)).build()))
                .isEqualTo(UserResponse.timedOut());
        AnswerCommand c = answer(1, "yes");
        c.board = quick;
        assertThatThrownBy(c::execute).hasMessage("No pending prompt 1 (dm:prompts lists them)");
    }

    @Test
    void the_prompt_id_completer_offers_pending_prompts() throws Exception {
        ask(UserPrompt.builder(UiAlertKind.CONFIRM, "s", "a").build());
        ask(UserPrompt.builder(UiAlertKind.CONFIRM, "s", "b").build());
        PromptIdCompleter completer = new PromptIdCompleter();
        assertThat(completer.ids()).isEmpty();
        completer.board = console;
        assertThat(completer.ids()).containsExactly("1", "2");
    }
}
