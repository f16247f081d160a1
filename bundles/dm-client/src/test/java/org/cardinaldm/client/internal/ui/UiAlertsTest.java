package org.cardinaldm.client.internal.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import org.cardinaldm.client.api.spi.UserInteraction;
import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.UiAlertKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UiAlertsTest {
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicReference<UserPrompt> seen = new AtomicReference<>();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private UiAlerts ui(UserInteraction ui) {
        return new UiAlerts(() -> ui, executor, Duration.ofMillis(200));
    }

    private UserInteraction answering(UserResponse r) {
        return p -> {
            seen.set(p);
            return r;
        };
    }

    private static Alert alert(int code, String options, String text, String... choices) {
        List<Item> items = new java.util.ArrayList<>();
        items.add(Item.data(Data.text(options)));
        items.add(Item.data(Data.text(text)));
        for (String c : choices) {
            items.add(Item.data(Data.text(c)));
        }
        return new Alert("1", false, null, code, null, items);
    }

    @Test
    void options_are_url_decoded_and_unknown_or_broken_ones_skipped() {
        Map<String, String> o = UiAlerts.options("MAXDT=20&DR=hello+andy!&MAXLEN=30&IT=I&ET=P&FOO=bar&broken&=x");
        assertThat(o).containsEntry("MAXDT", "20").containsEntry("DR", "hello andy!").containsEntry("MAXLEN", "30")
                .containsEntry("IT", "I").containsEntry("ET", "P");
        UserPrompt p = UiAlerts.prompt(alert(1102, "MAXDT=20&DR=hello+andy!&MAXLEN=30&IT=I&ET=P", "Type"), "srv");
        assertThat(p.maxDisplayTime()).contains(Duration.ofSeconds(20));
        assertThat(p.defaultResponse()).contains("hello andy!");
        assertThat(p.maxLength()).isEqualTo(30);
        assertThat(p.inputType()).isEqualTo(UserPrompt.InputType.IP_ADDRESS);
        assertThat(p.echo()).isEqualTo(UserPrompt.Echo.PASSWORD);
        UserPrompt broken = UiAlerts.prompt(alert(1101, "MAXDT=15DR=1", "Sure?"), "srv");
        assertThat(broken.maxDisplayTime()).isEmpty();
        assertThat(broken.defaultResponse()).isEmpty();
    }

    @Test
    void multiple_choice_default_ranges_are_expanded_within_the_choices() {
        UserPrompt p = UiAlerts.prompt(alert(1104, "MAXDT=20&DR=1-3,6,9", "Pick", "a", "b", "c", "d", "e", "f"), "srv");
        assertThat(p.defaultChoices()).containsExactly(1, 2, 3, 6);
        assertThat(p.choices()).containsExactly("a", "b", "c", "d", "e", "f");
        assertThat(p.kind()).isEqualTo(UiAlertKind.MULTIPLE_CHOICE);
    }

    @ParameterizedTest
    @CsvSource({"1100,DONE,200", "1100,CANCELLED,214", "1100,TIMED_OUT,408", "1101,YES,200", "1101,NO,304",
            "1101,CANCELLED,214", "1101,TIMED_OUT,408", "1101,DONE,214", "1102,CANCELLED,214", "1103,CANCELLED,214",
            "1104,TIMED_OUT,408"})
    void every_answer_gets_its_status(int code, UserResponse.Kind kind, int status) throws Exception {
        UserResponse r = switch (kind) {
            case DONE -> UserResponse.done();
            case YES -> UserResponse.yes();
            case NO -> UserResponse.no();
            case CANCELLED -> UserResponse.cancelled();
            default -> UserResponse.timedOut();
        };
        UiAlerts.Answer a = ui(answering(r)).ask(alert(code, "", "Text", "one", "two"), "srv");
        assertThat(a.status()).isEqualTo(status);
        assertThat(seen.get().serverId()).isEqualTo("srv");
    }

    @Test
    void text_input_returns_the_text_cut_to_maxlen() throws Exception {
        UiAlerts.Answer a = ui(answering(UserResponse.text("192.168.100.200"))).ask(alert(1102, "MAXLEN=7", "IP?"), "srv");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.items()).containsExactly("192.168");
    }

    @Test
    void choices_are_returned_as_numbered_items_and_invalid_ones_count_as_cancel() throws Exception {
        UiAlerts.Answer single = ui(answering(UserResponse.choice(2))).ask(alert(1103, "", "One", "a", "b"), "srv");
        assertThat(single.status()).isEqualTo(200);
        assertThat(single.items()).containsExactly("2");
        UiAlerts.Answer multi = ui(answering(UserResponse.choices(Set.of(1, 3)))).ask(alert(1104, "", "Any", "a", "b", "c"),
                "srv");
        assertThat(multi.items()).containsExactly("1", "3");
        UiAlerts.Answer outOfRange = ui(answering(UserResponse.choice(5))).ask(alert(1103, "", "One", "a", "b"), "srv");
        assertThat(outOfRange.status()).isEqualTo(StatusCodes.OPERATION_CANCELLED);
        UiAlerts.Answer twoForSingle = ui(answering(UserResponse.choices(Set.of(1, 2)))).ask(alert(1103, "", "One", "a",
                "b"), "srv");
        assertThat(twoForSingle.status()).isEqualTo(StatusCodes.OPERATION_CANCELLED);
        UiAlerts.Answer noChoices = ui(answering(UserResponse.choice(1))).ask(alert(1103, "", "None"), "srv");
        assertThat(noChoices.status()).isEqualTo(StatusCodes.INCOMPLETE_COMMAND);
    }

    @Test
    void without_a_ui_the_alert_gets_406() throws Exception {
        UiAlerts none = new UiAlerts(() -> null, executor, Duration.ofSeconds(1));
        assertThat(none.ask(alert(1101, "", "Sure?"), "srv").status()).isEqualTo(StatusCodes.OPTIONAL_FEATURE_NOT_SUPPORTED);
    }

    @Test
    void a_user_who_does_not_answer_in_time_gets_408_and_the_ui_is_interrupted() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        UserInteraction slow = p -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return UserResponse.yes();
        };
        UiAlerts.Answer a = ui(slow).ask(alert(1101, "", "Sure?"), "srv");
        assertThat(a.status()).isEqualTo(StatusCodes.REQUEST_TIMEOUT);
        assertThat(a.effect()).isEqualTo(UiAlerts.Effect.CANCELLED);
        interrupted.await();
    }

    @Test
    void a_confirm_with_a_default_yes_whose_maxdt_expires_is_408_not_the_default() throws Exception {
        UserInteraction silent = p -> {
            seen.set(p);
            new CountDownLatch(1).await(); // nobody answers; interrupted when MAXDT is over
            return UserResponse.yes();
        };
        UiAlerts.Answer a = ui(silent).ask(alert(1101, "MAXDT=1&DR=1", "Install?"), "srv");

        assertThat(a.status()).isEqualTo(StatusCodes.REQUEST_TIMEOUT);
        assertThat(a.effect()).isEqualTo(UiAlerts.Effect.CANCELLED);
        assertThat(seen.get().defaultConfirm()).as("the UI saw the default").contains(Boolean.TRUE);
        assertThat(seen.get().maxDisplayTime()).contains(Duration.ofSeconds(1));
    }

    @Test
    void a_ui_that_throws_counts_as_cancel() throws Exception {
        UiAlerts.Answer a = ui(p -> {
            throw new IllegalStateException("display broken");
        }).ask(alert(1100, "", "Hi"), "srv");
        assertThat(a.status()).isEqualTo(StatusCodes.OPERATION_CANCELLED);
    }
}
