package org.cardinaldm.server.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.audit.AuditQuery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code dms:audit}: the table, the pages, the filters and the refusal of bad options. */
class AuditCommandTest {
    private final ServerFakes.Audit audit = new ServerFakes.Audit();
    private final FumoFakes.Out out = new FumoFakes.Out();

    @BeforeEach
    void log() {
        // entry i is recorded at FumoFakes.T + i minutes (ids 1..6)
        audit.record("alice", AuditEntry.Channel.SHELL, "dms:device-unlock", "IMEI:1", "ok", "karaf shell");
        audit.record("bob", AuditEntry.Channel.REST, "POST /devices/IMEI:1/jobs", "IMEI:1", "201 Created", "10.0.0.7");
        audit.record("alice", AuditEntry.Channel.CONSOLE, "POST /devices/IMEI:2/jobs", "IMEI:2", "201 Created", null);
        audit.record("bob", AuditEntry.Channel.CONSOLE, "POST /campaigns/3/pause", null,
                "403 Forbidden (refused or failed)", "10.0.0.8");
        audit.record("alice", AuditEntry.Channel.SHELL, "dms:job-add get ./DevInfo/Mod", "IMEI:1", "ok", "karaf shell");
        audit.record("eve\u001b[2J", AuditEntry.Channel.REST, "DELETE /devices/IMEI:9", "IMEI:9", "404 Not Found", null);
    }

    private AuditCommand command() {
        AuditCommand c = new AuditCommand();
        c.audit = audit;
        c.out = out.stream;
        return c;
    }

    private static List<String> rows(String text) {
        return text.lines().filter(l -> l.matches("^\\s*\\d+\\s*\\|.*")).toList();
    }

    @Test
    void it_prints_every_field_newest_first_and_names_the_next_page() throws Exception {
        AuditCommand c = command();
        c.limit = 4;
        c.execute();
        String text = out.text();
        assertThat(text).contains("Id").contains("Time").contains("User").contains("Via").contains("Action")
                .contains("Target").contains("Outcome").contains("From");
        List<String> rows = rows(text);
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).startsWith("6").contains("eve?[2J").doesNotContain("\u001b");
        assertThat(rows.get(1)).contains("2026-12-07 10:04:00Z").contains("alice").contains("shell")
                .contains("dms:job-add get ./DevInfo/Mod").contains("IMEI:1").contains("ok").contains("karaf shell");
        assertThat(rows.get(3)).startsWith("3").contains("console");
        assertThat(text).contains("Older entries: dms:audit --before 3 -n 4");
    }

    @Test
    void the_filters_reach_the_log_and_only_matching_entries_are_printed() throws Exception {
        AuditCommand c = command();
        c.user = "alice";
        c.action = "JOB";
        c.target = "IMEI:1";
        c.since = "2026-12-07T10:01:00Z";
        c.until = "2026-12-07";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class)
                .hasMessage("--since must be before --until.");
        c.until = "2026-12-08";
        c.execute();
        AuditQuery q = audit.queries.get(audit.queries.size() - 1);
        assertThat(q).isEqualTo(new AuditQuery("alice", "JOB", "IMEI:1", Instant.parse("2026-12-07T10:01:00Z"),
                Instant.parse("2026-12-08T00:00:00Z"), 0, 30));
        assertThat(rows(out.text())).singleElement().satisfies(r -> assertThat(r).startsWith("5"));

        AuditCommand byTime = command();
        byTime.since = "2026-12-07T11:02:00+01:00";
        byTime.until = "2026-12-07T10:04:00Z";
        byTime.execute();
        assertThat(rows(out.text()).subList(1, 3)).extracting(r -> r.trim().substring(0, 1)).containsExactly("4", "3");
    }

    @Test
    void a_full_filtered_page_names_the_next_one_with_the_same_filters() throws Exception {
        AuditCommand c = command();
        c.user = "alice";
        c.target = "IMEI:1";
        c.limit = 1;
        c.execute();
        assertThat(out.text()).contains("Older entries: dms:audit --before 5 -n 1 --user \"alice\" --target \"IMEI:1\"");
        AuditCommand next = command();
        next.user = "alice";
        next.target = "IMEI:1";
        next.limit = 1;
        next.before = 5;
        next.execute();
        assertThat(audit.queries.get(audit.queries.size() - 1).after()).isEqualTo(5);
        assertThat(rows(out.text())).last().satisfies(r -> assertThat(r.trim()).startsWith("1"));
    }

    @Test
    void nothing_matching_says_so() throws Exception {
        AuditCommand c = command();
        c.user = "mallory";
        c.execute();
        assertThat(out.text()).isEqualTo("No audit entries match these filters." + System.lineSeparator());
    }

    @Test
    void bad_options_are_refused_with_one_sentence_naming_the_option() {
        String[][] cases = {
            {"limit", "0", "--limit must be 1 to 500."},
            {"limit", "501", "--limit must be 1 to 500."},
            {"before", "-1", "--before must be an entry id (see the Id column)."},
            {"user", "eve\nadmin", "--user must not contain control characters."},
            {"target", "x".repeat(513), "--target must be at most 512 characters."},
            {"since", "yesterday", "--since must be a time with its offset"},
            {"until", "2026-12-07T10:00", "--until must be a time with its offset"},
        };
        for (String[] k : cases) {
            AuditCommand c = command();
            switch (k[0]) {
                case "limit" -> c.limit = Integer.parseInt(k[1]);
                case "before" -> c.before = Long.parseLong(k[1]);
                case "user" -> c.user = k[1];
                case "target" -> c.target = k[1];
                case "since" -> c.since = k[1];
                default -> c.until = k[1];
            }
            assertThatThrownBy(c::execute).as(k[0]).isInstanceOf(CommandException.class).hasMessageStartingWith(k[2]);
        }
        assertThat(audit.queries).isEmpty();
    }

    @Test
    void without_the_server_it_says_what_to_install() {
        AuditCommand c = command();
        c.audit = null;
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("not running");
    }
}
