package org.cardinaldm.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import nl.jqno.equalsverifier.EqualsVerifier;
import nl.jqno.equalsverifier.Warning;
import org.cardinaldm.api.spi.store.StoredNode;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

    @Test
    void node_value_factories_set_format_type_and_bytes() throws DmException {
        assertThat(NodeValue.ofString("héllo").asString()).isEqualTo("héllo");
        assertThat(NodeValue.ofString("héllo").size()).isEqualTo(6);
        assertThat(NodeValue.ofInt(-42).asLong()).isEqualTo(-42);
        assertThat(NodeValue.ofInt(7).format()).isEqualTo(Format.INT);
        assertThat(NodeValue.ofBool(true).asBoolean()).isTrue();
        assertThat(NodeValue.ofNull().isNull()).isTrue();
        assertThat(NodeValue.interior().isInterior()).isTrue();
        assertThat(NodeValue.ofChildren(List.of("A", "B")).asString()).isEqualTo("A/B");
        assertThat(NodeValue.ofBinary(new byte[] {0x0A, (byte) 0xFF}, "application/octet-stream").displayString())
                .isEqualTo("0AFF");
    }

    @Test
    void node_value_copies_its_bytes_in_and_out() {
        byte[] data = {1, 2, 3};
        NodeValue v = NodeValue.ofBinary(data, "x/y");
        data[0] = 9;
        assertThat(v.data()[0]).isEqualTo((byte) 1);
        v.data()[1] = 9;
        assertThat(v.data()[1]).isEqualTo((byte) 2);
    }

    @Test
    void node_value_to_string_never_shows_the_data() {
        assertThat(NodeValue.ofString("s3cr3t-password").toString()).doesNotContain("s3cr3t").contains("15 bytes");
    }

    @Test
    void typed_reads_of_bad_text_give_400() {
        assertThatThrownBy(() -> NodeValue.ofString("x").asLong()).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.status()).isEqualTo(StatusCode.BAD_REQUEST));
        assertThatThrownBy(() -> NodeValue.ofString("yes").asBoolean()).isInstanceOf(DmException.class);
    }

    @Test
    void node_value_equality_includes_bytes() {
        EqualsVerifier.forClass(NodeValue.class).withNonnullFields("format", "type", "data").verify();
    }

    @Test
    void format_and_property_tokens_round_trip() {
        for (Format f : Format.values()) {
            assertThat(Format.fromToken(f.token())).contains(f);
        }
        assertThat(Format.fromToken("CHR")).contains(Format.CHR);
        assertThat(Format.fromToken("blob")).isEmpty();
        for (Property p : Property.values()) {
            assertThat(Property.fromToken(p.token())).contains(p);
        }
        assertThat(Property.fromToken("Owner")).isEmpty();
        assertThat(Property.ACL.isReplaceable()).isTrue();
        assertThat(Property.SIZE.isReplaceable()).isFalse();
    }

    @Test
    void status_codes_look_up_and_render() {
        assertThat(StatusCode.of(425)).contains(StatusCode.PERMISSION_DENIED);
        assertThat(StatusCode.of(299)).isEmpty();
        assertThat(StatusCode.NOT_FOUND).hasToString("404 Not found");
        assertThat(StatusCode.ACCEPTED.isSuccess()).isTrue();
        assertThat(StatusCode.ALREADY_EXISTS.isSuccess()).isFalse();
    }

    @Test
    void dm_exception_carries_a_failure_status_and_one_line() {
        DmException e = new DmException(StatusCode.NOT_FOUND, "No node ./X");
        assertThat(e.toDisplayString()).isEqualTo("404 Not found: No node ./X");
        assertThatThrownBy(() -> new DmException(StatusCode.OK, "fine")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void node_info_defaults_and_tstamp_format() {
        NodeInfo leaf = NodeInfo.leaf(NodeUri.of("./A/B"), Format.CHR).type("text/plain").size(5)
                .timestamp(Instant.parse("2001-07-11T16:38:17Z")).version(3).build();
        assertThat(leaf.isInterior()).isFalse();
        assertThat(leaf.timestampProperty()).isEqualTo("20010711T163817Z");
        assertThat(leaf.name()).isEqualTo("B");
        assertThat(leaf.acl().isEmpty()).isTrue();
        NodeInfo interior = NodeInfo.interior(NodeUri.of("./A")).size(99).build();
        assertThat(interior.size()).isEqualTo(-1);
        assertThat(interior.toBuilder().title("t").build().title()).isEqualTo("t");
        assertThatThrownBy(() -> NodeInfo.leaf(NodeUri.root(), Format.NODE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeInfo.interior(NodeUri.root()).version(70_000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void node_info_equality() {
        EqualsVerifier.forClass(NodeInfo.class).suppress(Warning.NULL_FIELDS).verify();
    }

    @Test
    void principals() {
        assertThat(Principal.server("srv").kind()).isEqualTo(Principal.Kind.SERVER);
        assertThat(Principal.server("srv")).isEqualTo(Principal.server("srv")).hasToString("server:srv");
        assertThat(Principal.localAdmin().kind()).isEqualTo(Principal.Kind.LOCAL_ADMIN);
        assertThatThrownBy(() -> Principal.server("")).isInstanceOf(IllegalArgumentException.class);
        EqualsVerifier.forClass(Principal.class).withNonnullFields("kind", "id").verify();
    }

    @Test
    void target_uri_parses_prop_and_list_queries() throws DmException {
        TargetUri prop = TargetUri.parse("./DMAcc/x?prop=ACL");
        assertThat(prop.node()).isEqualTo(NodeUri.of("./DMAcc/x"));
        assertThat(prop.property()).contains(Property.ACL);
        assertThat(TargetUri.parse("./DevInfo?list=Struct").list()).contains("Struct");
        assertThat(TargetUri.parse(".").property()).isEmpty();
        assertThat(TargetUri.parse("A?list=TNDS+ACL")).hasToString("./A?list=TNDS+ACL");
        assertThatThrownBy(() -> TargetUri.parse("A?prop=Owner")).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.status()).isEqualTo(StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED));
        assertThatThrownBy(() -> TargetUri.parse("A?foo=1")).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.status()).isEqualTo(StatusCode.BAD_REQUEST));
        assertThatThrownBy(() -> TargetUri.parse("A?list=")).isInstanceOf(DmException.class);
        EqualsVerifier.forClass(TargetUri.class).withNonnullFields("node").verify();
    }

    @Test
    void stored_node_value_must_match_its_kind() {
        NodeInfo interior = NodeInfo.interior(NodeUri.of("./A")).build();
        assertThat(StoredNode.of(interior, NodeValue.interior()).info()).isEqualTo(interior);
        assertThatThrownBy(() -> StoredNode.of(interior, NodeValue.ofString("x")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
