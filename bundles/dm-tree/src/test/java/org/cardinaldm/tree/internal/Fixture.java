package org.cardinaldm.tree.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import org.cardinaldm.api.DmException;
import org.cardinaldm.testing.tree.InMemoryTreeStore;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.spi.ddf.MoDescription;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.osgi.util.converter.Converters;

/** A tree engine over an in-memory store, with helpers for the tests. */
final class Fixture {
    static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    final InMemoryTreeStore store = new InMemoryTreeStore();
    final MutableClock clock = new MutableClock(T0);
    final DmTreeImpl tree;

    Fixture() {
        this(Map.of());
    }

    Fixture(Map<String, ?> config) {
        tree = new DmTreeImpl(store, config(config), clock);
    }

    static DmTreeImpl.Config config(Map<String, ?> values) {
        return Converters.standardConverter().convert(new HashMap<>(values)).to(DmTreeImpl.Config.class);
    }

    TreeAccess server(String id) {
        return tree.as(Principal.server(id));
    }

    TreeAccess admin() {
        return tree.as(Principal.localAdmin());
    }

    TreeAccess system() {
        return tree.as(Principal.system());
    }

    <P extends ManagementObjectPlugin> P mount(String root, P plugin) {
        tree.mountPlugin(plugin, Map.of(ManagementObjectPlugin.ROOT_PROPERTY, root), "test.plugin" + root.replace('/', '.'));
        return plugin;
    }

    FakePlugin mount(FakePlugin plugin) {
        return mount(plugin.root.toString(), plugin);
    }

    void unmount(ManagementObjectPlugin plugin) {
        tree.unmountPlugin(plugin, null);
    }

    <D extends MoDescription> D describe(String root, String moId, D description) {
        tree.addDescription(description, Map.of(ManagementObjectPlugin.ROOT_PROPERTY, root,
                ManagementObjectPlugin.ID_PROPERTY, moId), "test.description");
        return description;
    }

    static NodeUri u(String uri) {
        return NodeUri.of(uri);
    }

    static NodeValue s(String text) {
        return NodeValue.ofString(text);
    }

    /** Something that may throw a DmException. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /** Asserts that the action fails with exactly this SyncML status. */
    static DmException assertStatus(StatusCode expected, Action action) {
        try {
            action.run();
        } catch (DmException e) {
            assertThat(e.status()).as("status of: %s", e.getMessage()).isEqualTo(expected);
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected DmException " + expected + " but got " + e, e);
        }
        return fail("expected DmException " + expected + " but the command succeeded");
    }

    /** Captures what slf4j-simple prints (it writes to System.err). */
    static String captureLog(Action action) throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } catch (DmException e) {
            // the caller asserts the status separately
        } finally {
            System.setErr(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A clock the tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static StatusCode ok() {
        return StatusCode.OK;
    }
}
