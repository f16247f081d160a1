package org.cardinaldm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ToolsTest {
    @TempDir
    Path dir;

    private Path program(Path where, String name, String script) throws Exception {
        Files.createDirectories(where);
        Path p = where.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void a_program_is_found_in_the_first_path_directory_that_has_it() throws Exception {
        Path first = program(dir.resolve("a"), "wbxml2xml", "true");
        program(dir.resolve("b"), "wbxml2xml", "true");
        Environment env = Environment.of(Map.of("PATH", dir.resolve("a") + ":" + dir.resolve("b")));
        assertThat(Tools.find("wbxml2xml", env)).contains(first);
        assertThat(Tools.missing("wbxml2xml", "libwbxml2-utils", env)).isEmpty();
    }

    @Test
    void the_tools_path_variable_replaces_path() throws Exception {
        program(dir.resolve("a"), "wbxml2xml", "true");
        Files.createDirectories(dir.resolve("empty"));
        Environment env = Environment.of(Map.of("PATH", dir.resolve("a").toString(),
                Tools.TOOLS_PATH, dir.resolve("empty").toString()));
        assertThat(Tools.find("wbxml2xml", env)).isEmpty();
    }

    @Test
    void a_file_that_is_not_executable_does_not_count() throws Exception {
        Files.writeString(dir.resolve("opensc-tool"), "not a program");
        Environment env = Environment.of(Map.of("PATH", dir.toString()));
        assertThat(Tools.missing("opensc-tool", "opensc", env))
                .contains("opensc-tool is not on PATH (Debian: apt-get install -y opensc)");
    }

    @Test
    void require_skips_without_ci_and_fails_with_ci_naming_the_package() {
        Environment off = Environment.of(Map.of("PATH", dir.toString()));
        Environment ci = Environment.of(Map.of("PATH", dir.toString(), "CI", "true"));
        assertThat(catchThrowable(() -> ExternalTool.require("xml2wbxml", "libwbxml2-utils", off)))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("apt-get install -y libwbxml2-utils");
        assertThat(catchThrowable(() -> ExternalTool.require("xml2wbxml", "libwbxml2-utils", ci)))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("apt-get install -y libwbxml2-utils");
    }

    @Test
    void run_passes_the_input_file_and_returns_the_output_file_and_stderr() throws Exception {
        // like libwbxml: prog [args] -o out in
        program(dir.resolve("bin"), "upcase", "echo \"args $1\" >&2; tr a-z A-Z < \"$4\" > \"$3\"");
        ExternalTool tool = ExternalTool.require("upcase", "none",
                Environment.of(Map.of("PATH", dir.resolve("bin").toString())));
        ExternalTool.Result r = tool.run("syncml".getBytes(StandardCharsets.US_ASCII), "-k");
        assertThat(r.exitCode()).isZero();
        assertThat(new String(r.output(), StandardCharsets.US_ASCII)).isEqualTo("SYNCML");
        assertThat(r.stderr()).isEqualTo("args -k\n");
        assertThat(tool.path()).isEqualTo(dir.resolve("bin/upcase"));
    }
}
