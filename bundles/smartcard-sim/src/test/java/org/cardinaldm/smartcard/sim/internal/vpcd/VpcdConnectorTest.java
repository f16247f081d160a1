package org.cardinaldm.smartcard.sim.internal.vpcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.card.CardTester;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The vpcd protocol against a stand-in for vpcd (a local server socket), so it runs without pcscd. */
@Timeout(20)
class VpcdConnectorTest {
    private ServerSocket vpcd;
    private SimCardHandle card;
    private VpcdConnector connector;

    @BeforeEach
    void start() throws Exception {
        vpcd = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        card = SimCardHandle.open(null, null, SimCardHandle.Personalize.IF_ABSENT);
        connector = new VpcdConnector("127.0.0.1", vpcd.getLocalPort(), card, true);
    }

    @AfterEach
    void stop() throws IOException {
        connector.close();
        card.close();
        vpcd.close();
    }

    private static byte[] exchange(Socket s, byte... message) throws IOException {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeShort(message.length);
        out.write(message);
        out.flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] reply = new byte[in.readUnsignedShort()];
        in.readFully(reply);
        return reply;
    }

    private static void control(Socket s, int code) throws IOException {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeShort(1);
        out.write(code);
        out.flush();
    }

    @Test
    void answers_atr_requests_power_controls_and_apdus() throws Exception {
        try (Socket s = vpcd.accept()) {
            assertThat(connector.awaitConnected(5000)).isTrue();
            assertThat(exchange(s, (byte) 4)).isEqualTo(card.uicc().atr());
            control(s, 1);
            assertThat(exchange(s, CardTester.hex("00A4000C023F00"))).containsExactly(0x90, 0x00);
            assertThat(exchange(s, CardTester.hex("00A4000C022FE2"))).containsExactly(0x90, 0x00);
            byte[] iccid = exchange(s, CardTester.hex("00B000000A"));
            assertThat(CardTester.HEX.formatHex(iccid)).isEqualTo("98940000000000001" + "0F29000");
            control(s, 0); // power off: the card forgets its current file
            control(s, 1);
            assertThat(exchange(s, CardTester.hex("00B000000A"))).containsExactly(0x69, 0x86);
            control(s, 2); // reset
            assertThat(exchange(s, (byte) 4)).isEqualTo(card.uicc().atr());
            assertThat(connector.apduCount()).isEqualTo(4);
        }
    }

    @Test
    void pulling_closes_the_connection_and_inserting_connects_again() throws Exception {
        try (Socket s = vpcd.accept()) {
            assertThat(exchange(s, (byte) 4)).isNotEmpty();
            connector.pull();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        connector.insert();
        try (Socket s = vpcd.accept()) {
            assertThat(exchange(s, (byte) 4)).isEqualTo(card.uicc().atr());
        }
    }

    @Test
    void when_vpcd_drops_the_connection_the_card_connects_again() throws Exception {
        try (Socket s = vpcd.accept()) {
            assertThat(exchange(s, (byte) 4)).isNotEmpty();
        }
        try (Socket s = vpcd.accept()) {
            control(s, 1);
            assertThat(exchange(s, CardTester.hex("00A4000C023F00"))).containsExactly(0x90, 0x00);
        }
    }

    @Test
    void an_apdu_for_an_unpowered_card_powers_it_on() throws Exception {
        try (Socket s = vpcd.accept()) {
            assertThat(exchange(s, CardTester.hex("00A4000C023F00"))).containsExactly(0x90, 0x00);
        } catch (EOFException e) {
            throw new AssertionError("connection closed", e);
        }
    }

    @Test
    void a_tear_before_an_apdu_pulls_the_card_before_it_sees_the_apdu() throws Exception {
        try (Socket s = vpcd.accept()) {
            connector.tearAt(2, false);
            assertThat(exchange(s, CardTester.hex("00A4000C023F00"))).containsExactly(0x90, 0x00);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeShort(7);
            out.write(CardTester.hex("00A4000C022FE2"));
            out.flush();
            assertThat(s.getInputStream().read()).as("no answer: the card was pulled").isEqualTo(-1);
        }
        assertThat(connector.apduCount()).isEqualTo(1);
        assertThat(connector.isInserted()).isFalse();
        assertThat(card.uicc().isPowered()).isFalse();
        connector.insert();
        try (Socket s = vpcd.accept()) {
            assertThat(exchange(s, CardTester.hex("00A4000C023F00"))).as("the tear is disarmed").containsExactly(0x90, 0x00);
        }
    }

    @Test
    void a_tear_after_an_apdu_lets_the_card_process_it_but_sends_no_answer() throws Exception {
        try (Socket s = vpcd.accept()) {
            connector.tearAt(1, true);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeShort(7);
            out.write(CardTester.hex("00A4000C023F00"));
            out.flush();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(connector.apduCount()).as("the card processed it").isEqualTo(1);
        assertThat(connector.isInserted()).isFalse();
    }
}
