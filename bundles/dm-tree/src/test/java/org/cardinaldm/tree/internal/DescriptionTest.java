package org.cardinaldm.tree.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.tree.internal.Fixture.assertStatus;
import static org.cardinaldm.tree.internal.Fixture.captureLog;
import static org.cardinaldm.tree.internal.Fixture.s;
import static org.cardinaldm.tree.internal.Fixture.u;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.spi.ddf.AccessType;
import org.cardinaldm.api.spi.ddf.MoDescription;
import org.cardinaldm.api.spi.ddf.NodeDescription;
import org.cardinaldm.api.spi.ddf.Occurrence;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.api.spi.mo.MoContext;
import org.junit.jupiter.api.Test;

/** MO descriptions (DDF-like): structure, formats, access types, validation, write-only leaves. */
class DescriptionTest {
    private static final AccessType[] ALL = {AccessType.ADD, AccessType.DELETE, AccessType.GET, AccessType.REPLACE};

    private final Fixture f = new Fixture(Map.of("root.acl", "Add=*&Get=*&Replace=*&Delete=*&Exec=*"));
    private final TreeAccess srv = f.server("srv");
    private final List<String> validated = new CopyOnWriteArrayList<>();

    private final class Acc implements MoDescription {
        @Override
        public NodeDescription root() {
            return NodeDescription.named("Acc").permanent().access(AccessType.GET)
                    .child(NodeDescription.placeholder().access(ALL).occurrence(Occurrence.ONE_OR_MORE)
                            .mimeType("urn:test:acc:1.0")
                            .child(NodeDescription.named("Id").leaf(Format.CHR).access(AccessType.ADD, AccessType.GET)
                                    .permanent().build())
                            .child(NodeDescription.named("Port").leaf(Format.INT, Format.CHR).access(ALL)
                                    .mimeType("text/plain").build())
                            .child(NodeDescription.named("Secret").leaf(Format.CHR, Format.BIN)
                                    .access(AccessType.ADD, AccessType.REPLACE, AccessType.DELETE).build())
                            .child(NodeDescription.named("Single").access(ALL)
                                    .child(NodeDescription.placeholder().occurrence(Occurrence.ZERO_OR_ONE).access(ALL)
                                            .build())
                                    .build())
                            .child(NodeDescription.named("Ext").open().access(ALL).build())
                            .build())
                    .build();
        }

        @Override
        public void validate(NodeUri uri, NodeValue value, MoContext context) throws DmException {
            validated.add(uri.toString());
            if (uri.name().equals("Port") && !value.asString().matches("\\d{1,5}")) {
                throw new DmException(StatusCode.BAD_REQUEST, "Port must be a number");
            }
        }
    }

    private MoDescription describe() {
        return f.describe("./Acc", "urn:test:acc:1.0", new Acc());
    }

    @Test
    void a_permanent_described_root_exists_before_anything_is_stored() throws DmException {
        describe();
        assertThat(srv.children(u("."))).contains("Acc");
        assertThat(srv.describe(u("./Acc")).isPermanent()).isTrue();
        assertThat(srv.get(u("./Acc")).asString()).isEmpty();
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.delete(u("./Acc")));
        assertThat(f.store.size()).isEqualTo(1);
    }

    @Test
    void described_nodes_can_be_added_and_get_the_described_defaults() throws DmException {
        describe();
        srv.add(u("./Acc/a1"), NodeValue.interior());
        srv.add(u("./Acc/a1/Port"), NodeValue.ofText(Format.INT, "", "8080"));
        assertThat(srv.getProperty(u("./Acc/a1"), Property.TYPE)).isEqualTo("urn:test:acc:1.0");
        assertThat(srv.getProperty(u("./Acc/a1/Port"), Property.TYPE)).isEqualTo("text/plain");
        assertThat(srv.describe(u("./Acc")).isPermanent()).isTrue();
        assertThat(validated).contains("./Acc/a1", "./Acc/a1/Port");
    }

    @Test
    void nodes_the_description_does_not_define_cannot_be_added() throws DmException {
        describe();
        srv.add(u("./Acc/a1"), NodeValue.interior());
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.add(u("./Acc/a1/Unknown"), s("x")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> f.system().add(u("./Acc/a1/Unknown"), s("x")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.add(u("./Acc/a1/Unknown/Deeper"), s("x")));
    }

    @Test
    void open_nodes_accept_any_subtree() throws DmException {
        describe();
        srv.add(u("./Acc/a1/Ext/Vendor/Thing"), NodeValue.ofBool(true));
        assertThat(srv.get(u("./Acc/a1/Ext/Vendor/Thing"))).isEqualTo(NodeValue.ofBool(true));
    }

    @Test
    void a_value_of_an_undescribed_format_returns_415() throws DmException {
        describe();
        assertStatus(StatusCode.UNSUPPORTED_MEDIA_TYPE, () -> srv.add(u("./Acc/a1/Port"), NodeValue.ofBool(true)));
        assertStatus(StatusCode.UNSUPPORTED_MEDIA_TYPE, () -> srv.add(u("./Acc/a1/Id"), NodeValue.interior()));
        srv.add(u("./Acc/a1/Port"), s("80"));
        assertStatus(StatusCode.UNSUPPORTED_MEDIA_TYPE, () -> srv.replace(u("./Acc/a1/Port"), NodeValue.ofNull()));
        assertThat(srv.exists(u("./Acc/a1/Id"))).isFalse();
    }

    @Test
    void the_validator_decides_the_status_of_a_bad_value() throws DmException {
        describe();
        assertStatus(StatusCode.BAD_REQUEST, () -> srv.add(u("./Acc/a1/Port"), s("eighty")));
        srv.add(u("./Acc/a1/Port"), s("80"));
        assertStatus(StatusCode.BAD_REQUEST, () -> srv.replace(u("./Acc/a1/Port"), s("x")));
        assertStatus(StatusCode.BAD_REQUEST, () -> f.system().replace(u("./Acc/a1/Port"), s("x")));
        srv.add(u("./Text"), s("not a port"));
        assertStatus(StatusCode.BAD_REQUEST, () -> srv.copy(u("./Text"), u("./Acc/a1/Port")));
        assertThat(srv.get(u("./Acc/a1/Port")).asString()).isEqualTo("80");
    }

    @Test
    void a_crashing_validator_gives_500_and_a_warning() throws Exception {
        f.describe("./Bad", "", new MoDescription() {
            @Override
            public NodeDescription root() {
                return NodeDescription.named("Bad").access(ALL).child(NodeDescription.named("L").leaf(Format.CHR)
                        .access(ALL).build()).build();
            }

            @Override
            public void validate(NodeUri uri, NodeValue value, MoContext context) {
                throw new UnsupportedOperationException("oops");
            }
        });
        String log = captureLog(() -> assertStatus(StatusCode.COMMAND_FAILED, () -> srv.add(u("./Bad/L"), s("x"))));
        assertThat(log).contains("WARN").contains("test.description").contains("UnsupportedOperationException");
    }

    @Test
    void access_types_bind_servers_and_the_local_administrator_but_not_the_system() throws DmException {
        describe();
        srv.add(u("./Acc/a1/Id"), s("id"));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.replace(u("./Acc/a1/Id"), s("other")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> f.admin().replace(u("./Acc/a1/Id"), s("other")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.delete(u("./Acc/a1/Id")));
        f.system().replace(u("./Acc/a1/Id"), s("other"));
        assertThat(srv.get(u("./Acc/a1/Id")).asString()).isEqualTo("other");
        srv.delete(u("./Acc/a1"));
        assertThat(srv.exists(u("./Acc/a1/Id"))).as("children of a deleted node always go").isFalse();
    }

    @Test
    void permanent_described_nodes_cannot_be_deleted_or_renamed_by_servers() throws DmException {
        describe();
        srv.add(u("./Acc/a1/Id"), s("id"));
        assertThat(srv.describe(u("./Acc/a1/Id")).isPermanent()).isTrue();
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.setProperty(u("./Acc/a1/Id"), Property.NAME, "X"));
        srv.setProperty(u("./Acc/a1"), Property.NAME, "a2");
        assertThat(srv.get(u("./Acc/a2/Id")).asString()).isEqualTo("id");
    }

    @Test
    void a_write_only_leaf_cannot_be_read_by_servers_or_the_admin() throws DmException {
        describe();
        srv.add(u("./Acc/a1/Secret"), s("p4ssw0rd"));
        srv.replace(u("./Acc/a1/Secret"), s("n3w"));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.get(u("./Acc/a1/Secret")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> f.admin().get(u("./Acc/a1/Secret")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.getProperty(u("./Acc/a1/Secret"), Property.SIZE));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.copy(u("./Acc/a1/Secret"), u("./Leak")));
        assertThat(srv.describe(u("./Acc/a1/Secret")).size()).isEqualTo(-1);
        assertThat(srv.getProperty(u("./Acc/a1/Secret"), Property.FORMAT)).isEqualTo("chr");
        assertThat(f.system().get(u("./Acc/a1/Secret")).asString()).isEqualTo("n3w");
        assertThat(f.system().describe(u("./Acc/a1/Secret")).size()).isEqualTo(3);
        assertThat(srv.exists(u("./Leak"))).isFalse();
    }

    @Test
    void a_write_only_leaf_stays_unreadable_when_the_description_goes_away() throws DmException {
        MoDescription d = describe();
        srv.add(u("./Acc/a1/Secret"), s("p4ssw0rd"));
        f.tree.removeDescription(d);
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.get(u("./Acc/a1/Secret")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.copy(u("./Acc/a1/Secret"), u("./Leak")));
        assertThat(f.system().get(u("./Acc/a1/Secret")).asString()).isEqualTo("p4ssw0rd");
        srv.setProperty(u("./Acc/a1"), Property.NAME, "moved");
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.get(u("./Acc/moved/Secret")));
        srv.delete(u("./Acc/moved"));
        srv.add(u("./Acc/moved/Secret"), s("public now"));
        assertThat(srv.get(u("./Acc/moved/Secret")).asString()).isEqualTo("public now");
    }

    @Test
    void a_placeholder_with_occurrence_one_admits_a_single_instance() throws DmException {
        describe();
        srv.add(u("./Acc/a1/Single/first"), NodeValue.interior());
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.add(u("./Acc/a1/Single/second"), NodeValue.interior()));
        srv.delete(u("./Acc/a1/Single/first"));
        srv.add(u("./Acc/a1/Single/second"), NodeValue.interior());
    }

    @Test
    void descriptions_also_constrain_plugin_nodes() throws DmException {
        FakePlugin p = new FakePlugin("./Plug").leaf("RO", "x");
        f.mount(p);
        f.describe("./Plug", "", () -> NodeDescription.named("Plug").access(ALL)
                .child(NodeDescription.named("RO").leaf(Format.CHR).access(AccessType.GET).build()).build());
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.replace(u("./Plug/RO"), s("y")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.add(u("./Plug/Other"), s("y")));
        assertThat(p.calls).noneMatch(c -> c.startsWith("replace") || c.startsWith("add"));
    }

    @Test
    void a_second_description_for_a_root_waits_and_broken_ones_are_ignored() throws Exception {
        MoDescription first = describe();
        String log = captureLog(() -> {
            f.describe("./Acc", "", () -> NodeDescription.named("Acc").open().access(ALL).build());
            f.describe("./Leafy", "", () -> NodeDescription.named("Leafy").leaf(Format.CHR).build());
            f.describe("./Null", "", () -> null);
            f.describe("./Crash", "", () -> {
                throw new IllegalStateException("no");
            });
        });
        assertThat(log.lines().filter(l -> l.contains("WARN"))).hasSize(4);
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.add(u("./Acc/a1/Unknown"), s("x")));
        f.tree.removeDescription(first);
        srv.add(u("./Acc/a1/Unknown"), s("the open one took over"));
        assertThat(srv.exists(u("./Acc/a1/Unknown"))).isTrue();
    }

    @Test
    void descriptions_ignore_services_without_a_usable_root() throws Exception {
        String log = captureLog(() -> f.tree.addDescription(new Acc(), Map.of(ManagementObjectPlugin.ROOT_PROPERTY, "x//y"),
                "b"));
        assertThat(log).contains("WARN");
    }

    @Test
    void the_described_root_is_stored_with_its_type_when_the_first_child_is_added() throws DmException {
        describe();
        f.system().setProperty(u("./Acc"), Property.ACL, "Get=*&Add=*&Delete=*&Replace=*");
        srv.add(u("./Acc/a1"), NodeValue.interior());
        assertThat(f.store.snapshot()).containsKey(u("./Acc"));
        assertThat(f.store.snapshot().get(u("./Acc")).info().acl().toString()).isEqualTo("Add=*&Delete=*&Get=*&Replace=*");
        assertThat(f.store.snapshot().keySet()).noneMatch(k -> k.toString().contains("%00Cardinal/u.%2FAcc"));
        assertThat(srv.getProperty(u("./Acc"), Property.ACL)).isEqualTo("Add=*&Delete=*&Get=*&Replace=*");
    }
}
