package org.cardinaldm.smartcard.sim.internal.vpcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.cardinaldm.smartcard.sim.internal.card.CardTester;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/** The vpcd card component as a SimulatedCard, against a stand-in for vpcd (a local server socket). */
@Timeout(20)
class VpcdSimCardTest {
    @TempDir
    Path dir;

    private static byte[] exchange(Socket s, String hex) throws IOException {
        byte[] message = CardTester.hex(hex);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeShort(message.length);
        out.write(message);
        out.flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] reply = new byte[in.readUnsignedShort()];
        in.readFully(reply);
        return reply;
    }

    @Test
    void the_reader_name_follows_vsmartcards_default_reader_conf() {
        assertThat(VpcdSimCard.readerName(35963)).isEqualTo("Virtual PCD 00 00");
        assertThat(VpcdSimCard.readerName(35964)).isEqualTo("Virtual PCD 00 01");
        assertThat(VpcdSimCard.readerName(4000)).isEqualTo("vpcd port 4000");
    }

    @Test
    void personalising_pulls_the_card_from_vpcd_writes_it_and_connects_again() throws Exception {
        Path profile = dir.resolve("test.profile");
        Files.writeString(profile, CardTester.testProfileText());
        try (ServerSocket vpcd = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            VpcdSimCard card = new VpcdSimCard(Converters.standardConverter().convert(Map.of(
                    "vpcd.port", vpcd.getLocalPort(), "image.file", dir.resolve("v.img").toString(),
                    "card.reader", "Virtual PCD 00 07")).to(VpcdSimCard.Config.class));
            try {
                assertThat(card.reader()).isEqualTo("Virtual PCD 00 07");
                assertThat(card.connection()).isEqualTo("vpcd");
                try (Socket s = vpcd.accept()) {
                    assertThat(exchange(s, "00A4000C020001")).as("demo card: no EF 0001").containsExactly(0x6A, 0x82);
                    card.personalize(profile);
                    assertThat(s.getInputStream().read()).as("the old card's connection is closed").isEqualTo(-1);
                }
                try (Socket s = vpcd.accept()) {
                    assertThat(exchange(s, "00A4000C020001")).containsExactly(0x90, 0x00);
                    assertThat(exchange(s, "00B0000005")).containsExactly('h', 'e', 'l', 'l', 'o', 0x90, 0x00);
                }
            } finally {
                card.close();
            }
        }
    }

    @Test
    void a_pulled_card_is_written_and_stays_out() throws Exception {
        try (ServerSocket vpcd = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            VpcdSimCard card = new VpcdSimCard(Converters.standardConverter().convert(Map.of(
                    "vpcd.port", vpcd.getLocalPort(), "image.file", "", "inserted", false)).to(VpcdSimCard.Config.class));
            try {
                card.personalizeDemo();
                assertThat(card.connector().isInserted()).isFalse();
                assertThat(card.reader()).isEqualTo("vpcd port " + vpcd.getLocalPort());
            } finally {
                card.close();
            }
        }
    }
}
