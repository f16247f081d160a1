package org.cardinaldm.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Collections;
import java.util.List;

import org.cardinaldm.syncml.api.model.UiAlertKind;
import org.junit.jupiter.api.Test;

class UserAlertTest {

    @Test
    void options_are_url_encoded_name_value_pairs_in_a_fixed_order() {
        UserAlert a = UserAlert.builder(UiAlertKind.TEXT_INPUT, "Name?").minDisplaySeconds(2).maxDisplaySeconds(30)
                .defaultResponse("John Doe&Co=1").maxLength(40).inputType(UserAlert.InputType.PHONE)
                .echo(UserAlert.Echo.PASSWORD).build();
        assertThat(a.options()).isEqualTo("MINDT=2&MAXDT=30&DR=John+Doe%26Co%3D1&MAXLEN=40&IT=P&ET=P");
        assertThat(UserAlert.builder(UiAlertKind.DISPLAY, "Hi").build().options()).isEmpty();
        assertThat(UserAlert.builder(UiAlertKind.MULTIPLE_CHOICE, "Pick").choices(List.of("a", "b", "c"))
                .defaultResponse("1-3").build().options()).isEqualTo("DR=1-3");
    }

    @Test
    void the_stored_form_reads_back_equal_with_newlines_and_ampersands_in_texts() {
        UserAlert a = UserAlert.builder(UiAlertKind.SINGLE_CHOICE, "Line one\nline & two").choice("a=b&c")
                .choice("näive\tx").maxDisplaySeconds(10).defaultResponse("2").build();
        assertThat(UserAlert.parse(a.encoded())).isEqualTo(a);
        UserAlert t = UserAlert.builder(UiAlertKind.TEXT_INPUT, "x").maxLength(5).inputType(UserAlert.InputType.DATE)
                .echo(UserAlert.Echo.TEXT).build();
        assertThat(UserAlert.parse(t.encoded())).isEqualTo(t);
    }

    @Test
    void a_stored_form_that_is_not_one_is_refused() {
        assertThatThrownBy(() -> UserAlert.parse("1200\n\nx")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UserAlert.parse("abc\n\nx")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UserAlert.parse("1101")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UserAlert.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UserAlert.parse("1101\nMAXDT=x\nq")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UserAlert.parse("1101\nDR=1\nq")).hasMessageContaining("default response");
    }

    @Test
    void a_confirmation_never_carries_a_default_response() {
        assertThatThrownBy(() -> UserAlert.builder(UiAlertKind.CONFIRM, "Install?").defaultResponse("1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never carries a default response");
        assertThatThrownBy(() -> new Operation(OperationKind.ALERT, null, null, "1101\nMAXDT=30&DR=1\nInstall%3F", null,
                null, null, List.of())).hasMessageContaining("DR");
    }

    @Test
    void texts_times_lengths_and_choices_are_bounded() {
        assertThatThrownBy(() -> Operation.display(" ", 0, 0)).hasMessageContaining("needs a text");
        assertThatThrownBy(() -> Operation.display("x".repeat(UserAlert.MAX_TEXT + 1), 0, 0))
                .hasMessageContaining("more than 1000");
        assertThat(Operation.display("x".repeat(UserAlert.MAX_TEXT), 0, 0).userAlert()).isPresent();
        assertThatThrownBy(() -> Operation.display("bell\u0007", 0, 0)).hasMessageContaining("control character");
        assertThatThrownBy(() -> Operation.display("x", 31, 30)).hasMessageContaining("MINDT (31 s) is above MAXDT");
        assertThat(Operation.display("x", 31, 0).userAlert().orElseThrow().minDisplaySeconds()).isEqualTo(31);
        assertThatThrownBy(() -> Operation.confirm("x", -1)).hasMessageContaining("MAXDT");
        assertThatThrownBy(() -> Operation.confirm("x", UserAlert.MAX_SECONDS + 1)).hasMessageContaining("MAXDT");
        assertThatThrownBy(() -> Operation.textInput("x", UserAlert.MAX_INPUT + 1, null, null, 0, null))
                .hasMessageContaining("MAXLEN");
        assertThatThrownBy(() -> Operation.textInput("x", 3, null, null, 0, "four"))
                .hasMessageContaining("longer than 3");
        assertThatThrownBy(() -> UserAlert.builder(UiAlertKind.DISPLAY, "x").maxLength(3).build())
                .hasMessageContaining("text input only");
        assertThatThrownBy(() -> Operation.choice("x", false, 0, List.of())).hasMessageContaining("1 to 32 choices");
        assertThatThrownBy(() -> Operation.choice("x", true, 0, Collections.nCopies(33, "c")))
                .hasMessageContaining("1 to 32 choices");
        assertThatThrownBy(() -> Operation.choice("x", true, 0, List.of("a", "a"))).hasMessageContaining("twice");
        assertThatThrownBy(() -> Operation.choice("x", true, 0, List.of("a", "y".repeat(201))))
                .hasMessageContaining("1 to 200 characters");
        assertThatThrownBy(() -> UserAlert.builder(UiAlertKind.CONFIRM, "x").choice("a").build())
                .hasMessageContaining("only a single or multiple choice");
        assertThatThrownBy(() -> UserAlert.builder(UiAlertKind.SINGLE_CHOICE, "x").choice("a").defaultResponse("2")
                .build()).hasMessageContaining("from 1 to 1");
        assertThatThrownBy(() -> UserAlert.builder(UiAlertKind.MULTIPLE_CHOICE, "x").choices(List.of("a", "b"))
                .defaultResponse("1-x").build()).hasMessageContaining("from 1 to 2");
        assertThatThrownBy(() -> UserAlert.builder(UiAlertKind.DISPLAY, "x").defaultResponse("1").build())
                .hasMessageContaining("display takes no default");
    }

    @Test
    void sequences_nest_what_the_protocol_allows_and_nothing_else() {
        Operation seq = Operation.sequence(Operation.confirm("Go?", 30), Operation.get("./A"),
                Operation.exec("./B", null, null), Operation.atomic(List.of(Operation.replace("./C", "1", "chr"))));
        assertThat(seq.kind()).isEqualTo(OperationKind.SEQUENCE);
        assertThat(seq.size()).isEqualTo(6);
        assertThatThrownBy(() -> Operation.sequence(seq)).hasMessageContaining("SEQUENCE is not allowed inside a Sequence");
        assertThatThrownBy(() -> Operation.sequence(List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> Operation.atomic(List.of(seq))).hasMessageContaining("not allowed inside an Atomic");
        assertThat(Operation.atomic(List.of(Operation.confirm("ok?", 10))).children()).hasSize(1);
        assertThatThrownBy(() -> new Operation(OperationKind.ALERT, null, null, null, null, null, null, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Operation(OperationKind.ALERT, null, null, "1100\n\nx", null, null, null,
                List.of(Operation.get("./A")))).hasMessageContaining("nested operations");
        assertThat(Operation.get("./A").userAlert()).isEmpty();
    }

    @Test
    void after_consent_is_a_sequence_headed_by_a_confirmation_with_maxdt_and_no_dr() {
        Operation op = Operation.afterConsent("Install X?", 120, Operation.exec("./X", null, null));
        assertThat(op.children()).extracting(Operation::kind).containsExactly(OperationKind.ALERT, OperationKind.EXEC);
        UserAlert q = op.children().get(0).userAlert().orElseThrow();
        assertThat(q.kind()).isEqualTo(UiAlertKind.CONFIRM);
        assertThat(q.code()).isEqualTo(1101);
        assertThat(q.options()).isEqualTo("MAXDT=120");
        assertThatThrownBy(() -> Operation.afterConsent("x", 0, Operation.get("./A"))).hasMessageContaining("MAXDT");
        assertThatThrownBy(() -> Operation.afterConsent("x", 10)).hasMessageContaining("nothing to do");
    }

    @Test
    void answers_are_described_for_people() {
        UserAlert confirm = UserAlert.builder(UiAlertKind.CONFIRM, "Go?").build();
        assertThat(UserAnswers.describe(confirm, result(200))).isEqualTo("yes");
        assertThat(UserAnswers.describe(confirm, result(304))).isEqualTo("the user refused");
        assertThat(UserAnswers.describe(confirm, null)).isEqualTo("no status for the confirmation");
        UserAlert display = UserAlert.builder(UiAlertKind.DISPLAY, "Hi").build();
        assertThat(UserAnswers.describe(display, result(200))).isEqualTo("shown");
        assertThat(UserAnswers.describe(display, result(408))).isEqualTo("no answer within MAXDT");
        assertThat(UserAnswers.refusal(display, 304)).contains("the alert was answered 304");
        UserAlert text = UserAlert.builder(UiAlertKind.TEXT_INPUT, "Name").build();
        assertThat(UserAnswers.describe(text, result(200, "Ann"))).isEqualTo("\"Ann\"");
        assertThat(UserAnswers.describe(text, result(200))).isEqualTo("no text");
    }

    @Test
    void choice_numbers_map_back_to_texts_and_unknown_ones_stay_as_sent() {
        UserAlert a = UserAlert.builder(UiAlertKind.MULTIPLE_CHOICE, "x").choices(List.of("a", "b")).build();
        assertThat(a.choiceTexts(List.of("2", " 1 ", "0", "3", "z"))).containsExactly("b", "a", "0", "3", "z");
    }

    private static OperationResult result(int status, String... values) {
        return new OperationResult(1, 0, status,
                List.of(values).stream().map(v -> new ResultItem(null, "chr", null, v, false)).toList(), Instant.EPOCH);
    }
}
