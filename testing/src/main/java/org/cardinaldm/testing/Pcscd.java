package org.cardinaldm.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The PC/SC daemon as the smart-card integration tests need it: vsmartcard's vpcd driver installed and pcscd
 * answering on its socket. Use {@link RequiresPcscd} in JUnit 5 tests, {@link #missing()} elsewhere.
 */
public final class Pcscd {
    /** The socket pcscd listens on. */
    public static final Path SOCKET = Path.of("/run/pcscd/pcscd.comm");
    /** The reader driver of Debian's vsmartcard-vpcd. */
    public static final Path VPCD_DRIVER = Path.of("/usr/lib/pcsc/drivers/serial/libifdvpcd.so");
    /** What the skip and failure messages call a test that needs it. */
    public static final String WHAT = "PC/SC integration test";

    private Pcscd() {
    }

    /**
     * When set, the socket looked for instead of {@link #SOCKET}: {@code .ci/run} points it at a path where
     * nothing listens to prove that every PC/SC test skips cleanly on a machine without pcscd.
     */
    public static final String SOCKET_VARIABLE = "CARDINAL_TEST_PCSCD_SOCKET";

    /** @return why pcscd with vpcd cannot be used here; empty when it can */
    public static Optional<String> missing() {
        return missing(Environment.system());
    }

    /**
     * @param environment where {@value #SOCKET_VARIABLE} is read
     * @return why pcscd with vpcd cannot be used; empty when it can
     */
    public static Optional<String> missing(Environment environment) {
        return missing(VPCD_DRIVER, environment.get(SOCKET_VARIABLE).map(Path::of).orElse(SOCKET));
    }

    /**
     * @param driver the vpcd driver file
     * @param socket pcscd's socket
     * @return why pcscd with vpcd cannot be used; empty when the driver exists and the socket accepts a connection
     */
    public static Optional<String> missing(Path driver, Path socket) {
        if (!Files.exists(driver)) {
            return Optional.of("the vpcd driver " + driver
                    + " is not installed (Debian: apt-get install -y pcscd vsmartcard-vpcd)");
        }
        if (!Files.exists(socket) || !answers(socket)) {
            return Optional.of("pcscd is not running on " + socket
                    + " (Debian: apt-get install -y pcscd vsmartcard-vpcd; start it with bash .ci/start-pcscd.sh)");
        }
        return Optional.empty();
    }

    /**
     * Skips the calling JUnit 5 test (or fails it when {@code CI=true}) when pcscd with vpcd is missing: for a
     * check that must come after another one, such as an opt-in flag. Otherwise prefer {@link RequiresPcscd}.
     */
    public static void require() {
        Requirements.enforce(WHAT, missing());
    }

    /** A socket file left behind by a killed daemon exists but refuses connections. */
    private static boolean answers(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
