package org.cardinaldm.pkg.trust.internal.tool;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs {@link PackageSignTool} in-process for tests of other packages. */
public final class ToolRunner {
    private ToolRunner() {
    }

    /** What a run printed and returned. */
    public record Result(int status, String out, String err) {
    }

    /** @param args the command line @return the result */
    public static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new PackageSignTool(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run(args);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
