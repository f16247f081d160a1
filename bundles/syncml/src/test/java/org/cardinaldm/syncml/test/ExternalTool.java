package org.cardinaldm.syncml.test;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program for cross-checks. When the program is missing the test fails if the
 * environment variable {@code CI} is {@code true} and is skipped otherwise, naming the Debian package.
 */
public final class ExternalTool {
    private final Path program;

    private ExternalTool(Path program) {
        this.program = program;
    }

    /**
     * @param name the program name, looked up on PATH
     * @param debianPackage the package that provides it
     * @return the tool; the calling test is skipped (or fails on CI) when it is missing
     */
    public static ExternalTool require(String name, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return new ExternalTool(p);
            }
        }
        String message = name + " is not installed: apt-get install -y " + debianPackage;
        if ("true".equals(System.getenv("CI"))) {
            fail(message);
        }
        assumeTrue(false, message);
        return null;
    }

    /** The result of a run. */
    public record Result(int exitCode, byte[] output, String stderr) {
    }

    /**
     * Runs the program with an input file and an output file: {@code prog [args] -o out in}.
     *
     * @param input the input bytes
     * @param args extra arguments before {@code -o}
     * @return exit code, output file content (empty when missing) and stderr
     * @throws IOException when the process cannot run
     * @throws InterruptedException when interrupted
     */
    public Result run(byte[] input, String... args) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("syncml-xcheck");
        try {
            Path in = dir.resolve("in");
            Path out = dir.resolve("out");
            Files.write(in, input);
            List<String> cmd = new ArrayList<>();
            cmd.add(program.toString());
            cmd.addAll(List.of(args));
            cmd.add("-o");
            cmd.add(out.toString());
            cmd.add(in.toString());
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(dir.resolve("err").toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(program + " did not finish");
            }
            byte[] output = Files.exists(out) ? Files.readAllBytes(out) : new byte[0];
            return new Result(p.exitValue(), output, Files.readString(dir.resolve("err")));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
