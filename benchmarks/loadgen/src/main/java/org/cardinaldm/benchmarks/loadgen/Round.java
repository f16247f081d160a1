package org.cardinaldm.benchmarks.loadgen;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * One measured round of management sessions and the echo baselines around it: the round's ratio is its DM
 * exchange rate over the mean of the echo rate just before and just after it, so both see about the same machine
 * load. With several rounds the report adds the median of each figure.
 *
 * @param number the round, from 1
 * @param s the sessions of the round
 * @param echoBefore echo requests/s just before
 * @param echoAfter echo requests/s just after
 * @param echoCpuBefore process CPU per echo request before, in microseconds
 * @param echoCpuAfter the same after
 * @param loadBefore the load average before the round
 * @param loadAfter the load average after the round
 * @param errors the round's session failures by kind
 */
record Round(int number, LoadGenerator.Stats s, double echoBefore, double echoAfter, double echoCpuBefore,
        double echoCpuAfter, String loadBefore, String loadAfter, Map<String, Long> errors) {

    double echo() {
        return (echoBefore + echoAfter) / 2;
    }

    double sessionsPerSecond() {
        return s.count / s.seconds;
    }

    double exchangesPerSecond() {
        return s.messages / s.seconds;
    }

    double ratio() {
        return exchangesPerSecond() / echo();
    }

    double cpuPerExchangeMicros() {
        return s.cpuNanos / 1e3 / Math.max(1, s.messages);
    }

    /** @return process CPU minus the client-side threads' CPU, per DM exchange (GC and JIT count as server) */
    double serverCpuPerExchangeMicros() {
        return (s.cpuNanos - s.clientCpuNanos) / 1e3 / Math.max(1, s.messages);
    }

    double echoCpu() {
        return (echoCpuBefore + echoCpuAfter) / 2;
    }

    void print(int concurrency) {
        System.out.printf(Locale.ROOT, "sessions        %d in %.1f s = %.1f sessions/s (%d HTTP exchanges, %.2f per session, %.0f exchanges/s)%n",
                s.count, s.seconds, sessionsPerSecond(), s.messages, (double) s.messages / Math.max(1, s.count),
                exchangesPerSecond());
        System.out.printf(Locale.ROOT, "latency         p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (package 1 to the server's last message)%n",
                s.percentile(50), s.percentile(90), s.percentile(99), s.percentile(100));
        System.out.printf(Locale.ROOT, "errors          %d of %d sessions %s%n", s.errors, s.count + s.errors, errors);
        System.out.printf(Locale.ROOT, "echo            %.0f requests/s (before %.0f, after %.0f) with the same %d clients%n",
                echo(), echoBefore, echoAfter, concurrency);
        System.out.printf(Locale.ROOT, "ratio           DM exchanges/s : echo requests/s = %.3f; sessions/s : echo requests/s = %.4f%n",
                ratio(), sessionsPerSecond() / echo());
        System.out.printf(Locale.ROOT, "CPU             %.0f us per session, %.0f us per DM exchange, %.0f us per echo request (process CPU time: server and simulated devices); exchange : echo = %.1f%n",
                s.cpuNanos / 1e3 / Math.max(1, s.count), cpuPerExchangeMicros(), echoCpu(),
                cpuPerExchangeMicros() / echoCpu());
        System.out.printf(Locale.ROOT, "server CPU      about %.0f us per DM exchange (process CPU minus the device and HTTP client threads, which also queue the jobs)%n",
                serverCpuPerExchangeMicros());
        if (s.checkpoints > 0) {
            System.out.printf(Locale.ROOT, "registry        %d H2 checkpoints (%.0f/s, %.1f DM exchanges per checkpoint); "
                    + "%.1f MiB written to the file, %.1f KiB per DM exchange%n", s.checkpoints, s.checkpoints / s.seconds,
                    (double) s.messages / s.checkpoints, s.h2WrittenBytes / 1048576.0,
                    s.h2WrittenBytes / 1024.0 / Math.max(1, s.messages));
            System.out.println("H2 file        " + s.h2Chunks);
        }
        System.out.println("load average    before the run " + loadBefore + ", after " + loadAfter);
    }

    static void printMedians(List<Round> rounds) {
        System.out.printf(Locale.ROOT, "ratio           DM exchanges/s : echo requests/s = %.3f (rounds: %s)%n",
                median(rounds, Round::ratio), list(rounds, Round::ratio, "%.3f"));
        System.out.printf(Locale.ROOT, "sessions/s      %.1f (rounds: %s)%n", median(rounds, Round::sessionsPerSecond),
                list(rounds, Round::sessionsPerSecond, "%.1f"));
        System.out.printf(Locale.ROOT, "echo            %.0f requests/s (rounds: %s)%n", median(rounds, Round::echo),
                list(rounds, Round::echo, "%.0f"));
        System.out.printf(Locale.ROOT, "p50 latency     %.1f ms (rounds: %s)%n", median(rounds, r -> r.s.percentile(50)),
                list(rounds, r -> r.s.percentile(50), "%.1f"));
        System.out.printf(Locale.ROOT, "CPU             %.0f us per DM exchange, server about %.0f us, echo %.0f us per request%n",
                median(rounds, Round::cpuPerExchangeMicros), median(rounds, Round::serverCpuPerExchangeMicros),
                median(rounds, Round::echoCpu));
        long errors = rounds.stream().mapToLong(r -> r.s.errors).sum();
        System.out.printf(Locale.ROOT, "errors          %d in all rounds%n", errors);
    }

    static double median(List<Round> rounds, ToDoubleFunction<Round> f) {
        double[] v = rounds.stream().mapToDouble(f).sorted().toArray();
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    private static String list(List<Round> rounds, ToDoubleFunction<Round> f, String format) {
        return String.join(" / ", rounds.stream().map(r -> String.format(Locale.ROOT, format, f.applyAsDouble(r)))
                .toArray(String[]::new));
    }
}
