package org.cardinaldm.mo.devinfo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
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

class DevInfoPluginTest {
    private static final MoContext SERVER = () -> Principal.server("srv1");
    private static final FakeHost HOST = new FakeHost().file("/etc/machine-id", "0123456789abcdef0123456789abcdef")
            .file("/sys/class/dmi/id/sys_vendor", "ACME").file("/sys/class/dmi/id/product_name", "GW-1")
            .locale(Locale.GERMANY);

    static DevInfoPlugin.Config config(Map<String, Object> props) {
        return Converters.standardConverter().convert(props).to(DevInfoPlugin.Config.class);
    }

    private static NodeUri uri(String s) {
        return NodeUri.of(s);
    }

    @Test
    void root_is_a_permanent_interior_node_typed_with_the_mo_id_and_readable_by_all() throws DmException {
        DevInfoPlugin plugin = new DevInfoPlugin(config(Map.of()), HOST);
        NodeInfo root = plugin.describe(uri("./DevInfo"), SERVER).orElseThrow();
        assertThat(root.isInterior()).isTrue();
        assertThat(root.format()).isEqualTo(Format.NODE);
        assertThat(root.type()).isEqualTo("urn:oma:mo:oma-dm-devinfo:1.0");
        assertThat(root.acl()).isEqualTo(Acl.of("Get=*"));
        assertThat(root.isPermanent()).isTrue();
        assertThat(plugin.children(uri("./DevInfo"), SERVER)).containsExactly("DevId", "Man", "Mod", "DmV", "Lang");
        assertThat(plugin.get(uri("./DevInfo"), SERVER).asString()).isEqualTo("DevId/Man/Mod/DmV/Lang");
    }

    @Test
    void every_leaf_is_a_permanent_chr_text_plain_node_that_inherits_the_acl() throws DmException {
        DevInfoPlugin plugin = new DevInfoPlugin(config(Map.of("man", "Zürich Devices")), HOST);
        for (String leaf : DevInfoPlugin.LEAVES) {
            NodeUri u = uri("./DevInfo/" + leaf);
            NodeInfo info = plugin.describe(u, SERVER).orElseThrow();
            NodeValue value = plugin.get(u, SERVER);
            assertThat(info.format()).as(leaf).isEqualTo(Format.CHR);
            assertThat(info.type()).as(leaf).isEqualTo("text/plain");
            assertThat(info.isPermanent()).as(leaf).isTrue();
            assertThat(info.acl().isEmpty()).as(leaf).isTrue();
            assertThat(value.format()).isEqualTo(Format.CHR);
            assertThat(value.type()).isEqualTo("text/plain");
            assertThat(value.asString()).as(leaf).isNotBlank();
            assertThat(info.size()).as(leaf).isEqualTo(value.size());
        }
        assertThat(plugin.describe(uri("./DevInfo/Man"), SERVER).orElseThrow().size()).isEqualTo(15);
    }

    @Test
    void configured_values_are_served_trimmed() throws DmException {
        DevInfoPlugin plugin = new DevInfoPlugin(config(Map.of("devid", " IMEI:493005100592800 ", "man", "ACME Gateways",
                "mod", "GW-9000", "dmv", "1.2", "lang", "fr-CA")), HOST);
        assertThat(plugin.get(uri("./DevInfo/DevId"), SERVER).asString()).isEqualTo("IMEI:493005100592800");
        assertThat(plugin.get(uri("./DevInfo/Man"), SERVER).asString()).isEqualTo("ACME Gateways");
        assertThat(plugin.get(uri("./DevInfo/Mod"), SERVER).asString()).isEqualTo("GW-9000");
        assertThat(plugin.get(uri("./DevInfo/DmV"), SERVER).asString()).isEqualTo("1.2");
        assertThat(plugin.get(uri("./DevInfo/Lang"), SERVER).asString()).isEqualTo("fr-CA");
    }

    @Test
    void without_configuration_the_host_defaults_are_served() throws DmException {
        DevInfoPlugin plugin = new DevInfoPlugin(config(Map.of("man", "  ")), HOST);
        HostDefaults d = new HostDefaults(HOST);
        assertThat(plugin.get(uri("./DevInfo/DevId"), SERVER).asString()).isEqualTo(d.devId()).startsWith("urn:uuid:");
        assertThat(plugin.get(uri("./DevInfo/Man"), SERVER).asString()).isEqualTo("ACME");
        assertThat(plugin.get(uri("./DevInfo/Mod"), SERVER).asString()).isEqualTo("GW-1");
        assertThat(plugin.get(uri("./DevInfo/DmV"), SERVER).asString()).isEqualTo(HostDefaults.cardinalVersion());
        assertThat(plugin.get(uri("./DevInfo/Lang"), SERVER).asString()).isEqualTo("de-DE");
    }

    @Test
    void a_lang_that_is_not_rfc_1766_falls_back_to_the_jvm_locale() throws DmException {
        DevInfoPlugin plugin = new DevInfoPlugin(config(Map.of("lang", "en_US")), HOST);
        assertThat(plugin.get(uri("./DevInfo/Lang"), SERVER).asString()).isEqualTo("de-DE");
    }

    @Test
    void a_configured_dev_id_that_is_not_a_urn_is_still_served() throws DmException {
        DevInfoPlugin plugin = new DevInfoPlugin(config(Map.of("devid", "gateway 17")), HOST);
        assertThat(plugin.get(uri("./DevInfo/DevId"), SERVER).asString()).isEqualTo("gateway 17");
    }

    @Test
    void the_real_host_gives_a_stable_urn_dev_id() throws DmException {
        String a = new DevInfoPlugin(config(Map.of())).get(uri("./DevInfo/DevId"), SERVER).asString();
        String b = new DevInfoPlugin(config(Map.of())).get(uri("./DevInfo/DevId"), SERVER).asString();
        assertThat(a).matches("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}").isEqualTo(b);
    }

    @Test
    void reconfiguration_changes_values_in_place() throws DmException {
        DevInfoPlugin plugin = new DevInfoPlugin(config(Map.of("mod", "A")), HOST);
        plugin.modified(config(Map.of("mod", "B")));
        assertThat(plugin.get(uri("./DevInfo/Mod"), SERVER).asString()).isEqualTo("B");
        plugin.modified(config(Map.of()));
        assertThat(plugin.get(uri("./DevInfo/Mod"), SERVER).asString()).isEqualTo("GW-1");
    }

    @Test
    void unknown_nodes_are_absent_and_get_returns_404() {
        DevInfoPlugin plugin = new DevInfoPlugin(config(Map.of()), HOST);
        assertThat(plugin.describe(uri("./DevInfo/Ext"), SERVER)).isEmpty();
        assertThat(plugin.describe(uri("./DevInfo/Man/X"), SERVER)).isEmpty();
        assertThat(plugin.describe(uri("./Other/Man"), SERVER)).isEmpty();
        assertThatThrownBy(() -> plugin.get(uri("./DevInfo/Bearer"), SERVER))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.NOT_FOUND));
        assertThatThrownBy(() -> plugin.children(uri("./DevInfo/Nope"), SERVER))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.NOT_FOUND));
    }

    @Test
    void a_leaf_has_no_children_405() {
        DevInfoPlugin plugin = new DevInfoPlugin(config(Map.of()), HOST);
        assertThatThrownBy(() -> plugin.children(uri("./DevInfo/Man"), SERVER)).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.status()).isEqualTo(StatusCode.COMMAND_NOT_ALLOWED));
    }

    @Test
    void the_subtree_is_read_only_405() {
        DevInfoPlugin plugin = new DevInfoPlugin(config(Map.of()), HOST);
        assertThatThrownBy(() -> plugin.replace(uri("./DevInfo/Man"), NodeValue.ofString("x"), SERVER))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.COMMAND_NOT_ALLOWED));
        assertThatThrownBy(() -> plugin.add(uri("./DevInfo/Ext"), NodeValue.interior(), SERVER))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.COMMAND_NOT_ALLOWED));
        assertThatThrownBy(() -> plugin.delete(uri("./DevInfo/Lang"), SERVER))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.COMMAND_NOT_ALLOWED));
        assertThatThrownBy(() -> plugin.exec(uri("./DevInfo/DmV"), NodeValue.ofNull(), "", SERVER))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.COMMAND_NOT_ALLOWED));
    }
}
