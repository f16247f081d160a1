package org.cardinaldm.mo.devdetail.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.MoContext;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

class DevDetailPluginTest {
    private static final MoContext SERVER = () -> Principal.server("srv1");
    private static final FakeHost HOST = new FakeHost().file("/sys/class/dmi/id/sys_vendor", "ACME")
            .file("/sys/class/dmi/id/bios_version", "2.3").file("/sys/class/dmi/id/product_version", "B1")
            .property("os.name", "Linux").property("os.version", "6.1.0");

    static DevDetailPlugin.Config config(Map<String, Object> props) {
        return Converters.standardConverter().convert(props).to(DevDetailPlugin.Config.class);
    }

    private static NodeUri uri(String s) {
        return NodeUri.of(s);
    }

    private static String value(DevDetailPlugin p, String u) throws DmException {
        return p.get(uri(u), SERVER).asString();
    }

    @Test
    void root_is_permanent_interior_typed_with_the_mo_id_and_readable_by_all() throws DmException {
        DevDetailPlugin p = new DevDetailPlugin(config(Map.of()), HOST);
        NodeInfo root = p.describe(uri("./DevDetail"), SERVER).orElseThrow();
        assertThat(root.isInterior()).isTrue();
        assertThat(root.type()).isEqualTo("urn:oma:mo:oma-dm-devdetail:1.0");
        assertThat(root.acl()).isEqualTo(Acl.of("Get=*"));
        assertThat(root.isPermanent()).isTrue();
        assertThat(p.children(uri("./DevDetail"), SERVER))
                .containsExactly("URI", "DevTyp", "OEM", "FwV", "SwV", "HwV", "LrgObj");
        assertThat(p.get(uri("./DevDetail"), SERVER).asString()).isEqualTo("URI/DevTyp/OEM/FwV/SwV/HwV/LrgObj");
        NodeInfo uriNode = p.describe(uri("./DevDetail/URI"), SERVER).orElseThrow();
        assertThat(uriNode.isInterior()).isTrue();
        assertThat(uriNode.isPermanent()).isTrue();
        assertThat(uriNode.acl().isEmpty()).isTrue();
        assertThat(p.children(uri("./DevDetail/URI"), SERVER)).containsExactly("MaxDepth", "MaxTotLen", "MaxSegLen");
    }

    @Test
    void leaves_have_the_right_format_type_size_and_are_permanent() throws DmException {
        DevDetailPlugin p = new DevDetailPlugin(config(Map.of()), HOST);
        for (String leaf : List.of("URI/MaxDepth", "URI/MaxTotLen", "URI/MaxSegLen", "DevTyp", "OEM", "FwV", "SwV", "HwV", "LrgObj")) {
            NodeUri u = uri("./DevDetail/" + leaf);
            NodeInfo info = p.describe(u, SERVER).orElseThrow();
            NodeValue v = p.get(u, SERVER);
            Format expected = leaf.equals("LrgObj") ? Format.BOOL : Format.CHR;
            assertThat(info.format()).as(leaf).isEqualTo(expected);
            assertThat(v.format()).as(leaf).isEqualTo(expected);
            assertThat(info.type()).as(leaf).isEqualTo("text/plain");
            assertThat(info.isPermanent()).as(leaf).isTrue();
            assertThat(info.size()).as(leaf).isEqualTo(v.size());
            assertThat(v.asString()).as(leaf).isNotBlank();
        }
    }

    @Test
    void defaults_are_bounded_uri_limits_host_versions_and_large_objects_as_the_agent_handles_them() throws DmException {
        DevDetailPlugin p = new DevDetailPlugin(config(Map.of()), HOST);
        assertThat(value(p, "./DevDetail/URI/MaxDepth")).isEqualTo("16");
        assertThat(value(p, "./DevDetail/URI/MaxTotLen")).isEqualTo("1024");
        assertThat(value(p, "./DevDetail/URI/MaxSegLen")).isEqualTo("128");
        assertThat(value(p, "./DevDetail/DevTyp")).isEqualTo("gateway");
        assertThat(value(p, "./DevDetail/OEM")).isEqualTo("ACME");
        assertThat(value(p, "./DevDetail/FwV")).isEqualTo("2.3");
        assertThat(value(p, "./DevDetail/SwV")).isEqualTo("Linux 6.1.0");
        assertThat(value(p, "./DevDetail/HwV")).isEqualTo("B1");
        assertThat(value(p, "./DevDetail/LrgObj")).isEqualTo("true");
    }

    @Test
    void configured_values_win_and_zero_means_unlimited() throws DmException {
        DevDetailPlugin p = new DevDetailPlugin(config(Map.of("uri.maxdepth", "0", "uri.maxtotlen", 65535,
                "uri.maxseglen", "32", "devtyp", "router", "oem", " OEM Inc ", "fwv", "fw1", "swv", "sw2", "hwv", "hw3",
                "lrgobj", "false")), HOST);
        assertThat(value(p, "./DevDetail/URI/MaxDepth")).isEqualTo("0");
        assertThat(value(p, "./DevDetail/URI/MaxTotLen")).isEqualTo("65535");
        assertThat(value(p, "./DevDetail/URI/MaxSegLen")).isEqualTo("32");
        assertThat(value(p, "./DevDetail/DevTyp")).isEqualTo("router");
        assertThat(value(p, "./DevDetail/OEM")).isEqualTo("OEM Inc");
        assertThat(value(p, "./DevDetail/FwV")).isEqualTo("fw1");
        assertThat(value(p, "./DevDetail/SwV")).isEqualTo("sw2");
        assertThat(value(p, "./DevDetail/HwV")).isEqualTo("hw3");
        assertThat(p.get(uri("./DevDetail/LrgObj"), SERVER).asBoolean()).isFalse();
    }

    @Test
    void a_limit_outside_sixteen_bits_is_replaced_by_its_default() throws DmException {
        DevDetailPlugin p = new DevDetailPlugin(config(Map.of("uri.maxdepth", -1, "uri.maxtotlen", 70000)), HOST);
        assertThat(value(p, "./DevDetail/URI/MaxDepth")).isEqualTo("16");
        assertThat(value(p, "./DevDetail/URI/MaxTotLen")).isEqualTo("1024");
    }

    @Test
    void reconfiguration_changes_values_in_place() throws DmException {
        DevDetailPlugin p = new DevDetailPlugin(config(Map.of()), HOST);
        p.modified(config(Map.of("uri.maxdepth", 8, "swv", "9.9")));
        assertThat(value(p, "./DevDetail/URI/MaxDepth")).isEqualTo("8");
        assertThat(value(p, "./DevDetail/SwV")).isEqualTo("9.9");
    }

    @Test
    void real_host_defaults_are_never_blank() throws DmException {
        DevDetailPlugin p = new DevDetailPlugin(config(Map.of()));
        assertThat(value(p, "./DevDetail/SwV")).contains(System.getProperty("os.version"));
        assertThat(value(p, "./DevDetail/OEM")).isNotBlank();
    }

    @Test
    void unknown_nodes_are_absent_and_404() {
        DevDetailPlugin p = new DevDetailPlugin(config(Map.of()), HOST);
        assertThat(p.describe(uri("./DevDetail/Ext"), SERVER)).isEmpty();
        assertThat(p.describe(uri("./DevDetail/URI/MaxFoo"), SERVER)).isEmpty();
        assertThatThrownBy(() -> p.get(uri("./DevDetail/Bearer"), SERVER)).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.status()).isEqualTo(StatusCode.NOT_FOUND));
        assertThatThrownBy(() -> p.children(uri("./DevDetail/Bearer"), SERVER)).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.status()).isEqualTo(StatusCode.NOT_FOUND));
        assertThatThrownBy(() -> p.children(uri("./DevDetail/OEM"), SERVER)).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.status()).isEqualTo(StatusCode.COMMAND_NOT_ALLOWED));
    }

    @Test
    void the_subtree_is_read_only_405() {
        DevDetailPlugin p = new DevDetailPlugin(config(Map.of()), HOST);
        assertThatThrownBy(() -> p.replace(uri("./DevDetail/URI/MaxDepth"), NodeValue.ofString("0"), SERVER))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.COMMAND_NOT_ALLOWED));
        assertThatThrownBy(() -> p.add(uri("./DevDetail/Ext"), NodeValue.interior(), SERVER))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.COMMAND_NOT_ALLOWED));
        assertThatThrownBy(() -> p.delete(uri("./DevDetail/URI"), SERVER))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.COMMAND_NOT_ALLOWED));
    }
}
