package org.cardinaldm.client.internal.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.syncml.api.model.UiAlertKind;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

class PolicyUserInteractionTest {
    private static PolicyUserInteraction policy(String... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new PolicyUserInteraction(Converters.standardConverter().convert(m).to(PolicyUserInteraction.Config.class));
    }

    private static UserPrompt prompt(UiAlertKind kind, String dr, String... choices) {
        UserPrompt.Builder b = UserPrompt.builder(kind, "srv", "text").defaultResponse(dr);
        for (String c : choices) {
            b.choice(c);
        }
        return b.build();
    }

    @Test
    void default_policy_follows_dr_and_falls_back_to_the_safe_answer() {
        PolicyUserInteraction p = policy();
        assertThat(p.interact(prompt(UiAlertKind.DISPLAY, null))).isEqualTo(UserResponse.done());
        assertThat(p.interact(prompt(UiAlertKind.CONFIRM, "1"))).isEqualTo(UserResponse.yes());
        assertThat(p.interact(prompt(UiAlertKind.CONFIRM, "0"))).isEqualTo(UserResponse.no());
        assertThat(p.interact(prompt(UiAlertKind.CONFIRM, null))).isEqualTo(UserResponse.no());
        assertThat(p.interact(prompt(UiAlertKind.TEXT_INPUT, "hello"))).isEqualTo(UserResponse.text("hello"));
        assertThat(p.interact(prompt(UiAlertKind.TEXT_INPUT, null))).isEqualTo(UserResponse.cancelled());
        assertThat(p.interact(prompt(UiAlertKind.SINGLE_CHOICE, "2", "a", "b"))).isEqualTo(UserResponse.choice(2));
        assertThat(p.interact(prompt(UiAlertKind.SINGLE_CHOICE, "1-2", "a", "b"))).isEqualTo(UserResponse.cancelled());
        assertThat(p.interact(prompt(UiAlertKind.MULTIPLE_CHOICE, "1-2", "a", "b", "c")).choices())
                .containsExactly(1, 2);
    }

    @Test
    void fixed_policies_answer_the_same_every_time() {
        PolicyUserInteraction p = policy("confirm", "accept", "choice", "first", "text.input", "cancel", "display",
                "false");
        assertThat(p.interact(prompt(UiAlertKind.CONFIRM, "0"))).isEqualTo(UserResponse.yes());
        assertThat(p.interact(prompt(UiAlertKind.SINGLE_CHOICE, "2", "a", "b"))).isEqualTo(UserResponse.choice(1));
        assertThat(p.interact(prompt(UiAlertKind.TEXT_INPUT, "x"))).isEqualTo(UserResponse.cancelled());
        assertThat(p.interact(prompt(UiAlertKind.DISPLAY, null))).isEqualTo(UserResponse.cancelled());
        assertThat(policy("confirm", "reject").interact(prompt(UiAlertKind.CONFIRM, "1"))).isEqualTo(UserResponse.no());
        assertThat(policy("confirm", "cancel").interact(prompt(UiAlertKind.CONFIRM, "1")))
                .isEqualTo(UserResponse.cancelled());
    }
}
