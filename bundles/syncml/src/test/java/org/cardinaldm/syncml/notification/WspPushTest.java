package org.cardinaldm.syncml.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.cardinaldm.syncml.api.notification.WspPush;
import org.junit.jupiter.api.Test;

class WspPushTest {
    /** The OMA example trigger (digest 4.3) after a 16-byte digest. */
    private static final byte[] PKG0 = HexFormat.of().parseHex(
            "4e94c58c36a8c50aabcdbe0c296b2ba7" + "02d0000000123412636f6d2e6d676d747372762e6d616e616765");

    @Test
    void the_oma_example_push_is_unwrapped() {
        byte[] pdu = HexFormat.of().parseHex("010603c4af87");
        byte[] datagram = concat(pdu, PKG0);
        assertThat(WspPush.unwrap(datagram)).hasValueSatisfying(b -> assertThat(b).containsExactly(PKG0));
        assertThat(WspPush.unwrap(WspPush.wrap(PKG0))).hasValueSatisfying(b -> assertThat(b).containsExactly(PKG0));
    }

    @Test
    void textual_content_type_and_application_id_are_accepted_and_other_headers_skipped() {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes("application/vnd.syncml.notification\0".getBytes(StandardCharsets.US_ASCII));
        h.writeBytes(new byte[] {(byte) 0x8D, (byte) 0x9A}); // Content-Length: short integer
        h.writeBytes("X-Vendor\0abc\0".getBytes(StandardCharsets.US_ASCII));
        h.write(0xAF);
        h.writeBytes("x-wap-application:syncml.dm\0".getBytes(StandardCharsets.US_ASCII));
        byte[] headers = h.toByteArray();
        byte[] pdu = concat(new byte[] {0x42, 0x06, (byte) headers.length}, headers);
        assertThat(WspPush.unwrap(concat(pdu, PKG0))).hasValueSatisfying(b -> assertThat(b).containsExactly(PKG0));
    }

    @Test
    void other_pushes_and_bare_notifications_are_not_unwrapped() {
        assertThat(WspPush.unwrap(PKG0)).isEmpty();
        assertThat(WspPush.unwrap(concat(HexFormat.of().parseHex("010603c4af88"), PKG0))).as("another application")
                .isEmpty();
        assertThat(WspPush.unwrap(concat(HexFormat.of().parseHex("010603c2af87"), PKG0))).as("another type").isEmpty();
        assertThat(WspPush.unwrap(HexFormat.of().parseHex("010603c4af87"))).as("no body").isEmpty();
        assertThat(WspPush.unwrap(HexFormat.of().parseHex("0106ffc4af87"))).as("headers past the end").isEmpty();
        assertThat(WspPush.unwrap(HexFormat.of().parseHex("010602c4af87aa"))).as("app id cut off").isEmpty();
        assertThat(WspPush.unwrap(new byte[] {1, 6})).isEmpty();
        for (int i = 0; i < 2000; i++) {
            byte[] random = new byte[24 + (i % 40)];
            new java.util.Random(i).nextBytes(random);
            random[1] = 0x06;
            WspPush.unwrap(random); // never throws
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
