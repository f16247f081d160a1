package org.cardinaldm.api.spi.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFactsTest {
    /** A host made of a few files. */
    private static HostFacts files(Map<String, String> files) {
        return new HostFacts() {
            @Override
            public Optional<String> firstLine(String path) {
                return HostFacts.cleaned(files.get(path));
            }

            @Override
            public Optional<String> property(String key) {
                return Optional.empty();
            }

            @Override
            public Locale locale() {
                return Locale.ROOT;
            }
        };
    }

    @Test
    void system_host_reads_first_line_and_treats_missing_or_blank_files_as_absent(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("vendor");
        Files.writeString(f, "  Vendor X  \nsecond line\n");
        Path blank = dir.resolve("blank");
        Files.writeString(blank, " \n");
        HostFacts host = HostFacts.system();
        assertThat(host.firstLine(f.toString())).contains("Vendor X");
        assertThat(host.firstLine(blank.toString())).isEmpty();
        assertThat(host.firstLine(dir.resolve("absent").toString())).isEmpty();
        assertThat(host.firstLine(dir.toString())).isEmpty();
        assertThat(host.property("java.version")).isPresent();
        assertThat(host.property("no.such.property.cardinal")).isEmpty();
        assertThat(host.locale()).isEqualTo(Locale.getDefault());
    }

    @Test
    void system_host_reads_no_more_than_the_first_4_kib(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("huge");
        Files.writeString(f, "x".repeat(HostFacts.MAX_FILE_BYTES + 100));
        assertThat(HostFacts.system().firstLine(f.toString())).hasValueSatisfying(
                s -> assertThat(s).hasSize(HostFacts.MAX_FILE_BYTES));
    }

    @Test
    void cleaned_keeps_the_first_line_trimmed_without_nuls() {
        assertThat(HostFacts.cleaned("Raspberry Pi 4\u0000")).contains("Raspberry Pi 4");
        assertThat(HostFacts.cleaned(" a b \r\nc")).contains("a b");
        assertThat(HostFacts.cleaned("\nsecond")).isEmpty();
        assertThat(HostFacts.cleaned(" \u0000 ")).isEmpty();
        assertThat(HostFacts.cleaned(null)).isEmpty();
    }

    @Test
    void first_real_passes_over_absent_files_and_placeholders_in_any_case() {
        HostFacts host = files(Map.of("/a", "To Be Filled By O.E.M.", "/b", "Default String", "/c", "ACME", "/d", "Other"));
        assertThat(host.firstReal(HostFacts.FIRMWARE_PLACEHOLDERS, List.of("/none", "/a", "/b", "/c", "/d")))
                .contains("ACME");
        assertThat(host.firstReal(HostFacts.FIRMWARE_PLACEHOLDERS, List.of("/a", "/b"))).isEmpty();
        assertThat(host.firstReal(Set.of(), List.of("/a", "/c"))).contains("To Be Filled By O.E.M.");
        assertThat(host.firstReal(Set.of("acme"), List.of("/c", "/d"))).contains("Other");
        assertThat(host.firstReal(HostFacts.FIRMWARE_PLACEHOLDERS, List.of())).isEmpty();
    }

    @Test
    void firmware_placeholders_are_lower_case() {
        assertThat(HostFacts.FIRMWARE_PLACEHOLDERS).allSatisfy(p -> assertThat(p).isEqualTo(p.toLowerCase(Locale.ROOT)));
    }
}
