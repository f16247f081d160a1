package org.cardinaldm.fumo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.cardinaldm.fumo.api.FumoState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every pair of states: allowed exactly when the diagram of docs/fumo.md says so. */
class FumoTransitionsTest {
    private static final Map<Integer, Set<Integer>> DIAGRAM = Map.of(10, Set.of(30, 50), 20, Set.of(10),
            30, Set.of(20, 40), 40, Set.of(20, 50), 50, Set.of(60, 10, 80), 60, Set.of(70, 90), 70, Set.of(80),
            80, Set.of(10), 90, Set.of(100), 100, Set.of(10));

    @ParameterizedTest
    @EnumSource(FumoState.class)
    void each_state_allows_exactly_the_transitions_of_the_diagram(FumoState from) {
        for (FumoState to : FumoState.values()) {
            boolean expected = DIAGRAM.get(from.code()).contains(to.code());
            assertThat(FumoTransitions.allowed(from, to)).as(from.code() + " -> " + to.code()).isEqualTo(expected);
            if (expected) {
                assertThat(FumoTransitions.check(from, to)).isEqualTo(to);
            } else {
                assertThatThrownBy(() -> FumoTransitions.check(from, to)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(String.valueOf(to.code()));
            }
        }
        assertThat(FumoTransitions.next(from).stream().map(FumoState::code).collect(Collectors.toSet()))
                .isEqualTo(DIAGRAM.get(from.code()));
    }

    @Test
    void every_state_is_reachable_from_idle_and_leads_back_to_idle() {
        List<FumoState> seen = new ArrayList<>(List.of(FumoState.IDLE));
        for (int k = 0; k < seen.size(); k++) {
            for (FumoState n : FumoTransitions.next(seen.get(k))) {
                if (!seen.contains(n)) {
                    seen.add(n);
                }
            }
        }
        assertThat(seen).containsExactlyInAnyOrder(FumoState.values());
        for (FumoState s : FumoState.values()) {
            FumoState cur = s;
            for (int hops = 0; hops < 4 && cur != FumoState.IDLE; hops++) {
                cur = FumoTransitions.next(cur).stream().filter(n -> n.code() >= 70 || n == FumoState.IDLE
                        || n == FumoState.DOWNLOAD_FAILED || n == FumoState.UPDATE_FAILED_NO_DATA)
                        .min((a, b) -> a == FumoState.IDLE ? -1 : b == FumoState.IDLE ? 1 : 0).orElseThrow();
            }
            assertThat(cur).as("from " + s.code()).isEqualTo(FumoState.IDLE);
        }
    }

    @Test
    void only_resting_states_accept_a_new_operation() {
        assertThat(FumoTransitions.RESTARTABLE).containsExactlyInAnyOrder(FumoState.IDLE, FumoState.DOWNLOAD_FAILED,
                FumoState.READY_TO_UPDATE, FumoState.UPDATE_FAILED_NO_DATA, FumoState.UPDATE_SUCCESSFUL_NO_DATA);
    }
}
