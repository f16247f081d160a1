package org.cardinaldm.benchmarks.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What the benchmarks read from Linux's {@code /proc}: the load average and this process's open files. */
final class Proc {
    private Proc() {
    }

    /** @return the 1, 5 and 15 minute load averages, or "?" where there is no {@code /proc/loadavg} */
    static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** @return this process's open file descriptors, or -1 where there is no {@code /proc/self/fd} */
    static long openFiles() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
