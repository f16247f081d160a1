package org.cardinaldm.store.mvstore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.store.StoredNode;
import org.junit.jupiter.api.Test;

class NodeCodecTest {
    private static final NodeUri URI = NodeUri.of("./DMAcc/srv1/AppAddr/1/Addr");

    private static StoredNode roundTrip(StoredNode n) throws DmException {
        return NodeCodec.decode(n.info().uri(), NodeCodec.encode(n));
    }

    @Test
    void a_plain_leaf_round_trips_and_is_compact() throws DmException {
        StoredNode n = StoredNode.of(NodeInfo.leaf(URI, Format.CHR).type("text/plain").size(22).build(),
                NodeValue.ofString("https://dm.example.com"));
        byte[] record = NodeCodec.encode(n);
        assertThat(roundTrip(n)).isEqualTo(n);
        // 3 header bytes + type (1+10) + acl (1) + title (1) + size (1) + data (1+22)
        assertThat(record).hasSize(40);
        assertThat(record[0]).isEqualTo((byte) NodeCodec.VERSION);
    }

    @Test
    void an_interior_node_with_every_property_round_trips() throws DmException {
        StoredNode n = StoredNode.of(NodeInfo.interior(NodeUri.of("./DMAcc/srv1")).type("org.openmobilealliance/1.0/w7")
                .acl(Acl.of("Get=srv1&Replace=srv1+srv2&Delete=*")).title("Operator ü").permanent(true)
                .timestamp(Instant.parse("2001-07-11T16:38:17.123456789Z")).version(0xFFFF).build(),
                NodeValue.interior());
        assertThat(roundTrip(n)).isEqualTo(n);
    }

    @Test
    void timestamps_before_1970_and_zero_values_round_trip() throws DmException {
        StoredNode n = StoredNode.of(NodeInfo.leaf(URI, Format.INT).type("text/plain").version(0)
                .timestamp(Instant.parse("1969-12-31T23:59:59Z")).size(0).build(), NodeValue.ofText(Format.INT, "text/plain", ""));
        assertThat(roundTrip(n)).isEqualTo(n);
    }

    @Test
    void value_format_and_type_may_differ_from_the_node() throws DmException {
        StoredNode nullValue = StoredNode.of(NodeInfo.leaf(URI, Format.CHR).type("text/plain").build(), NodeValue.ofNull());
        StoredNode bin = StoredNode.of(NodeInfo.leaf(URI, Format.BIN).type("application/octet-stream").build(),
                NodeValue.ofBinary(new byte[] {0, -1, 127, -128}, "application/vnd.syncml.dmtnds+wbxml"));
        StoredNode children = StoredNode.of(NodeInfo.interior(URI).build(), NodeValue.ofChildren(java.util.List.of("a", "b")));
        assertThat(roundTrip(nullValue)).isEqualTo(nullValue);
        assertThat(roundTrip(bin)).isEqualTo(bin);
        assertThat(roundTrip(children)).isEqualTo(children);
    }

    @Test
    void every_format_round_trips_with_random_data() throws DmException {
        Random r = new Random(42);
        for (Format f : Format.values()) {
            for (int i = 0; i < 50; i++) {
                byte[] data = new byte[r.nextInt(i < 45 ? 40 : 70_000)];
                r.nextBytes(data);
                NodeInfo.Builder b = f == Format.NODE ? NodeInfo.interior(URI) : NodeInfo.leaf(URI, f).size(data.length);
                b.type("t" + r.nextInt(3)).title(r.nextBoolean() ? "" : "title " + i).permanent(r.nextBoolean())
                        .version(r.nextInt(3) - 1);
                if (r.nextBoolean()) {
                    b.timestamp(Instant.ofEpochSecond(r.nextInt(), r.nextInt(1_000_000_000)));
                }
                NodeValue v = f == Format.NODE ? NodeValue.interior() : NodeValue.of(f, "t" + r.nextInt(3), data);
                StoredNode n = StoredNode.of(b.build(), v);
                assertThat(roundTrip(n)).as("%s #%d", f, i).isEqualTo(n);
            }
        }
    }

    @Test
    void format_codes_are_fixed_and_independent_of_enum_order() {
        assertThat(NodeCodec.code(Format.CHR)).isEqualTo(1);
        assertThat(NodeCodec.code(Format.NODE)).isEqualTo(9);
        assertThat(NodeCodec.code(Format.XML)).isEqualTo(11);
        assertThat(Arrays.stream(Format.values()).map(NodeCodec::code).distinct().count()).isEqualTo(Format.values().length);
    }

    @Test
    void a_record_of_a_newer_version_is_refused_with_510_naming_the_version() {
        byte[] record = NodeCodec.encode(StoredNode.of(NodeInfo.leaf(URI, Format.CHR).build(), NodeValue.ofString("x")));
        record[0] = 2;
        assertThatThrownBy(() -> NodeCodec.decode(URI, record)).isInstanceOfSatisfying(DmException.class, e -> {
            assertThat(e.status()).isEqualTo(StatusCode.DATA_STORE_FAILURE);
            assertThat(e.getMessage()).contains("record version 2").contains(URI.toString());
        });
    }

    @Test
    void damaged_records_are_510_never_a_runtime_exception() {
        byte[] good = NodeCodec.encode(StoredNode.of(NodeInfo.leaf(URI, Format.CHR).type("text/plain")
                .acl(Acl.of("Get=*")).build(), NodeValue.ofString("value")));
        for (int len = 0; len < good.length; len++) {
            byte[] truncated = Arrays.copyOf(good, len);
            assertThatThrownBy(() -> NodeCodec.decode(URI, truncated)).as("length %d", len)
                    .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.DATA_STORE_FAILURE));
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> NodeCodec.decode(URI, trailing)).isInstanceOf(DmException.class).hasMessageContaining("trailing");
        byte[] badFormat = good.clone();
        badFormat[2] = 99;
        assertThatThrownBy(() -> NodeCodec.decode(URI, badFormat)).isInstanceOf(DmException.class).hasMessageContaining("format code 99");
        byte[] badFlags = good.clone();
        badFlags[1] = (byte) 0x80;
        assertThatThrownBy(() -> NodeCodec.decode(URI, badFlags)).isInstanceOf(DmException.class).hasMessageContaining("flags");
        byte[] badAcl = NodeCodec.encode(StoredNode.of(NodeInfo.leaf(URI, Format.CHR).build(), NodeValue.ofString("")));
        byte[] withAcl = new byte[badAcl.length + 3];
        System.arraycopy(badAcl, 0, withAcl, 0, 4);
        withAcl[4] = 3;
        System.arraycopy("Foo".getBytes(StandardCharsets.UTF_8), 0, withAcl, 5, 3);
        System.arraycopy(badAcl, 5, withAcl, 8, badAcl.length - 5);
        assertThatThrownBy(() -> NodeCodec.decode(URI, withAcl)).isInstanceOf(DmException.class).hasMessageContaining("unreadable");
    }

    @Test
    void random_garbage_never_escapes_as_a_runtime_exception() {
        Random r = new Random(7);
        for (int i = 0; i < 5000; i++) {
            byte[] junk = new byte[r.nextInt(30)];
            r.nextBytes(junk);
            if (junk.length > 0) {
                junk[0] = 1;
            }
            try {
                NodeCodec.decode(URI, junk);
            } catch (DmException e) {
                assertThat(e.status()).isEqualTo(StatusCode.DATA_STORE_FAILURE);
            }
        }
    }
}
