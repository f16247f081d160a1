package org.cardinaldm.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import nl.jqno.equalsverifier.EqualsVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeUriTest {

    @Test
    void root_is_a_dot_with_no_segments() throws DmException {
        NodeUri root = NodeUri.parse(".");
        assertThat(root.isRoot()).isTrue();
        assertThat(root.segments()).isEmpty();
        assertThat(root).hasToString(".").isEqualTo(NodeUri.root());
    }

    @Test
    void dot_slash_prefix_is_optional() throws DmException {
        assertThat(NodeUri.parse("./DevInfo/Mod")).isEqualTo(NodeUri.parse("DevInfo/Mod"));
        assertThat(NodeUri.parse("DevInfo/Mod")).hasToString("./DevInfo/Mod");
        assertThat(NodeUri.parse("DevInfo/Mod").segments()).containsExactly("DevInfo", "Mod");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "./", "./A/", "A/", "A//B", "./A/../B", "..", "A/./B", "./.", "A B", "A?prop=ACL",
            "A#frag", "A/%G1", "A/%2", "A\u0000B", "A\tB"})
    void invalid_uris_are_refused_with_400(String uri) {
        assertThatThrownBy(() -> NodeUri.parse(uri))
                .isInstanceOfSatisfying(DmException.class,
                        e -> assertThat(e.status()).isEqualTo(StatusCode.BAD_REQUEST));
        assertThat(NodeUri.isValid(uri)).isFalse();
        assertThatThrownBy(() -> NodeUri.of(uri)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void null_uri_is_refused() {
        assertThatThrownBy(() -> NodeUri.parse(null)).isInstanceOf(DmException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"./DMAcc/srv-1", "A%20B", "x:y@z&a=b+c$d,e", "Ünïcödé/名前", "a-_.!~*'()", "...", ".hidden"})
    void valid_uris_keep_their_segments_exactly(String uri) throws DmException {
        NodeUri parsed = NodeUri.parse(uri);
        assertThat(parsed.toString()).isEqualTo(uri.startsWith("./") ? uri : "./" + uri);
    }

    @Test
    void parent_child_and_name_navigate_the_tree() {
        NodeUri mod = NodeUri.of("./DevInfo/Mod");
        assertThat(mod.name()).isEqualTo("Mod");
        assertThat(mod.parent()).isEqualTo(NodeUri.of("./DevInfo"));
        assertThat(mod.parent().parent()).isEqualTo(NodeUri.root());
        assertThat(NodeUri.root().child("DevInfo").child("Mod")).isEqualTo(mod);
        assertThat(NodeUri.of("./A").resolve("B/C")).isEqualTo(NodeUri.of("./A/B/C"));
        assertThat(mod.depth()).isEqualTo(2);
        assertThat(mod.length()).isEqualTo("./DevInfo/Mod".length());
    }

    @Test
    void root_has_no_parent() {
        assertThatThrownBy(() -> NodeUri.root().parent()).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "..", ".", "a b"})
    void child_refuses_names_that_are_not_one_segment(String name) {
        assertThatThrownBy(() -> NodeUri.root().child(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void startsWith_and_relativeTo_compare_whole_segments() {
        NodeUri a = NodeUri.of("./DMAcc/x/AppAddr");
        assertThat(a.startsWith(NodeUri.of("./DMAcc"))).isTrue();
        assertThat(a.startsWith(NodeUri.root())).isTrue();
        assertThat(a.startsWith(NodeUri.of("./DMA"))).isFalse();
        assertThat(a.relativeTo(NodeUri.of("./DMAcc"))).isEqualTo("x/AppAddr");
        assertThat(a.relativeTo(a)).isEmpty();
        assertThatThrownBy(() -> a.relativeTo(NodeUri.of("./Other"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordering_puts_parents_before_children() {
        assertThat(NodeUri.of("./A")).isLessThan(NodeUri.of("./A/B"));
        assertThat(NodeUri.of("./A/B")).isLessThan(NodeUri.of("./B"));
        assertThat(NodeUri.root()).isLessThan(NodeUri.of("./A"));
    }

    @Test
    void error_messages_do_not_echo_long_input() {
        String huge = "A/" + "x".repeat(10_000) + " ";
        assertThatThrownBy(() -> NodeUri.parse(huge)).satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    @Test
    void hash_codes_spread_over_systematic_names() {
        java.util.Set<Integer> hashes = new java.util.HashSet<>();
        for (int g = 0; g < 100; g++) {
            for (int n = 0; n < 900; n++) {
                hashes.add(NodeUri.of("./Bench/g" + g + "/n" + n).hashCode());
            }
        }
        assertThat(hashes).hasSizeGreaterThan(89_000);
    }

    @Test
    void equals_and_hashCode_follow_segments() {
        EqualsVerifier.forClass(NodeUri.class).withNonnullFields("segments").verify();
    }
}
