package org.cardinaldm.itests;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Whether pcscd with vsmartcard's vpcd driver can be used: the same check as the test kit's {@code Pcscd} (which
 * needs JUnit 5 and cannot serve these JUnit 4 classes), including {@code CARDINAL_TEST_PCSCD_SOCKET}, with which
 * {@code .ci/bare-path.sh} proves the skip. Plain Java, so that it also loads inside the container.
 */
final class PcscdCheck {
    private static final Path VPCD_DRIVER = Paths.get("/usr/lib/pcsc/drivers/serial/libifdvpcd.so");

    private PcscdCheck() {
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
}
