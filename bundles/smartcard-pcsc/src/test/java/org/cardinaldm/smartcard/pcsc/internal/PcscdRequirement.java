package org.cardinaldm.smartcard.pcsc.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * The integration tests need a running pcscd with vsmartcard's vpcd driver. Without them the tests fail when
 * {@code CI=true} and are skipped otherwise.
 */
final class PcscdRequirement {
    static final Path SOCKET = Path.of("/run/pcscd/pcscd.comm");
    static final Path VPCD_DRIVER = Path.of("/usr/lib/pcsc/drivers/serial/libifdvpcd.so");

    private PcscdRequirement() {
    }

    /** A socket file left behind by a killed daemon exists but refuses connections. */
    private static boolean answers(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return false;
        }
    }

    static void require() {
        String missing = null;
        if (!Files.exists(VPCD_DRIVER)) {
            missing = "the vpcd driver is not installed (Debian: apt-get install -y pcscd vsmartcard-vpcd)";
        } else if (!Files.exists(SOCKET) || !answers(SOCKET)) {
            missing = "pcscd is not running (Debian package pcscd; start it with .ci/start-pcscd.sh)";
        }
        if (missing == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("PC/SC integration test cannot run: " + missing);
        }
        Assumptions.abort("PC/SC integration test skipped: " + missing);
    }
}
