package org.cardinaldm.client.shell.internal.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.syncml.api.model.UiAlertKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/** The console UI's prompt life cycle: answered, cancelled, timed out, given up, concurrent, bounded. */
class ConsoleUserInteractionTest {
    static final Instant NOW = Instant.parse("2026-11-27T22:00:00Z");

    private final ExecutorService askers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        askers.shutdownNow();
    }

    static ConsoleUserInteraction console(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return new ConsoleUserInteraction(Converters.standardConverter().convert(m).to(ConsoleUserInteraction.Config.class),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static UserPrompt confirm(String text) {
        return UserPrompt.builder(UiAlertKind.CONFIRM, "dms.example.com", text).build();
    }

    private Future<UserResponse> ask(ConsoleUserInteraction ui, UserPrompt p) {
        return askers.submit(() -> ui.interact(p));
    }

    private static PendingPrompt waitForPrompt(ConsoleUserInteraction ui, int count) {
        await().until(() -> ui.pending().size() >= count);
        return ui.pending().get(count - 1);
    }

    @Test
    void an_answered_confirm_returns_yes_and_leaves_the_board() throws Exception {
        ConsoleUserInteraction ui = console();
        Future<UserResponse> f = ask(ui, confirm("Install update 2.1?"));
        PendingPrompt p = waitForPrompt(ui, 1);

        assertThat(p.prompt().text()).isEqualTo("Install update 2.1?");
        assertThat(p.asked()).isEqualTo(NOW);
        assertThat(p.deadline()).as("no MAXDT: the console's own bound").isEqualTo(NOW.plusSeconds(600));
        assertThat(p.callerDeadline()).isFalse();
        assertThat(ui.find(p.id())).contains(p);
        assertThat(ui.answer(p.id(), UserResponse.yes())).isTrue();

        assertThat(f.get()).isEqualTo(UserResponse.yes());
        assertThat(ui.pending()).isEmpty();
        assertThat(ui.find(p.id())).isEmpty();
        assertThat(ui.answer(p.id(), UserResponse.no())).as("answered already").isFalse();
    }

    @Test
    void a_cancelled_prompt_returns_cancelled() throws Exception {
        ConsoleUserInteraction ui = console();
        Future<UserResponse> f = ask(ui, UserPrompt.builder(UiAlertKind.TEXT_INPUT, "s", "Name?").build());
        PendingPrompt p = waitForPrompt(ui, 1);

        assertThat(ui.answer(p.id(), UserResponse.cancelled())).isTrue();

        assertThat(f.get()).isEqualTo(UserResponse.cancelled());
        assertThat(ui.pending()).isEmpty();
    }

    @Test
    void an_unanswered_prompt_times_out_at_its_maxdt() throws Exception {
        ConsoleUserInteraction ui = console();
        UserPrompt p = UserPrompt.builder(UiAlertKind.CONFIRM, "s", "Reboot?").maxDisplayTime(Duration.ofMillis(5)).build();

        assertThat(ui.interact(p)).isEqualTo(UserResponse.timedOut());
        assertThat(ui.pending()).isEmpty();
    }

    @Test
    void a_prompt_with_maxdt_shows_the_callers_deadline() {
        ConsoleUserInteraction ui = console();
        ask(ui, UserPrompt.builder(UiAlertKind.CONFIRM, "s", "Reboot?").maxDisplayTime(Duration.ofSeconds(45)).build());

        PendingPrompt p = waitForPrompt(ui, 1);

        assertThat(p.deadline()).isEqualTo(NOW.plusSeconds(45));
        assertThat(p.callerDeadline()).isTrue();
        ui.answer(p.id(), UserResponse.cancelled());
    }

    @Test
    void the_console_bound_applies_when_the_caller_gives_no_maxdt() throws Exception {
        ConsoleUserInteraction ui = console("timeout.s", 1);
        ask(ui, confirm("a"));
        assertThat(waitForPrompt(ui, 1).deadline()).isEqualTo(NOW.plusSeconds(1));
    }

    @Test
    void a_display_counts_as_shown_after_its_display_time_or_when_acknowledged() throws Exception {
        ConsoleUserInteraction ui = console("display.s", 0);
        assertThat(ui.interact(UserPrompt.builder(UiAlertKind.DISPLAY, "s", "Maintenance at 2 am").build()))
                .isEqualTo(UserResponse.done());

        ConsoleUserInteraction slow = console("display.s", 600);
        Future<UserResponse> f = ask(slow, UserPrompt.builder(UiAlertKind.DISPLAY, "s", "Hello").minDisplayTime(Duration.ofSeconds(30))
                .build());
        PendingPrompt p = waitForPrompt(slow, 1);
        assertThat(p.deadline()).as("MINDT").isEqualTo(NOW.plusSeconds(30));
        assertThat(slow.answer(p.id(), UserResponse.done())).isTrue();
        assertThat(f.get()).isEqualTo(UserResponse.done());
    }

    @Test
    void a_display_never_outlasts_its_maxdt() {
        ConsoleUserInteraction ui = console("display.s", 600);
        ask(ui, UserPrompt.builder(UiAlertKind.DISPLAY, "s", "Hi").maxDisplayTime(Duration.ofSeconds(20)).build());
        assertThat(waitForPrompt(ui, 1).deadline()).isEqualTo(NOW.plusSeconds(20));
        ui.answer(ui.pending().get(0).id(), UserResponse.done());
    }

    @Test
    void a_caller_that_gives_up_interrupts_and_the_prompt_goes_away() throws Exception {
        ConsoleUserInteraction ui = console();
        Future<UserResponse> f = ask(ui, confirm("Wipe?"));
        PendingPrompt p = waitForPrompt(ui, 1);

        f.cancel(true);

        await().until(() -> ui.pending().isEmpty());
        assertThat(ui.answer(p.id(), UserResponse.yes())).isFalse();
    }

    @Test
    void an_answer_of_the_wrong_kind_is_refused_and_the_prompt_stays() throws Exception {
        ConsoleUserInteraction ui = console();
        Future<UserResponse> f = ask(ui, confirm("Install?"));
        PendingPrompt p = waitForPrompt(ui, 1);

        assertThatThrownBy(() -> ui.answer(p.id(), UserResponse.text("yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("yes or no");
        assertThatThrownBy(() -> ui.answer(p.id(), UserResponse.choice(1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(ui.find(p.id())).isPresent();
        assertThat(f.isDone()).isFalse();

        ui.answer(p.id(), UserResponse.no());
        assertThat(f.get()).isEqualTo(UserResponse.no());
    }

    @Test
    void concurrent_prompts_get_their_own_numbers_and_answers() throws Exception {
        ConsoleUserInteraction ui = console();
        List<Future<UserResponse>> fs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fs.add(ask(ui, UserPrompt.builder(UiAlertKind.SINGLE_CHOICE, "s" + i, "Pick " + i).choice("a").choice("b")
                    .choice("c").build()));
        }
        await().until(() -> ui.pending().size() == 5);
        List<PendingPrompt> pending = ui.pending();
        assertThat(pending).extracting(PendingPrompt::id).doesNotHaveDuplicates().isSorted();

        for (PendingPrompt p : pending) {
            int server = Integer.parseInt(p.prompt().serverId().substring(1));
            assertThat(ui.answer(p.id(), UserResponse.choice(server % 3 + 1))).isTrue();
        }
        for (int i = 0; i < 5; i++) {
            assertThat(fs.get(i).get().choices()).containsExactly(i % 3 + 1);
        }
        assertThat(ui.pending()).isEmpty();
    }

    @Test
    void prompts_beyond_the_bound_are_cancelled_at_once() throws Exception {
        ConsoleUserInteraction ui = console("max.pending", 2);
        ask(ui, confirm("1"));
        ask(ui, confirm("2"));
        await().until(() -> ui.pending().size() == 2);

        assertThat(ui.interact(confirm("3"))).isEqualTo(UserResponse.cancelled());
        assertThat(ui.pending()).hasSize(2);
        ui.pending().forEach(p -> ui.answer(p.id(), UserResponse.no()));
    }

    @Test
    void stopping_the_console_cancels_what_is_pending() throws Exception {
        ConsoleUserInteraction ui = console();
        Future<UserResponse> f = ask(ui, confirm("1"));
        waitForPrompt(ui, 1);

        ui.deactivate();

        assertThat(f.get()).isEqualTo(UserResponse.cancelled());
    }

    @Test
    void listeners_hear_of_each_new_prompt_until_closed() throws Exception {
        ConsoleUserInteraction ui = console();
        List<PendingPrompt> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        AutoCloseable handle = ui.onPrompt(heard::add);
        ui.onPrompt(p -> {
            throw new IllegalStateException("a broken listener does not stop the prompt");
        });
        Future<UserResponse> f = ask(ui, confirm("1"));
        PendingPrompt p = waitForPrompt(ui, 1);
        assertThat(heard).containsExactly(p);
        ui.answer(p.id(), UserResponse.yes());
        assertThat(f.get()).isEqualTo(UserResponse.yes());

        handle.close();
        Future<UserResponse> g = ask(ui, confirm("2"));
        PendingPrompt q = waitForPrompt(ui, 1);
        ui.answer(q.id(), UserResponse.no());
        g.get();
        assertThat(heard).containsExactly(p);
    }

    @Test
    void a_multiple_choice_takes_a_set_and_a_single_choice_only_one() throws ExecutionException, InterruptedException {
        ConsoleUserInteraction ui = console();
        Future<UserResponse> f = ask(ui, UserPrompt.builder(UiAlertKind.MULTIPLE_CHOICE, "s", "Which?").choice("a").choice("b")
                .choice("c").build());
        PendingPrompt p = waitForPrompt(ui, 1);
        assertThatThrownBy(() -> ui.answer(p.id(), UserResponse.choices(Set.of(1, 4))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 3");
        ui.answer(p.id(), UserResponse.choices(Set.of(1, 3)));
        assertThat(f.get().choices()).containsExactly(1, 3);
    }
}
