package org.cardinaldm.store.mvstore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.spi.store.StoredNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills ({@code kill -9}, via {@link Process#destroyForcibly()}) a child JVM that writes a stream of
 * transactions to the store, at a random point, many times over on the same file, and checks after
 * each kill that the file opens and holds every transaction either completely or not at all, and
 * every transaction whose commit had returned. Each round picks fsync on or off and how often the
 * writer compacts the file (never, every 2 or 7 commits, every 256), so kills also land inside
 * compactions. Rounds: system property {@code cardinal.crash.rounds}
 * (default 20).
 */
class CrashSafetyTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void every_transaction_survives_kill_9_whole_or_not_at_all() throws Exception {
        int rounds = Integer.getInteger("cardinal.crash.rounds", 20);
        long seed = Long.getLong("cardinal.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path file = dir.resolve("crash.mv");
        long lastVerified = 0;
        int inFlightApplied = 0;
        int killedDuringCommit = 0;
        long started = System.nanoTime();
        for (int round = 1; round <= rounds; round++) {
            boolean sync = random.nextBoolean();
            int killAfterEvents = 1 + random.nextInt(80);
            int compactEvery = new int[] {0, 2, 7, 256}[random.nextInt(4)];
            Result r = runAndKill(file, sync, compactEvery, killAfterEvents, round);
            if (r.lastEvent.startsWith("B")) {
                killedDuringCommit++;
            }
            long counter = verify(file, seed, round);
            assertThat(counter).as("round %d (seed %d): every commit that returned is durable", round, seed)
                    .isGreaterThanOrEqualTo(r.lastDone);
            assertThat(counter).as("round %d: counter never goes backwards", round).isGreaterThanOrEqualTo(lastVerified);
            if (counter > r.lastDone) {
                inFlightApplied++;
            }
            lastVerified = counter;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf("Crash test: %d kills, %d transactions committed in total, %d kills right after"
                + " 'commit started', %d rounds where work past the last reported commit survived, file %d KB,"
                + " %d ms, seed %d%n", rounds, lastVerified, killedDuringCommit, inFlightApplied,
                Files.size(file) / 1024, millis, seed);
        assertThat(lastVerified).isGreaterThanOrEqualTo(1);
    }

    private record Result(long lastDone, String lastEvent) {
    }

    private static Result runAndKill(Path file, boolean sync, int compactEvery, int killAfterEvents, int round) throws IOException,
            InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path err = file.resolveSibling("child-" + round + ".err");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(), file.toString(),
                Boolean.toString(sync), Integer.toString(compactEvery));
        pb.redirectError(err.toFile());
        Process p = pb.start();
        long lastDone = -1;
        String last = "";
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
            int events = 0;
            String line;
            while ((line = in.readLine()) != null) {
                last = line;
                if (line.startsWith("R ")) {
                    lastDone = Long.parseLong(line.substring(2));
                    continue;
                }
                if (line.startsWith("D ")) {
                    lastDone = Long.parseLong(line.substring(2));
                }
                if (++events >= killAfterEvents) {
                    p.destroyForcibly();
                    break;
                }
            }
            if (line == null) {
                fail("Writer process ended by itself (exit %s): %s", p.waitFor(), Files.readString(err));
            }
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
        return new Result(lastDone, last);
    }

    /** Opens the store after a kill and checks the invariant; returns the counter. */
    private static long verify(Path file, long seed, int round) throws DmException {
        MvTreeStore store = new MvTreeStore(StoreSettings.of(file));
        try {
            long c = store.read(CrashWriter.COUNTER).map(s -> Long.parseLong(s.value().asString())).orElse(0L);
            List<String> expected = new ArrayList<>();
            for (long n = Math.max(1, c - CrashWriter.KEEP + 1); n <= c; n++) {
                expected.add(Long.toString(n));
            }
            List<String> present = store.children(CrashWriter.T);
            assertThat(present).as("round %d (seed %d): subtrees for counter %d", round, seed, c)
                    .containsExactlyInAnyOrderElementsOf(expected);
            for (String s : expected) {
                long n = Long.parseLong(s);
                NodeUri sub = CrashWriter.T.child(s);
                assertThat(store.read(sub)).as("./T/%s", s).isPresent();
                List<String> leaves = CrashWriter.expectedLeaves(n);
                assertThat(store.children(sub)).as("leaves of ./T/%s", s).containsExactlyElementsOf(leaves);
                for (String leaf : leaves) {
                    StoredNode node = store.read(sub.child(leaf)).orElseThrow();
                    assertThat(node.value()).as("./T/%s/%s", s, leaf).isEqualTo(CrashWriter.expectedValue(n, leaf));
                }
            }
            return c;
        } finally {
            store.close();
        }
    }
}
