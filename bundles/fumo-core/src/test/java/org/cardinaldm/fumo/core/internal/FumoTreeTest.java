package org.cardinaldm.fumo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.ddf.AccessType;
import org.cardinaldm.api.spi.ddf.NodeDescription;
import org.cardinaldm.fumo.api.FumoAlerts;
import org.junit.jupiter.api.Test;

/** The tree the plugin answers and the DDF it publishes agree node for node. */
class FumoTreeTest extends FumoTestBase {

    @Test
    void the_tree_has_one_instance_per_agent_with_the_fumo_nodes() throws Exception {
        assertThat(tree.children(NodeUri.of("./FUMO"))).containsExactly("Gateway");
        assertThat(tree.children(NodeUri.of(X))).containsExactly("PkgName", "PkgVersion", "Download", "Update",
                "DownloadAndUpdate", "State", "Ext");
        NodeInfo x = tree.describe(NodeUri.of(X)).orElseThrow();
        assertThat(x.type()).isEqualTo(FumoAlerts.MO_ID);
        assertThat(x.isInterior()).isTrue();
        assertThat(tree.get(NodeUri.of(X + "/State")).asLong()).isEqualTo(10);
        engine.removeAgent("Gateway", agent);
        assertThat(tree.children(NodeUri.of("./FUMO"))).isEmpty();
        assertThat(tree.describe(NodeUri.of(X))).isEmpty();
    }

    @Test
    void every_described_node_matches_the_ddf_in_format() throws Exception {
        NodeDescription x = FumoTree.description("FUMO").children().get(0);
        walk(x, NodeUri.of(X));
    }

    private void walk(NodeDescription d, NodeUri uri) throws DmException {
        NodeInfo info = tree.describe(uri).orElseThrow(() -> new AssertionError("no node " + uri));
        assertThat(d.formats()).as(uri.toString()).contains(info.format());
        if (info.isInterior()) {
            List<String> names = tree.children(uri);
            assertThat(names).as(uri.toString()).containsExactlyElementsOf(
                    d.children().stream().map(NodeDescription::name).toList());
            for (NodeDescription c : d.children()) {
                walk(c, uri.child(c.name()));
            }
        }
    }

    @Test
    void the_ddf_follows_the_fumo_text_for_access_types() {
        NodeDescription x = FumoTree.description("FUMO").children().get(0);
        assertThat(x.isPlaceholder()).isTrue();
        assertThat(x.child("Download").orElseThrow().accessTypes()).containsExactlyInAnyOrder(AccessType.EXEC,
                AccessType.GET);
        assertThat(x.child("Update").orElseThrow().child("PkgData").orElseThrow().accessTypes())
                .containsExactly(AccessType.REPLACE);
        assertThat(x.child("Update").orElseThrow().child("PkgData").orElseThrow().formats())
                .containsExactly(Format.BIN);
        assertThat(x.child("DownloadAndUpdate").orElseThrow().child("PkgURL").orElseThrow().accessTypes())
                .containsExactlyInAnyOrder(AccessType.GET, AccessType.REPLACE);
        assertThat(x.child("State").orElseThrow().formats()).containsExactly(Format.INT);
    }

    @Test
    void pkgdata_cannot_be_read_and_unknown_nodes_are_404() {
        assertThatThrownBy(() -> tree.get(NodeUri.of(X + "/Update/PkgData"))).isInstanceOfSatisfying(
                DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.COMMAND_NOT_ALLOWED));
        assertThatThrownBy(() -> tree.get(NodeUri.of(X + "/Nope"))).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.status()).isEqualTo(StatusCode.NOT_FOUND));
        assertThatThrownBy(() -> tree.exec(NodeUri.of(X + "/State"), "", SERVER)).isInstanceOfSatisfying(
                DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.COMMAND_NOT_ALLOWED));
        assertThatThrownBy(() -> tree.get(NodeUri.of("./FUMO/Other/State"))).isInstanceOfSatisfying(
                DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.NOT_FOUND));
    }

    @Test
    void an_agent_with_a_bad_or_duplicate_name_is_ignored() {
        assertThat(engine.addAgent("../etc", new FakeAgent())).isFalse();
        assertThat(engine.addAgent(null, new FakeAgent())).isFalse();
        assertThat(engine.addAgent("Gateway", new FakeAgent())).isFalse();
        assertThat(engine.names()).containsExactly("Gateway");
    }

    @Test
    void state_and_urls_survive_a_restart() throws Exception {
        set("Download/PkgURL", http.url("/fw.bin"));
        exec("Download");
        engine = newEngine();
        engine.addAgent("Gateway", agent);
        assertThat(state()).isEqualTo(50);
        assertThat(tree.get(NodeUri.of(X + "/Download/PkgURL")).asString()).isEqualTo(http.url("/fw.bin"));
        assertThat(engine.history(5)).hasSize(1);
        assertThat(engine.instances().get(0).lastResult()).hasValue(200);
    }

    @Test
    void a_server_may_announce_pkgname_and_pkgversion_and_the_verified_manifest_replaces_them() throws Exception {
        NodeDescription x = FumoTree.description("FUMO").children().get(0);
        assertThat(x.child("PkgName").orElseThrow().accessTypes()).containsExactlyInAnyOrder(AccessType.GET,
                AccessType.REPLACE);
        set("PkgName", "announced-name");
        set("PkgVersion", "9.9");
        assertThat(tree.get(NodeUri.of(X + "/PkgName")).asString()).isEqualTo("announced-name");
        assertThat(tree.get(NodeUri.of(X + "/PkgVersion")).asString()).isEqualTo("9.9");
        assertThatThrownBy(() -> set("PkgName", "bad\u0000name")).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.status()).isEqualTo(StatusCode.BAD_REQUEST));
        assertThatThrownBy(() -> set("PkgVersion", "v".repeat(257))).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.status()).isEqualTo(StatusCode.REQUEST_ENTITY_TOO_LARGE));
        set("Download/PkgURL", http.url("/fw.bin"));
        exec("Download");
        assertThat(state()).isEqualTo(50);
        // the signed manifest's values, not the announcement
        assertThat(tree.get(NodeUri.of(X + "/PkgName")).asString()).isNotEqualTo("announced-name");
        assertThat(tree.get(NodeUri.of(X + "/PkgVersion")).asString()).isNotEqualTo("9.9");
    }
}
