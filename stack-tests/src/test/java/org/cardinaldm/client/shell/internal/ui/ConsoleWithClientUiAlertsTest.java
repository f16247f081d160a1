package org.cardinaldm.client.shell.internal.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.client.internal.ui.UiAlerts;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console UI behind the DM client's own UI-alert handling ({@code UiAlerts}): each answer on the
 * board becomes the status the server gets (digest 1.9), and a prompt the caller gives up on leaves.
 */
class ConsoleWithClientUiAlertsTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final ConsoleUserInteraction console = ConsoleUserInteractionTest.console();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private static Alert alert(int code, String options, String text, String... choices) {
        Item[] items = new Item[2 + choices.length];
        items[0] = Item.data(Data.text(options));
        items[1] = Item.data(Data.text(text));
        for (int i = 0; i < choices.length; i++) {
            items[2 + i] = Item.data(Data.text(choices[i]));
        }
        return Alert.of("3", code, items);
    }

    /** Sends the alert through UiAlerts, answers the prompt it makes on the board, returns UiAlerts' answer. */
    private UiAlerts.Answer run(Alert alert, Duration callerTimeout, Consumer<PendingPrompt> answerer) throws Exception {
        UiAlerts alerts = new UiAlerts(() -> console, threads, callerTimeout);
        Future<UiAlerts.Answer> f = threads.submit(() -> alerts.ask(alert, "dms.example.com"));
        if (answerer != null) {
            await().until(() -> !console.pending().isEmpty());
            answerer.accept(console.pending().get(0));
        }
        return f.get();
    }

    @Test
    void confirm_yes_is_200_and_no_is_304() throws Exception {
        UiAlerts.Answer yes = run(alert(1101, "MAXDT=60", "Install?"), Duration.ofMinutes(5),
                p -> console.answer(p.id(), Answers.parse(p.prompt(), java.util.List.of("yes"))));
        UiAlerts.Answer no = run(alert(1101, "MAXDT=60", "Install?"), Duration.ofMinutes(5),
                p -> console.answer(p.id(), Answers.parse(p.prompt(), java.util.List.of("no"))));

        assertThat(yes.status()).isEqualTo(StatusCodes.OK);
        assertThat(no.status()).isEqualTo(StatusCodes.NOT_MODIFIED);
        assertThat(no.effect()).isEqualTo(UiAlerts.Effect.REJECTED);
    }

    @Test
    void a_text_input_returns_the_text_and_choices_their_numbers() throws Exception {
        UiAlerts.Answer text = run(alert(1102, "MAXLEN=8&IT=N&ET=P", "PIN?"), Duration.ofMinutes(5), p -> {
            assertThat(p.prompt().echo()).isEqualTo(UserPrompt.Echo.PASSWORD);
            assertThat(p.prompt().inputType()).isEqualTo(UserPrompt.InputType.NUMERIC);
            console.answer(p.id(), UserResponse.text("1234"));
        });
        UiAlerts.Answer many = run(alert(1104, "", "Which?", "Wi-Fi", "LTE", "Ethernet"), Duration.ofMinutes(5),
                p -> console.answer(p.id(), Answers.parse(p.prompt(), java.util.List.of("1,3"))));

        assertThat(text.status()).isEqualTo(StatusCodes.OK);
        assertThat(text.items()).containsExactly("1234");
        assertThat(many.status()).isEqualTo(StatusCodes.OK);
        assertThat(many.items()).containsExactly("1", "3");
    }

    @Test
    void a_cancel_is_214_and_the_package_stops() throws Exception {
        UiAlerts.Answer a = run(alert(1103, "", "Which?", "a", "b"), Duration.ofMinutes(5),
                p -> console.answer(p.id(), UserResponse.cancelled()));

        assertThat(a.status()).isEqualTo(StatusCodes.OPERATION_CANCELLED);
        assertThat(a.effect()).isEqualTo(UiAlerts.Effect.CANCELLED);
    }

    @Test
    void a_prompt_nobody_answers_is_408_when_the_client_gives_up_and_it_leaves_the_board() throws Exception {
        UiAlerts.Answer a = run(alert(1101, "", "Install?"), Duration.ofMillis(20), null);

        assertThat(a.status()).isEqualTo(StatusCodes.REQUEST_TIMEOUT);
        await().until(() -> console.pending().isEmpty());
    }

    @Test
    void a_display_is_200_once_shown() throws Exception {
        ConsoleUserInteraction quick = ConsoleUserInteractionTest.console("display.s", 0);
        UiAlerts alerts = new UiAlerts(() -> quick, threads, Duration.ofMinutes(1));

        assertThat(alerts.ask(alert(1100, "MINDT=0", "Maintenance tonight"), "s").status()).isEqualTo(StatusCodes.OK);
        assertThat(Set.copyOf(quick.pending())).isEmpty();
    }
}
