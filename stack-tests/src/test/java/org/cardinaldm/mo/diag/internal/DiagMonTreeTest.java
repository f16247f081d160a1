package org.cardinaldm.mo.diag.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.ListForm;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.SubtreeNode;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.testing.tree.InMemoryTreeStore;
import org.cardinaldm.tree.internal.DmTreeImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.LogLevel;
import org.osgi.util.converter.Converters;

/**
 * The plugin mounted in the real tree engine over {@link InMemoryTreeStore}, bound the way DS would
 * (the engine's mount helper is package-private, so reflection stands in for SCR).
 */
class DiagMonTreeTest {
    private final FakeLog log = new FakeLog();
    private DmTreeImpl tree;
    private TreeAccess server;

    interface Action {
        void run() throws DmException;
    }

    private static void assertStatus(StatusCode expected, Action action) {
        try {
            action.run();
        } catch (DmException e) {
            assertThat(e.status()).as(e.getMessage()).isEqualTo(expected);
            return;
        }
        fail("expected " + expected);
    }

    private static NodeUri u(String s) {
        return NodeUri.of(s);
    }

    @BeforeEach
    void mount() throws ReflectiveOperationException {
        tree = new DmTreeImpl(new InMemoryTreeStore(),
                Converters.standardConverter().convert(Map.of()).to(DmTreeImpl.Config.class));
        DiagMonPlugin plugin = new DiagMonPlugin(DiagMonPluginTest.config(Map.of("max.entries", 3)));
        new LogFeed(plugin, log);
        Method mount = DmTreeImpl.class.getDeclaredMethod("mountPlugin", ManagementObjectPlugin.class, Map.class,
                String.class);
        mount.setAccessible(true);
        mount.invoke(tree, plugin, Map.of(ManagementObjectPlugin.ROOT_PROPERTY, DiagMonPlugin.ROOT,
                ManagementObjectPlugin.ID_PROPERTY, DiagMonPlugin.MO_ID), "org.cardinaldm.mo.diag");
        server = tree.as(Principal.server("dms.example.com"));
    }

    @Test
    void a_server_gets_entries_through_the_engine() throws DmException {
        log.log(LogLevel.ERROR, "org.cardinaldm.smartcard.pcsc", "org.cardinaldm.smartcard.pcsc.internal.Reader",
                "Card removed while PIN 1234 was being sent", null);
        assertThat(server.children(u("./DiagMon/Log/Entries"))).containsExactly("1");
        assertThat(server.get(u("./DiagMon/Log/Entries/1/Level")).asString()).isEqualTo("ERROR");
        assertThat(server.get(u("./DiagMon/Log/Entries/1/Message")).asString())
                .isEqualTo("Card removed while PIN *** was being sent");
        assertThat(server.get(u("./DiagMon/Log/Count")).asString()).isEqualTo("1");
        assertThat(server.describe(u("./DiagMon")).type()).isEqualTo(DiagMonPlugin.MO_ID);
        assertStatus(StatusCode.NOT_FOUND, () -> server.get(u("./DiagMon/Log/Entries/2/Message")));
    }

    @Test
    void the_help_desk_read_lists_the_log_oldest_first_as_readable_lines() throws DmException {
        log.log(LogLevel.WARN, "w1").log(LogLevel.INFO, "ignored").log(LogLevel.WARN, "w2")
                .log(LogLevel.ERROR, "secret=abc e3").log(LogLevel.WARN, "w4");
        SubtreeNode root = tree.list(server, u("./DiagMon"), ListForm.structData());
        List<String> lines = new ArrayList<>();
        flatten(root, "", lines);
        // what the help desk's Logs section shows: path below ./DiagMon, then the value
        assertThat(lines).containsExactly(
                "Log/Count: 3",
                "Log/MaxEntries: 3",
                "Log/Entries/2/Time: 2026-11-27T22:00:03.005Z",
                "Log/Entries/2/Level: WARN",
                "Log/Entries/2/Source: org.example.bundle (org.example.Foo)",
                "Log/Entries/2/Message: w2",
                "Log/Entries/3/Time: 2026-11-27T22:00:04.005Z",
                "Log/Entries/3/Level: ERROR",
                "Log/Entries/3/Source: org.example.bundle (org.example.Foo)",
                "Log/Entries/3/Message: secret=*** e3",
                "Log/Entries/4/Time: 2026-11-27T22:00:05.005Z",
                "Log/Entries/4/Level: WARN",
                "Log/Entries/4/Source: org.example.bundle (org.example.Foo)",
                "Log/Entries/4/Message: w4",
                "Log/Clear: ");
    }

    private static void flatten(SubtreeNode node, String prefix, List<String> out) {
        for (SubtreeNode child : node.children()) {
            String path = prefix.isEmpty() ? child.name() : prefix + "/" + child.name();
            if (child.isInterior()) {
                flatten(child, path, out);
            } else {
                out.add(path + ": " + child.value().map(NodeValue::asString).orElse(""));
            }
        }
    }

    @Test
    void writes_are_refused_by_the_acl_for_servers_and_with_405_for_everyone_else() throws DmException {
        log.log(LogLevel.WARN, "w");
        TreeAccess admin = tree.as(Principal.localAdmin());
        TreeAccess system = tree.as(Principal.system());
        for (TreeAccess who : List.of(admin, system)) {
            assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> who.replace(u("./DiagMon/Log/MaxEntries"), NodeValue.ofInt(5)));
            assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> who.replace(u("./DiagMon/Log/Entries/1/Message"),
                    NodeValue.ofString("forged")));
            assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> who.delete(u("./DiagMon/Log/Entries/1")));
            assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> who.add(u("./DiagMon/Log/Entries/9"), NodeValue.interior()));
            assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> who.exec(u("./DiagMon/Log/Count"), NodeValue.ofNull(), ""));
        }
        assertStatus(StatusCode.PERMISSION_DENIED, () -> server.replace(u("./DiagMon/Log/MaxEntries"), NodeValue.ofInt(5)));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> server.delete(u("./DiagMon/Log/Entries/1")));
        assertThat(server.get(u("./DiagMon/Log/Entries/1/Message")).asString()).isEqualTo("w");
        assertThat(server.get(u("./DiagMon/Log/MaxEntries")).asString()).isEqualTo("3");
    }

    @Test
    void clear_is_refused_to_a_server_without_exec_rights_and_works_for_the_local_administrator() throws DmException {
        log.log(LogLevel.WARN, "w");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> server.exec(u("./DiagMon/Log/Clear"), NodeValue.ofNull(), ""));
        assertThat(server.get(u("./DiagMon/Log/Count")).asString()).isEqualTo("1");
        assertThat(tree.as(Principal.localAdmin()).exec(u("./DiagMon/Log/Clear"), NodeValue.ofNull(), ""))
                .isEqualTo(StatusCode.OK);
        assertThat(server.get(u("./DiagMon/Log/Count")).asString()).isEqualTo("0");
    }

    @Test
    void a_server_granted_exec_on_clear_by_the_administrator_may_clear() throws DmException {
        log.log(LogLevel.WARN, "w");
        tree.as(Principal.localAdmin()).setProperty(u("./DiagMon/Log/Clear"), Property.ACL,
                "Get=*&Exec=dms.example.com");
        TreeAccess other = tree.as(Principal.server("other.example.com"));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> other.exec(u("./DiagMon/Log/Clear"), NodeValue.ofNull(), ""));
        assertThat(server.exec(u("./DiagMon/Log/Clear"), NodeValue.ofNull(), "")).isEqualTo(StatusCode.OK);
        assertThat(server.get(u("./DiagMon/Log/Count")).asString()).isEqualTo("0");
        // the grant is for Clear only: everything else stays read-only
        assertStatus(StatusCode.PERMISSION_DENIED, () -> server.replace(u("./DiagMon/Log/MaxEntries"), NodeValue.ofInt(5)));
    }
}
