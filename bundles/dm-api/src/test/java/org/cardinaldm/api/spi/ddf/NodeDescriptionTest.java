package org.cardinaldm.api.spi.ddf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cardinaldm.api.Format;
import org.junit.jupiter.api.Test;

class NodeDescriptionTest {

    private static NodeDescription account() {
        return NodeDescription.placeholder()
                .access(AccessType.ADD, AccessType.GET)
                .occurrence(Occurrence.ONE_OR_MORE)
                .child(NodeDescription.named("AppID").leaf(Format.CHR).build())
                .child(NodeDescription.named("Ext").open().build())
                .build();
    }

    @Test
    void defaults_are_interior_get_only_one_and_dynamic() {
        NodeDescription d = NodeDescription.named("A").build();
        assertThat(d.isInterior()).isTrue();
        assertThat(d.accessTypes()).containsExactly(AccessType.GET);
        assertThat(d.occurrence()).isEqualTo(Occurrence.ONE);
        assertThat(d.isPermanent()).isFalse();
        assertThat(d.isPlaceholder()).isFalse();
        assertThat(d.mimeType()).isEmpty();
    }

    @Test
    void child_lookup_prefers_fixed_names_then_the_placeholder() {
        NodeDescription root = NodeDescription.named("DMAcc").permanent().child(account())
                .child(NodeDescription.named("Fixed").leaf(Format.INT).build()).build();
        assertThat(root.child("Fixed")).get().extracting(NodeDescription::name).isEqualTo("Fixed");
        assertThat(root.child("anything")).get().matches(NodeDescription::isPlaceholder);
        assertThat(root.children()).last().matches(NodeDescription::isPlaceholder);
        assertThat(account().child("AppID").orElseThrow().formats()).containsExactly(Format.CHR);
        assertThat(account().child("Nope")).isEmpty();
    }

    @Test
    void access_types_can_be_emptied_and_queried() {
        NodeDescription none = NodeDescription.named("S").leaf(Format.CHR).access().build();
        assertThat(none.accessTypes()).isEmpty();
        assertThat(none.allows(AccessType.GET)).isFalse();
        NodeDescription secret = NodeDescription.named("S").leaf(Format.CHR, Format.BIN)
                .access(AccessType.REPLACE).build();
        assertThat(secret.allows(AccessType.REPLACE)).isTrue();
        assertThat(secret.allows(AccessType.GET)).isFalse();
        assertThat(secret.formats()).containsExactlyInAnyOrder(Format.CHR, Format.BIN);
    }

    @Test
    void invalid_shapes_are_refused() {
        assertThatThrownBy(() -> NodeDescription.named("L").leaf(Format.CHR).child(account()).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeDescription.named("L").leaf(Format.CHR).open().build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeDescription.named("O").open().child(account()).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeDescription.named("P").child(account()).child(account()).build())
                .isInstanceOf(IllegalArgumentException.class);
        NodeDescription a = NodeDescription.named("A").build();
        assertThatThrownBy(() -> NodeDescription.named("P").child(a).child(a).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeDescription.named("L").leaf(Format.CHR, Format.NODE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeDescription.named("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeDescription.named("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equal_descriptions_are_equal_and_print_a_summary() {
        assertThat(account()).isEqualTo(account()).hasSameHashCodeAs(account());
        assertThat(account()).isNotEqualTo(NodeDescription.placeholder().build());
        assertThat(account().toString()).contains("<X>").contains("ONE_OR_MORE").contains("2 children");
        assertThat(Occurrence.ONE_OR_MORE.min()).isEqualTo(1);
        assertThat(Occurrence.ZERO_OR_ONE.max()).isEqualTo(1);
    }
}
