package org.cardinaldm.smartcard.sim.internal.card;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.sim.internal.profile.ProfileException;
import org.cardinaldm.smartcard.sim.internal.profile.ProfileParser;

/** Drives a {@link Uicc} with hex APDUs in tests. */
public final class CardTester {
    public static final HexFormat HEX = HexFormat.of().withUpperCase();
    public static final byte[] ADM_KEY = HEX.parseHex("000102030405060708090A0B0C0D0E0F");

    public final Uicc card;
    public final List<byte[]> saved = new ArrayList<>();

    public CardTester(Uicc.ImageSink sink, CardImage image) {
        this.card = new Uicc(image, bytes -> {
            sink.save(bytes);
            saved.add(bytes);
        });
        card.powerOn();
    }

    public static CardTester withTestProfile() {
        return new CardTester(bytes -> { }, testImage(CardImage.Protocol.T1));
    }

    public static CardImage testImage(CardImage.Protocol protocol) {
        String text = testProfileText();
        if (protocol == CardImage.Protocol.T0) {
            text = text.replace("card protocol=T=1", "card protocol=T=0");
        }
        try {
            return new ProfileParser(null).parse(text);
        } catch (ProfileException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String testProfileText() {
        try (InputStream in = CardTester.class.getResourceAsStream("/test-profile.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    public ResponseApdu send(String apdu) {
        return ResponseApdu.parse(card.transmit(hex(apdu)));
    }

    /** Sends and checks the status word; returns the data as hex. */
    public String expect(String apdu, int sw) {
        ResponseApdu r = send(apdu);
        assertThat(String.format("%04X", r.sw())).as("SW of %s", apdu).isEqualTo(String.format("%04X", sw));
        return HEX.formatHex(r.data());
    }

    public void ok(String apdu) {
        expect(apdu, 0x9000);
    }

    /** Authenticates with the ADM key 01 of the test profile. */
    public void authenticateAdm() {
        String challenge = expect("00 84 00 00 10", 0x9000);
        byte[] cryptogram = Uicc.admCryptogram(ADM_KEY, hex(challenge));
        ok("00 82 00 01 10 " + HEX.formatHex(cryptogram));
    }

    public static String pin(String digits) {
        return HEX.formatHex(Pin.block(digits));
    }
}
