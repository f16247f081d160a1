package org.cardinaldm.mo.diag.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

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
import org.osgi.service.log.LogLevel;
import org.osgi.util.converter.Converters;

class DiagMonPluginTest {
    private static final MoContext SERVER = () -> Principal.server("srv1");

    interface Action {
        void run() throws DmException;
    }

    static DiagMonPlugin.Config config(Map<String, Object> props) {
        return Converters.standardConverter().convert(props).to(DiagMonPlugin.Config.class);
    }

    private static NodeUri u(String s) {
        return NodeUri.of(s);
    }

    private static String value(DiagMonPlugin p, String uri) throws DmException {
        return p.get(u(uri), SERVER).asString();
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

    private static DiagMonPlugin bound(Map<String, Object> props, FakeLog log) {
        DiagMonPlugin p = new DiagMonPlugin(config(props));
        new LogFeed(p, log);
        return p;
    }

    @Test
    void root_is_permanent_typed_with_cardinals_mo_id_and_readable_by_all() throws DmException {
        DiagMonPlugin p = new DiagMonPlugin(config(Map.of()));
        NodeInfo root = p.describe(u("./DiagMon"), SERVER).orElseThrow();
        assertThat(root.isInterior()).isTrue();
        assertThat(root.type()).isEqualTo("urn:x-cardinaldm:mo:diagmon:1.0");
        assertThat(root.acl()).isEqualTo(Acl.of("Get=*"));
        assertThat(root.isPermanent()).isTrue();
        assertThat(p.children(u("./DiagMon"), SERVER)).containsExactly("Log");
        assertThat(p.children(u("./DiagMon/Log"), SERVER)).containsExactly("Count", "MaxEntries", "Entries", "Clear");
        assertThat(value(p, "./DiagMon/Log")).isEqualTo("Count/MaxEntries/Entries/Clear");
        assertThat(p.describe(u("./DiagMon/Log/Entries"), SERVER).orElseThrow().isInterior()).isTrue();
        assertThat(p.describe(u("./DiagMon/Log/Clear"), SERVER).orElseThrow().format()).isEqualTo(Format.NULL);
    }

    @Test
    void without_a_log_service_the_mo_is_there_and_empty() throws DmException {
        DiagMonPlugin p = new DiagMonPlugin(config(Map.of()));
        assertThat(p.children(u("./DiagMon/Log/Entries"), SERVER)).isEmpty();
        assertThat(p.get(u("./DiagMon/Log/Count"), SERVER).format()).isEqualTo(Format.INT);
        assertThat(value(p, "./DiagMon/Log/Count")).isEqualTo("0");
        assertThat(value(p, "./DiagMon/Log/MaxEntries")).isEqualTo("100");
        NodeInfo count = p.describe(u("./DiagMon/Log/Count"), SERVER).orElseThrow();
        assertThat(count.format()).isEqualTo(Format.INT);
        assertThat(count.isPermanent()).isTrue();
    }

    @Test
    void entries_have_time_level_source_and_message_leaves() throws DmException {
        FakeLog log = new FakeLog();
        DiagMonPlugin p = bound(Map.of(), log);
        log.log(LogLevel.ERROR, "org.cardinaldm.tree", "org.cardinaldm.tree.internal.TreeEngine", "Store failed",
                new IllegalStateException("disk full"));
        assertThat(p.children(u("./DiagMon/Log/Entries"), SERVER)).containsExactly("1");
        assertThat(p.children(u("./DiagMon/Log/Entries/1"), SERVER)).containsExactly("Time", "Level", "Source", "Message");
        assertThat(value(p, "./DiagMon/Log/Entries/1/Time")).isEqualTo("2026-11-27T22:00:01.005Z");
        assertThat(value(p, "./DiagMon/Log/Entries/1/Level")).isEqualTo("ERROR");
        assertThat(value(p, "./DiagMon/Log/Entries/1/Source"))
                .isEqualTo("org.cardinaldm.tree (org.cardinaldm.tree.internal.TreeEngine)");
        assertThat(value(p, "./DiagMon/Log/Entries/1/Message"))
                .isEqualTo("Store failed | java.lang.IllegalStateException: disk full");
        for (String leaf : List.of("Time", "Level", "Source", "Message")) {
            NodeUri uri = u("./DiagMon/Log/Entries/1/" + leaf);
            NodeInfo info = p.describe(uri, SERVER).orElseThrow();
            NodeValue v = p.get(uri, SERVER);
            assertThat(info.format()).as(leaf).isEqualTo(Format.CHR);
            assertThat(info.type()).as(leaf).isEqualTo("text/plain");
            assertThat(info.size()).as(leaf).isEqualTo(v.size());
        }
        assertThat(p.describe(u("./DiagMon/Log/Entries/1"), SERVER).orElseThrow().isInterior()).isTrue();
    }

    @Test
    void source_falls_back_to_whichever_name_there_is() throws DmException {
        FakeLog log = new FakeLog();
        DiagMonPlugin p = bound(Map.of(), log);
        log.log(LogLevel.WARN, "org.example.a", null, "one", null);
        log.log(LogLevel.WARN, null, "some.Logger", "two", null);
        log.log(LogLevel.WARN, null, null, "three", null);
        log.log(LogLevel.WARN, "org.example.b", "org.example.b", "four", null);
        log.log(LogLevel.WARN, "org.example.c", "LogService", "five", null);
        log.log(LogLevel.WARN, "org.example.d", "LogService.org.example.d", "six", null);
        assertThat(value(p, "./DiagMon/Log/Entries/1/Source")).isEqualTo("org.example.a");
        assertThat(value(p, "./DiagMon/Log/Entries/2/Source")).isEqualTo("some.Logger");
        assertThat(value(p, "./DiagMon/Log/Entries/3/Source")).isEqualTo("unknown");
        assertThat(value(p, "./DiagMon/Log/Entries/4/Source")).isEqualTo("org.example.b");
        assertThat(value(p, "./DiagMon/Log/Entries/5/Source")).isEqualTo("org.example.c");
        assertThat(value(p, "./DiagMon/Log/Entries/6/Source")).isEqualTo("org.example.d");
    }

    @Test
    void the_default_level_keeps_warnings_errors_and_audit_only() throws DmException {
        FakeLog log = new FakeLog();
        DiagMonPlugin p = bound(Map.of(), log);
        for (LogLevel level : LogLevel.values()) {
            log.log(level, "at " + level);
        }
        assertThat(p.ring().snapshot()).extracting(LogLine::level).containsExactly("AUDIT", "ERROR", "WARN");
        assertThat(value(p, "./DiagMon/Log/Count")).isEqualTo("3");
    }

    @Test
    void a_configured_level_lets_more_in_and_a_bad_one_falls_back_to_warn() {
        FakeLog log = new FakeLog();
        DiagMonPlugin debug = bound(Map.of("min.level", "debug"), log);
        DiagMonPlugin error = bound(Map.of("min.level", "ERROR"), log);
        DiagMonPlugin bad = bound(Map.of("min.level", "LOUD"), log);
        for (LogLevel level : LogLevel.values()) {
            log.log(level, "at " + level);
        }
        assertThat(debug.ring().snapshot()).extracting(LogLine::level)
                .containsExactly("AUDIT", "ERROR", "WARN", "INFO", "DEBUG");
        assertThat(error.ring().snapshot()).extracting(LogLine::level).containsExactly("AUDIT", "ERROR");
        assertThat(bad.ring().snapshot()).extracting(LogLine::level).containsExactly("AUDIT", "ERROR", "WARN");
    }

    @Test
    void live_entries_appear_and_the_oldest_go_when_full() throws DmException {
        FakeLog log = new FakeLog();
        DiagMonPlugin p = bound(Map.of("max.entries", 3), log);
        log.log(LogLevel.WARN, "first");
        assertThat(value(p, "./DiagMon/Log/Entries")).isEqualTo("1");
        for (int i = 2; i <= 5; i++) {
            log.log(LogLevel.WARN, "w" + i);
        }
        assertThat(p.children(u("./DiagMon/Log/Entries"), SERVER)).containsExactly("3", "4", "5");
        assertThat(value(p, "./DiagMon/Log/Count")).isEqualTo("3");
        assertThat(value(p, "./DiagMon/Log/MaxEntries")).isEqualTo("3");
        assertThat(value(p, "./DiagMon/Log/Entries/5/Message")).isEqualTo("w5");
        assertThat(p.describe(u("./DiagMon/Log/Entries/1"), SERVER)).isEmpty();
        assertStatus(StatusCode.NOT_FOUND, () -> p.get(u("./DiagMon/Log/Entries/1/Message"), SERVER));
    }

    @Test
    void history_from_before_the_bind_is_taken_oldest_first() throws DmException {
        FakeLog log = new FakeLog();
        log.log(LogLevel.WARN, "old 1").log(LogLevel.INFO, "old info").log(LogLevel.ERROR, "old 2");
        DiagMonPlugin p = new DiagMonPlugin(config(Map.of()));
        LogFeed feed = new LogFeed(p, log);
        assertThat(log.listeners).containsExactly(feed);
        log.log(LogLevel.WARN, "new");
        assertThat(p.ring().snapshot()).extracting(LogLine::message).containsExactly("old 1", "old 2", "new");
    }

    @Test
    void deactivating_the_feed_stops_listening_and_the_mo_keeps_what_was_seen() throws DmException {
        FakeLog log = new FakeLog();
        DiagMonPlugin p = new DiagMonPlugin(config(Map.of()));
        LogFeed feed = new LogFeed(p, log);
        log.log(LogLevel.WARN, "seen");
        feed.deactivate();
        assertThat(log.listeners).isEmpty();
        log.log(LogLevel.WARN, "unseen");
        assertThat(value(p, "./DiagMon/Log/Count")).isEqualTo("1");
        assertThat(value(p, "./DiagMon/Log/Entries/1/Message")).isEqualTo("seen");
    }

    @Test
    void a_new_feed_takes_only_history_newer_than_what_was_seen_even_after_clear() throws DmException {
        FakeLog log = new FakeLog();
        DiagMonPlugin p = new DiagMonPlugin(config(Map.of()));
        assertThat(p.newestSeen()).isEqualTo(Long.MIN_VALUE);
        LogFeed feed = new LogFeed(p, log);
        log.log(LogLevel.WARN, "a").log(LogLevel.INFO, "b (filtered, but seen)");
        feed.deactivate();
        p.exec(u("./DiagMon/Log/Clear"), NodeValue.ofNull(), "", SERVER);
        log.log(LogLevel.WARN, "c, while nobody listened");
        new LogFeed(p, log); // the reader comes back: its history holds a, b and c
        assertThat(p.ring().snapshot()).extracting(LogLine::message).containsExactly("c, while nobody listened");
        assertThat(p.newestSeen()).isEqualTo(FakeLog.T0 + 3005);
    }

    @Test
    void offers_with_an_unknown_or_missing_level_are_ignored() {
        DiagMonPlugin p = new DiagMonPlugin(config(Map.of("min.level", "TRACE")));
        p.offer(FakeLog.T0, null, "b", "l", "m", null);
        p.offer(FakeLog.T0, "FATAL", "b", "l", "m", null);
        p.offer(FakeLog.T0, "TRACE", "b", "l", "m", null);
        assertThat(p.ring().snapshot()).extracting(LogLine::level).containsExactly("TRACE");
    }

    @Test
    void messages_are_masked_made_single_line_and_truncated_after_masking() throws DmException {
        FakeLog log = new FakeLog();
        DiagMonPlugin p = bound(Map.of("message.max.chars", 20), log);
        log.log(LogLevel.ERROR, "bad password=hunter2");
        log.log(LogLevel.ERROR, "line1\nline2\tend");
        log.log(LogLevel.ERROR, "0123456789abcdef0123456789abcdef is the key");
        log.log(LogLevel.ERROR, null, null, null, new RuntimeException("token=abc"));
        assertThat(value(p, "./DiagMon/Log/Entries/1/Message")).isEqualTo("bad password=***");
        assertThat(value(p, "./DiagMon/Log/Entries/2/Message")).isEqualTo("line1 line2 end");
        assertThat(value(p, "./DiagMon/Log/Entries/3/Message")).isEqualTo("*** is the key");
        String fourth = value(p, "./DiagMon/Log/Entries/4/Message");
        assertThat(fourth).hasSize(20).endsWith("\u2026").startsWith("java.lang.RuntimeEx");
        assertThat(p.ring().snapshot()).extracting(LogLine::message)
                .noneMatch(m -> m.contains("hunter2") || m.contains("0123456789abcdef") || m.contains("abc"));
    }

    @Test
    void masking_comes_before_the_cut_so_no_part_of_a_secret_shows() throws DmException {
        FakeLog log = new FakeLog();
        DiagMonPlugin p = bound(Map.of("message.max.chars", 20), log);
        log.log(LogLevel.WARN, "error code: 0123456789abcdef tail");
        log.log(LogLevel.WARN, "x".repeat(14) + " token=abcdefgh");
        assertThat(value(p, "./DiagMon/Log/Entries/1/Message")).isEqualTo("error code: *** tail");
        assertThat(value(p, "./DiagMon/Log/Entries/2/Message")).isEqualTo("x".repeat(14) + " toke\u2026");
    }

    @Test
    void a_huge_message_is_masked_and_cut() throws DmException {
        FakeLog log = new FakeLog();
        DiagMonPlugin p = bound(Map.of(), log);
        log.log(LogLevel.WARN, "password=hunter2 " + "y".repeat(1_000_000));
        String m = value(p, "./DiagMon/Log/Entries/1/Message");
        assertThat(m).hasSize(512).startsWith("password=*** yyy").doesNotContain("hunter2");
    }

    @Test
    void long_messages_are_cut_to_the_default_512_characters() throws DmException {
        FakeLog log = new FakeLog();
        DiagMonPlugin p = bound(Map.of(), log);
        log.log(LogLevel.WARN, "word ".repeat(200));
        assertThat(value(p, "./DiagMon/Log/Entries/1/Message")).hasSize(512).endsWith("\u2026");
        assertThat(DiagMonPlugin.truncate("ab\uD83D\uDE00cd", 4)).isEqualTo("ab\u2026");
    }

    @Test
    void bad_numbers_in_the_configuration_take_the_defaults() throws DmException {
        DiagMonPlugin p = new DiagMonPlugin(config(Map.of("max.entries", 0, "message.max.chars", 3)));
        assertThat(value(p, "./DiagMon/Log/MaxEntries")).isEqualTo("100");
        new LogFeed(p, new FakeLog().log(LogLevel.WARN, "x".repeat(600)));
        assertThat(value(p, "./DiagMon/Log/Entries/1/Message")).hasSize(512);
    }

    @Test
    void reconfiguration_resizes_in_place_keeping_the_newest() throws DmException {
        FakeLog log = new FakeLog();
        DiagMonPlugin p = bound(Map.of(), log);
        for (int i = 1; i <= 5; i++) {
            log.log(LogLevel.WARN, "w" + i);
        }
        p.modified(config(Map.of("max.entries", 2, "min.level", "INFO")));
        assertThat(p.children(u("./DiagMon/Log/Entries"), SERVER)).containsExactly("4", "5");
        log.log(LogLevel.INFO, "info now kept");
        assertThat(value(p, "./DiagMon/Log/Entries/6/Message")).isEqualTo("info now kept");
        assertThat(value(p, "./DiagMon/Log/MaxEntries")).isEqualTo("2");
    }

    @Test
    void every_write_is_refused_with_405() {
        FakeLog log = new FakeLog();
        DiagMonPlugin p = bound(Map.of(), log);
        log.log(LogLevel.WARN, "w");
        for (String uri : List.of("./DiagMon", "./DiagMon/Log", "./DiagMon/Log/Count", "./DiagMon/Log/MaxEntries",
                "./DiagMon/Log/Entries", "./DiagMon/Log/Entries/1", "./DiagMon/Log/Entries/1/Message",
                "./DiagMon/Log/Clear")) {
            assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> p.replace(u(uri), NodeValue.ofString("x"), SERVER));
            assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> p.delete(u(uri), SERVER));
            assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> p.add(u(uri + "/New"), NodeValue.ofString("x"), SERVER));
            if (!uri.endsWith("/Clear")) {
                assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> p.exec(u(uri), NodeValue.ofNull(), "", SERVER));
            }
        }
        assertThat(p.ring().size()).isEqualTo(1);
    }

    @Test
    void exec_on_clear_drops_the_entries_and_numbering_goes_on() throws DmException {
        FakeLog log = new FakeLog();
        DiagMonPlugin p = bound(Map.of(), log);
        log.log(LogLevel.WARN, "a").log(LogLevel.WARN, "b");
        assertThat(p.exec(u("./DiagMon/Log/Clear"), NodeValue.ofNull(), "", SERVER)).isEqualTo(StatusCode.OK);
        assertThat(value(p, "./DiagMon/Log/Count")).isEqualTo("0");
        assertThat(p.children(u("./DiagMon/Log/Entries"), SERVER)).isEmpty();
        log.log(LogLevel.WARN, "c");
        assertThat(p.children(u("./DiagMon/Log/Entries"), SERVER)).containsExactly("3");
    }

    @Test
    void unknown_nodes_are_404_and_leaves_have_no_children() {
        FakeLog log = new FakeLog();
        DiagMonPlugin p = bound(Map.of(), log);
        log.log(LogLevel.WARN, "w");
        for (String uri : List.of("./DiagMon/Other", "./DiagMon/Log/Entries/2", "./DiagMon/Log/Entries/01",
                "./DiagMon/Log/Entries/x", "./DiagMon/Log/Entries/1/Other", "./DiagMon/Log/Entries/1/Time/x",
                "./DiagMon/Log/Entries/99999999999999999999")) {
            assertThat(p.describe(u(uri), SERVER)).as(uri).isEmpty();
            assertStatus(StatusCode.NOT_FOUND, () -> p.get(u(uri), SERVER));
            assertStatus(StatusCode.NOT_FOUND, () -> p.children(u(uri), SERVER));
        }
        for (String uri : List.of("./DiagMon/Log/Count", "./DiagMon/Log/Entries/1/Time", "./DiagMon/Log/Clear")) {
            assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> p.children(u(uri), SERVER));
        }
    }
}
