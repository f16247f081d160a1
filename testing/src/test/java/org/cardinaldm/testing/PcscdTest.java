package org.cardinaldm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcscdTest {
    @TempDir
    Path dir;

    @Test
    void without_the_vpcd_driver_the_reason_names_both_packages() {
        assertThat(Pcscd.missing(dir.resolve("libifdvpcd.so"), dir.resolve("pcscd.comm")))
                .hasValueSatisfying(why -> assertThat(why).contains("vpcd driver")
                        .contains("apt-get install -y pcscd vsmartcard-vpcd"));
    }

    @Test
    void the_socket_variable_points_the_check_elsewhere() {
        Environment env = Environment.of(Map.of(Pcscd.SOCKET_VARIABLE, dir.resolve("nothing-listens").toString()));
        assertThat(Pcscd.missing(env)).isPresent();
    }

    @Test
    void without_the_socket_the_reason_says_how_to_start_pcscd() throws Exception {
        Path driver = Files.createFile(dir.resolve("libifdvpcd.so"));
        assertThat(Pcscd.missing(driver, dir.resolve("pcscd.comm")))
                .hasValueSatisfying(why -> assertThat(why).contains("pcscd is not running").contains("pcscd")
                        .contains(".ci/start-pcscd.sh"));
    }

    @Test
    void a_socket_file_left_by_a_killed_daemon_counts_as_not_running() throws Exception {
        Path driver = Files.createFile(dir.resolve("libifdvpcd.so"));
        Path socket = dir.resolve("pcscd.comm");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        assertThat(Pcscd.missing(driver, socket)).hasValueSatisfying(why -> assertThat(why).contains("not running"));
    }

    @Test
    void a_driver_and_an_answering_socket_are_enough() throws Exception {
        Path driver = Files.createFile(dir.resolve("libifdvpcd.so"));
        Path socket = dir.resolve("pcscd.comm");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            assertThat(Pcscd.missing(driver, socket)).isEmpty();
        }
    }
}
