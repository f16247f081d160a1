package org.cardinaldm.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An external program a test runs, found on {@code PATH}. {@link #require} skips the calling JUnit 5 test (or
 * fails it when {@code CI=true}) when the program is missing, naming its Debian package; {@link RequiresTool}
 * does the same check before the test starts.
 */
public final class ExternalTool {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Path program;

    private ExternalTool(String name, Path program) {
        this.name = name;
        this.program = program;
    }

    /**
     * @param name the program name, looked up on {@code PATH}
     * @param debianPackage the Debian package that installs it
     * @return the program; the calling test is skipped, or fails when {@code CI=true}, when it is missing
     */
    public static ExternalTool require(String name, String debianPackage) {
        return require(name, debianPackage, Environment.system());
    }

    /**
     * @param name the program name, looked up on {@code PATH}
     * @param debianPackage the Debian package that installs it
     * @param environment where {@code PATH} and {@code CI} are read
     * @return the program; the calling test is skipped, or fails when {@code CI=true}, when it is missing
     */
    public static ExternalTool require(String name, String debianPackage, Environment environment) {
        Requirements.enforce("test with " + name, Tools.missing(name, debianPackage, environment), environment);
        return new ExternalTool(name, Tools.find(name, environment).orElseThrow());
    }

    /** @return the program's file */
    public Path path() {
        return program;
    }

    /** @return the program's name */
    public String name() {
        return name;
    }

    /**
     * The result of a run.
     *
     * @param exitCode the program's exit code
     * @param output the content of the output file (empty when the program wrote none)
     * @param stderr what the program wrote on standard error
     */
    public record Result(int exitCode, byte[] output, String stderr) {
    }

    /**
     * Runs the program the way libwbxml's converters take files: {@code program [args] -o out in}.
     *
     * @param input the input file's bytes
     * @param args arguments before {@code -o}
     * @return exit code, output file and standard error
     * @throws IOException when the program cannot be started or does not finish within 30 s
     * @throws InterruptedException when interrupted
     */
    public Result run(byte[] input, String... args) throws IOException, InterruptedException {
        Objects.requireNonNull(input, "input");
        Path dir = Files.createTempDirectory("cardinal-tool-");
        try {
            Path in = dir.resolve("in");
            Path out = dir.resolve("out");
            Path err = dir.resolve("err");
            Files.write(in, input);
            List<String> command = new ArrayList<>();
            command.add(program.toString());
            command.addAll(List.of(args));
            command.add("-o");
            command.add(out.toString());
            command.add(in.toString());
            Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(name + " did not finish within " + TIMEOUT.toSeconds() + " s");
            }
            byte[] output = Files.exists(out) ? Files.readAllBytes(out) : new byte[0];
            return new Result(p.exitValue(), output, Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            deleteTree(dir);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        }
    }

    @Override
    public String toString() {
        return name + " (" + program + ")";
    }
}
