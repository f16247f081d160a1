package org.cardinaldm.fumo.agent.file.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthCheckTest {
    @TempDir
    Path tmp;
    final List<Duration> pauses = new ArrayList<>();

    @BeforeEach
    void coreutils() {
        boolean present = Files.isExecutable(Path.of(program("test"))) && Files.isExecutable(Path.of(program("sleep")));
        if ("true".equals(System.getenv("CI"))) {
            assertThat(present).as("test and sleep (Debian package coreutils)").isTrue();
        }
        assumeTrue(present, "needs test, true, false and sleep: install the Debian package coreutils");
    }

    @Test
    void a_comma_separated_command_line_from_a_cfg_file_becomes_a_list() {
        assertThat(FileSlotAgent.argv(new String[] {"/usr/bin/check, {slot} ,{version}"}))
                .containsExactly("/usr/bin/check", "{slot}", "{version}");
        assertThat(FileSlotAgent.argv(new String[] {"/usr/bin/check", "a,b"})).containsExactly("/usr/bin/check", "a,b");
        assertThat(FileSlotAgent.argv(null)).isEmpty();
    }

    static String program(String name) {
        return Files.isExecutable(Path.of("/usr/bin", name)) ? "/usr/bin/" + name : "/bin/" + name;
    }

    HealthCheck command(String... argv) {
        return HealthCheck.of("command", null, List.of(argv), Duration.ofSeconds(30), pauses::add);
    }

    @Test
    void exit_code_zero_is_healthy_and_anything_else_is_not() {
        assertThat(command(program("true")).check(tmp, "1.0")).isTrue();
        assertThat(command(program("false")).check(tmp, "1.0")).isFalse();
    }

    @Test
    void a_program_that_does_not_exist_is_not_healthy() {
        assertThat(command("/nonexistent/health-check").check(tmp, "1.0")).isFalse();
    }

    @Test
    void placeholders_become_single_arguments_and_nothing_goes_through_a_shell() throws Exception {
        Path slot = Files.createDirectories(tmp.resolve("slot with spaces; touch pwned"));
        Files.writeString(slot.resolve("ok"), "");
        // 'test -d <slot>' is true only if the whole path arrived as one argument
        assertThat(command(program("test"), "-d", HealthCheck.SLOT).check(slot, "1.0")).isTrue();
        assertThat(Files.exists(Path.of("pwned"))).isFalse();
        // the version is one argument too: 'test X = 1.0 -o x' would be true if it were split
        assertThat(command(program("test"), HealthCheck.VERSION, "=", "1.0 -o x").check(slot, "1.0 -o x")).isTrue();
        assertThat(command(program("test"), HealthCheck.VERSION, "=", "2.0").check(slot, "1.0 -o x")).isFalse();
        // a placeholder inside a longer argument is left as it is
        HealthCheck.Command c = (HealthCheck.Command) command("prog", "--slot={slot}", HealthCheck.SLOT);
        assertThat(c.arguments(slot, "1.0")).containsExactly("prog", "--slot={slot}", slot.toAbsolutePath().toString());
    }

    @Test
    void a_command_that_overruns_its_time_out_is_killed_and_not_healthy() {
        HealthCheck c = HealthCheck.of("command", null, List.of(program("sleep"), "600"), Duration.ZERO, d -> { });
        assertThat(c.check(tmp, "1.0")).isFalse();
    }

    @Test
    void a_marker_is_looked_for_until_the_time_out_without_sleeping_in_the_test() throws Exception {
        HealthCheck m = HealthCheck.of("marker", "ok", List.of(), Duration.ofSeconds(1), pauses::add);
        assertThat(m.check(tmp, "1.0")).isFalse();
        assertThat(pauses).hasSize(5).allMatch(d -> d.toMillis() == 200);
        pauses.clear();
        Files.writeString(tmp.resolve("ok"), "");
        assertThat(m.check(tmp, "1.0")).isTrue();
        assertThat(pauses).isEmpty();
    }

    @Test
    void a_marker_that_is_a_directory_or_a_link_does_not_count() throws Exception {
        HealthCheck m = HealthCheck.of("marker", "ok", List.of(), Duration.ZERO, pauses::add);
        Files.createDirectory(tmp.resolve("ok"));
        assertThat(m.check(tmp, "1.0")).isFalse();
        Path target = Files.writeString(tmp.resolve("elsewhere"), "");
        Path slot2 = Files.createDirectory(tmp.resolve("s2"));
        Files.createSymbolicLink(slot2.resolve("ok"), target);
        assertThat(m.check(slot2, "1.0")).isFalse();
    }

    @Test
    void none_is_always_healthy_and_unknown_kinds_or_empty_commands_are_refused() {
        assertThat(HealthCheck.of("NONE", null, null, Duration.ZERO, pauses::add).check(tmp, "1")).isTrue();
        assertThat(HealthCheck.of(null, null, null, Duration.ZERO, pauses::add).check(tmp, "1")).isTrue();
        assertThatThrownBy(() -> HealthCheck.of("script", null, null, Duration.ZERO, pauses::add))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HealthCheck.of("command", null, List.of(""), Duration.ZERO, pauses::add))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HealthCheck.of("command", null, List.of("x", "a\0b"), Duration.ZERO, pauses::add))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
