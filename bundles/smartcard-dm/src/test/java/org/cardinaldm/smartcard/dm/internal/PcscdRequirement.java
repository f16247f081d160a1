package org.cardinaldm.smartcard.dm.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * The PC/SC integration tests need a running pcscd with vsmartcard's vpcd driver: without them they fail when
 * {@code CI=true} and are skipped otherwise, naming the Debian packages.
 */
final class PcscdRequirement {
    static final Path SOCKET = Path.of("/run/pcscd/pcscd.comm");
    static final Path VPCD_DRIVER = Path.of("/usr/lib/pcsc/drivers/serial/libifdvpcd.so");

    private PcscdRequirement() {
    }

    static void require() {
        String missing = null;
        if (!Files.exists(VPCD_DRIVER)) {
            missing = "the vpcd driver is not installed (Debian: apt-get install -y pcscd vsmartcard-vpcd)";
        } else if (!Files.exists(SOCKET) || !answers(SOCKET)) {
            missing = "pcscd is not running (Debian package pcscd; start it with .ci/start-pcscd.sh)";
        }
        missingFails(missing, "PC/SC integration test");
    }

    /** A socket file left behind by a killed daemon exists but refuses connections. */
    private static boolean answers(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return false;
        }
    }

    static void missingFails(String missing, String what) {
        if (missing == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(what + " cannot run: " + missing);
        }
        Assumptions.abort(what + " skipped: " + missing);
    }
}
