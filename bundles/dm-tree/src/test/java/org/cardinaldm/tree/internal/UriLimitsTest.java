package org.cardinaldm.tree.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.tree.internal.Fixture.assertStatus;
import static org.cardinaldm.tree.internal.Fixture.s;
import static org.cardinaldm.tree.internal.Fixture.u;

import java.time.Duration;
import java.util.Map;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;
import org.junit.jupiter.api.Test;

/** MaxDepth, MaxTotLen and MaxSegLen from ./DevDetail/URI or the configuration (digest 5.5, 5.6). */
class UriLimitsTest {
    private static final Map<String, Object> OPEN = Map.of("root.acl", "Add=*&Get=*&Replace=*&Delete=*&Exec=*");

    private static FakePlugin devDetail(String depth, String totLen, String segLen) {
        return new FakePlugin("./DevDetail").rootAcl("Get=*").leaf("URI/MaxDepth", depth)
                .leaf("URI/MaxTotLen", totLen).leaf("URI/MaxSegLen", segLen);
    }

    @Test
    void configured_limits_apply_when_devdetail_is_absent() throws DmException {
        Fixture f = new Fixture(Map.of("root.acl", "Add=*&Get=*", "uri.max.depth", 3, "uri.max.tot.len", 18,
                "uri.max.seg.len", 5));
        TreeAccess srv = f.server("srv");
        srv.add(u("./A/B/C"), s("x"));
        assertStatus(StatusCode.URI_TOO_LONG, () -> srv.add(u("./A/B/C/D"), s("x")));
        assertStatus(StatusCode.URI_TOO_LONG, () -> srv.add(u("./ABCDEF"), s("x")));
        assertStatus(StatusCode.URI_TOO_LONG, () -> srv.add(u("./ABCDE/ABCDE/ABCDE"), s("x")));
        assertStatus(StatusCode.URI_TOO_LONG, () -> srv.get(u("./A/B/C/D")));
        assertStatus(StatusCode.URI_TOO_LONG, () -> srv.delete(u("./A/B/C/D")));
        assertStatus(StatusCode.URI_TOO_LONG, () -> srv.getProperty(u("./ABCDEF"), Property.ACL));
        assertStatus(StatusCode.URI_TOO_LONG, () -> srv.copy(u("./A/B/C"), u("./A/B/C/D")));
        assertThat(srv.exists(u("./ABCDEF"))).isFalse();
    }

    @Test
    void the_default_limits_are_16_1024_128() {
        Fixture f = new Fixture(OPEN);
        TreeAccess srv = f.server("srv");
        assertStatus(StatusCode.URI_TOO_LONG, () -> srv.add(u("./" + "a/".repeat(16) + "a"), s("x")));
        assertStatus(StatusCode.URI_TOO_LONG, () -> srv.add(u("./" + "a".repeat(129)), s("x")));
        assertStatus(StatusCode.URI_TOO_LONG, () -> srv.add(u("./" + ("a".repeat(100) + "/").repeat(11) + "a"), s("x")));
        assertThat(f.tree.engine().limits()).isEqualTo(new UriLimits(16, 1024, 128));
    }

    @Test
    void limits_from_a_devdetail_plugin_take_precedence() throws DmException {
        Fixture f = new Fixture(OPEN);
        f.mount(devDetail("2", "0", "0"));
        TreeAccess srv = f.server("srv");
        srv.add(u("./A/B"), s("x"));
        assertStatus(StatusCode.URI_TOO_LONG, () -> srv.add(u("./A/B2/C"), s("x")));
        srv.add(u("./" + "x".repeat(500)), s("no segment limit"));
        assertThat(f.tree.engine().limits()).isEqualTo(new UriLimits(2, 0, 0));
    }

    @Test
    void zero_in_devdetail_means_unlimited() throws DmException {
        Fixture f = new Fixture(OPEN);
        f.mount(devDetail("0", "0", "0"));
        f.server("srv").add(u("./" + "a/".repeat(30) + "a"), s("deep"));
        assertThat(f.server("srv").exists(u("./" + "a/".repeat(30) + "a"))).isTrue();
    }

    @Test
    void an_unusable_devdetail_value_falls_back_to_the_configuration() {
        Fixture f = new Fixture(Map.of("uri.max.depth", 4, "uri.max.tot.len", 99, "uri.max.seg.len", 7));
        FakePlugin dd = f.mount(devDetail("many", "70000", "-1"));
        assertThat(f.tree.engine().limits()).isEqualTo(new UriLimits(4, 99, 7));
        dd.crash = new IllegalStateException("boom");
        f.clock.advance(Duration.ofSeconds(5));
        assertThat(f.tree.engine().limits()).isEqualTo(new UriLimits(4, 99, 7));
    }

    @Test
    void limits_follow_the_plugin_when_it_comes_goes_or_changes() throws DmException {
        Fixture f = new Fixture(Map.of("uri.max.depth", 5));
        FakePlugin dd = f.mount(devDetail("2", "0", "0"));
        assertThat(f.tree.engine().limits().maxDepth()).isEqualTo(2);
        f.unmount(dd);
        assertThat(f.tree.engine().limits().maxDepth()).isEqualTo(5);
        f.mount(dd);
        assertThat(f.tree.engine().limits().maxDepth()).isEqualTo(2);
        dd.values.put(u("./DevDetail/URI/MaxDepth"), NodeValue.ofString("9"));
        assertThat(f.tree.engine().limits().maxDepth()).as("cached for a second").isEqualTo(2);
        f.clock.advance(Duration.ofSeconds(2));
        assertThat(f.tree.engine().limits().maxDepth()).isEqualTo(9);
    }

    @Test
    void limits_stored_in_the_tree_are_used_and_refreshed_on_write() throws DmException {
        Fixture f = new Fixture(Map.of("uri.max.depth", 10));
        TreeAccess sys = f.system();
        sys.add(u("./DevDetail/URI/MaxDepth"), s("3"));
        assertThat(f.tree.engine().limits().maxDepth()).isEqualTo(3);
        sys.replace(u("./DevDetail/URI/MaxDepth"), s("4"));
        assertThat(f.tree.engine().limits().maxDepth()).isEqualTo(4);
    }

    @Test
    void the_limit_is_inclusive() throws DmException {
        UriLimits l = new UriLimits(2, 7, 3);
        l.check(u("./a/bcd"));
        assertStatus(StatusCode.URI_TOO_LONG, () -> l.check(u("./a/bcde")));
        assertStatus(StatusCode.URI_TOO_LONG, () -> l.check(u("./ab/bcd")));
        assertStatus(StatusCode.URI_TOO_LONG, () -> l.check(u("./a/b/c")));
        UriLimits.UNLIMITED.check(NodeUri.of("./" + "x/".repeat(1000) + "x"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new UriLimits(-1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_malformed_uri_is_refused_with_400_before_the_tree_is_asked() {
        assertStatus(StatusCode.BAD_REQUEST, () -> NodeUri.parse("./A//B"));
        assertStatus(StatusCode.BAD_REQUEST, () -> NodeUri.parse("./A/../B"));
        assertStatus(StatusCode.BAD_REQUEST, () -> NodeUri.parse("./A/"));
    }
}
