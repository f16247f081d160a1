package org.cardinaldm.fumo.agent.file.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file agent's health check of the active slot, chosen by configuration ({@code health.check}):
 * <ul>
 * <li>{@code none}: always healthy (the new image is trusted as written);</li>
 * <li>{@code marker}: healthy once a regular file of the configured relative name exists inside the active slot
 * (the new image's first start writes it), looked for until the time-out;</li>
 * <li>{@code command}: healthy when a program exits with 0 within the time-out. The program and its arguments
 * are a list run directly ({@link ProcessBuilder}), never through a shell; an argument that is exactly
 * {@code {slot}} or {@code {version}} is replaced by the active slot's absolute path or the applied version, as
 * one argument, so no value can split into words or smuggle shell syntax.</li>
 * </ul>
 */
abstract class HealthCheck {
    /** Placeholder argument replaced by the active slot's absolute path. */
    static final String SLOT = "{slot}";
    /** Placeholder argument replaced by the version being checked. */
    static final String VERSION = "{version}";

    private static final Logger LOG = LoggerFactory.getLogger(HealthCheck.class);

    /**
     * @param slot the active slot
     * @param version the version in it
     * @return whether it is healthy
     */
    abstract boolean check(Path slot, String version);

    /** Waits between two looks; tests replace it so that nothing sleeps. */
    @FunctionalInterface
    interface Pause {
        /**
         * @param delay how long
         * @throws InterruptedException when interrupted
         */
        void pause(Duration delay) throws InterruptedException;
    }

    /**
     * @param kind {@code none}, {@code marker} or {@code command} (case-insensitive)
     * @param marker the marker's name relative to the slot, for {@code marker}
     * @param command the program and its arguments, for {@code command}
     * @param timeout how long the check may take
     * @param pause how the marker check waits between two looks
     * @return the check
     * @throws IllegalArgumentException when the kind is unknown or its setting is unusable
     */
    static HealthCheck of(String kind, String marker, List<String> command, Duration timeout, Pause pause) {
        String k = kind == null ? "none" : kind.strip().toLowerCase(Locale.ROOT);
        switch (k) {
        case "", "none":
            return new Always();
        case "marker":
            return new Marker(marker, timeout, pause);
        case "command":
            return new Command(command, timeout);
        default:
            throw new IllegalArgumentException("health.check must be none, marker or command, not '" + kind + "'");
        }
    }

    /** Always healthy. */
    static final class Always extends HealthCheck {
        @Override
        boolean check(Path slot, String version) {
            return true;
        }

        @Override
        public String toString() {
            return "none";
        }
    }

    /** A marker file in the slot, looked for until the time-out. */
    static final class Marker extends HealthCheck {
        private static final Duration STEP = Duration.ofMillis(200);
        private final Path name;
        private final Duration timeout;
        private final Pause pause;

        Marker(String name, Duration timeout, Pause pause) {
            Objects.requireNonNull(name, "marker");
            Path p = Path.of(name).normalize();
            if (name.isBlank() || p.isAbsolute() || p.startsWith("..") || p.toString().isEmpty()) {
                throw new IllegalArgumentException("health.marker must be a relative name inside the slot, not '"
                        + name + "'");
            }
            this.name = p;
            this.timeout = timeout;
            this.pause = pause;
        }

        @Override
        boolean check(Path slot, String version) {
            Path file = slot.resolve(name);
            long looks = Math.max(1, timeout.toMillis() / STEP.toMillis() + 1);
            for (long i = 0; i < looks; i++) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    return true;
                }
                if (i + 1 < looks) {
                    try {
                        pause.pause(STEP);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
            LOG.debug("No health marker {} in {} after {}", name, slot, timeout);
            return false;
        }

        @Override
        public String toString() {
            return "marker " + name;
        }
    }

    /** A program run without a shell; exit code 0 within the time-out is healthy. */
    static final class Command extends HealthCheck {
        private final List<String> argv;
        private final Duration timeout;

        Command(List<String> argv, Duration timeout) {
            if (argv == null || argv.isEmpty() || argv.get(0) == null || argv.get(0).isBlank()) {
                throw new IllegalArgumentException("health.command must name a program");
            }
            if (argv.stream().anyMatch(a -> a == null || a.indexOf('\0') >= 0)) {
                throw new IllegalArgumentException("health.command has an empty or NUL argument");
            }
            this.argv = List.copyOf(argv);
            this.timeout = timeout;
        }

        List<String> arguments(Path slot, String version) {
            List<String> out = new ArrayList<>(argv.size());
            for (String a : argv) {
                out.add(SLOT.equals(a) ? slot.toAbsolutePath().toString() : VERSION.equals(a) ? version : a);
            }
            return out;
        }

        @Override
        boolean check(Path slot, String version) {
            ProcessBuilder pb = new ProcessBuilder(arguments(slot, version)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                LOG.warn("Health command {} cannot start: {}", argv.get(0), e.getMessage());
                return false;
            }
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    LOG.debug("Health command {} did not finish within {}", argv.get(0), timeout);
                    return false;
                }
                int code = p.exitValue();
                LOG.debug("Health command {} exited with {}", argv.get(0), code);
                return code == 0;
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private static java.io.File nullDevice() {
            return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
        }

        @Override
        public String toString() {
            return "command " + argv.get(0);
        }
    }
}
