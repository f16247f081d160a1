package org.cardinaldm.transport.http.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BodyBudgetTest {
    @Test
    void a_source_is_held_to_its_share_and_the_node_to_its_total() {
        BodyBudget b = new BodyBudget(10, 6);
        assertThat(b.reserve("a", 6)).isTrue();
        assertThat(b.reserve("a", 1)).as("a's share is used up").isFalse();
        assertThat(b.reserve("b", 4)).isTrue();
        assertThat(b.reserve("c", 1)).as("the total is used up").isFalse();
        assertThat(b.held()).isEqualTo(10);
    }

    @Test
    void released_bytes_can_be_reserved_again_and_a_refusal_holds_nothing() {
        BodyBudget b = new BodyBudget(10, 6);
        assertThat(b.reserve("a", 5)).isTrue();
        assertThat(b.reserve("a", 2)).isFalse();
        assertThat(b.held()).isEqualTo(5);
        b.release("a", 5);
        assertThat(b.held()).isZero();
        assertThat(b.reserve("a", 6)).isTrue();
        b.release("a", 0);
        assertThat(b.held()).isEqualTo(6);
    }

    @Test
    void limits_must_be_positive() {
        assertThatThrownBy(() -> new BodyBudget(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BodyBudget(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
