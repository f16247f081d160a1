package org.cardinaldm.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import nl.jqno.equalsverifier.EqualsVerifier;
import nl.jqno.equalsverifier.Warning;
import org.junit.jupiter.api.Test;

/** The neutral model of a serialised subtree. */
class SubtreeNodeTest {

    @Test
    void builds_an_interior_node_with_properties_and_children() {
        SubtreeNode leaf = SubtreeNode.leaf("Name").property(Property.FORMAT, "chr")
                .value(NodeValue.ofString("secret-looking")).build();
        SubtreeNode node = SubtreeNode.interior("Acc").path("./DMAcc").property(Property.ACL, "Get=*")
                .property(Property.TYPE, "urn:x").child(leaf).build();

        assertThat(node.name()).isEqualTo("Acc");
        assertThat(node.path()).contains("./DMAcc");
        assertThat(node.isInterior()).isTrue();
        assertThat(node.properties()).containsOnlyKeys(Property.ACL, Property.TYPE);
        assertThat(node.property(Property.TITLE)).isEmpty();
        assertThat(node.children()).containsExactly(leaf);
        assertThat(node.count()).isEqualTo(2);
        assertThat(leaf.value()).contains(NodeValue.ofString("secret-looking"));
    }

    @Test
    void to_string_never_shows_a_value() {
        SubtreeNode leaf = SubtreeNode.leaf("Secret").value(NodeValue.ofString("hunter2")).build();

        assertThat(leaf.toString()).doesNotContain("hunter2").contains("Secret");
    }

    @Test
    void only_leaves_have_values_and_only_interior_nodes_children() {
        assertThatThrownBy(() -> SubtreeNode.interior("A").value(NodeValue.ofString("x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubtreeNode.leaf("A").value(NodeValue.interior()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubtreeNode.leaf("A").child(SubtreeNode.leaf("B").build()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_null_property_value_removes_it() {
        SubtreeNode n = SubtreeNode.leaf("A").property(Property.TITLE, "t").property(Property.TITLE, null).build();

        assertThat(n.properties()).isEmpty();
    }

    @Test
    void equality() {
        EqualsVerifier.forClass(SubtreeNode.class).suppress(Warning.NULL_FIELDS).withPrefabValues(SubtreeNode.class,
                SubtreeNode.leaf("a").build(), SubtreeNode.leaf("b").build()).verify();
    }
}
