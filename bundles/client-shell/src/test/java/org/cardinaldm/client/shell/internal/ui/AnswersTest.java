package org.cardinaldm.client.shell.internal.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserPrompt.InputType;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.syncml.api.model.UiAlertKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What a person types after dm:answer, turned into answers that fit the prompt, or refused. */
class AnswersTest {
    private static UserPrompt prompt(UiAlertKind kind) {
        return UserPrompt.builder(kind, "s", "?").choice("a").choice("b").choice("c").build();
    }

    private static UserPrompt text(InputType it, int maxLen) {
        return UserPrompt.builder(UiAlertKind.TEXT_INPUT, "s", "?").inputType(it).maxLength(maxLen).build();
    }

    @ParameterizedTest
    @CsvSource({"yes,YES", "Y,YES", "accept,YES", "1,YES", "no,NO", "n,NO", "REJECT,NO", "0,NO"})
    void a_confirm_takes_yes_and_no_words(String word, UserResponse.Kind kind) {
        assertThat(Answers.parse(prompt(UiAlertKind.CONFIRM), List.of(word)).kind()).isEqualTo(kind);
    }

    @Test
    void a_confirm_refuses_anything_else() {
        assertThatThrownBy(() -> Answers.parse(prompt(UiAlertKind.CONFIRM), List.of("maybe")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a confirm takes yes or no");
        assertThatThrownBy(() -> Answers.parse(prompt(UiAlertKind.CONFIRM), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_display_is_acknowledged_with_nothing_or_ok() {
        assertThat(Answers.parse(prompt(UiAlertKind.DISPLAY), List.of())).isEqualTo(UserResponse.done());
        assertThat(Answers.parse(prompt(UiAlertKind.DISPLAY), List.of("ok"))).isEqualTo(UserResponse.done());
        assertThatThrownBy(() -> Answers.parse(prompt(UiAlertKind.DISPLAY), List.of("yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acknowledged");
    }

    @Test
    void a_text_joins_the_words() {
        assertThat(Answers.parse(text(InputType.ALPHANUMERIC, 0), List.of("Main", "street", "1")))
                .isEqualTo(UserResponse.text("Main street 1"));
    }

    @Test
    void a_text_longer_than_maxlen_is_refused_without_repeating_it() {
        assertThatThrownBy(() -> Answers.parse(text(InputType.ALPHANUMERIC, 4), List.of("secret99")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the answer is 8 characters long; at most 4 are accepted")
                .hasMessageNotContaining("secret99");
    }

    @ParameterizedTest
    @CsvSource({"NUMERIC,42,true", "NUMERIC,-3.5,true", "NUMERIC,4a,false", "DATE,29022024,true",
            "DATE,30022024,false", "DATE,2024-02-29,false", "TIME,235959,true", "TIME,246000,false",
            "PHONE,+4930123456,true", "PHONE,call me,false", "IP_ADDRESS,192.168.1.254,true",
            "IP_ADDRESS,256.1.1.1,false", "IP_ADDRESS,10.0.0,false", "ALPHANUMERIC,anything at all,true"})
    void a_text_must_match_its_input_type(InputType it, String answer, boolean fits) {
        UserPrompt p = text(it, 0);
        if (fits) {
            assertThat(Answers.parse(p, List.of(answer)).text()).isEqualTo(answer);
        } else {
            assertThatThrownBy(() -> Answers.parse(p, List.of(answer))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected");
        }
    }

    @Test
    void a_single_choice_takes_exactly_one_number_in_range() {
        assertThat(Answers.parse(prompt(UiAlertKind.SINGLE_CHOICE), List.of("2")).choices()).containsExactly(2);
        assertThatThrownBy(() -> Answers.parse(prompt(UiAlertKind.SINGLE_CHOICE), List.of("1,2")))
                .hasMessage("a single choice takes one number from 1 to 3");
        assertThatThrownBy(() -> Answers.parse(prompt(UiAlertKind.SINGLE_CHOICE), List.of("4")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Answers.parse(prompt(UiAlertKind.SINGLE_CHOICE), List.of("b")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Answers.parse(prompt(UiAlertKind.SINGLE_CHOICE), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_multiple_choice_takes_numbers_split_by_commas_or_blanks() {
        assertThat(Answers.parse(prompt(UiAlertKind.MULTIPLE_CHOICE), List.of("3,1")).choices()).containsExactly(1, 3);
        assertThat(Answers.parse(prompt(UiAlertKind.MULTIPLE_CHOICE), List.of("1", "2", "2")).choices()).containsExactly(1, 2);
        assertThatThrownBy(() -> Answers.parse(prompt(UiAlertKind.MULTIPLE_CHOICE), List.of("0")))
                .hasMessageContaining("one or more numbers from 1 to 3");
        assertThatThrownBy(() -> Answers.parse(prompt(UiAlertKind.MULTIPLE_CHOICE), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cancel_fits_every_prompt_and_hints_say_how_to_answer() {
        for (UiAlertKind k : UiAlertKind.values()) {
            Answers.check(prompt(k), UserResponse.cancelled());
        }
        assertThat(Answers.hint(prompt(UiAlertKind.CONFIRM))).isEqualTo("yes/no");
        assertThat(Answers.hint(prompt(UiAlertKind.SINGLE_CHOICE))).isEqualTo("<1-3>");
        assertThat(Answers.hint(text(InputType.DATE, 0))).isEqualTo("<date>");
        assertThat(Answers.hint(UserPrompt.builder(UiAlertKind.TEXT_INPUT, "s", "PIN").echo(UserPrompt.Echo.PASSWORD).build()))
                .contains("hidden");
    }
}
