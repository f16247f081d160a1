package org.cardinaldm.itests;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

import org.junit.AssumptionViolatedException;
import org.junit.runner.Description;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunNotifier;
import org.junit.runners.model.InitializationError;
import org.ops4j.pax.exam.junit.PaxExam;

/**
 * Pax Exam for a class that needs pcscd with vsmartcard's vpcd driver. It decides in the test JVM, before any
 * container starts: without them each test is reported as skipped with the reason (Pax Exam alone reports a
 * test whose assumption failed in the container as passed), or failed when {@code CI=true}. The same check as
 * the test kit's {@code Pcscd} (which needs JUnit 5 and cannot serve this JUnit 4 class), including
 * {@code CARDINAL_TEST_PCSCD_SOCKET}, with which {@code .ci/bare-path.sh} proves the skip.
 */
public final class PcscdPaxExam extends PaxExam {
    private static final Path VPCD_DRIVER = Paths.get("/usr/lib/pcsc/drivers/serial/libifdvpcd.so");

    /**
     * @param klass the test class
     * @throws InitializationError as {@link PaxExam} does
     */
    public PcscdPaxExam(Class<?> klass) throws InitializationError {
        super(klass);
    }

    /** @return pcscd's socket, {@code CARDINAL_TEST_PCSCD_SOCKET} when set */
    static Path socket() {
        return Paths.get(Optional.ofNullable(System.getenv("CARDINAL_TEST_PCSCD_SOCKET")).filter(s -> !s.isBlank())
                .orElse("/run/pcscd/pcscd.comm"));
    }

    /** @return why pcscd with vpcd cannot be used here; empty when it can */
    static Optional<String> missing() {
        if (!Files.exists(VPCD_DRIVER)) {
            return Optional.of("the vpcd driver is not installed (Debian: apt-get install -y pcscd vsmartcard-vpcd)");
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket()));
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("pcscd is not running on " + socket()
                    + " (Debian package pcscd; start it with bash .ci/start-pcscd.sh)");
        }
    }

    @Override
    public void run(RunNotifier notifier) {
        Optional<String> missing = missing();
        if (missing.isEmpty()) {
            super.run(notifier);
            return;
        }
        boolean ci = "true".equals(System.getenv("CI"));
        String what = getDescription().getDisplayName();
        for (Description test : getDescription().getChildren()) {
            notifier.fireTestStarted(test);
            if (ci) {
                notifier.fireTestFailure(new Failure(test, new AssertionError(what + " cannot run (CI=true requires it): "
                        + missing.get())));
            } else {
                notifier.fireTestAssumptionFailed(new Failure(test, new AssumptionViolatedException(what
                        + " skipped: " + missing.get())));
            }
            notifier.fireTestFinished(test);
        }
    }
}
